package fixes

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/eksdoctor/eksdoctor/analysis"

	"github.com/eksdoctor/eksdoctor/internal/prefilter"
)

var (
	// escalationRE matches the API server's escalation-prevention error
	// (k8s.io/kubernetes pkg/registry/rbac/validation ConfirmNoEscalation).
	escalationRE = prefilter.MustCompile(`(roles|clusterroles|rolebindings|clusterrolebindings)\.rbac\.authorization\.k8s\.io "([^"]*)" is forbidden: ` +
		`user "([^"]*)" \(groups=\[([^\]]*)\]\) is attempting to grant RBAC permissions not currently held`)
	// legacyEscalationRE matches the older "attempt to grant extra
	// privileges" form.
	legacyEscalationRE = prefilter.MustCompile(`(roles|clusterroles|rolebindings|clusterrolebindings)\.rbac\.authorization\.k8s\.io "([^"]*)" is forbidden: ` +
		`attempt to grant extra privileges: \[(.*)\]`)
	// compactRuleRE matches one missing rule as the error prints it.
	compactRuleRE = regexp.MustCompile(`^\s*\{(?:APIGroups|Resources|NonResourceURLs|ResourceNames|Verbs):`)
	// legacyRuleRE matches one rule of the legacy form: {[verbs] [groups] [resources] …}.
	legacyRuleRE = regexp.MustCompile(`\{\[([^\]]*)\] \[([^\]]*)\] \[([^\]]*)\]`)
)

var rbacEscalationDenied = &analysis.Rule{
	ID:       "RBAC005",
	Title:    "role or binding blocked by escalation prevention",
	Severity: analysis.Medium,
	Kinds:    []analysis.Kind{analysis.KindErrorText},
	Doc: "Kubernetes lets a user create or update a Role or ClusterRole only when they already hold every permission in it (or " +
		"may escalate roles), and a RoleBinding or ClusterRoleBinding only when they hold every permission of the role it binds " +
		"(or may bind that role). The error lists the permissions the user lacks. Have someone who holds them apply the change, or " +
		"give the deploying identity bind on that one role by name (resourceNames); escalate, and bind without resourceNames, " +
		"let it grant itself anything.",
	Refs: []string{rbacDocs + "#privilege-escalation-prevention-and-bootstrapping",
		rbacEscalationSource},
	Run: func(p *analysis.Pass) {
		lines := strings.SplitAfter(p.Doc.Text, "\n")
		offset := p.Doc.Start
		for i, line := range lines {
			start := offset
			offset += len(line)
			resource, name, user, who, missing := "", "", "", "The writer", []string(nil)
			if m := escalationRE.FindStringSubmatch(line); m != nil {
				resource, name, user = m[1], m[2], m[3]
				who = userPhrase(user)
				for _, next := range lines[i+1:] {
					if !compactRuleRE.MatchString(next) {
						break
					}
					missing = append(missing, strings.TrimSpace(next))
				}
			} else if m := legacyEscalationRE.FindStringSubmatch(line); m != nil {
				resource, name = m[1], m[2]
				for _, r := range legacyRuleRE.FindAllStringSubmatch(m[3], -1) {
					missing = append(missing, fmt.Sprintf("%s on %s in API group %s", r[1], r[3], quoteGroup(r[2])))
				}
			} else {
				continue
			}
			kind := map[string]string{"roles": "Role", "clusterroles": "ClusterRole", "rolebindings": "RoleBinding",
				"clusterrolebindings": "ClusterRoleBinding"}[resource]
			advice := "Kubernetes blocks that unless the writer holds them or may escalate " + resource + ". Apply it with an identity " +
				"that holds them, or grant them to the writer first; escalate would let it grant itself anything."
			if strings.HasSuffix(resource, "bindings") {
				advice = "Kubernetes blocks that unless the writer holds them or may bind the role. Apply it with an identity that " +
					"holds them, or give the writer bind on exactly that role (resourceNames); an unrestricted bind would let it grant itself anything."
			}
			what := ""
			if len(missing) > 0 {
				what = " Missing: " + strings.Join(missing, "; ") + "."
			}
			p.Reportf(start+len(line)-len(strings.TrimLeft(line, " \t")), start+len(strings.TrimRight(line, "\r\n")), nil,
				"%s may not write %s %s: it would grant permissions the writer does not hold.%s %s", who, kind, name, what, advice)
			if user != "" {
				p.SuggestCommand("See what the writer holds", "kubectl auth can-i --list --as="+analysis.ShellQuote(user),
					"Lists the permissions the writer has (--as needs permission to impersonate).")
			}
		}
	},
}
