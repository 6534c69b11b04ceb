package fixes

import (
	"fmt"
	"slices"
	"strings"

	"github.com/eksdoctor/eksdoctor/analysis"
)

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
	ca, okA := analysis.Canonical(a)
	cb, okB := analysis.Canonical(b)
	if !okA || !okB {
		return false
	}
	pa, _ := analysis.ParseARN(ca)
	pb, _ := analysis.ParseARN(cb)
	return pa.Account == pb.Account && pa.ResourceType() == "role" && pa.Name() == pb.Name() && pb.ResourceType() == "role"
}

// invalid returns why the API server rejects a binding (so it cannot
// exist in the cluster), or "".
func (b *rbacBinding) invalid() string {
	const group = "rbac.authorization.k8s.io"
	switch {
	case b.Origin != "":
		return ""
	case b.RoleRef.APIGroup != "" && b.RoleRef.APIGroup != group:
		return fmt.Sprintf("roleRef.apiGroup must be %s, not %q", group, b.RoleRef.APIGroup)
	case b.Kind == "ClusterRoleBinding" && b.RoleRef.Kind != "ClusterRole":
		return fmt.Sprintf("a ClusterRoleBinding can only reference a ClusterRole, not kind %q", b.RoleRef.Kind)
	case b.RoleRef.Kind != "Role" && b.RoleRef.Kind != "ClusterRole":
		return fmt.Sprintf("roleRef.kind must be Role or ClusterRole, not %q", b.RoleRef.Kind)
	}
	for _, s := range b.Subjects {
		if why := s.invalid(b.Kind == "RoleBinding"); why != "" {
			return why
		}
	}
	return ""
}

// invalid returns why the API server rejects a subject, or "".
func (s rbacSubject) invalid(namespaced bool) string {
	const group = "rbac.authorization.k8s.io"
	switch s.Kind {
	case "ServiceAccount":
		if s.APIGroup != "" {
			return fmt.Sprintf("a ServiceAccount subject must not set apiGroup, and this one sets %q", s.APIGroup)
		}
		if !namespaced && s.Namespace == "" {
			return fmt.Sprintf("ServiceAccount %s needs a namespace in a ClusterRoleBinding", s.Name)
		}
	case "User", "Group":
		if s.APIGroup != "" && s.APIGroup != group {
			return fmt.Sprintf("a %s subject's apiGroup must be %s, not %q", s.Kind, group, s.APIGroup)
		}
	default:
		return fmt.Sprintf("subject kind %q is not User, Group or ServiceAccount", s.Kind)
	}
	return ""
}

// applies reports whether a subject names the identity, as the RBAC
// authorizer matches it: exact user name, exact group, or the
// ServiceAccount's user name (its namespace defaulting to the binding's).
func (s rbacSubject) applies(id Identity, bindingNS string) bool {
	switch s.Kind {
	case "User":
		return id.User == s.Name
	case "Group":
		return id.inGroup(s.Name)
	case "ServiceAccount":
		ns := s.Namespace
		if ns == "" {
			ns = bindingNS
		}
		return ns != "" && id.User == "system:serviceaccount:"+ns+":"+s.Name
	}
	return false
}

// appliesTo reports whether any subject of the binding names the identity.
func (b *rbacBinding) appliesTo(id Identity) bool {
	return slices.ContainsFunc(b.Subjects, func(s rbacSubject) bool { return s.applies(id, b.Namespace) })
}
