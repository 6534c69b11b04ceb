package fixes

import (
	"strings"

	yaml "go.yaml.in/yaml/v3"

	"github.com/eksdoctor/eksdoctor/analysis"
)

// EKS Pod Identity associations, however they were written (eksctl's
// iam.podIdentityAssociations, an AWS CLI command or its output,
// CloudFormation, ACK), against the pasted trust policy of their role.
// Terraform's are TF012's, which fixes the Terraform.

// podAssociation is one association.
type podAssociation struct {
	Doc                                *analysis.Document
	Cluster, Namespace, ServiceAccount string
	// Role is the role as written; nil when the tool makes the role
	// itself (eksctl's roleName, permissionPolicyARNs), with a trust that
	// admits the association.
	Role *analysis.Scalar
	// Target is set when the association names a role to assume next
	// (targetRoleArn): the first role's trust is EKS's to write.
	Target bool
}

// associationVerdict says why the association cannot give its pods
// credentials through role's trust policy, or "": untrusted is set when
// the trust has no statement for pods.eks.amazonaws.com at all (EKS then
// refuses the association), as opposed to conditions that leave this
// association's session out.
func associationVerdict(p *analysis.Pass, a podAssociation, role string, trust *Policy) (msg string, untrusted bool) {
	if len(podStatements(trust)) == 0 {
		what := "does not trust " + PodIdentityService
		if trustsFederated(trust) {
			what = "trusts only an OIDC provider (IRSA), not " + PodIdentityService
		}
		return "EKS refuses this association (\"Trust policy of the role provided is invalid\"): " + role + " " + what +
			". Allow " + PodIdentityService + " sts:AssumeRole and sts:TagSession.", true
	}
	if !podActionsAllowed(trust) || a.Namespace == "" || a.ServiceAccount == "" {
		return "", false
	}
	d := EvaluateTrust(p.Src, trust, TrustRequest{SessionTags: sessionTagsOf(a.Namespace, a.ServiceAccount, a.Cluster)})
	if d.Allowed || d.Condition == nil {
		return "", false
	}
	return "Pods of " + a.Namespace + "/" + a.ServiceAccount + " get no credentials from this association: " + d.Reason, false
}

// podAssociationsKey keeps what podAssociations reads, once for each
// document.
var podAssociationsKey = analysis.NewKey[[]podAssociation]("pod-identity-associations")

// podAssociations returns the associations the paste writes outside
// Terraform.
func podAssociations(p *analysis.Pass) []podAssociation {
	var out []podAssociation
	for _, doc := range p.OfKind(analysis.KindServiceAccount, analysis.KindAccessEntries, analysis.KindIAMPolicy, analysis.KindTrustPolicy) {
		out = append(out, analysis.Memo(doc, podAssociationsKey, func() []podAssociation { return readPodAssociations(p, doc) })...)
	}
	return out
}

// readPodAssociations reads the associations of one document.
func readPodAssociations(p *analysis.Pass, doc *analysis.Document) []podAssociation {
	at := analysis.WholeText{Src: p.Src}
	scalar := func(n *yaml.Node) *analysis.Scalar {
		if n == nil || n.Kind != yaml.ScalarNode {
			return nil
		}
		s := analysis.Locate(at, n)
		return &s
	}
	var out []podAssociation
	if doc.Format == analysis.FormatText {
		for _, cmd := range cliCommands(p.Src.Text[:doc.End], doc.Start, podAssociationCommand) {
			flags := cmd.flags()
			a := podAssociation{Doc: doc, Target: firstToken(flags, "--target-role-arn") != nil}
			for flag, field := range map[string]*string{"--cluster-name": &a.Cluster, "--namespace": &a.Namespace, "--service-account": &a.ServiceAccount} {
				if t := firstToken(flags, flag); t != nil {
					*field = t.Value
				}
			}
			if t := firstToken(flags, "--role-arn"); t != nil {
				s := scalarAt(p.Src, t.Value, t.Start, t.End)
				a.Role = &s
			}
			out = append(out, a)
		}
		return out
	}
	root := p.NodeOf(doc)
	if strings.HasPrefix(analysis.ScalarValue(root, "apiVersion"), "eksctl.io/") {
		cluster := analysis.ScalarValue(root, "metadata", "name")
		for _, item := range analysis.Items(analysis.Lookup(root, "iam", "podIdentityAssociations")) {
			out = append(out, podAssociation{Doc: doc, Cluster: cluster, Namespace: analysis.ScalarValue(item, "namespace"),
				ServiceAccount: analysis.ScalarValue(item, "serviceAccountName"), Role: scalar(analysis.Lookup(item, "roleARN")),
				Target: analysis.Lookup(item, "targetRoleARN") != nil})
		}
		return out
	}
	// the AWS CLI's output, CloudFormation, ACK: the same fields, spelt
	// their way
	for _, n := range associationNodes(root) {
		a := podAssociation{Doc: doc}
		for field, keys := range map[*string][]string{&a.Cluster: {"clusterName", "ClusterName"}, &a.Namespace: {"namespace", "Namespace"},
			&a.ServiceAccount: {"serviceAccount", "ServiceAccount"}} {
			for _, k := range keys {
				if v := analysis.ScalarValue(n, k); v != "" {
					*field = v
				}
			}
		}
		for _, k := range []string{"roleArn", "RoleArn", "roleARN"} {
			if s := scalar(analysis.Lookup(n, k)); s != nil {
				a.Role = s
			}
		}
		for _, k := range []string{"targetRoleArn", "TargetRoleArn", "targetRoleARN"} {
			a.Target = a.Target || analysis.Lookup(n, k) != nil
		}
		out = append(out, a)
	}
	return out
}

// associationNodes returns the association objects of a document: the
// AWS CLI's association or associations, a CloudFormation
// AWS::EKS::PodIdentityAssociation's Properties, an ACK object's spec.
func associationNodes(root *yaml.Node) []*yaml.Node {
	var out []*yaml.Node
	if n := analysis.Lookup(root, "association"); n != nil {
		out = append(out, n)
	}
	out = append(out, analysis.Items(analysis.Lookup(root, "associations"))...)
	if analysis.ScalarValue(root, "kind") == "PodIdentityAssociation" {
		out = append(out, analysis.Lookup(root, "spec"))
	}
	if resources := analysis.Lookup(root, "Resources"); resources != nil {
		for i := 1; i < len(resources.Content); i += 2 {
			if r := resources.Content[i]; analysis.ScalarValue(r, "Type") == "AWS::EKS::PodIdentityAssociation" {
				out = append(out, analysis.Lookup(r, "Properties"))
			}
		}
	}
	return out
}

var podIDAssociationTrust = &analysis.Rule{
	ID:       "PODID006",
	Title:    "pod identity association whose role's trust refuses it",
	Severity: analysis.High,
	Kinds:    []analysis.Kind{analysis.KindServiceAccount, analysis.KindAccessEntries, analysis.KindTrustPolicy, analysis.KindIAMPolicy, analysis.KindTerraform},
	Cross:    true,
	Doc: "A Pod Identity association written with eksctl (iam.podIdentityAssociations), the AWS CLI, CloudFormation or ACK " +
		"is replayed against the pasted trust policy of its role, as TF012 does for Terraform's: a role that does not trust " +
		"pods.eks.amazonaws.com is refused (\"Trust policy of the role provided is invalid\"), and session-tag conditions " +
		"that name another namespace or ServiceAccount leave the association's pods without credentials. Allow " +
		"pods.eks.amazonaws.com sts:AssumeRole and sts:TagSession, with conditions that admit the association's namespace " +
		"and ServiceAccount.",
	Refs: []string{podIdentityRoleDoc, podIDTagsDoc, "https://eksctl.io/usage/pod-identity-associations/"},
	Run: func(p *analysis.Pass) {
		trusts := trustPolicies(p)
		associations := podAssociations(p)
		for _, a := range associations {
			if a.Role == nil || a.Target {
				continue
			}
			pols, other := forRole(trusts, a.Role.Value)
			if _, known := roleMatch(firstPolicy(pols), targetOf(a.Role.Value)); other != "" || !known && (len(pols) != 1 || len(associations) != 1) {
				continue // another role's trust, or one of several whose role is not known
			}
			for _, pol := range pols {
				if msg, _ := associationVerdict(p, a, "the role "+a.Role.Value, pol); msg != "" {
					p.Reportf(a.Role.Start, a.Role.End, nil, "%s", msg)
				}
			}
		}
	},
}

// firstPolicy returns the first policy, or an empty one.
func firstPolicy(pols []*Policy) *Policy {
	if len(pols) == 0 {
		return &Policy{}
	}
	return pols[0]
}
