package fixes

import (
	"fmt"
	"slices"
	"strings"

	yaml "go.yaml.in/yaml/v3"

	"github.com/eksdoctor/eksdoctor/analysis"
)

var rbacNearMiss = &analysis.Rule{
	ID:       "RBAC002",
	Title:    "binding meant to grant a denied request misses it",
	Severity: analysis.Medium,
	Kinds:    []analysis.Kind{analysis.KindErrorText},
	Cross:    true,
	Doc: "When a denial is pasted with the bindings that should have allowed it, the finding points at the binding that was " +
		"meant to grant it and names what stops it: a RoleBinding in another namespace, a RoleBinding for a cluster-scoped " +
		"resource or URL (only a ClusterRoleBinding grants those), a roleRef of the wrong kind or to a Role of another namespace, " +
		"a subject of the wrong kind, case or namespace, a rule without the subresource (pods does not cover pods/log), the verb " +
		"or the API group, or resourceNames that a list or create never matches. Kinds, names and namespaces are case-sensitive. " +
		"roleRef cannot be changed: fix it by deleting and recreating the binding.",
	Refs: []string{rbacDocs, rbacSource, rbacValidationSource},
	Run: func(p *analysis.Pass) {
		type seen struct {
			b    *rbacBinding
			text string
		}
		var done []seen
		for _, a := range analyses(p) {
			for _, nm := range a.near {
				if nm.binding.Doc == nil || nm.role != nil && nm.role.Doc == nil && nm.rule != nil && len(nm.Misses) == 1 {
					continue // a default role lacks it: RBAC001 grants it in a role of its own
				}
				s := seen{nm.binding, nm.Message()}
				if slices.Contains(done, s) {
					continue
				}
				done = append(done, s)
				line, _ := p.Src.Position(a.Start)
				start, end := p.Src.Span(missNode(nm))
				p.Report(analysis.Finding{Start: start, End: end, Fix: nearMissFix(p, nm, a.subject),
					Message: fmt.Sprintf("%s was meant to grant %s %s (denied on line %d), but %s.",
						nm.Binding, a.User, a.Request, line, strings.Join(missTexts(nm), "; "))})
			}
		}
	},
}

// missNode returns the node a near miss is about: the subject, the
// roleRef, the namespace, or the rule.
func missNode(nm NearMiss) *yaml.Node {
	b := nm.binding
	subject := func(key string) *yaml.Node {
		if nm.subject >= 0 && nm.subject < len(b.Subjects) {
			if _, v := analysis.MapEntry(b.Subjects[nm.subject].Node, key); v != nil {
				return v
			}
			return b.Subjects[nm.subject].Node
		}
		return b.Node
	}
	switch code := nm.Misses[0].Code; code {
	case "subject-kind":
		return subject("kind")
	case "invalid-binding":
		return subject("apiGroup")
	case "subject-name", "group-membership":
		return subject("name")
	case "subject-namespace":
		return subject("namespace")
	case "namespace":
		if n := analysis.Lookup(b.Node, "metadata", "namespace"); n != nil {
			return n
		}
		return analysis.Lookup(b.Node, "metadata", "name")
	case "cluster-scope":
		return analysis.Lookup(b.Node, "kind")
	case "roleref-kind":
		return analysis.Lookup(b.RoleRef.Node, "kind")
	case "role-not-found", "role-namespace":
		return analysis.Lookup(b.RoleRef.Node, "name")
	}
	if nm.rule != nil && nm.role != nil && nm.role.Doc != nil && nm.rule.Node != nil {
		return nm.rule.Node
	}
	return analysis.Lookup(b.RoleRef.Node, "name")
}

// nearMissFix repairs a binding whose one problem is a typo-level one:
// a subject kind, a subject name's case, a missing ServiceAccount
// namespace, or a roleRef kind.
func nearMissFix(p *analysis.Pass, nm NearMiss, s subjectIdentity) *analysis.Fix {
	if len(nm.Misses) != 1 || nm.subject < 0 && strings.HasPrefix(nm.Misses[0].Code, "subject") {
		return nil
	}
	b := nm.binding
	json := b.Doc.Format == analysis.FormatJSON
	replace := func(n *yaml.Node, value, summary string) *analysis.Fix {
		if n == nil || n.Kind != yaml.ScalarNode {
			return nil
		}
		return &analysis.Fix{Summary: summary, Edits: []analysis.Edit{analysis.Locate(analysis.WholeText{Src: p.Src}, n).Replace(value)}}
	}
	switch nm.Misses[0].Code {
	case "subject-kind":
		sub := b.Subjects[nm.subject]
		kind := fixedKind(sub, s)
		if kind == "" {
			return nil
		}
		_, n := analysis.MapEntry(sub.Node, "kind")
		return replace(n, kind, "Set the subject's kind to "+kind)
	case "subject-name":
		sub := b.Subjects[nm.subject]
		name := s.User
		if sub.Kind == "Group" {
			name = s.Groups[slices.IndexFunc(s.Groups, func(g string) bool { return strings.EqualFold(g, sub.Name) })]
		} else if !strings.EqualFold(sub.Name, s.User) {
			return nil
		}
		_, n := analysis.MapEntry(sub.Node, "name")
		return replace(n, name, "Write the subject's name as "+name)
	case "subject-namespace":
		sub := b.Subjects[nm.subject]
		ns, _, _ := serviceAccountOf(s.User)
		if sub.Namespace != "" {
			return nil
		}
		if e, ok := p.Src.AppendEntry(sub.Node, "namespace", ns, json); ok {
			return &analysis.Fix{Summary: "Add namespace " + ns + " to the ServiceAccount subject", Edits: []analysis.Edit{e}}
		}
	case "roleref-kind":
		kind := "ClusterRole"
		if b.RoleRef.Kind == "ClusterRole" {
			kind = "Role"
		}
		return replace(analysis.Lookup(b.RoleRef.Node, "kind"), kind, "Set roleRef.kind to "+kind+" (recreate the binding: roleRef cannot change)")
	}
	return nil
}

// fixedKind returns the kind a subject should have to name the user, or
// "".
func fixedKind(sub rbacSubject, s subjectIdentity) string {
	for _, kind := range subjectKinds {
		if strings.EqualFold(kind, sub.Kind) && kind != sub.Kind {
			return kind
		}
	}
	switch {
	case sub.Kind == "Group" && sub.Name == s.User:
		return "User"
	case sub.Kind == "User" && s.inGroup(sub.Name):
		return "Group"
	}
	return ""
}

var rbacMissingRoleDenial = &analysis.Rule{
	ID:       "RBAC004",
	Title:    "denial names a role that does not exist",
	Severity: analysis.Medium,
	Kinds:    []analysis.Kind{analysis.KindErrorText},
	Doc: "The RBAC authorizer adds \"RBAC: clusterrole.rbac.authorization.k8s.io \\\"NAME\\\" not found\" (or role…) to a denial " +
		"when a binding that applies to the user references a role that does not exist. That binding grants nothing, while every " +
		"other binding is still checked. Create the role it names, or delete the binding and create it again with the right " +
		"roleRef (roleRef cannot be changed). A default ClusterRole in that list was deleted; the API server recreates the " +
		"defaults when it starts.",
	Refs: []string{rbacSource, rbacEscalationSource, rbacDocs},
	Run: func(p *analysis.Pass) {
		for _, d := range denialsOf(p.Doc) {
			for _, missing := range d.Missing {
				kind, name := "ClusterRole", unquote(missing[strings.Index(missing, `"`):strings.LastIndex(missing, `"`)+1])
				if strings.HasPrefix(missing, "role.") {
					kind = "Role"
				}
				msg := fmt.Sprintf("A binding that applies to %s references %s %s, which does not exist, so that binding grants nothing.", d.User, kind, name)
				if builtinRole(kind, "", name) {
					msg += fmt.Sprintf(" %s is one of the cluster's default roles: it was deleted, and the API server recreates it when it starts; "+
						"until then, create it again from its default definition.", name)
				} else {
					msg += " Create the role, or recreate the binding with the roleRef of a role that exists."
				}
				p.Reportf(d.Start, d.End, nil, "%s", msg)
				p.SuggestCommand("Find the bindings that reference "+kind+" "+name,
					fmt.Sprintf(`kubectl get rolebindings,clusterrolebindings -A -o jsonpath='{range .items[?(@.roleRef.name=="%s")]}{.kind} {.metadata.namespace}/{.metadata.name}{"\n"}{end}'`, name),
					"Lists every binding whose roleRef names it.")
			}
		}
	},
}
