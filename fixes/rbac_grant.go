package fixes

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/eksdoctor/eksdoctor/analysis"
)

// Least privilege from a denial: the smallest rule that allows exactly
// the denied request, added to the role the user is already bound to
// when the paste holds it, or a new Role and RoleBinding (ClusterRole and
// ClusterRoleBinding for a cluster-scoped or non-resource request).

// minimalRule returns the rule that grants exactly the request. A stream
// to a container (exec, attach, port-forward) gets both get and create,
// because kubectl uses one or the other depending on versions. A named
// object is named in resourceNames, except pods (their names change with
// every rollout) and verbs that name no object.
func minimalRule(q Request) PolicyRule {
	if !q.resourceRequest() {
		return PolicyRule{Verbs: []string{q.Verb}, NonResourceURLs: []string{q.Path}}
	}
	r := PolicyRule{Verbs: []string{q.Verb}, APIGroups: []string{q.APIGroup}, Resources: []string{q.combined()}}
	if streamingSubresource(q) {
		r.Verbs = []string{"create", "get"}
	}
	if q.Name != "" && q.Resource != "pods" && slices.Contains([]string{"get", "update", "patch", "delete"}, q.Verb) {
		r.ResourceNames = []string{q.Name}
	}
	return r
}

// sameTarget reports whether two rules are about the same resources and
// names (or URLs), whatever their verbs.
func (r PolicyRule) sameTarget(b PolicyRule) bool {
	return slices.Equal(r.APIGroups, b.APIGroups) && slices.Equal(r.Resources, b.Resources) &&
		slices.Equal(r.ResourceNames, b.ResourceNames) && slices.Equal(r.NonResourceURLs, b.NonResourceURLs)
}

// ruleKeys are the keys of a rule in the order people write them.
var ruleKeys = []string{"apiGroups", "resources", "resourceNames", "nonResourceURLs", "verbs"}

func (r PolicyRule) lists() ([]string, map[string][]string) {
	values := map[string][]string{"apiGroups": r.APIGroups, "resources": r.Resources, "resourceNames": r.ResourceNames,
		"nonResourceURLs": r.NonResourceURLs, "verbs": r.Verbs}
	var keys []string
	for _, k := range ruleKeys {
		if len(values[k]) > 0 {
			keys = append(keys, k)
		}
	}
	return keys, values
}

// grantEdits returns the edits that add rules to a pasted role: the
// missing verbs to a rule that already grants the same resources and
// names (and nothing else), or a new rule after the last one.
func grantEdits(src *analysis.Source, role *rbacRole, rules []PolicyRule) ([]analysis.Edit, bool) {
	json := role.Doc.Format == analysis.FormatJSON
	var edits []analysis.Edit
	for _, want := range rules {
		i := slices.IndexFunc(role.Rules, func(r *rbacRule) bool { return r.PolicyRule.sameTarget(want) })
		if i >= 0 && role.Rules[i].list("verbs") != nil {
			for _, v := range want.Verbs {
				if slices.Contains(role.Rules[i].Verbs, v) {
					continue
				}
				e, ok := src.AppendScalar(role.Rules[i].list("verbs"), v, json)
				if !ok {
					return nil, false
				}
				edits = append(edits, e)
			}
			continue
		}
		keys, values := want.lists()
		e, ok := src.AppendMapping(role.RulesNode, keys, values, json)
		if !ok {
			return nil, false
		}
		edits = append(edits, e)
	}
	return edits, len(edits) > 0
}

// grantTarget returns the pasted role a grant for the user should extend:
// the one role that a binding of the user's already brings into the
// request's scope (a Role in its namespace, else a ClusterRole bound
// there, else a ClusterRole bound cluster-wide), when it is unambiguous
// and editable (not built in, not aggregated).
func (pol *policy) grantTarget(s subjectIdentity, q Request, extra []*rbacBinding) *rbacRole {
	bound := pol.boundTo(s.Identity, q, extra)
	for _, pick := range []func(BoundRole) bool{
		func(b BoundRole) bool { return b.role.Kind == "Role" },
		func(b BoundRole) bool { return b.binding.Kind == "RoleBinding" },
		func(b BoundRole) bool { return true },
	} {
		var found []*rbacRole
		for _, b := range bound {
			editable := b.role.Doc != nil && b.role.Aggregation == nil && b.role.RulesNode != nil
			if editable && pick(b) && !slices.Contains(found, b.role) {
				found = append(found, b.role)
			}
		}
		if len(found) == 1 {
			return found[0]
		}
		if len(found) > 1 {
			return nil
		}
	}
	return nil
}

// grantSubject returns whom a new binding should name for the user: the
// ServiceAccount, a group an identity mapping gives the user (user names
// with a session in them change at every sign-in), or the user. ok is
// false for users RBAC should not be granted to (anonymous, nodes).
func grantSubject(s subjectIdentity) (sub rbacSubject, ok bool) {
	if ns, name, isSA := serviceAccountOf(s.User); isSA {
		return rbacSubject{Kind: "ServiceAccount", Name: name, Namespace: ns}, true
	}
	if s.User == "system:anonymous" || strings.HasPrefix(s.User, "system:node:") {
		return rbacSubject{}, false
	}
	for _, m := range s.mappings {
		for _, g := range m.Groups {
			if !strings.HasPrefix(g, "system:") {
				return rbacSubject{Kind: "Group", Name: g}, true
			}
		}
	}
	if role, ok := sessionRole(s.User); ok {
		return rbacSubject{Kind: "Group", Name: objectName(role.Name())}, true
	}
	return rbacSubject{Kind: "User", Name: s.User}, true
}

// sessionRole returns the IAM role of a user name that is an STS session
// ARN (what EKS access entries name a role's users by default).
func sessionRole(user string) (analysis.ARN, bool) {
	a, ok := analysis.ParseARN(user)
	if !ok || a.Service != "sts" || a.ResourceType() != "assumed-role" {
		return analysis.ARN{}, false
	}
	canonical, ok := analysis.Canonical(user)
	if !ok {
		return analysis.ARN{}, false
	}
	role, _ := analysis.ParseARN(canonical)
	return role, true
}

var nameChars = regexp.MustCompile(`[^a-z0-9.-]+`)

// objectName makes a Kubernetes object name from parts.
func objectName(parts ...string) string {
	name := nameChars.ReplaceAllString(strings.ToLower(strings.Join(parts, "-")), "-")
	name = strings.Trim(strings.ReplaceAll(name, "--", "-"), "-.")
	if len(name) > 63 {
		name = strings.TrimRight(name[:63], "-.")
	}
	return name
}

// grantName names the role of a grant after what it allows.
func grantName(rules []PolicyRule) string {
	r := rules[0]
	what := strings.Join(r.Resources, "-")
	if len(r.NonResourceURLs) > 0 {
		what = "url" + strings.Join(r.NonResourceURLs, "-")
	}
	name := objectName(what, strings.Join(r.Verbs, "-"))
	if len(rules) > 1 {
		name = objectName(what, "and-more")
	}
	return name
}

// grantManifest renders a new role and its binding granting rules to a
// subject, in namespace ns ("" for a ClusterRole and ClusterRoleBinding).
func grantManifest(rules []PolicyRule, sub rbacSubject, ns, comment string) string {
	roleKind, bindingKind, meta := "ClusterRole", "ClusterRoleBinding", ""
	if ns != "" {
		roleKind, bindingKind, meta = "Role", "RoleBinding", "\n  namespace: "+ns
	}
	name := grantName(rules)
	var b strings.Builder
	fmt.Fprintf(&b, "# %s\napiVersion: rbac.authorization.k8s.io/v1\nkind: %s\nmetadata:\n  name: %s%s\nrules:\n", comment, roleKind, name, meta)
	for _, r := range rules {
		keys, values := r.lists()
		for i, k := range keys {
			prefix := "  "
			if i == 0 {
				prefix = "- "
			}
			fmt.Fprintf(&b, "%s%s: %s\n", prefix, k, analysis.FlowList(nil, values[k], false))
		}
	}
	subject := fmt.Sprintf("- kind: %s\n  name: %s\n", sub.Kind, analysis.ScalarStyle(nil, sub.Name, false))
	if sub.Kind == "ServiceAccount" {
		subject += "  namespace: " + sub.Namespace + "\n"
	} else {
		subject += "  apiGroup: rbac.authorization.k8s.io\n"
	}
	fmt.Fprintf(&b, "---\napiVersion: rbac.authorization.k8s.io/v1\nkind: %s\nmetadata:\n  name: %s%s\nroleRef:\n"+
		"  apiGroup: rbac.authorization.k8s.io\n  kind: %s\n  name: %s\nsubjects:\n%s",
		bindingKind, objectName(name, sub.Name), meta, roleKind, name, subject)
	return b.String()
}

// describeRule writes a rule as people read it: "get, create on
// pods/exec in API group """.
func describeRule(r PolicyRule) string {
	if len(r.NonResourceURLs) > 0 {
		return strings.Join(r.Verbs, ", ") + " on " + strings.Join(r.NonResourceURLs, ", ")
	}
	s := strings.Join(r.Verbs, ", ") + " on " + strings.Join(r.Resources, ", ")
	if len(r.ResourceNames) > 0 {
		s += " named " + strings.Join(r.ResourceNames, ", ")
	}
	return s + " in API group " + quoteGroup(strings.Join(r.APIGroups, ", "))
}
