package core

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/tidwall/gjson"
	yaml "go.yaml.in/yaml/v3"

	"github.com/eksdoctor/eksdoctor/fixes"
)

// fields reads values from a parsed document the same way whether it was
// YAML (a node tree) or JSON (gjson over the text).
type fields interface {
	str(path ...string) string
	has(path ...string) bool
	each(path string, f func(fields))
}

type yamlFields struct{ n *yaml.Node }

func (y yamlFields) str(path ...string) string { return fixes.ScalarValue(y.n, path...) }
func (y yamlFields) has(path ...string) bool   { return fixes.Lookup(y.n, path...) != nil }
func (y yamlFields) each(path string, f func(fields)) {
	n := fixes.Lookup(y.n, path)
	if n == nil {
		return
	}
	switch n.Kind {
	case yaml.SequenceNode:
		for _, c := range n.Content {
			f(yamlFields{fixes.Resolve(c)})
		}
	case yaml.MappingNode:
		for i := 1; i < len(n.Content); i += 2 {
			f(yamlFields{fixes.Resolve(n.Content[i])})
		}
	default:
		f(y.at(path))
	}
}
func (y yamlFields) at(key string) yamlFields { return yamlFields{fixes.Lookup(y.n, key)} }

type jsonFields struct{ r gjson.Result }

func (j jsonFields) get(path []string) gjson.Result {
	r := j.r
	for _, p := range path {
		r = r.Get(gjson.Escape(p))
	}
	return r
}
func (j jsonFields) str(path ...string) string {
	if r := j.get(path); r.Type == gjson.String {
		return r.Str
	}
	return ""
}
func (j jsonFields) has(path ...string) bool { return j.get(path).Exists() }
func (j jsonFields) each(path string, f func(fields)) {
	r := j.get([]string{path})
	if !r.IsArray() && !r.IsObject() {
		f(jsonFields{r})
		return
	}
	r.ForEach(func(_, v gjson.Result) bool { f(jsonFields{v}); return true })
}

// workloadKinds are the objects that run pods.
var workloadKinds = map[string]bool{
	"Pod": true, "Deployment": true, "StatefulSet": true, "DaemonSet": true, "ReplicaSet": true,
	"Job": true, "CronJob": true, "ReplicationController": true,
}

var rbacKinds = map[string]fixes.Kind{
	"Role": fixes.KindRole, "ClusterRole": fixes.KindClusterRole,
	"RoleBinding": fixes.KindRoleBinding, "ClusterRoleBinding": fixes.KindClusterRoleBinding,
}

// classify sets the kind and title of a YAML or JSON document.
func classify(d *fixes.Document) {
	switch d.Kind {
	case fixes.KindTerraform:
		d.Title = "Terraform: " + strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(firstLine(d.Text)), "{"))
		return
	case fixes.KindCallerIdentity:
		d.Title = "kubectl auth whoami"
		return
	case fixes.KindErrorText:
		d.Title = firstLine(errorLine(d.Text))
		return
	case "":
	default:
		d.Title = firstLine(d.Text)
		return
	}
	var f fields
	switch {
	case d.Format == fixes.FormatJSON:
		f = jsonFields{gjson.Parse(d.Text)}
	case d.YAML != nil && d.YAML.Kind == yaml.MappingNode:
		f = yamlFields{d.YAML}
	default:
		d.Kind, d.Title = classifyText(d.Text)
		return
	}
	d.Kind, d.Title = classifyFields(f)
	if d.Kind == fixes.KindUnknown && d.Format == fixes.FormatJSON && !gjson.Valid(d.Text) {
		d.Kind, d.Title = classifyText(d.Text)
	}
	if d.Kind == fixes.KindUnknown && errorSignature.MatchString(d.Text) {
		// error output that happens to parse ("AccessDenied: The aws-auth …")
		d.Kind, d.Title = fixes.KindErrorText, firstLine(errorLine(d.Text))
	}
}

// classifyFields decides what a parsed object is, from its fields.
func classifyFields(f fields) (fixes.Kind, string) {
	kind, api := f.str("kind"), f.str("apiVersion")
	name := f.str("metadata", "name")
	if ns := f.str("metadata", "namespace"); ns != "" && name != "" {
		name = ns + "/" + name
	}
	switch {
	case kind == "ConfigMap" && (strings.HasSuffix(name, "aws-auth") || hasAuthSections(f, "data")):
		return fixes.KindAWSAuth, "aws-auth ConfigMap"
	case hasAuthSections(f) || hasAuthSections(f, "data"):
		return fixes.KindAWSAuth, "aws-auth mappings"
	case hasAuthSections(f, "server"):
		return fixes.KindAWSAuth, "aws-iam-authenticator configuration"
	case strings.HasPrefix(api, "eksctl.io/"):
		return classifyEksctl(f)
	case rbacKinds[kind] != "":
		return rbacKinds[kind], kind + " " + name
	case kind == "ServiceAccount":
		return fixes.KindServiceAccount, kind + " " + name
	case workloadKinds[kind]:
		return fixes.KindWorkload, kind + " " + name
	case kind == "Config" || kind == "" && f.has("clusters") && (f.has("contexts") || f.has("users")):
		return fixes.KindKubeconfig, titleWith("kubeconfig", "current-context", f.str("current-context"))
	case kind == "SelfSubjectReview":
		return fixes.KindCallerIdentity, titleWith("kubectl auth whoami", "", f.str("status", "userInfo", "username"))
	case kind != "" && api != "":
		return fixes.KindK8sOther, kind + " " + name
	case f.has("AWSTemplateFormatVersion") || f.has("Resources"):
		return classifyCloudFormation(f)
	}
	return classifyAWS(f)
}

// classifyAWS recognises the JSON the AWS CLI, CloudTrail and IAM print.
func classifyAWS(f fields) (fixes.Kind, string) {
	switch {
	case f.has("Records") || f.has("eventVersion") && f.has("eventSource"):
		return fixes.KindCloudTrail, cloudTrailTitle(f)
	case f.has("accessEntry") || f.has("accessEntries") || f.has("associatedAccessPolicies") ||
		f.has("cluster", "accessConfig") || f.has("accessConfig") || f.has("authenticationMode") ||
		f.has("principalArn") && (f.has("kubernetesGroups") || f.has("accessEntryArn") || f.has("type")):
		return fixes.KindAccessEntries, accessEntryTitle(f)
	case f.has("UserId") && f.has("Account") && f.has("Arn"):
		return fixes.KindCallerIdentity, titleWith("caller identity", "", f.str("Arn"))
	case f.has("Role", "AssumeRolePolicyDocument"):
		return fixes.KindTrustPolicy, titleWith("IAM trust policy", "role", f.str("Role", "RoleName"))
	case f.has("PolicyVersion", "Document"):
		return policyKind(f, "PolicyVersion", "Document")
	case f.has("PolicyDocument"):
		return policyKind(f, "PolicyDocument")
	case f.has("Statement"):
		return policyKind(f)
	case f.has("level") && (f.has("msg") || f.has("message")):
		return fixes.KindErrorText, "log line"
	case f.has("nodegroup", "health", "issues") || f.has("health", "issues"):
		return fixes.KindErrorText, "node group health issues"
	}
	return fixes.KindUnknown, "unrecognised document"
}

func hasAuthSections(f fields, under ...string) bool {
	for _, key := range []string{"mapRoles", "mapUsers", "mapAccounts"} {
		if f.has(append(under, key)...) {
			return true
		}
	}
	return false
}

func classifyEksctl(f fields) (fixes.Kind, string) {
	name := "eksctl ClusterConfig " + f.str("metadata", "name")
	switch {
	case f.has("accessConfig", "accessEntries"):
		return fixes.KindAccessEntries, name + " (access entries)"
	case f.has("iamIdentityMappings"):
		return fixes.KindAWSAuth, name + " (iamIdentityMappings)"
	}
	return fixes.KindK8sOther, name
}

// classifyCloudFormation reads a template's resource types: access
// entries, or IAM roles and policies.
func classifyCloudFormation(f fields) (fixes.Kind, string) {
	kind := fixes.KindUnknown
	f.each("Resources", func(r fields) {
		switch t := r.str("Type"); {
		case t == "AWS::EKS::AccessEntry":
			kind = fixes.KindAccessEntries
		case kind == fixes.KindUnknown && strings.HasPrefix(t, "AWS::IAM::"):
			kind = fixes.KindIAMPolicy
		}
	})
	return kind, "CloudFormation template"
}

// policyKind tells a trust policy (a statement with a Principal allowing
// sts:AssumeRole*) from an identity policy.
func policyKind(f fields, path ...string) (fixes.Kind, string) {
	trust := false
	doc := f
	if y, ok := f.(yamlFields); ok && len(path) > 0 {
		doc = yamlFields{fixes.Lookup(y.n, path...)}
	} else if j, ok := f.(jsonFields); ok && len(path) > 0 {
		doc = jsonFields{j.get(path)}
	}
	doc.each("Statement", func(s fields) {
		if !s.has("Principal") && !s.has("NotPrincipal") {
			return
		}
		s.each("Action", func(a fields) {
			trust = trust || strings.HasPrefix(actionOf(a), "sts:assumerole")
		})
	})
	if trust {
		return fixes.KindTrustPolicy, "IAM trust policy"
	}
	return fixes.KindIAMPolicy, "IAM policy"
}

func actionOf(a fields) string {
	switch v := a.(type) {
	case jsonFields:
		return strings.ToLower(v.r.String())
	case yamlFields:
		if v.n != nil {
			return strings.ToLower(v.n.Value)
		}
	}
	return ""
}

func cloudTrailTitle(f fields) string {
	if f.has("Records") {
		n := 0
		f.each("Records", func(fields) { n++ })
		return fmt.Sprintf("CloudTrail events (%d)", n)
	}
	return titleWith("CloudTrail event", "", f.str("eventName"))
}

func accessEntryTitle(f fields) string {
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
	kindLine     = regexp.MustCompile(`(?m)^\s*kind:\s*["']?(\w+)`)
	authSections = regexp.MustCompile(`(?m)^\s*(?:mapRoles|mapUsers|mapAccounts)\s*:`)
	kubeconfigs  = regexp.MustCompile(`(?m)^\s*(?:clusters|contexts|current-context)\s*:`)
	policyText   = regexp.MustCompile(`"Statement"`)
	trustText    = regexp.MustCompile(`"Principal"[\s\S]*sts:AssumeRole|sts:AssumeRole[\s\S]*"Principal"`)
)

// classifyText guesses the kind of a document that did not parse, from
// its text, so that a broken aws-auth or policy still reaches its rules.
func classifyText(text string) (fixes.Kind, string) {
	const broken = " (does not parse)"
	switch {
	case authSections.MatchString(text):
		return fixes.KindAWSAuth, "aws-auth" + broken
	case trustText.MatchString(text):
		return fixes.KindTrustPolicy, "IAM trust policy" + broken
	case policyText.MatchString(text):
		return fixes.KindIAMPolicy, "IAM policy" + broken
	case len(kubeconfigs.FindAllString(text, -1)) >= 2:
		return fixes.KindKubeconfig, "kubeconfig" + broken
	}
	if m := kindLine.FindStringSubmatch(text); m != nil {
		switch k := m[1]; {
		case rbacKinds[k] != "":
			return rbacKinds[k], k + broken
		case k == "ServiceAccount":
			return fixes.KindServiceAccount, k + broken
		case workloadKinds[k]:
			return fixes.KindWorkload, k + broken
		}
	}
	return fixes.KindUnknown, "unrecognised text"
}

// errorLine returns the first line of text with an error signature, or
// text when there is none.
func errorLine(text string) string {
	for _, line := range strings.Split(text, "\n") {
		if errorSignature.MatchString(line) {
			return line
		}
	}
	return text
}

// firstLine returns the first non-blank line of text, shortened to 80
// characters.
func firstLine(text string) string {
	first, _, _ := strings.Cut(strings.TrimSpace(text), "\n")
	first = strings.TrimSpace(first)
	if r := []rune(first); len(r) > 80 {
		first = string(r[:79]) + "…"
	}
	return first
}
