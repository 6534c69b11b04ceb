package fixes

import (
	"fmt"
	"slices"
	"strings"

	yaml "go.yaml.in/yaml/v3"

	"github.com/eksdoctor/eksdoctor/analysis"
)

// Manifest hygiene: bindings that grant nothing (a role that is not
// there, a subject that never matches), verbs Kubernetes never checks,
// and powerful roles bound to everyone.

var rbacMissingRole = &analysis.Rule{
	ID:       "RBAC010",
	Title:    "binding to a role missing from the paste",
	Severity: analysis.Medium,
	Kinds:    []analysis.Kind{analysis.KindRoleBinding, analysis.KindClusterRoleBinding},
	Cross:    true,
	Doc: "A binding grants nothing when its roleRef names a role that does not exist: a typo, a Role in another namespace (a " +
		"RoleBinding can only use a Role of its own namespace), kind Role for a ClusterRole or the reverse. The API server accepts " +
		"such a binding, and every denial of its subjects then ends with \"RBAC: role… not found\". The rule runs when the paste " +
		"holds roles, so a binding to a role pasted elsewhere or to a default role (view, edit, system:…) is not flagged. roleRef " +
		"cannot be changed: delete the binding and create it again.",
	Refs: []string{rbacDocs, rbacSource, "https://github.com/stackrox/kube-linter/blob/main/docs/generated/checks.md"},
	Run: func(p *analysis.Pass) {
		pol := policyOf(p)
		if pol.pastedRoles == 0 {
			return
		}
		for _, b := range pol.bindings {
			if b.Doc == nil || b.invalid() != "" || builtinRole(b.RoleRef.Kind, b.Namespace, b.RoleRef.Name) ||
				b.RoleRef.Kind == "ClusterRole" && builtinRole("ClusterRole", "", b.RoleRef.Name) {
				continue
			}
			if _, err := pol.resolve(b); err == "" {
				continue
			}
			_, miss := pol.resolveNear(b)
			start, end := p.Src.Span(analysis.Lookup(b.RoleRef.Node, "name"))
			var fix *analysis.Fix
			if miss.Code == "roleref-kind" {
				start, end = p.Src.Span(analysis.Lookup(b.RoleRef.Node, "kind"))
				fix = nearMissFix(p, NearMiss{binding: b, Misses: []Miss{*miss}}, subjectIdentity{})
			}
			text := miss.Message
			if miss.Code == "role-not-found" {
				text = fmt.Sprintf("%s %s is not in the paste and is not a default role; if the cluster lacks it too, the binding grants "+
					"nothing, and denials of its subjects end with RBAC: %s", b.RoleRef.Kind, b.RoleRef.Name, miss.Message)
			}
			p.Report(analysis.Finding{Start: start, End: end, Fix: fix, Message: b.describe() + ": " + text + "."})
		}
	},
}

var rbacSubjectNeverMatches = &analysis.Rule{
	ID:       "RBAC011",
	Title:    "binding subject that can never match",
	Severity: analysis.Medium,
	Kinds:    []analysis.Kind{analysis.KindRoleBinding, analysis.KindClusterRoleBinding},
	Doc: "RBAC matches subjects exactly: kind User, Group or ServiceAccount (case-sensitive, anything else is rejected), a " +
		"ServiceAccount's namespace (required in a ClusterRoleBinding, defaulted to the binding's own namespace in a RoleBinding), " +
		"apiGroup rbac.authorization.k8s.io for users and groups and none for ServiceAccounts. On EKS, a user is never named by an " +
		"IAM role ARN: an access entry names a role's users by their session ARN (arn:aws:sts::…:assumed-role/ROLE/SESSION) unless " +
		"it sets a username, so bind a group the access entry or aws-auth mapping adds instead. A ServiceAccount is not a group " +
		"member either: use kind ServiceAccount.",
	Refs: []string{rbacDocs + "#referring-to-subjects", rbacValidationSource,
		accessEntriesDoc},
	Run: func(p *analysis.Pass) {
		b := rbacOf(p, p.Doc).Binding
		if b == nil {
			return
		}
		usernames := map[string]bool{}
		for _, m := range identityMappings(p) {
			usernames[m.Username] = true
		}
		for _, sub := range b.Subjects {
			node, msg, fix := subjectProblem(p, b, sub, usernames)
			if msg == "" {
				continue
			}
			start, end := p.Src.Span(node)
			p.Report(analysis.Finding{Start: start, End: end, Fix: fix, Message: b.describe() + ": " + msg})
		}
	},
}

// subjectProblem returns why a subject never matches, the node to point
// at and a fix when the repair is certain.
func subjectProblem(p *analysis.Pass, b *rbacBinding, sub rbacSubject, usernames map[string]bool) (*yaml.Node, string, *analysis.Fix) {
	field := func(key string) *yaml.Node {
		if _, v := analysis.MapEntry(sub.Node, key); v != nil {
			return v
		}
		return sub.Node
	}
	replace := func(key, value, summary string) *analysis.Fix {
		n := field(key)
		if n.Kind != yaml.ScalarNode {
			return nil
		}
		return &analysis.Fix{Summary: summary, Edits: []analysis.Edit{replaceItem(p, n, value)}}
	}
	const group = "rbac.authorization.k8s.io"
	if !slices.Contains(subjectKinds, sub.Kind) {
		for _, kind := range subjectKinds {
			if strings.EqualFold(kind, sub.Kind) {
				return field("kind"), fmt.Sprintf("subject kind %q is not a kind (they are case-sensitive), so the API server rejects the binding; write %s.", sub.Kind, kind),
					replace("kind", kind, "Write the subject kind as "+kind)
			}
		}
		return field("kind"), fmt.Sprintf("subject kind %q is not User, Group or ServiceAccount, so the API server rejects the binding.", sub.Kind), nil
	}
	switch {
	case sub.Kind == "ServiceAccount" && sub.APIGroup != "":
		return field("apiGroup"), fmt.Sprintf("a ServiceAccount subject takes no apiGroup (it has %q), so the API server rejects the binding.", sub.APIGroup),
			replace("apiGroup", "", "Empty the ServiceAccount subject's apiGroup")
	case sub.Kind != "ServiceAccount" && sub.APIGroup != "" && sub.APIGroup != group:
		return field("apiGroup"), fmt.Sprintf("a %s subject's apiGroup is %s, not %q, so the API server rejects the binding.", sub.Kind, group, sub.APIGroup),
			replace("apiGroup", group, "Set the subject's apiGroup to "+group)
	case sub.Kind == "ServiceAccount" && sub.Namespace == "" && b.Kind == "ClusterRoleBinding":
		msg := fmt.Sprintf("ServiceAccount %s has no namespace, which a ClusterRoleBinding subject needs (the API server rejects the binding).", sub.Name)
		if ns := serviceAccountNamespace(p, sub.Name); ns != "" {
			if e, ok := p.Src.AppendEntry(sub.Node, "namespace", ns, b.Doc.Format == analysis.FormatJSON); ok {
				return sub.Node, msg + " The paste defines it in namespace " + ns + ".", &analysis.Fix{Summary: "Add namespace " + ns + " to the subject", Edits: []analysis.Edit{e}}
			}
		}
		return sub.Node, msg, nil
	case sub.Kind == "Group" && strings.HasPrefix(sub.Name, "system:serviceaccount:"):
		ns, name, _ := serviceAccountOf(sub.Name)
		return field("kind"), fmt.Sprintf("%s is a ServiceAccount's user name, never a group, so this subject matches nobody; use kind "+
			"ServiceAccount, name %s, namespace %s.", sub.Name, name, ns), nil
	case sub.Kind == "User" && iamRoleARN(sub.Name) && !usernames[sub.Name]:
		return field("name"), fmt.Sprintf("on EKS no user is named %s: an access entry names the role's users by their session ARN "+
			"(arn:aws:sts::ACCOUNT:assumed-role/NAME/SESSION) unless it sets a username, and aws-auth uses its username field. "+
			"Bind a group the access entry (kubernetesGroups) or aws-auth mapping gives the role.", sub.Name), nil
	}
	return nil, "", nil
}

// iamRoleARN reports whether s is an IAM role ARN.
func iamRoleARN(s string) bool {
	a, ok := analysis.ParseARN(s)
	return ok && a.Service == "iam" && a.ResourceType() == "role"
}

// serviceAccountNamespace returns the namespace of the one pasted
// ServiceAccount with that name, or "".
func serviceAccountNamespace(p *analysis.Pass, name string) string {
	found := ""
	for _, d := range p.OfKind(analysis.KindServiceAccount) {
		n := p.NodeOf(d)
		if analysis.ScalarValue(n, "metadata", "name") != name {
			continue
		}
		ns := analysis.ScalarValue(n, "metadata", "namespace")
		if ns == "" || found != "" && found != ns {
			return ""
		}
		found = ns
	}
	return found
}

var rbacUnknownVerb = &analysis.Rule{
	ID:       "RBAC012",
	Title:    "verb that Kubernetes never checks",
	Severity: analysis.Low,
	Kinds:    roleKinds,
	Doc: "RBAC verbs are the API's request verbs (get, list, watch, create, update, patch, delete, deletecollection) and a few " +
		"special ones (use, bind, escalate, impersonate, approve, sign, attest, proxy). kubectl commands are not verbs: describe " +
		"needs get and list, edit and apply need get and patch, label and annotate need patch, logs needs get on pods/log, exec " +
		"needs create and get on pods/exec. A verb Kubernetes never checks grants nothing, so removing it changes nothing but " +
		"the confusion.",
	Refs: []string{rbacDocs + "#referring-to-resources", "https://kubernetes.io/docs/reference/access-authn-authz/authorization/#determine-the-request-verb"},
	Run: riskRun(func(p *analysis.Pass, r *rbacRule, role *rbacRole, rr roleReach) (analysis.Severity, string, *analysis.Fix, bool) {
		known := knownVerbs
		if len(r.NonResourceURLs) > 0 {
			known = []string{"get", "post", "put", "patch", "delete", "head", "options", "*"}
		}
		var bad []string
		var indexes []int
		for i, v := range r.Verbs {
			if !slices.Contains(known, v) {
				bad, indexes = append(bad, v), append(indexes, i)
			}
		}
		if len(bad) == 0 {
			return "", "", nil, false
		}
		msg := fmt.Sprintf("lists %s, which Kubernetes never checks, so it grants nothing: kubectl describe needs get and list, "+
			"edit needs get and patch, label and annotate need patch.", listOf(bad))
		if edits, ok := p.Src.RemoveItems(r.list("verbs"), indexes); ok {
			return analysis.Low, msg, &analysis.Fix{Summary: "Remove " + strings.Join(bad, ", ") + " from the verbs", Edits: edits}, true
		}
		return analysis.Low, msg, nil, true
	}),
}
