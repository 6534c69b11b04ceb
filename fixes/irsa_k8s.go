package fixes

import (
	"regexp"
	"strings"

	yaml "go.yaml.in/yaml/v3"

	"github.com/eksdoctor/eksdoctor/analysis"
	"github.com/eksdoctor/eksdoctor/internal/textdist"
)

// The Kubernetes side of IRSA: ServiceAccounts with their
// eks.amazonaws.com annotations, and the workloads whose pods run as them.

const (
	roleARNAnnotation  = "eks.amazonaws.com/role-arn"
	audienceAnnotation = "eks.amazonaws.com/audience"
	annotationPrefix   = "eks.amazonaws.com/"
)

// serviceAccount is a pasted ServiceAccount: a manifest, or the
// serviceAccount section of a Helm chart's values (its name, annotations).
type serviceAccount struct {
	Doc  *analysis.Document
	Name string
	// Namespace is "" when the manifest does not set one.
	Namespace string
	// RoleARN is the eks.amazonaws.com/role-arn annotation's value, or nil.
	RoleARN  *analysis.Scalar
	Audience string
	// Metadata holds name and annotations: the manifest's metadata, or the
	// values' serviceAccount section; nil when Terraform declares it.
	Metadata *yaml.Node
	// Start and End locate its declaration.
	Start, End int
	// EksctlRole marks one eksctl creates with a role of its own making,
	// whose trust admits it and whose ARN the paste does not show.
	EksctlRole bool
}

// hasRole reports whether the ServiceAccount is given a role.
func (sa serviceAccount) hasRole() bool { return sa.RoleARN != nil || sa.EksctlRole }

// roleName names its role, for messages.
func (sa serviceAccount) roleName() string {
	if sa.RoleARN == nil {
		return "the role eksctl creates"
	}
	return "the role " + sa.RoleARN.Value
}

// Subject returns the sub claim of the ServiceAccount's tokens, with
// namespace ns when the manifest sets none.
func (sa serviceAccount) Subject(ns string) string {
	if sa.Namespace != "" {
		ns = sa.Namespace
	}
	return serviceAccountClaim + ns + ":" + sa.Name
}

// serviceAccountsKey keeps what serviceAccounts builds, once for each
// document; terraformServiceAccountsKey what it reads of Terraform, once
// for the whole input.
var (
	serviceAccountsKey          = analysis.NewKey[[]serviceAccount]("serviceaccount")
	terraformServiceAccountsKey = analysis.NewKey[[]serviceAccount]("terraform-serviceaccounts")
)

// serviceAccounts returns every pasted ServiceAccount, read once:
// manifests, Helm values, and Terraform's.
func serviceAccounts(p *analysis.Pass) []serviceAccount {
	var out []serviceAccount
	if readTerraformServiceAccounts != nil && len(p.OfKind(analysis.KindTerraform)) > 0 {
		out = append(out, analysis.MemoInput(p.Input, terraformServiceAccountsKey, func() []serviceAccount { return readTerraformServiceAccounts(p) })...)
	}
	for _, doc := range p.OfKind(analysis.KindServiceAccount) {
		out = append(out, analysis.Memo(doc, serviceAccountsKey, func() []serviceAccount { return readServiceAccounts(p, doc) })...)
	}
	return out
}

// readServiceAccounts reads the ServiceAccounts one document declares: a
// manifest, a chart's values, or an eksctl ClusterConfig's
// iam.serviceAccounts.
func readServiceAccounts(p *analysis.Pass, doc *analysis.Document) []serviceAccount {
	root := p.NodeOf(doc)
	switch kind := analysis.ScalarValue(root, "kind"); {
	case strings.HasPrefix(analysis.ScalarValue(root, "apiVersion"), "eksctl.io/"):
		return eksctlServiceAccounts(p, doc, root)
	case kind != "" && kind != "ServiceAccount":
		return nil // a Pod Identity association (ACK): podAssociations reads it
	}
	meta := analysis.Lookup(root, "metadata")
	sa := serviceAccount{Doc: doc, Name: analysis.ScalarValue(meta, "name"), Namespace: analysis.ScalarValue(meta, "namespace"), Metadata: meta}
	if meta == nil {
		// a chart's values: the ServiceAccount it creates, in the
		// release's namespace; one the chart names itself is not known
		meta = analysis.Lookup(root, "serviceAccount")
		sa = serviceAccount{Doc: doc, Name: analysis.ScalarValue(meta, "name"), Metadata: meta}
		if meta == nil || sa.Name == "" || !known(sa.Name) {
			return nil
		}
	}
	sa.Start, sa.End = lineSpan(p.Src, meta)
	if v := analysis.Lookup(meta, "annotations", roleARNAnnotation); v != nil && v.Kind == yaml.ScalarNode {
		s := analysis.Locate(analysis.WholeText{Src: p.Src}, v)
		sa.RoleARN = &s
	}
	sa.Audience = analysis.ScalarValue(meta, "annotations", audienceAnnotation)
	return []serviceAccount{sa}
}

// eksctlServiceAccounts reads iam.serviceAccounts: eksctl creates each
// ServiceAccount (not a roleOnly one) annotated with the role it names
// (attachRoleARN), or with a role it creates whose trust admits exactly
// that ServiceAccount.
func eksctlServiceAccounts(p *analysis.Pass, doc *analysis.Document, root *yaml.Node) []serviceAccount {
	var out []serviceAccount
	for _, item := range analysis.Items(analysis.Lookup(root, "iam", "serviceAccounts")) {
		meta := analysis.Lookup(item, "metadata")
		name := analysis.Lookup(meta, "name")
		if name == nil || name.Kind != yaml.ScalarNode || analysis.ScalarValue(item, "roleOnly") == "true" {
			continue
		}
		sa := serviceAccount{Doc: doc, Name: name.Value, Namespace: firstNonEmpty(analysis.ScalarValue(meta, "namespace"), "default")}
		sa.Start, sa.End = lineSpan(p.Src, meta)
		if v := analysis.Lookup(item, "attachRoleARN"); v != nil && v.Kind == yaml.ScalarNode {
			s := analysis.Locate(analysis.WholeText{Src: p.Src}, v)
			sa.RoleARN = &s
		} else {
			sa.EksctlRole = true
		}
		out = append(out, sa)
	}
	return out
}

// lineSpan returns where a node starts, to the end of that line.
func lineSpan(src *analysis.Source, n *yaml.Node) (start, end int) {
	start, end = nodeSpan(analysis.WholeText{Src: src}, n)
	return start, min(end, src.LineEnd(src.LineOf(start)))
}

// workload is a pasted object that runs pods.
type workload struct {
	Doc                   *analysis.Document
	Kind, Name, Namespace string
	PodSpec               *yaml.Node
	// ServiceAccount is the pod spec's serviceAccountName (or the
	// deprecated serviceAccount), nil when absent (the pods run as default).
	ServiceAccount *analysis.Scalar
	PodAnnotations *yaml.Node
}

// podSpecPaths are where each kind keeps its pod template.
var podSpecPaths = map[string][]string{
	"Pod":     {"spec"},
	"CronJob": {"spec", "jobTemplate", "spec", "template", "spec"},
}

// workloadsKey keeps what workloads builds, once for each document.
var workloadsKey = analysis.NewKey[[]workload]("workload")

// workloads returns every pasted workload, read once.
func workloads(p *analysis.Pass) []workload {
	var out []workload
	for _, doc := range p.OfKind(analysis.KindWorkload) {
		out = append(out, analysis.Memo(doc, workloadsKey, func() []workload {
			root := p.NodeOf(doc)
			w := workload{Doc: doc, Kind: analysis.ScalarValue(root, "kind"), Name: analysis.ScalarValue(root, "metadata", "name"),
				Namespace: analysis.ScalarValue(root, "metadata", "namespace")}
			path, ok := podSpecPaths[w.Kind]
			if !ok {
				path = []string{"spec", "template", "spec"}
			}
			w.PodSpec = analysis.Lookup(root, path...)
			if w.PodSpec == nil || w.PodSpec.Kind != yaml.MappingNode {
				return nil
			}
			w.PodAnnotations = analysis.Lookup(root, append(path[:len(path)-1:len(path)-1], "metadata", "annotations")...)
			for _, key := range []string{"serviceAccount", "serviceAccountName"} {
				if v := analysis.Lookup(w.PodSpec, key); v != nil && v.Kind == yaml.ScalarNode {
					s := analysis.Locate(analysis.WholeText{Src: p.Src}, v)
					w.ServiceAccount = &s
				}
			}
			return []workload{w}
		})...)
	}
	return out
}

// serviceAccountName returns the ServiceAccount the workload's pods run as.
func (w workload) serviceAccountName() string {
	if w.ServiceAccount == nil || w.ServiceAccount.Value == "" {
		return "default"
	}
	return w.ServiceAccount.Value
}

// roleARNPattern is the webhook's check of the annotation (it only warns,
// and STS then refuses the call with "Request ARN is invalid").
var roleARNPattern = regexp.MustCompile(`^arn:aws[a-z0-9-]*:iam::\d{12}:role/[\w+=,.@/-]+$`)

var irsaAnnotation = &analysis.Rule{
	ID:       "IRSA014",
	Title:    "role-arn annotation the webhook cannot use",
	Severity: analysis.High,
	Kinds:    []analysis.Kind{analysis.KindServiceAccount, analysis.KindWorkload},
	Doc: "The EKS Pod Identity Webhook reads exactly eks.amazonaws.com/role-arn on the ServiceAccount, and its value must " +
		"be a role ARN, arn:aws:iam::ACCOUNT:role/NAME. A misspelt key (role_arn, rolearn) is ignored and the pod silently " +
		"falls back to the node role; a value that is not a role ARN (an instance profile, a policy, an assumed-role " +
		"session, extra spaces) fails with \"Request ARN is invalid\"; the annotation on a Pod or pod template is ignored. " +
		"Annotate the ServiceAccount with the role's ARN and re-create the pods.",
	Refs: []string{irsaRoleDoc, webhookReadme, eksIAMTroubleshootDoc},
	Run: func(p *analysis.Pass) {
		at := analysis.WholeText{Src: p.Src}
		root := p.Node()
		if p.Doc.Kind == analysis.KindWorkload {
			for _, w := range workloads(p) {
				if w.Doc != p.Doc || w.PodAnnotations == nil {
					continue
				}
				if k, _ := analysis.MapEntry(w.PodAnnotations, roleARNAnnotation); k != nil {
					key := analysis.Locate(at, k)
					p.Reportf(key.Start, key.End, nil, "The webhook reads %s from the ServiceAccount only; on the %s's pods it is ignored, "+
						"and the pods run as ServiceAccount %s. Annotate that ServiceAccount instead.", roleARNAnnotation, w.Kind, w.serviceAccountName())
				}
			}
			return
		}
		annotations := analysis.Lookup(root, "metadata", "annotations")
		if annotations == nil || annotations.Kind != yaml.MappingNode {
			return
		}
		for i := 0; i+1 < len(annotations.Content); i += 2 {
			k, v := annotations.Content[i], analysis.Resolve(annotations.Content[i+1])
			key := analysis.Locate(at, k)
			if key.Value != roleARNAnnotation && nearAnnotation(key.Value) {
				p.Reportf(key.Start, key.End, &analysis.Fix{Summary: "Rename the annotation to " + roleARNAnnotation,
					Edits: []analysis.Edit{key.Replace(roleARNAnnotation)}},
					"The annotation %s is not %s; the webhook ignores it and the pods use the node role.", key.Value, roleARNAnnotation)
			}
			if key.Value != roleARNAnnotation || v == nil || v.Kind != yaml.ScalarNode {
				continue
			}
			checkRoleARN(p, analysis.Locate(at, v))
		}
	},
}

// nearAnnotation reports whether an annotation key is a misspelling of
// eks.amazonaws.com/role-arn.
func nearAnnotation(key string) bool {
	k := strings.ToLower(strings.TrimSpace(key))
	return textdist.Distance(k, roleARNAnnotation, 4) <= 3 || strings.HasPrefix(k, annotationPrefix) && strings.Contains(k, "role")
}

// checkRoleARN reports an annotation value that is not a role ARN.
func checkRoleARN(p *analysis.Pass, v analysis.Scalar) {
	val := strings.TrimSpace(v.Value)
	switch {
	case roleARNPattern.MatchString(v.Value):
	case !known(val):
		if sev, note, ok := placeholderNote(p, val, "the pod gets no credentials"); ok {
			p.Report(analysis.Finding{Severity: sev, Start: v.Start, End: v.End, Message: "The role ARN " + v.Value +
				" " + note + ". Put the role's real ARN here."})
		}
	case roleARNPattern.MatchString(val):
		p.Reportf(v.Start, v.End, &analysis.Fix{Summary: "Remove the spaces around the role ARN", Edits: []analysis.Edit{v.Replace(val)}},
			"The role ARN has spaces around it; STS refuses it with \"Request ARN is invalid\".")
	default:
		if a, ok := analysis.ParseARN(val); ok && !analysis.MaskOfAccount(a.Account).Known() &&
			roleARNPattern.MatchString(strings.Replace(val, ":"+a.Account+":", ":111122223333:", 1)) {
			return // only the account is masked
		}
		if note, ok := shortenedNote(val, "STS refuses it with \"Request ARN is invalid\""); ok {
			p.Report(analysis.Finding{Severity: analysis.Low, Start: v.Start, End: v.End, Message: note})
			return
		}
		msg := "The annotation value " + v.Value + " is not a role ARN (arn:aws:iam::ACCOUNT:role/NAME); STS refuses it with \"Request ARN is invalid\"."
		if arn, ok := analysis.ParseARN(val); ok {
			switch arn.ResourceType() {
			case "instance-profile":
				msg = "The annotation names an instance profile; IRSA needs the ARN of the role (arn:…:role/NAME), not of its instance profile."
			case "policy":
				msg = "The annotation names a policy; IRSA needs the ARN of a role that has the policy attached."
			case "assumed-role":
				msg = "The annotation names an assumed-role session; IRSA needs the role's ARN (arn:…:iam::ACCOUNT:role/NAME)."
			}
		}
		p.Reportf(v.Start, v.End, nil, "%s", msg)
	}
}

var irsaWorkloadServiceAccount = &analysis.Rule{
	ID:       "IRSA015",
	Title:    "workload runs as another ServiceAccount",
	Severity: analysis.High,
	Kinds:    []analysis.Kind{analysis.KindServiceAccount, analysis.KindWorkload},
	Cross:    true,
	Doc: "IRSA credentials go to pods that run as the annotated ServiceAccount. A Deployment or Pod whose " +
		"serviceAccountName names another ServiceAccount, or none (so it runs as default), gets no web identity token; " +
		"its SDK falls back to the node role and calls fail with AccessDenied as the node's instance role. Set " +
		"serviceAccountName to the annotated ServiceAccount.",
	Refs: []string{irsaRoleDoc, "https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/"},
	Run: func(p *analysis.Pass) {
		for _, o := range offRole(p) {
			w, sa := o.workload, o.annotated
			what := w.Kind + " " + w.Name + " runs its pods"
			if w.Kind == "Pod" {
				what = "Pod " + w.Name + " runs"
			}
			p.Reportf(o.Start, o.End, serviceAccountFix(p, w, sa.Name), "%s as ServiceAccount %s, but %s is on ServiceAccount %s; these pods get "+
				"no IRSA credentials and fall back to the node role.", what, o.runsAs, sa.roleName(), sa.Name)
		}
	},
}

// workloadOffRole is a workload that runs as another ServiceAccount than
// the one the paste annotates with a role: its serviceAccountName (or
// where it would be written) spans Start to End.
type workloadOffRole struct {
	workload   workload
	runsAs     string
	annotated  serviceAccount
	Start, End int
}

// offRole returns the workloads of the paste that run as a ServiceAccount
// the paste does not show, while the one ServiceAccount of their
// namespace that it shows has a role: their pods get no IRSA credentials.
func offRole(p *analysis.Pass) []workloadOffRole {
	var out []workloadOffRole
	sas := serviceAccounts(p)
	for _, w := range workloads(p) {
		runsAs := w.serviceAccountName()
		var annotated []serviceAccount
		known := false
		for _, sa := range sas {
			if w.Namespace != "" && sa.Namespace != "" && sa.Namespace != w.Namespace {
				continue
			}
			known = known || sa.Name == runsAs
			if sa.hasRole() {
				annotated = append(annotated, sa)
			}
		}
		if known || len(annotated) != 1 {
			continue
		}
		o := workloadOffRole{workload: w, runsAs: runsAs, annotated: annotated[0], Start: p.Src.NodeStart(w.PodSpec), End: p.Src.NodeStart(w.PodSpec)}
		if w.ServiceAccount != nil {
			o.Start, o.End = w.ServiceAccount.Start, w.ServiceAccount.End
		}
		out = append(out, o)
	}
	return out
}

// serviceAccountFix sets a workload's serviceAccountName.
func serviceAccountFix(p *analysis.Pass, w workload, name string) *analysis.Fix {
	if w.ServiceAccount != nil {
		return &analysis.Fix{Summary: "Run the pods as ServiceAccount " + name, Edits: []analysis.Edit{w.ServiceAccount.Replace(name)}}
	}
	e, ok := nodeEditor{at: analysis.WholeText{Src: p.Src}}.addEntry(w.PodSpec, "serviceAccountName", analysis.YAMLScalar(name))
	if !ok {
		return nil
	}
	return &analysis.Fix{Summary: "Run the pods as ServiceAccount " + name, Edits: []analysis.Edit{e}}
}
