package core

import (
	"fmt"
	"strings"

	"github.com/tidwall/gjson"
	yaml "go.yaml.in/yaml/v3"

	"github.com/eksdoctor/eksdoctor/analysis"
	"github.com/eksdoctor/eksdoctor/fixes"
	"github.com/eksdoctor/eksdoctor/internal/prefilter"
)

// object reads values from a parsed document the same way whether it was
// YAML (a node tree) or JSON (gjson over the text). It is a concrete type
// so that the variadic paths of its calls stay off the heap.
type object struct {
	node *yaml.Node   // the YAML node, or nil for JSON
	json gjson.Result // the JSON value when node is nil
	// keys are the JSON object's own keys, read once, so that looking up
	// an absent key (most lookups) does not parse the text again.
	keys map[string]bool
}

// jsonObject reads a JSON document.
func jsonObject(text string) object {
	o := object{json: gjson.Parse(text), keys: map[string]bool{}}
	o.json.ForEach(func(k, _ gjson.Result) bool { o.keys[k.String()] = true; return true })
	return o
}

// at follows a path of keys.
func (o object) at(path ...string) object {
	if o.node != nil {
		return object{node: analysis.Lookup(o.node, path...)}
	}
	if len(path) > 0 && o.keys != nil && !o.keys[path[0]] {
		return object{}
	}
	r := o.json
	for _, p := range path {
		if strings.ContainsAny(p, ".*?|#@\\!") {
			p = gjson.Escape(p)
		}
		r = r.Get(p)
	}
	return object{json: r}
}

func (o object) exists() bool { return o.node != nil || o.json.Exists() }

func (o object) has(path ...string) bool { return o.at(path...).exists() }

// str returns the string at path, or "".
func (o object) str(path ...string) string {
	v := o.at(path...)
	switch {
	case v.node != nil && v.node.Kind == yaml.ScalarNode:
		return v.node.Value
	case v.node == nil && v.json.Type == gjson.String:
		return v.json.Str
	}
	return ""
}

// each calls f with every element of the list or value of the mapping at
// path, or with the value itself when it is a scalar.
func (o object) each(path string, f func(object)) {
	v := o.at(path)
	switch {
	case v.node != nil && v.node.Kind == yaml.SequenceNode:
		for _, c := range v.node.Content {
			f(object{node: analysis.Resolve(c)})
		}
	case v.node != nil && v.node.Kind == yaml.MappingNode:
		for i := 1; i < len(v.node.Content); i += 2 {
			f(object{node: analysis.Resolve(v.node.Content[i])})
		}
	case v.node == nil && (v.json.IsArray() || v.json.IsObject()):
		v.json.ForEach(func(_, e gjson.Result) bool { f(object{json: e}); return true })
	case v.exists():
		f(v)
	}
}

// lower returns the scalar value of o in lower case.
func (o object) lower() string {
	if o.node != nil {
		return strings.ToLower(o.node.Value)
	}
	return strings.ToLower(o.json.String())
}

// workloadKinds are the objects that run pods.
var workloadKinds = map[string]bool{
	"Pod": true, "Deployment": true, "StatefulSet": true, "DaemonSet": true, "ReplicaSet": true,
	"Job": true, "CronJob": true, "ReplicationController": true,
}

var rbacKinds = map[string]analysis.Kind{
	"Role": analysis.KindRole, "ClusterRole": analysis.KindClusterRole,
	"RoleBinding": analysis.KindRoleBinding, "ClusterRoleBinding": analysis.KindClusterRoleBinding,
}

// classify sets the kind and title of a YAML or JSON document.
func classify(d *analysis.Document) {
	switch d.Kind {
	case analysis.KindTerraform:
		d.Title = "Terraform: " + strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(firstLine(d.Text)), "{"))
		return
	case analysis.KindCallerIdentity:
		d.Title = "kubectl auth whoami"
		return
	case analysis.KindAWSAuth: // only eksctl's table has its kind before this
		d.Title = "eksctl get iamidentitymapping (aws-auth mappings)"
		return
	case analysis.KindAccessEntries: // only commands have their kind before this
		d.Title = "aws eks " + fixes.AccessCommand(d.Text) + " (AWS CLI command)"
		return
	case analysis.KindServiceAccount: // only commands have their kind before this
		d.Title = "aws eks " + fixes.PodAssociationCommand(d.Text) + " (AWS CLI command)"
		return
	case analysis.KindErrorText:
		line, ok := errorLineOf(d.Text)
		if !ok {
			line = d.Text
		}
		d.Title = firstLine(line)
		return
	case "":
	default:
		d.Title = firstLine(d.Text)
		return
	}
	switch {
	case d.Format == analysis.FormatJSON && !gjson.Valid(d.Text):
		if d.Kind, d.Title = classifyText(d.Text); d.Kind == analysis.KindUnknown {
			d.Kind, d.Title = classifyFields(jsonObject(d.Text))
		}
	case d.Format == analysis.FormatJSON:
		d.Kind, d.Title = classifyFields(jsonObject(d.Text))
	case d.YAML != nil && d.YAML.Kind == yaml.MappingNode:
		d.Kind, d.Title = classifyFields(object{node: d.YAML})
		if inner := labelled(d.YAML); d.Kind == analysis.KindUnknown && inner != nil {
			if kind, title := classifyFields(object{node: inner}); kind != analysis.KindUnknown {
				d.YAML, d.Kind, d.Title = inner, kind, title
			}
		}
	case d.YAML != nil:
		d.Kind, d.Title = analysis.KindUnknown, "unrecognised document"
	default:
		d.Kind, d.Title = classifyText(d.Text)
	}
	if d.Kind == analysis.KindUnknown && d.Format != analysis.FormatText {
		d.Kind, d.Title = classifyFragment(d)
	}
	if d.Kind == analysis.KindUnknown {
		if line, ok := errorLineOf(d.Text); ok {
			// error output that looks like YAML or JSON ("AccessDenied: The aws-auth …")
			d.Kind, d.Title = analysis.KindErrorText, firstLine(line)
		}
	}
}

// labelled returns the mapping under a label people put above what they
// paste ("kubeconfig:" with the file indented under it): the value of the
// first key, when it is a mapping.
func labelled(n *yaml.Node) *yaml.Node {
	if len(n.Content) < 2 {
		return nil
	}
	if v := analysis.Resolve(n.Content[1]); v != nil && v.Kind == yaml.MappingNode {
		return v
	}
	return nil
}

// classifyFragment recognises a part of a document copied out of its
// whole, by its keys: aws-auth entries without their ConfigMap, a
// kubeconfig's users or clusters, one statement of a policy, a Condition
// block or its keys. The title says what it was read as.
func classifyFragment(d *analysis.Document) (analysis.Kind, string) {
	n := d.YAML
	if n == nil && d.Format == analysis.FormatJSON && fragmentWords.MatchString(d.Text) {
		var root yaml.Node
		if yaml.Unmarshal([]byte(d.Text), &root) == nil {
			n = analysis.Resolve(&root)
		}
	}
	switch {
	case n == nil:
	case n.Kind == yaml.SequenceNode:
		if section := fixes.EntriesSection(n); section != "" {
			return analysis.KindAWSAuth, "aws-auth " + section + " entries (without their ConfigMap)"
		}
	case analysis.Lookup(n, "Effect") != nil && (analysis.Lookup(n, "Action") != nil || analysis.Lookup(n, "Principal") != nil):
		kind, title := policyKind(object{node: &yaml.Node{Kind: yaml.MappingNode,
			Content: []*yaml.Node{{Kind: yaml.ScalarNode, Value: "Statement"}, {Kind: yaml.SequenceNode, Content: []*yaml.Node{n}}}}})
		return kind, title + " statement (without its policy)"
	case fixes.IsConditionBlock(n):
		if strings.Contains(d.Text, "oidc") || strings.Contains(d.Text, "pods.eks") || strings.Contains(d.Text, "aws:RequestTag/") {
			return analysis.KindTrustPolicy, "IAM trust policy condition (without its statement)"
		}
		return analysis.KindIAMPolicy, "IAM policy condition (without its statement)"
	case kubeconfigPart(n):
		return analysis.KindKubeconfig, "kubeconfig " + strings.Join(mappingKeyNames(n), " and ") + " (part of a kubeconfig)"
	}
	return analysis.KindUnknown, "unrecognised document"
}

// fragmentWords are the keys classifyFragment looks for, which a JSON
// document must hold before it is parsed again as YAML.
var fragmentWords = prefilter.NewAlternation(`Effect`, `Condition`, `String`, `Arn`, `:sub`, `:aud`, `rolearn`, `userarn`, `users`, `clusters`)

// kubeconfigPart reports whether a mapping is a kubeconfig's users,
// clusters or contexts section alone: entries with a name and a user,
// cluster or context.
func kubeconfigPart(n *yaml.Node) bool {
	found := false
	for _, section := range []string{"users", "clusters", "contexts"} {
		for _, item := range analysis.Items(analysis.Lookup(n, section)) {
			if analysis.Lookup(item, strings.TrimSuffix(section, "s")) == nil {
				return false
			}
			found = true
		}
	}
	return found
}

// mappingKeyNames returns the keys of a mapping.
func mappingKeyNames(n *yaml.Node) []string {
	var keys []string
	for i := 0; i+1 < len(n.Content); i += 2 {
		keys = append(keys, n.Content[i].Value)
	}
	return keys
}

// classifyFields decides what a parsed object is, from its object.
func classifyFields(f object) (analysis.Kind, string) {
	kind, api := f.str("kind"), f.str("apiVersion")
	name := f.str("metadata", "name")
	if ns := f.str("metadata", "namespace"); ns != "" && name != "" {
		name = ns + "/" + name
	}
	switch {
	case kind == "ConfigMap" && (strings.HasSuffix(name, "aws-auth") || hasAuthSections(f, "data")):
		return analysis.KindAWSAuth, "aws-auth ConfigMap"
	case hasAuthSections(f) || hasAuthSections(f, "data"):
		return analysis.KindAWSAuth, "aws-auth mappings"
	case hasAuthSections(f, "server"):
		return analysis.KindAWSAuth, "aws-iam-authenticator configuration"
	case strings.HasPrefix(api, "eksctl.io/"):
		return classifyEksctl(f)
	case rbacKinds[kind] != "":
		return rbacKinds[kind], kind + " " + name
	case kind == "ServiceAccount":
		return analysis.KindServiceAccount, kind + " " + name
	case workloadKinds[kind]:
		return analysis.KindWorkload, kind + " " + name
	case kind == "Config" || kind == "" && f.has("clusters") && (f.has("contexts") || f.has("users")):
		return analysis.KindKubeconfig, titleWith("kubeconfig", "current-context", f.str("current-context"))
	case kind == "" && (f.has("serviceAccount", "annotations") || f.has("serviceAccount", "name") && f.has("serviceAccount", "create")):
		return analysis.KindServiceAccount, titleWith("Helm values: serviceAccount", "", f.str("serviceAccount", "name"))
	case kind == "SelfSubjectReview":
		return analysis.KindCallerIdentity, titleWith("kubectl auth whoami", "", f.str("status", "userInfo", "username"))
	case strings.HasPrefix(api, "eks.services.k8s.aws/") && (kind == "AccessEntry" || kind == "Cluster" && f.has("spec", "accessConfig")):
		return analysis.KindAccessEntries, "ACK " + kind + " " + name
	case strings.HasPrefix(api, "eks.services.k8s.aws/") && kind == "PodIdentityAssociation":
		return analysis.KindServiceAccount, "ACK " + kind + " " + name
	case kind != "" && api != "":
		return analysis.KindK8sOther, kind + " " + name
	case f.has("AWSTemplateFormatVersion") || f.has("Resources"):
		return classifyCloudFormation(f)
	}
	return classifyAWS(f)
}

// classifyAWS recognises the JSON the AWS CLI, CloudTrail and IAM print.
func classifyAWS(f object) (analysis.Kind, string) {
	switch {
	case f.has("Records") || f.has("eventVersion") && f.has("eventSource"):
		return analysis.KindCloudTrail, cloudTrailTitle(f)
	case f.has("accessEntry") || f.has("accessEntries") || f.has("associatedAccessPolicies") ||
		f.has("cluster", "accessConfig") || f.has("accessConfig") || f.has("authenticationMode") ||
		f.has("principalArn") && (f.has("kubernetesGroups") || f.has("accessEntryArn") || f.has("type")):
		return analysis.KindAccessEntries, accessEntryTitle(f)
	case f.has("association", "serviceAccount") || f.has("associations"):
		return analysis.KindServiceAccount, titleWith("Pod Identity association", "", f.str("association", "serviceAccount"))
	case f.has("UserId") && f.has("Account") && f.has("Arn"):
		return analysis.KindCallerIdentity, titleWith("caller identity", "", f.str("Arn"))
	case f.has("Role", "AssumeRolePolicyDocument"):
		return analysis.KindTrustPolicy, titleWith("IAM trust policy", "role", f.str("Role", "RoleName"))
	case f.has("PolicyVersion", "Document"):
		return policyKind(f, "PolicyVersion", "Document")
	case f.has("PolicyDocument"):
		return policyKind(f, "PolicyDocument")
	case f.has("AttachedPolicies"):
		return analysis.KindIAMPolicy, "attached role policies"
	case f.has("Statement"):
		return policyKind(f)
	case f.has("level") && (f.has("msg") || f.has("message")):
		return analysis.KindErrorText, "log line"
	case f.has("nodegroup", "health", "issues") || f.has("health", "issues"):
		return analysis.KindErrorText, "node group health issues"
	}
	return analysis.KindUnknown, "unrecognised document"
}

func hasAuthSections(f object, under ...string) bool {
	container := f.at(under...)
	return container.has("mapRoles") || container.has("mapUsers") || container.has("mapAccounts")
}

func classifyEksctl(f object) (analysis.Kind, string) {
	name := "eksctl ClusterConfig " + f.str("metadata", "name")
	switch {
	case f.has("accessConfig", "accessEntries"):
		return analysis.KindAccessEntries, name + " (access entries)"
	case f.has("iamIdentityMappings"):
		return analysis.KindAWSAuth, name + " (iamIdentityMappings)"
	case f.has("accessConfig"):
		return analysis.KindAccessEntries, name + " (access configuration)"
	case f.has("iam", "serviceAccounts") || f.has("iam", "podIdentityAssociations"):
		return analysis.KindServiceAccount, name + " (iam)"
	}
	return analysis.KindK8sOther, name
}

// classifyCloudFormation reads a template's resource types: access
// entries or a cluster's access configuration, or IAM roles and policies.
func classifyCloudFormation(f object) (analysis.Kind, string) {
	kind := analysis.KindUnknown
	f.each("Resources", func(r object) {
		switch t := r.str("Type"); {
		case t == "AWS::EKS::AccessEntry" || t == "AWS::EKS::Cluster" && r.has("Properties", "AccessConfig"):
			kind = analysis.KindAccessEntries
		case kind == analysis.KindUnknown && strings.HasPrefix(t, "AWS::IAM::"):
			kind = analysis.KindIAMPolicy
		}
	})
	return kind, "CloudFormation template"
}

// policyKind tells a trust policy (a statement with a Principal allowing
// sts:AssumeRole*) from an identity policy.
func policyKind(f object, path ...string) (analysis.Kind, string) {
	doc := f.at(path...)
	trust := false
	doc.each("Statement", func(s object) {
		if !s.has("Principal") && !s.has("NotPrincipal") {
			return
		}
		s.each("Action", func(a object) {
			trust = trust || strings.HasPrefix(a.lower(), "sts:assumerole")
		})
	})
	if trust {
		return analysis.KindTrustPolicy, "IAM trust policy"
	}
	return analysis.KindIAMPolicy, "IAM policy"
}

func cloudTrailTitle(f object) string {
	if f.has("Records") {
		n := 0
		f.each("Records", func(object) { n++ })
		return fmt.Sprintf("CloudTrail events (%d)", n)
	}
	return titleWith("CloudTrail event", "", f.str("eventName"))
}

func accessEntryTitle(f object) string {
	for _, p := range [][]string{{"accessEntry", "principalArn"}, {"principalArn"}} {
		if arn := f.str(p...); arn != "" {
			return "access entry " + arn
		}
	}
	if f.has("cluster", "accessConfig") || f.has("accessConfig") || f.has("authenticationMode") {
		return "cluster access configuration"
	}
	return "access entries"
}

// titleWith names a document, adding a value when it has one.
func titleWith(base, label, value string) string {
	switch {
	case value == "":
		return base
	case label == "":
		return base + " " + value
	}
	return base + " (" + label + " " + value + ")"
}

var (
	kindLine     = prefilter.MustCompile(`(?m)^\s*kind:\s*["']?(\w+)`)
	authSections = prefilter.MustCompile(`(?m)^\s*(?:mapRoles|mapUsers|mapAccounts)\s*:`)
	authEntries  = prefilter.MustCompile(`(?m)^\s*(?:- )?\s*"?(?:rolearn|userarn)"?\s*:\s*"?arn:`)
	kubeconfigs  = prefilter.MustCompile(`(?m)^\s*(?:clusters|contexts|current-context)\s*:`)
	policyText   = prefilter.MustCompile(`["“”]Statement["“”]`)
	trustText    = prefilter.MustCompile(`["“”]Principal["“”][\s\S]*sts:AssumeRole|sts:AssumeRole[\s\S]*["“”]Principal["“”]`)
)

// classifyText guesses the kind of a document that did not parse, from
// its text, so that a broken aws-auth or policy still reaches its rules.
func classifyText(text string) (analysis.Kind, string) {
	const broken = " (does not parse)"
	switch {
	case authSections.MatchString(text):
		return analysis.KindAWSAuth, "aws-auth" + broken
	case authEntries.MatchString(text):
		return analysis.KindAWSAuth, "aws-auth entries" + broken
	case trustText.MatchString(text):
		return analysis.KindTrustPolicy, "IAM trust policy" + broken
	case policyText.MatchString(text):
		return analysis.KindIAMPolicy, "IAM policy" + broken
	case len(kubeconfigs.FindAllString(text, -1)) >= 2:
		return analysis.KindKubeconfig, "kubeconfig" + broken
	}
	if m := kindLine.FindStringSubmatch(text); m != nil {
		switch k := m[1]; {
		case rbacKinds[k] != "":
			return rbacKinds[k], k + broken
		case k == "ServiceAccount":
			return analysis.KindServiceAccount, k + broken
		case workloadKinds[k]:
			return analysis.KindWorkload, k + broken
		}
	}
	return analysis.KindUnknown, "unrecognised text"
}

// firstLine returns the first non-blank line of text, shortened to 80
// characters.
func firstLine(text string) string {
	first, _, _ := strings.Cut(strings.TrimSpace(text), "\n")
	first = strings.TrimSpace(first)
	if len(first) > 320 {
		first = strings.ToValidUTF8(first[:320], "")
	}
	if r := []rune(first); len(r) > 80 {
		first = string(r[:79]) + "…"
	}
	return first
}
