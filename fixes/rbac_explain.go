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

// subjectKinds are the kinds a subject can have, case-sensitive.
var subjectKinds = []string{"User", "Group", "ServiceAccount"}

// subjectNear finds the subject of b that names the user: exactly (miss
// nil), nearly (with the miss), or through a group the paste does not
// show membership of (assumed names it). idx is -1 when none does.
func subjectNear(b *rbacBinding, s subjectIdentity) (idx int, miss *Miss, assumed string) {
	idx = -1
	for i, sub := range b.Subjects {
		if sub.applies(s.Identity, b.Namespace) {
			return i, nil, ""
		}
		if m := subjectMiss(sub, b, s); m != nil && miss == nil {
			idx, miss = i, m
		}
		if idx < 0 && !s.groupsKnown && sub.Kind == "Group" && !strings.HasPrefix(sub.Name, "system:") {
			idx, assumed = i, sub.Name
		}
	}
	if miss != nil {
		assumed = ""
	}
	return idx, miss, assumed
}

// subjectMiss returns why a subject that was probably meant for the user
// does not name it, or nil when it was not meant for it.
func subjectMiss(sub rbacSubject, b *rbacBinding, s subjectIdentity) *Miss {
	user := s.User
	saNS, saName, isSA := serviceAccountOf(user)
	miss := func(code, format string, args ...any) *Miss { return &Miss{code, fmt.Sprintf(format, args...)} }
	for _, kind := range subjectKinds {
		if kind != sub.Kind && strings.EqualFold(kind, sub.Kind) {
			fixed := sub
			fixed.Kind = kind
			if fixed.applies(s.Identity, b.Namespace) {
				return miss("subject-kind", "subject kind %q is not a kind (kinds are case-sensitive), so the API server rejects the binding; write %s", sub.Kind, kind)
			}
		}
	}
	switch {
	case sub.Kind == "Group" && sub.Name == user:
		return miss("subject-kind", "%s is a user name, but the subject has kind Group; use kind User", user)
	case sub.Kind == "User" && s.inGroup(sub.Name):
		return miss("subject-kind", "%s is a group of %s, but the subject has kind User; use kind Group", sub.Name, user)
	case isSA && sub.Kind == "ServiceAccount" && sub.Name == saName:
		if sub.Namespace == "" && b.Kind == "ClusterRoleBinding" {
			return miss("subject-namespace", "ServiceAccount %s has no namespace, which a ClusterRoleBinding subject needs "+
				"(the API server rejects the binding without it); add namespace: %s", saName, saNS)
		}
		ns := sub.Namespace
		if ns == "" {
			ns = b.Namespace
		}
		return miss("subject-namespace", "it names ServiceAccount %s in namespace %s, but the request came from the one in namespace %s", saName, ns, saNS)
	case isSA && sub.Kind != "ServiceAccount" && (sub.Name == saName || sub.Name == saNS+":"+saName || sub.Name == saNS+"/"+saName):
		return miss("subject-kind", "a ServiceAccount is not a %s named %s; use kind ServiceAccount, name %s, namespace %s", sub.Kind, sub.Name, saName, saNS)
	case sub.Kind == "User" && sub.Name != user && strings.EqualFold(sub.Name, user),
		sub.Kind == "Group" && slices.ContainsFunc(s.Groups, func(g string) bool { return g != sub.Name && strings.EqualFold(g, sub.Name) }):
		return miss("subject-name", "it names %s %s, but RBAC names are case-sensitive and the request came from %s", sub.Kind, sub.Name, user)
	case sub.Kind == "User" && sub.Name != user && sameIAMRole(sub.Name, user):
		return miss("subject-name", "it names User %s, but EKS calls this user %s (the session ARN, which changes with every session name); "+
			"bind a group the access entry or aws-auth mapping adds instead", sub.Name, user)
	}
	return nil
}

// sameIAMRole reports whether two ARNs name the same IAM role (a role ARN
// and a session of it, or two sessions).
func sameIAMRole(a, b string) bool {
	ca, okA := Canonical(a)
	cb, okB := Canonical(b)
	if !okA || !okB {
		return false
	}
	pa, _ := ParseARN(ca)
	pb, _ := ParseARN(cb)
	return pa.Account == pb.Account && pa.ResourceType() == "role" && pa.Name() == pb.Name() && pb.ResourceType() == "role"
}

// scopeMiss explains why a RoleBinding does not grant in the request's
// namespace.
func scopeMiss(nm *NearMiss, b *rbacBinding, q Request) {
	where := "namespace " + b.Namespace
	if b.Origin != "" {
		where = "its namespace"
	}
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

// ruleNear returns the first rule that misses the request in exactly one
// way a person would plausibly get wrong, and that way.
func ruleNear(rules []effRule, q Request) (effRule, *Miss) {
	for _, er := range rules {
		if m := ruleMiss(er.rule.PolicyRule, q); m != nil {
			return er, m
		}
	}
	return effRule{}, nil
}

// ruleMiss returns the one near reason a rule misses a request, or nil.
func ruleMiss(r PolicyRule, q Request) *Miss {
	verbOK := anyMatches(r.Verbs, q.Verb)
	if !q.resourceRequest() {
		urlOK := slices.ContainsFunc(r.NonResourceURLs, func(u string) bool { return urlMatches(u, q.Path) })
		switch {
		case urlOK && !verbOK:
			return &Miss{"verb", fmt.Sprintf("it allows %s on %s, not %s", strings.Join(r.Verbs, ", "), q.Path, q.Verb)}
		case !urlOK && verbOK:
			for _, u := range r.NonResourceURLs {
				if !strings.HasSuffix(u, "*") && strings.HasPrefix(q.Path, strings.TrimSuffix(u, "/")+"/") {
					return &Miss{"url", fmt.Sprintf("it allows %s but not the paths below it; add %s/*", u, strings.TrimSuffix(u, "/"))}
				}
			}
		}
		return nil
	}
	groupOK, resOK, nameOK := anyMatches(r.APIGroups, q.APIGroup), resourceMatches(r.Resources, q), nameMatches(r.ResourceNames, q.Name)
	resNear := ""
	if !resOK {
		resNear = resourceNear(r.Resources, q)
		if resNear == "" {
			return nil
		}
	}
	misses := 0
	for _, ok := range []bool{verbOK, groupOK, resOK, nameOK} {
		if !ok {
			misses++
		}
	}
	if misses != 1 {
		return nil
	}
	switch {
	case !verbOK:
		return &Miss{"verb", verbMiss(r, q)}
	case !groupOK:
		return &Miss{"api-group", fmt.Sprintf("it grants %s in API group %s, but the request is for API group %s",
			q.Resource, listOf(r.APIGroups), quoteGroup(q.APIGroup))}
	case !resOK:
		return &Miss{"subresource", resNear}
	case q.Name == "":
		return &Miss{"resource-name", fmt.Sprintf("the rule is limited to resourceNames %s, and a %s request names no object "+
			"(list, watch, create and deletecollection never match resourceNames)", listOf(r.ResourceNames), q.Verb)}
	}
	return &Miss{"resource-name", fmt.Sprintf("the rule is limited to resourceNames %s, which do not include %q", listOf(r.ResourceNames), q.Name)}
}

// resourceNear explains a resource list that was probably meant to
// match: a base resource without the subresource, "pods/*", or a
// misspelt (singular, capitalised) resource. "" when it was not.
func resourceNear(resources []string, q Request) string {
	for _, r := range resources {
		switch {
		case q.Subresource != "" && r == q.Resource:
			return fmt.Sprintf("it grants %s, and a rule for %s does not cover its subresource %s; add %s",
				r, r, q.combined(), q.combined())
		case q.Subresource != "" && r == q.Resource+"/*":
			return fmt.Sprintf("%s is not a wildcard in RBAC (only */%s or * are); list %s", r, q.Subresource, q.combined())
		case r != q.combined() && (strings.EqualFold(r, q.combined()) || strings.EqualFold(r+"s", q.Resource) && q.Subresource == ""):
			return fmt.Sprintf("it lists %q, but resources are written exactly as in the API path, lower-case and plural: %s", r, q.combined())
		}
	}
	return ""
}

// verbMiss explains a rule that lacks the request's verb.
func verbMiss(r PolicyRule, q Request) string {
	s := fmt.Sprintf("it allows %s on %s, not %s", strings.Join(r.Verbs, ", "), q.combined(), q.Verb)
	switch {
	case streamingSubresource(q) && q.Verb == "get":
		s += " (kubectl 1.30 and later opens " + q.combined() + " over WebSocket, which is a get; grant get and create)"
	case streamingSubresource(q) && q.Verb == "create":
		s += " (the older SPDY upgrade is a create, and API servers from 1.35 check create for WebSocket too; grant get and create)"
	}
	return s
}

// streamingSubresource reports whether the request opens a stream to a
// container (exec, attach, port-forward), which kubectl does with a get
// (WebSocket) or a create (SPDY).
func streamingSubresource(q Request) bool {
	return q.Resource == "pods" && (q.Subresource == "exec" || q.Subresource == "attach" || q.Subresource == "portforward")
}

// listOf formats a list as YAML flow: ["", "apps"].
func listOf(list []string) string {
	quoted := make([]string, len(list))
	for i, v := range list {
		quoted[i] = fmt.Sprintf("%q", v)
	}
	return "[" + strings.Join(quoted, ", ") + "]"
}

// quoteGroup names an API group for people: `"" (core)` or `"apps"`.
func quoteGroup(g string) string {
	if g == "" {
		return `"" (core)`
	}
	return fmt.Sprintf("%q", g)
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
