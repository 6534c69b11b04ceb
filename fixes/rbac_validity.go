package fixes

import (
	"slices"
	"strings"

	yaml "go.yaml.in/yaml/v3"

	"github.com/eksdoctor/eksdoctor/analysis"
	"github.com/eksdoctor/eksdoctor/internal/k8sapi"
)

// RBAC matches a rule's apiGroups and resources against a request by
// exact name: a group/version where a group belongs, a resource in
// another group or a misspelt subresource make the entry match nothing,
// and RBAC says nothing about it. The built-in names come from the API
// discovery documents of the Kubernetes releases (internal/k8sapi); the
// groups of custom resources and aggregated APIs are unknown there and
// left alone.

var rbacMatchesNothing = &analysis.Rule{
	ID:       "RBAC030",
	Title:    "role rule entry that matches nothing",
	Severity: analysis.Medium,
	Kinds:    roleKinds,
	Doc: "RBAC compares a request's API group and resource with a rule's apiGroups and resources by exact name, and accepts " +
		"any string without complaint, so a rule entry that names nothing real grants nothing: the access it was written " +
		"for is refused. apiGroups takes group names, never versions: v1 and core/v1 match nothing (the core group is \"\"), " +
		"apps/v1 and authentication.k8s.io/v1 match nothing (write apps, authentication.k8s.io). resources takes the " +
		"plural lower-case names of the group written beside it: deployments are in apps, not in the core group; the " +
		"log subresource is pods/log, not pods/logs; pods/* is no wildcard (only * and */SUBRESOURCE are). The names " +
		"checked are those Kubernetes 1.29 to 1.37 serve, from their API discovery documents; a rule that also lists " +
		"another group (a custom resource's, or *) is left alone. The fix writes the group or the name that was meant " +
		"(a repair: it grants what the rule was written to grant).",
	Refs: []string{rbacDocs + "#referring-to-resources", "https://kubernetes.io/docs/reference/using-api/#api-groups",
		"https://github.com/kubernetes/kubernetes/tree/master/api/discovery"},
	Run: func(p *analysis.Pass) {
		role := rbacOf(p, p.Doc).Role
		if role == nil {
			return
		}
		for _, r := range role.Rules {
			groups := checkRuleGroups(p, role, r)
			checkRuleResources(p, role, r, groups)
		}
	},
}

// checkRuleGroups reports the apiGroups items of r that are versions or
// group/versions, and returns the groups r means: each item as it is
// meant, or nil when one of them is not a built-in group (a custom
// resource's, or *), so that its resources cannot be checked.
func checkRuleGroups(p *analysis.Pass, role *rbacRole, r *rbacRule) []string {
	var groups []string
	builtin := true
	for _, n := range items(r.list("apiGroups")) {
		group, ok := k8sapi.IsGroupVersion(n.Value)
		switch {
		case n.Value == "core" || ok && group == "core":
			group, ok = "", true
		case !ok:
			group = n.Value
		}
		builtin = builtin && k8sapi.BuiltinGroup(group)
		groups = append(groups, group)
		if !ok {
			continue
		}
		what := "an API version, not a group"
		switch {
		case n.Value == "core":
			what = "no group's name: the core group's name is empty"
		case strings.Contains(n.Value, "/"):
			what = "a group with its version"
		}
		p.Reportf(p.Src.NodeStart(n), p.Src.NodeEnd(n),
			&analysis.Fix{Summary: "Write the group " + quoteGroup(group), Edits: []analysis.Edit{replaceItem(p, n, group)}},
			"%s lists %q in apiGroups, which is %s: RBAC compares group names only, so this entry matches nothing. Write %s.",
			role.describe(), n.Value, what, quoteGroup(group))
	}
	if !builtin {
		return nil
	}
	return groups
}

// checkRuleResources reports the resources of r that no group of groups
// has (the built-in groups r means): one of another group, with the fix
// that adds that group; a misspelt one, with the fix that writes the
// name; a "pods/*", which RBAC does not expand.
func checkRuleResources(p *analysis.Pass, role *rbacRole, r *rbacRule, groups []string) {
	if len(groups) == 0 || slices.ContainsFunc(r.Verbs, k8sapi.FreeFormVerb) {
		return
	}
	json := p.Doc.Format == analysis.FormatJSON
	in := "the group " + quoteGroups(groups)
	if len(groups) > 1 {
		in = "the groups " + quoteGroups(groups)
	}
	for _, n := range items(r.list("resources")) {
		name := n.Value
		if name == "*" || strings.HasPrefix(name, "*/") || slices.ContainsFunc(groups, func(g string) bool { return has(g, name) }) {
			continue
		}
		start, end := p.Src.NodeStart(n), p.Src.NodeEnd(n)
		if base, ok := strings.CutSuffix(name, "/*"); ok {
			p.Reportf(start, end, nil, "%s lists %s in resources: RBAC expands * only alone or before a subresource (*/scale), "+
				"so this entry matches nothing. List the subresources it needs, such as %s/log or %s/exec.", role.describe(), name, base, base)
			continue
		}
		if elsewhere := k8sapi.GroupsWithResource(name); len(elsewhere) > 0 {
			var fix *analysis.Fix
			if e, ok := p.Src.AppendScalar(r.list("apiGroups"), elsewhere[0], json); ok {
				fix = &analysis.Fix{Summary: "Add " + quoteGroup(elsewhere[0]) + " to apiGroups", Edits: []analysis.Edit{e}}
			}
			p.Reportf(start, end, fix, "%s lists %s under %s, which has no such resource: %s is in %s, so this entry matches nothing.",
				role.describe(), name, in, name, quoteGroups(elsewhere))
			continue
		}
		if want, ok := closestIn(groups, name); ok {
			p.Reportf(start, end, &analysis.Fix{Summary: "Write " + want, Edits: []analysis.Edit{replaceItem(p, n, want)}},
				"%s lists %s, which %s does not have: RBAC matches resource names exactly, so this entry grants nothing. "+
					"It is %s.", role.describe(), name, in, want)
			continue
		}
		first, last := k8sapi.Versions()
		p.Reportf(start, end, nil, "%s lists %s, which %s does not have in Kubernetes %s to %s, so this entry matches nothing. "+
			"A custom resource needs its own API group in apiGroups.", role.describe(), name, in, first, last)
	}
}

// has reports whether the built-in group has the resource name.
func has(group, name string) bool {
	_, ok := k8sapi.LookupResource(group, name)
	return ok
}

// closestIn returns the resource one of groups has that name most
// likely means.
func closestIn(groups []string, name string) (string, bool) {
	for _, g := range groups {
		if want, ok := k8sapi.Closest(g, name); ok && want != name {
			return want, true
		}
	}
	return "", false
}

// quoteGroups names groups for a message: "apps" and "" (core).
func quoteGroups(groups []string) string {
	out := make([]string, len(groups))
	for i, g := range groups {
		out[i] = quoteGroup(g)
	}
	return strings.Join(out, " and ")
}

// items returns the scalar items of a sequence node.
func items(seq *yaml.Node) []*yaml.Node {
	return slices.DeleteFunc(analysis.Items(seq), func(n *yaml.Node) bool { return n.Kind != yaml.ScalarNode })
}

// replaceItem returns the edit that writes value in place of the scalar
// n, quoted when it is empty and n is not: a plain empty value would be
// null.
func replaceItem(p *analysis.Pass, n *yaml.Node, value string) analysis.Edit {
	sc := analysis.Locate(analysis.WholeText{Src: p.Src}, n)
	if value == "" && n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) == 0 {
		return analysis.Replace(sc.Start, sc.End, `""`)
	}
	return sc.Replace(value)
}
