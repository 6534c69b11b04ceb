package fixes

import (
	"fmt"
	"slices"
	"strings"
)

// The real authorizer says nothing about why it denied a request. The
// simulator does: it looks for the bindings that were probably meant to
// grant it and names the one thing (or two) that stops each.

// Miss is one reason a binding does not grant a request.
type Miss struct {
	// Code is one of: subject-kind, subject-name, subject-namespace,
	// group-membership, invalid-binding, namespace, cluster-scope,
	// role-not-found, roleref-kind, role-namespace, verb, api-group,
	// subresource, resource, resource-name, url.
	Code    string `json:"code"`
	Message string `json:"message"`
}

// NearMiss is a binding that nearly grants a request.
type NearMiss struct {
	Binding string `json:"binding"`
	Role    string `json:"role,omitempty"`
	Misses  []Miss `json:"misses"`

	binding *rbacBinding
	role    *rbacRole
	// rule is the rule that nearly matches, nil when the rules match or
	// were not looked at.
	rule *rbacRule
	// subject is the index of the subject that (nearly) names the user.
	subject int
	// assumed is set when the subject is a group the user may not be in.
	assumed bool
}

// Message is the near miss in one sentence.
func (nm NearMiss) Message() string {
	var parts []string
	for _, m := range nm.Misses {
		parts = append(parts, m.Message)
	}
	head := nm.Binding
	if nm.Role != "" {
		head += " (" + nm.Role + ")"
	}
	return head + ": " + strings.Join(parts, "; ")
}

func (nm *NearMiss) add(code, format string, args ...any) {
	nm.Misses = append(nm.Misses, Miss{code, fmt.Sprintf(format, args...)})
}

// nearMisses returns the pasted bindings (and extra grants) that would
// grant the request but for one or two reasons, the closest first.
// missing lists the roles the denial itself reported as not found.
func (pol *policy) nearMisses(s subjectIdentity, q Request, extra []*rbacBinding, missing []string) []NearMiss {
	var found []NearMiss
	best := 4
	for _, b := range append(slices.Clip(pol.bindings), extra...) {
		if b.Builtin && b.Origin == "" {
			continue
		}
		nm, ok := pol.nearMiss(b, s, q, missing)
		score := nm.score()
		if !ok || len(nm.Misses) == 0 || score > best {
			continue
		}
		if score < best {
			best, found = score, nil
		}
		found = append(found, nm)
	}
	return found
}

// score ranks near misses: fewer reasons first, and a binding that names
// the user before one that names a group the user may not be in.
func (nm NearMiss) score() int {
	if nm.assumed {
		return len(nm.Misses) + 1
	}
	return len(nm.Misses)
}

// nearMiss checks one binding: ok is false when it is not close.
func (pol *policy) nearMiss(b *rbacBinding, s subjectIdentity, q Request, missing []string) (NearMiss, bool) {
	nm := NearMiss{Binding: b.describe(), binding: b, subject: -1}
	idx, subjectMiss, assumed := subjectNear(b, s)
	if idx < 0 {
		return nm, false
	}
	nm.subject = idx
	if subjectMiss != nil {
		nm.Misses = append(nm.Misses, *subjectMiss)
	}
	if why := b.invalid(); why != "" && subjectMiss == nil {
		nm.add("invalid-binding", "the API server rejects this binding (%s), so it does not exist in the cluster", why)
	}
	if !b.grantsIn(q.Namespace) {
		scopeMiss(&nm, b, q)
	}
	role, roleMiss := pol.resolveNear(b)
	if roleMiss != nil {
		if roleMiss.Code == "role-not-found" && pol.pastedRoles == 0 && !slices.Contains(missing, roleMiss.Message) {
			return nm, false
		}
		nm.Misses = append(nm.Misses, *roleMiss)
	}
	if role != nil {
		nm.role, nm.Role = role, role.describe()
		if !slices.ContainsFunc(pol.rulesOf(role), func(er effRule) bool { return ruleAllows(er.rule.PolicyRule, q) }) {
			er, miss := ruleNear(pol.rulesOf(role), q)
			if miss == nil {
				return nm, false
			}
			nm.rule = er.rule
			nm.Misses = append(nm.Misses, *miss)
		}
	}
	if assumed != "" {
		nm.assumed = true
		if role != nil && broadRole(pol.rulesOf(role)) {
			return nm, false
		}
		if len(nm.Misses) == 0 {
			nm.add("group-membership", "it grants this to Group %s, so %s is not in that group (or the binding is not applied); "+
				"check the groups with kubectl auth whoami", assumed, s.User)
		} else {
			nm.Misses[0].Message = fmt.Sprintf("if %s is in Group %s, ", s.User, assumed) + nm.Misses[0].Message
		}
	}
	return nm, true
}

// broadRole reports whether a role grants every resource (cluster-admin
// and its likes): a binding of one to a group was not meant for one
// particular request, so it is no near miss of it.
func broadRole(rules []effRule) bool {
	return slices.ContainsFunc(rules, func(er effRule) bool { return slices.Contains(er.rule.Resources, "*") })
}

// scopeMiss explains why a RoleBinding does not grant in the request's
// namespace.
func scopeMiss(nm *NearMiss, b *rbacBinding, q Request) {
	where := "namespace " + b.Namespace
	switch {
	case q.Namespace != "":
		nm.add("namespace", "it grants only in %s, and the request is in namespace %s", where, q.Namespace)
	case !q.resourceRequest():
		nm.add("cluster-scope", "a RoleBinding never grants non-resource URLs such as %s; that takes a ClusterRoleBinding", q.Path)
	case ResourceScope(q.APIGroup, q.Resource) == ScopeCluster:
		nm.add("cluster-scope", "%s are cluster-scoped, and a RoleBinding never grants cluster-scoped resources; that takes a ClusterRoleBinding", q.Resource)
	default:
		nm.add("cluster-scope", "the request is for %s in all namespaces (kubectl -A or a cluster-wide list), and it grants only in %s; "+
			"run the command with -n %s, or grant it cluster-wide with a ClusterRoleBinding", q.Resource, where, b.Namespace)
	}
}

// resolveNear returns the role a binding grants; when it does not
// resolve, the role it was probably meant to reference (if any) and why
// it does not.
func (pol *policy) resolveNear(b *rbacBinding) (*rbacRole, *Miss) {
	role, err := pol.resolve(b)
	if err == "" {
		return role, nil
	}
	name := b.RoleRef.Name
	const immutable = "; roleRef cannot be changed, so delete the binding and create it again"
	if b.RoleRef.Kind == "Role" {
		if r := pol.role("ClusterRole", "", name); r != nil {
			return r, &Miss{"roleref-kind", "its roleRef has kind Role where " + name + " is a ClusterRole" + immutable + " with kind ClusterRole"}
		}
		if others := pol.byName["Role/"+name]; len(others) > 0 {
			r := others[0]
			return r, &Miss{"role-namespace", fmt.Sprintf("Role %s is in namespace %s, and a RoleBinding can only use a Role of its own namespace (%s)",
				name, r.Namespace, b.Namespace)}
		}
	}
	if b.RoleRef.Kind == "ClusterRole" && b.Kind == "RoleBinding" {
		if r := pol.role("Role", b.Namespace, name); r != nil {
			return r, &Miss{"roleref-kind", "its roleRef has kind ClusterRole where " + name + " is a Role" + immutable + " with kind Role"}
		}
	}
	return nil, &Miss{"role-not-found", err}
}

// BoundRole is a role bound to a subject, and the binding that binds it.
type BoundRole struct {
	Binding string `json:"binding"`
	Role    string `json:"role"`
	Builtin bool   `json:"builtin,omitempty"`

	binding *rbacBinding
	role    *rbacRole
}

// boundTo returns the bindings that apply to the user for the request's
// namespace and resolve to a role: what the user does have.
func (pol *policy) boundTo(id Identity, q Request, extra []*rbacBinding) []BoundRole {
	var out []BoundRole
	for _, b := range append(slices.Clip(pol.bindings), extra...) {
		if !b.grantsIn(q.Namespace) || b.invalid() != "" || !b.appliesTo(id) {
			continue
		}
		if role, err := pol.resolve(b); err == "" {
			out = append(out, BoundRole{Binding: b.describe(), Role: role.describe(), Builtin: b.Builtin, binding: b, role: role})
		}
	}
	return out
}
