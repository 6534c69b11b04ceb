package fixes

import (
	"fmt"
	"slices"
	"strings"

	yaml "go.yaml.in/yaml/v3"

	"github.com/eksdoctor/eksdoctor/analysis"
)

// Risky grants. Each rule reads the pasted Roles and ClusterRoles, looks
// at where the pasted bindings put them (cluster-wide, kube-system, some
// namespace) and reports the grants the Kubernetes RBAC good-practices
// guide names as privilege-escalation paths, with a safer alternative.
// A permission granted only through a "*" is left to the wildcard rule.

// roleReach is where a role's rules take effect, from the pasted bindings.
type roleReach struct {
	bindings   []*rbacBinding
	namespaces []string
	// clusterWide is set when a ClusterRoleBinding binds the role.
	clusterWide bool
	// unbound is set for a ClusterRole no pasted binding uses: such roles
	// are usually bound cluster-wide.
	unbound bool
}

// reachOf returns where the pasted bindings apply a role.
func (pol *policy) reachOf(role *rbacRole) roleReach {
	if rr, ok := pol.reach[role]; ok {
		return rr
	}
	var rr roleReach
	if role.Kind == "Role" {
		rr.namespaces = []string{role.Namespace}
	}
	for _, b := range pol.byRef[role.Kind+"/"+role.Name] {
		if b.Builtin ||
			role.Kind == "Role" && b.Namespace != role.Namespace && b.Namespace != "" && role.Namespace != "" {
			continue
		}
		rr.bindings = append(rr.bindings, b)
		if b.Kind == "ClusterRoleBinding" {
			rr.clusterWide = true
		} else if !slices.Contains(rr.namespaces, b.Namespace) {
			rr.namespaces = append(rr.namespaces, b.Namespace)
		}
	}
	rr.unbound = role.Kind == "ClusterRole" && len(rr.bindings) == 0
	pol.reach[role] = rr
	return rr
}

// privileged reports whether the rules apply in every namespace or in
// kube-system, where the cluster's own credentials live.
func (rr roleReach) privileged() bool {
	return rr.clusterWide || rr.unbound || slices.Contains(rr.namespaces, "kube-system")
}

// everywhere reports whether the rules apply in every namespace: bound by
// a ClusterRoleBinding, or a ClusterRole no pasted binding uses.
func (rr roleReach) everywhere() bool { return rr.clusterWide || rr.unbound }

// where says where the rules apply, for a message.
func (rr roleReach) where() string {
	switch {
	case rr.clusterWide:
		for _, b := range rr.bindings {
			if b.Kind == "ClusterRoleBinding" {
				return "in every namespace (ClusterRoleBinding " + b.Name + ")"
			}
		}
	case rr.unbound:
		return "in every namespace once bound with a ClusterRoleBinding"
	case slices.Contains(rr.namespaces, "kube-system"):
		return "in namespace kube-system"
	case len(rr.namespaces) == 1 && rr.namespaces[0] != "":
		return "in namespace " + rr.namespaces[0]
	}
	return "in the namespaces it is bound in"
}

// listed returns the first of resources the rule names explicitly in
// group (or in every group), or "" when it names none. A "*" resource
// does not count: the wildcard rule reports it.
func (r PolicyRule) listed(group string, resources ...string) string {
	if !anyMatches(r.APIGroups, group) {
		return ""
	}
	for _, res := range resources {
		if slices.Contains(r.Resources, res) {
			return res
		}
	}
	return ""
}

// listedAll returns every one of resources the rule names explicitly in
// group (or in every group).
func listedAll(r *rbacRule, group string, resources ...string) []string {
	var out []string
	for _, res := range resources {
		if r.listed(group, res) != "" {
			out = append(out, res)
		}
	}
	return out
}

// verbsOf returns which of verbs the rule allows ("*" allows them all).
func (r PolicyRule) verbsOf(verbs ...string) []string {
	if slices.Contains(r.Verbs, "*") {
		return verbs
	}
	var out []string
	for _, v := range verbs {
		if slices.Contains(r.Verbs, v) {
			out = append(out, v)
		}
	}
	return out
}

var (
	readVerbs  = []string{"get", "list", "watch"}
	writeVerbs = []string{"create", "update", "patch", "delete", "deletecollection"}
)

// riskCheck inspects one rule of a role; ok reports a finding with its
// severity and message, and fix when the repair is safe.
type riskCheck func(p *analysis.Pass, r *rbacRule, role *rbacRole, rr roleReach) (sev analysis.Severity, msg string, fix *analysis.Fix, ok bool)

// roleKinds are the kinds the role risk rules read.
var roleKinds = []analysis.Kind{analysis.KindRole, analysis.KindClusterRole}

// riskRun is the Run of a rule over Roles and ClusterRoles: it runs check
// over every rule of the role being checked. A finding points at the
// first item of the rule that one of foci names, else at what its fix
// changes, else at the whole rule.
func riskRun(check riskCheck, foci ...focus) func(*analysis.Pass) {
	return func(p *analysis.Pass) {
		role := rbacOf(p, p.Doc).Role
		if role == nil {
			return
		}
		rr := policyOf(p).reachOf(role)
		for _, r := range role.Rules {
			sev, msg, fix, ok := check(p, r, role, rr)
			if !ok {
				continue
			}
			start, end := p.Src.Span(riskItem(p, r, foci, fix))
			p.Report(analysis.Finding{Severity: sev, Start: start, End: end, Message: role.describe() + " " + msg, Fix: fix})
		}
	}
}

// focus names the items of a rule's list that make a rule risky: values
// of the list key.
type focus struct {
	list   string
	values []string
}

// riskItem returns the item of r that the first of foci names, else
// the first item fix removes or rewrites, else r's node.
func riskItem(p *analysis.Pass, r *rbacRule, foci []focus, fix *analysis.Fix) *yaml.Node {
	for _, f := range foci {
		for _, n := range items(r.list(f.list)) {
			if slices.Contains(f.values, n.Value) {
				return n
			}
		}
	}
	if fix != nil {
		for _, key := range ruleLists {
			for _, n := range items(r.list(key)) {
				start, end := p.Src.Span(n)
				if slices.ContainsFunc(fix.Edits, func(e analysis.Edit) bool { return e.Start <= start && end <= e.End }) {
					return n
				}
			}
		}
	}
	return r.Node
}

// logViewer matches roles named for reading logs or viewing.
func logViewer(role *rbacRole) bool {
	name := strings.ToLower(role.Name)
	return strings.Contains(name, "log") || strings.Contains(name, "view") || strings.Contains(name, "read")
}

var rbacNodesProxy = &analysis.Rule{
	ID:       "RBAC020",
	Title:    "nodes/proxy granted",
	Severity: analysis.High,
	Kinds:    roleKinds,
	Doc: "nodes/proxy is the kubelet API: it runs commands in every container on the nodes, and those requests go straight to " +
		"the kubelet, past the API server's audit log and admission control. A get is enough, over a WebSocket, so it is never " +
		"read-only. Monitoring agents need nodes/metrics and nodes/stats (and, with fine-grained kubelet authorization, " +
		"nodes/pods, nodes/healthz, nodes/configz); people reading logs need get on pods/log. Granting nodes/proxy to fix a " +
		"kubectl logs or exec error is popular and wrong: that error names the API server's kubelet client, which needs the " +
		"system:kubelet-api-admin ClusterRole.",
	Refs: []string{rbacGoodPractice, kubeletAuthDoc, kubeletGA, "https://github.com/kubernetes/kubernetes/issues/83465"},
	Run: riskRun(func(p *analysis.Pass, r *rbacRule, role *rbacRole, rr roleReach) (analysis.Severity, string, *analysis.Fix, bool) {
		res := r.listed("", "nodes/proxy")
		if res == "" || len(r.ResourceNames) > 0 || len(r.Verbs) == 0 || role.Kind == "Role" {
			return "", "", nil, false
		}
		msg := fmt.Sprintf("grants %s on nodes/proxy %s: that runs commands in every pod of those nodes, unaudited and past admission "+
			"control (get is enough, over a WebSocket). For metrics use nodes/metrics and nodes/stats.", strings.Join(r.Verbs, ", "), rr.where())
		readsLogs := policyOf(p).grants(role, Request{Verb: "get", Resource: "pods", Subresource: "log", Namespace: "x"}) != nil
		if !logViewer(role) && !readsLogs {
			return analysis.High, msg, nil, true
		}
		msg += " It reads as a log viewer: kubectl logs needs only get on pods/log. A nodes/proxy error from kubectl logs or exec " +
			"names the API server's kubelet client, which needs the system:kubelet-api-admin ClusterRole, not this grant."
		if !readsLogs {
			return analysis.High, msg, nil, true
		}
		edits, ok := p.Src.RemoveItems(r.list("resources"), []int{slices.Index(r.Resources, res)})
		if len(r.Resources) == 1 {
			edits, ok = p.Src.RemoveItems(role.RulesNode, []int{r.Index})
		}
		if !ok {
			return analysis.High, msg, nil, true
		}
		return analysis.High, msg, &analysis.Fix{Summary: "Remove nodes/proxy: the role already grants get on pods/log", Edits: edits, Harden: true}, true
	}, focus{"resources", []string{"nodes/proxy", "nodes/*", "*"}}),
}

// grants returns the rule of role that allows q, or nil.
func (pol *policy) grants(role *rbacRole, q Request) *rbacRule {
	for _, er := range pol.rulesOf(role) {
		if ruleAllows(er.rule.PolicyRule, q) {
			return er.rule
		}
	}
	return nil
}

var rbacEscalation = &analysis.Rule{
	ID:       "RBAC021",
	Title:    "escalate, bind or impersonate granted",
	Severity: analysis.High,
	Kinds:    roleKinds,
	Doc: "escalate on roles lets a user write any permission into a role, bind lets them bind any role (cluster-admin included) " +
		"without holding its permissions, and impersonate lets them act as any user, group or ServiceAccount: each is a way to " +
		"every permission in its scope. Limit them with resourceNames (bind only the roles a team may hand out, impersonate only " +
		"named users), or remove them.",
	Refs: []string{rbacGoodPractice, rbacDocs + "#restrictions-on-role-creation-or-update", impersonateDoc},
	Run: riskRun(func(p *analysis.Pass, r *rbacRule, role *rbacRole, rr roleReach) (analysis.Severity, string, *analysis.Fix, bool) {
		if len(r.ResourceNames) > 0 && !slices.Contains(r.ResourceNames, "cluster-admin") && !slices.Contains(r.ResourceNames, "system:masters") {
			return "", "", nil, false
		}
		var found []string
		rbacVerbs := r.verbsOf("escalate", "bind")
		if slices.Contains(r.Verbs, "*") {
			rbacVerbs = nil // every verb is the wildcard rule's
		}
		if roles := listedAll(r, "rbac.authorization.k8s.io", "roles", "clusterroles"); len(rbacVerbs) > 0 && len(roles) > 0 {
			found = append(found, strings.Join(rbacVerbs, ", ")+" on "+strings.Join(roles, ", "))
		}
		targets := append(listedAll(r, "", "users", "groups", "serviceaccounts"), listedAll(r, "authentication.k8s.io", "uids", "userextras", "userextras/scopes")...)
		if !rr.privileged() {
			targets = slices.DeleteFunc(targets, func(t string) bool { return t == "serviceaccounts" })
		}
		if len(targets) > 0 && slices.Contains(r.Verbs, "impersonate") {
			found = append(found, "impersonate on "+strings.Join(targets, ", "))
		}
		if len(found) == 0 {
			return "", "", nil, false
		}
		sev := analysis.High
		if !rr.privileged() {
			sev = analysis.Medium
		}
		return sev, fmt.Sprintf("grants %s %s: a way to every permission in that scope. Name the roles or users it may use in "+
			"resourceNames, or drop the verb.", strings.Join(found, " and "), rr.where()), nil, true
	}, focus{"verbs", []string{"escalate", "bind", "impersonate", "*"}}),
}

var workloadResources = []string{"pods", "deployments", "daemonsets", "statefulsets", "replicasets", "jobs", "cronjobs", "replicationcontrollers"}

var rbacPodAccess = &analysis.Rule{
	ID:       "RBAC022",
	Title:    "pods can be run or entered across the cluster",
	Severity: analysis.High,
	Kinds:    roleKinds,
	Doc: "Whoever can create pods (or the Deployments, DaemonSets, Jobs… that create them) can run any image as any ServiceAccount of " +
		"the namespace and mount its Secrets, and a privileged pod reaches the node. pods/exec and pods/attach (get is enough, over " +
		"a WebSocket) and pods/ephemeralcontainers run commands in existing pods. Granted cluster-wide or in kube-system, that is " +
		"every credential of the cluster. Bind these permissions per namespace with RoleBindings, and keep kube-system to the " +
		"cluster's own components.",
	Refs: []string{rbacGoodPractice, "https://kubernetes.io/docs/concepts/security/rbac-good-practices/#workload-creation"},
	Run: riskRun(func(p *analysis.Pass, r *rbacRule, role *rbacRole, rr roleReach) (analysis.Severity, string, *analysis.Fix, bool) {
		if !rr.privileged() || len(r.ResourceNames) > 0 {
			return "", "", nil, false
		}
		var run, enter []string
		for _, g := range []string{"", "apps", "batch", "extensions"} {
			for _, res := range workloadResources {
				if r.listed(g, res) != "" && len(r.verbsOf("create")) > 0 && !slices.Contains(run, res) {
					run = append(run, res)
				}
			}
		}
		if res := listedAll(r, "", "pods/exec", "pods/attach"); len(res) > 0 && len(r.verbsOf("create", "get")) > 0 {
			enter = append(enter, strings.Join(r.verbsOf("create", "get"), ", ")+" on "+strings.Join(res, ", "))
		}
		if r.listed("", "pods/ephemeralcontainers") != "" && len(r.verbsOf("update", "patch")) > 0 {
			enter = append(enter, strings.Join(r.verbsOf("update", "patch"), ", ")+" on pods/ephemeralcontainers")
		}
		var parts []string
		if len(run) > 0 {
			parts = append(parts, "create on "+strings.Join(run, ", ")+" runs any image as any ServiceAccount there, with its Secrets")
		}
		if len(enter) > 0 {
			parts = append(parts, strings.Join(enter, " and ")+" runs commands in every pod there (get is enough, over a WebSocket)")
		}
		if len(parts) == 0 {
			return "", "", nil, false
		}
		return analysis.High, fmt.Sprintf("is granted %s, and %s. Grant it per namespace with a Role and RoleBinding instead.",
			rr.where(), strings.Join(parts, "; ")), nil, true
	}, focus{"resources", []string{"pods/exec", "pods/attach", "pods/ephemeralcontainers", "pods", "*"}}),
}

var rbacSecretsRead = &analysis.Rule{
	ID:       "RBAC023",
	Title:    "secrets readable across the cluster",
	Severity: analysis.Medium,
	Kinds:    roleKinds,
	Doc: "get, list and watch on Secrets return their contents (list and watch return every Secret at once), including the tokens " +
		"of ServiceAccounts that still have token Secrets and whatever credentials applications keep there. Across the cluster or " +
		"in kube-system, that is more than most controllers need. Name the Secrets in resourceNames, or grant the read in a Role " +
		"in the namespaces the component serves (ingress controllers can usually watch a set of namespaces). list or watch in " +
		"every namespace is high, a path to every Secret by the severity policy (Trivy rates it critical); get alone, or the " +
		"read in kube-system only, medium.",
	Refs: []string{rbacGoodPractice, "https://kubernetes.io/docs/concepts/configuration/secret/#information-security-for-secrets"},
	Run: riskRun(func(p *analysis.Pass, r *rbacRule, role *rbacRole, rr roleReach) (analysis.Severity, string, *analysis.Fix, bool) {
		verbs := r.verbsOf(readVerbs...)
		if !rr.privileged() || len(r.ResourceNames) > 0 || r.listed("", "secrets") == "" || len(verbs) == 0 {
			return "", "", nil, false
		}
		sev := analysis.Medium
		if rr.everywhere() && len(r.verbsOf("list", "watch")) > 0 {
			sev = analysis.High
		}
		return sev, fmt.Sprintf("allows %s on secrets %s: their contents, not just their names. Name the Secrets in "+
			"resourceNames, or read them with a Role in the namespaces it serves.", strings.Join(verbs, ", "), rr.where()), nil, true
	}, focus{"resources", []string{"secrets", "*"}}),
}

var rbacTokenRequest = &analysis.Rule{
	ID:       "RBAC024",
	Title:    "service account tokens can be minted",
	Severity: analysis.High,
	Kinds:    roleKinds,
	Doc: "create on serviceaccounts/token issues a token for any ServiceAccount in scope, so it carries the permissions of the most " +
		"powerful ServiceAccount there; cluster-wide or in kube-system that includes the cluster's controllers. Grant it with " +
		"resourceNames for the ServiceAccounts concerned, in a Role of their namespace.",
	Refs: []string{rbacGoodPractice, "https://kubernetes.io/docs/reference/kubernetes-api/authentication-resources/token-request-v1/"},
	Run: riskRun(func(p *analysis.Pass, r *rbacRule, role *rbacRole, rr roleReach) (analysis.Severity, string, *analysis.Fix, bool) {
		if !rr.privileged() || len(r.ResourceNames) > 0 || r.listed("", "serviceaccounts/token") == "" || len(r.verbsOf("create")) == 0 {
			return "", "", nil, false
		}
		return analysis.High, "allows create on serviceaccounts/token " + rr.where() + ": a token for any ServiceAccount there. Limit it " +
			"with resourceNames, in a Role of their namespace.", nil, true
	}, focus{"resources", []string{"serviceaccounts/token", "serviceaccounts", "*"}}),
}
