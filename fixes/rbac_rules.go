package fixes

import (
	"fmt"
	"slices"
	"strings"

	"github.com/eksdoctor/eksdoctor/analysis"
)

// The denial rules: each denial in the paste, explained against the
// pasted RBAC and identity mappings, with the smallest grant that allows
// it.

// denialAnalysis is one denial checked against the paste.
type denialAnalysis struct {
	denial
	subject subjectIdentity
	extra   []*rbacBinding
	verdict decision
	near    []NearMiss
	// target is the pasted role the grant extends, or nil.
	target *rbacRole
}

// rbacDenialAnalysesKey keeps what analyses builds, once for the whole input.
var rbacDenialAnalysesKey = analysis.NewKey[[]*denialAnalysis]("rbac-denial-analyses")

// analyses returns every RBAC denial of the paste checked against its
// RBAC, built once.
func analyses(p *analysis.Pass) []*denialAnalysis {
	return analysis.MemoInput(p.Input, rbacDenialAnalysesKey, func() []*denialAnalysis {
		pol, mappings := policyOf(p), identityMappings(p)
		var out []*denialAnalysis
		for _, doc := range p.OfKind(analysis.KindErrorText) {
			for _, d := range denialsOf(doc) {
				if d.Kubelet {
					continue
				}
				a := &denialAnalysis{denial: d, subject: resolveIdentity(mappings, d.User, "", nil)}
				a.extra = pol.accessPolicyGrants(a.subject)
				a.verdict = pol.authorize(a.subject.Identity, d.Request, a.extra)
				if !a.verdict.allowed {
					a.near = pol.nearMisses(a.subject, d.Request, a.extra, d.Missing)
					a.target = a.grantRole(pol)
				}
				out = append(out, a)
			}
		}
		return out
	})
}

// grantRole picks the role to extend: the role of a near miss whose only
// problem is its rules, else the one role the user is bound to in scope.
func (a *denialAnalysis) grantRole(pol *policy) *rbacRole {
	for _, nm := range a.near {
		if nm.rule != nil && len(nm.Misses) == 1 && !nm.assumed && nm.role.Doc != nil && nm.role.Aggregation == nil {
			return nm.role
		}
	}
	if len(a.near) > 0 {
		return nil
	}
	return pol.grantTarget(a.subject, a.Request, a.extra)
}

// needRules returns the rules a denial needs granted.
func (a *denialAnalysis) needRules() []PolicyRule { return []PolicyRule{minimalRule(a.Request)} }

var rbacDenied = &analysis.Rule{
	ID:       "RBAC001",
	Title:    "request denied by RBAC",
	Severity: analysis.Medium,
	Kinds:    []analysis.Kind{analysis.KindErrorText},
	Cross:    true,
	Doc: "A Forbidden error names the user, the verb, the resource (with its subresource and API group) and the namespace " +
		"the API server checked, and RBAC allows a request only when a rule of a role bound to that user (or one of its groups) " +
		"matches all of them. The finding reads the denial, says what the kubectl command needed, checks the pasted Roles, " +
		"bindings and aws-auth mappings, and offers the smallest rule that allows exactly this request: added to the role the " +
		"user is already bound to when the paste holds it, or as a new Role and RoleBinding (ClusterRole and ClusterRoleBinding " +
		"for cluster-scoped resources and URLs). Verify with kubectl auth can-i before and after.",
	Refs: []string{rbacDocs, forbiddenSource, rbacSource, audit2rbac},
	Run: func(p *analysis.Pass) {
		all := analyses(p)
		pending := map[*rbacRole][]*denialAnalysis{}
		var order []*rbacRole
		for _, a := range all {
			if a.target != nil {
				if pending[a.target] == nil {
					order = append(order, a.target)
				}
				pending[a.target] = append(pending[a.target], a)
			}
		}
		fixes := map[*denialAnalysis]*analysis.Fix{}
		for _, role := range order {
			var rules []PolicyRule
			for _, a := range pending[role] {
				for _, r := range a.needRules() {
					if !slices.ContainsFunc(rules, func(have PolicyRule) bool { return have.sameTarget(r) && slices.Equal(have.Verbs, r.Verbs) }) {
						rules = append(rules, r)
					}
				}
			}
			if edits, ok := grantEdits(p.Src, role, rules); ok {
				fixes[pending[role][0]] = &analysis.Fix{Summary: "Allow " + describeRules(rules) + " in " + role.describe(), Edits: edits}
			}
		}
		for _, a := range all {
			reportDenial(p, a, fixes[a])
		}
		attachGrants(p, all, fixes)
	},
}

// describeRules joins rules for a fix summary.
func describeRules(rules []PolicyRule) string {
	parts := make([]string, len(rules))
	for i, r := range rules {
		parts[i] = describeRule(r)
	}
	return strings.Join(parts, "; ")
}

// reportDenial reports one denial with what the paste says about it.
func reportDenial(p *analysis.Pass, a *denialAnalysis, fix *analysis.Fix) {
	var b strings.Builder
	fmt.Fprintf(&b, "%s was denied %s.", userPhrase(a.User), a.Request)
	if a.Command != nil {
		if needs := a.Command.needs(); len(needs) > 1 {
			var parts []string
			for _, n := range needs {
				part := n.Request.String()
				if n.Request == a.Request || n.Request.Name == "" && sameExceptName(n.Request, a.Request) {
					part += " (denied here)"
				}
				parts = append(parts, part)
			}
			fmt.Fprintf(&b, " kubectl %s makes these requests: %s.", a.Command.Verb, strings.Join(parts, "; "))
		}
	}
	switch {
	case a.User == "system:anonymous":
		b.WriteString(" No credentials reached the API server, so this is authentication, not RBAC: check the kubeconfig's exec plugin or token. " +
			"Never grant system:anonymous anything; it would open the cluster to everyone who can reach it.")
		p.Report(analysis.Finding{Start: a.Start, End: a.End, Message: b.String()})
		return
	case strings.HasPrefix(a.User, "system:node:"):
		b.WriteString(" Kubelets are authorized by the Node authorizer, which lets a node read only the objects its own pods use; " +
			"this object is not related to that node. Do not grant nodes RBAC permissions: check which node the pod runs on.")
		p.Report(analysis.Finding{Start: a.Start, End: a.End, Message: b.String()})
		return
	}
	pol := policyOf(p)
	switch {
	case a.verdict.masters:
		b.WriteString(" The paste maps this user to system:masters, which allows everything, so the cluster does not map it as pasted.")
	case a.verdict.allowed:
		fmt.Fprintf(&b, " The pasted RBAC allows it (%s through %s), so the cluster does not hold these objects as pasted: "+
			"apply them, in the namespace they name, and check the user's groups with kubectl auth whoami.", a.verdict.grant.Binding, a.verdict.grant.Role)
	case len(a.near) > 0:
		nm := a.near[0]
		fmt.Fprintf(&b, " %s was meant to grant it, but %s.", upperFirst(nm.Binding), strings.Join(missTexts(nm), "; "))
		if len(a.near) > 1 {
			fmt.Fprintf(&b, " %d other bindings come close too.", len(a.near)-1)
		}
		switch {
		case nm.binding.Origin != "":
			b.WriteString(" EKS fixes what an access policy allows, so the grant goes into a role of its own.")
		case nm.role != nil && nm.role.Builtin:
			fmt.Fprintf(&b, " %s is a default role the API server keeps as it is, so the grant goes into a role of its own.", nm.role.describe())
		}
	default:
		b.WriteString(boundSentence(pol, a))
	}
	if !a.verdict.allowed && !a.verdict.masters {
		rules := a.needRules()
		switch {
		case a.target != nil:
			fmt.Fprintf(&b, " The smallest grant: %s, in %s.", describeRules(rules), a.target.describe())
			if a.target.Kind == "ClusterRole" && a.Namespace != "" {
				fmt.Fprintf(&b, " A ClusterRole's rules apply in every namespace where it is bound (everywhere through a ClusterRoleBinding); "+
					"to allow it in namespace %s only, use a Role there instead.", a.Namespace)
			}
		default:
			fmt.Fprintf(&b, " The smallest grant: %s, as a new %s (generated next to this report).", describeRules(rules), grantKinds(a.Namespace))
		}
		if a.target == nil && len(a.near) == 0 && a.Namespace == "" && a.resourceRequest() && ResourceScope(a.APIGroup, a.Resource) == ScopeNamespaced {
			b.WriteString(" A request across all namespaces (kubectl -A) needs a ClusterRoleBinding; with access to some namespaces only, use -n NAMESPACE.")
		}
	}
	p.Report(analysis.Finding{Start: a.Start, End: a.End, Message: b.String(), Fix: fix})
	detail := "--as needs permission to impersonate; the user can run the same without --as."
	if len(a.extra) > 0 {
		detail = "Run it as the user, without --as: EKS drops access-policy permissions from impersonated requests."
	}
	p.SuggestCommand("Check the permission on the cluster", canICommand(a.Request, a.subject), detail)
	if !a.subject.groupsKnown {
		p.SuggestCommand("See the groups the API server gives "+a.User, "kubectl auth whoami",
			"Run it with that identity, and paste the output with the aws-auth ConfigMap or the access entries (aws eks list-access-entries).")
	}
}

// upperFirst capitalises the first letter of a sentence.
func upperFirst(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// sameExceptName reports whether two requests differ only by name.
func sameExceptName(a, b Request) bool {
	a.Name, b.Name = "", ""
	return a == b
}

func missTexts(nm NearMiss) []string {
	var out []string
	for _, m := range nm.Misses {
		out = append(out, m.Message)
	}
	return out
}

// boundSentence says what the user is bound to, when no binding came
// close.
func boundSentence(pol *policy, a *denialAnalysis) string {
	var names []string
	for _, b := range pol.boundTo(a.subject.Identity, a.Request, a.extra) {
		if !b.Builtin {
			names = append(names, b.Binding+" ("+b.Role+")")
		}
	}
	switch {
	case len(names) > 0:
		return fmt.Sprintf(" In this scope it is bound to %s, and none of those rules allows it.", strings.Join(names, ", "))
	case pol.pastedRoles > 0 || len(pol.bindings) > len(rbacDefaults().bindings):
		return " No pasted binding names this user or its groups in this scope."
	}
	return " Paste the user's bindings and roles (kubectl get rolebindings,clusterrolebindings -A -o yaml) to see which one was meant to grant it."
}

func grantKinds(ns string) string {
	if ns == "" {
		return "ClusterRole and ClusterRoleBinding"
	}
	return "Role and RoleBinding in namespace " + ns
}

// attachGrants generates, per subject and namespace, a Role and binding
// with the rules of every denial the paste cannot fix in place.
func attachGrants(p *analysis.Pass, all []*denialAnalysis, fixes map[*denialAnalysis]*analysis.Fix) {
	type key struct {
		sub rbacSubject
		ns  string
	}
	var order []key
	grants := map[key][]PolicyRule{}
	for _, a := range all {
		sub, ok := grantSubject(a.subject)
		if a.verdict.allowed || a.target != nil || !ok {
			continue
		}
		sub.Node = nil
		k := key{sub, a.Namespace}
		if grants[k] == nil {
			order = append(order, k)
		}
		for _, r := range a.needRules() {
			if !slices.ContainsFunc(grants[k], func(have PolicyRule) bool { return have.sameTarget(r) && slices.Equal(have.Verbs, r.Verbs) }) {
				grants[k] = append(grants[k], r)
			}
		}
	}
	for _, k := range order {
		scope := k.ns
		if scope == "" {
			scope = "cluster"
		}
		file := "rbac-grant-" + objectName(k.sub.Name, scope) + ".yaml"
		what := "namespace " + k.ns
		if k.ns == "" {
			what = "the whole cluster"
		}
		comment := fmt.Sprintf("Grants %s %s exactly what was denied, in %s.", k.sub.Kind, k.sub.Name, what)
		p.Attach(analysis.Artifact{Title: "Least-privilege grant for " + k.sub.Kind + " " + k.sub.Name + " in " + what, Filename: file,
			Content: grantManifest(grants[k], k.sub, k.ns, comment)})
		p.SuggestCommand("Apply the generated grant", "kubectl apply -f "+file,
			"Creating a binding needs the bind verb on the role, or holding every permission it grants.")
		if k.sub.Kind == "Group" {
			command, detail := groupAdvice(all, k.sub)
			p.SuggestCommand("Put the user in group "+k.sub.Name, command, detail)
		}
	}
}

// groupAdvice says how the user gets the group a grant names: the
// access entry command that adds it for a role's sessions, or the mapping
// that already gives it.
func groupAdvice(all []*denialAnalysis, sub rbacSubject) (command, detail string) {
	for _, a := range all {
		if role, ok := sessionRole(a.User); ok && !a.subject.inGroup(sub.Name) {
			return "aws eks update-access-entry --cluster-name CLUSTER --principal-arn " + role.String() + " --kubernetes-groups " + sub.Name,
				"EKS names this user by its session ARN, which changes with every session, so the grant names a group. " +
					"The list replaces the entry's current groups: add those to the command too."
		}
	}
	return "", "The grant names group " + sub.Name + ", which the pasted identity mapping gives the user; keep it in aws-auth or the access entry's kubernetesGroups."
}
