package fixes

import (
	"fmt"
	"slices"
	"strings"

	"github.com/eksdoctor/eksdoctor/analysis"
)

// broadSubjects are the subjects that stand for everyone of a kind.
var broadSubjects = map[string]string{
	"Group/system:authenticated":   "every authenticated user (on EKS, every IAM principal with an access entry or aws-auth mapping)",
	"Group/system:unauthenticated": "anyone who can reach the API server, without credentials",
	"User/system:anonymous":        "anyone who can reach the API server, without credentials",
	"Group/system:serviceaccounts": "every ServiceAccount, so every pod of the cluster",
}

// publicURLs are the URLs Kubernetes itself shows to anyone, and the
// service account issuer documents its docs allow anyone to read.
var publicURLs = []string{"/healthz", "/livez", "/readyz", "/version", "/version/", "/.well-known/openid-configuration", "/openid/v1/jwks"}

// power grades what a set of rules allows: 4 full control (every
// resource, or escalate, bind, impersonate), 3 writes, Secrets or entry
// into pods, 2 reads, 1 other non-resource URLs (discovery), 0 public
// URLs only; with a phrase for messages.
func power(rules []effRule) (int, string) {
	level, what := 0, "only public URLs"
	raise := func(l int, w string) {
		if l > level {
			level, what = l, w
		}
	}
	entry := []string{"pods/exec", "pods/attach", "pods/portforward", "pods/proxy", "nodes/proxy", "services/proxy"}
	for _, er := range rules {
		r := er.rule.PolicyRule
		switch {
		case slices.Contains(r.Resources, "*") && slices.Contains(r.Verbs, "*"):
			raise(4, "every verb on every resource")
		case len(r.verbsOf("escalate", "bind", "impersonate")) > 0:
			raise(4, strings.Join(r.verbsOf("escalate", "bind", "impersonate"), ", ")+" on "+strings.Join(r.Resources, ", "))
		case len(r.Resources) > 0 && len(r.verbsOf(writeVerbs...)) > 0:
			raise(3, "write access: "+strings.Join(r.verbsOf(writeVerbs...), ", ")+" on "+strings.Join(r.Resources, ", "))
		case (slices.Contains(r.Resources, "secrets") || slices.Contains(r.Resources, "*")) && len(r.verbsOf(readVerbs...)) > 0:
			raise(3, "reading Secrets")
		case slices.ContainsFunc(r.Resources, func(res string) bool { return slices.Contains(entry, res) }):
			raise(3, "entry into pods or nodes")
		case len(r.Resources) > 0:
			raise(2, "read access to "+strings.Join(r.Resources, ", "))
		case slices.ContainsFunc(r.NonResourceURLs, func(u string) bool { return !slices.Contains(publicURLs, u) }):
			raise(1, "API discovery: "+strings.Join(r.NonResourceURLs, ", "))
		}
	}
	return level, what
}

// broadSeverity grades a binding of a role of that power to a broad
// subject; ok is false when it is harmless.
func broadSeverity(level int, sub rbacSubject) (analysis.Severity, bool) {
	switch {
	case sub.Kind == "ServiceAccount":
		return analysis.High, level >= 3
	case sub.Name == "system:unauthenticated" || sub.Name == "system:anonymous":
		return []analysis.Severity{analysis.Low, analysis.Medium, analysis.High, analysis.Critical, analysis.Critical}[level], level >= 1
	}
	return []analysis.Severity{analysis.Low, analysis.Low, analysis.Medium, analysis.High, analysis.Critical}[level], level >= 2
}

var rbacBroadBinding = &analysis.Rule{
	ID:       "RBAC028",
	Title:    "role bound to everyone",
	Severity: analysis.High,
	Kinds:    []analysis.Kind{analysis.KindRoleBinding, analysis.KindClusterRoleBinding},
	Doc: "system:authenticated is every user who signs in (on EKS, every IAM principal the cluster maps), system:unauthenticated " +
		"and system:anonymous are anyone who can reach the endpoint, system:serviceaccounts is every pod, and a namespace's default " +
		"ServiceAccount is every pod there that names none. Binding cluster-admin (or any role with every verb on every resource, " +
		"or escalate, bind, impersonate) to them is critical; write access or Secrets is high. The defaults (discovery, self-review " +
		"and public health URLs) are not flagged, but clusters created before Kubernetes 1.14 keep system:unauthenticated on " +
		"system:discovery and system:basic-user after upgrades: remove it there. Bind a group of the people or the ServiceAccount " +
		"that needs the access instead.",
	Refs: []string{rbacGoodPractice, rbacDocs + "#discovery-roles",
		eksBestIAM},
	Run: func(p *analysis.Pass) {
		b := rbacOf(p, p.Doc).Binding
		if b == nil {
			return
		}
		pol := policyOf(p)
		role, _ := pol.resolve(b)
		level, what := power(nil)
		if role != nil {
			level, what = power(pol.rulesOf(role))
		} else if b.RoleRef.Name == "cluster-admin" {
			level, what = 4, "every verb on every resource"
		}
		for i, sub := range b.Subjects {
			who, broad := broadSubjects[sub.Kind+"/"+sub.Name]
			if sub.Kind == "ServiceAccount" && sub.Name == "default" {
				ns := sub.Namespace
				if ns == "" {
					ns = b.Namespace
				}
				who, broad = "every pod of namespace "+ns+" that names no ServiceAccount", true
			}
			sev, harmful := broadSeverity(level, sub)
			if !broad || !harmful || defaultSubject(b, sub) {
				continue
			}
			start, end := p.Src.Span(sub.Node)
			msg := fmt.Sprintf("%s gives %s (%s) to %s %s, that is %s. Bind a group of the people or the ServiceAccount that needs it instead.",
				b.describe(), bindingRoleName(b, role), what, sub.Kind, sub.Name, who)
			var fix *analysis.Fix
			if (sub.Name == "system:unauthenticated" || sub.Name == "system:anonymous") && (b.Name == "system:discovery" || b.Name == "system:basic-user") {
				msg += " Clusters created before Kubernetes 1.14 keep this subject after upgrades; the default binding no longer has it."
				if edits, ok := p.Src.RemoveItems(analysis.Lookup(b.Node, "subjects"), []int{i}); ok {
					fix = &analysis.Fix{Summary: "Remove " + sub.Name + " from " + b.Name, Edits: edits, Harden: true}
				}
			}
			p.Report(analysis.Finding{Severity: sev, Start: start, End: end, Message: msg, Fix: fix})
		}
	},
}

// bindingRoleName names a binding's role, resolved or not.
func bindingRoleName(b *rbacBinding, role *rbacRole) string {
	if role != nil {
		return role.describe()
	}
	return b.RoleRef.Kind + " " + b.RoleRef.Name
}

// defaultSubject reports whether a subject is in the default binding of
// the same name and role: the cluster grants it anyway.
func defaultSubject(b *rbacBinding, sub rbacSubject) bool {
	for _, d := range rbacDefaults().bindings {
		if d.Kind == b.Kind && d.Name == b.Name && d.RoleRef.Name == b.RoleRef.Name &&
			slices.ContainsFunc(d.Subjects, func(s rbacSubject) bool { return s.Kind == sub.Kind && s.Name == sub.Name }) {
			return true
		}
	}
	return false
}
