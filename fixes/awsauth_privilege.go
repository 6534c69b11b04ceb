package fixes

import (
	"fmt"
	"strings"

	"github.com/eksdoctor/eksdoctor/analysis"
)

// The rules about who gets in and with which groups: whole accounts,
// misspelt system groups, and entries that shadow each other.

var authMapAccounts = &analysis.Rule{
	ID:       "AUTH016",
	Title:    "mapAccounts lets every principal in an account authenticate",
	Severity: analysis.Medium,
	Kinds:    awsAuthKinds,
	Doc: "An account in mapAccounts lets every IAM user and role of that account that has no mapping of its own " +
		"authenticate, as a user named after its ARN with no groups. They then get whatever is bound to " +
		"system:authenticated, and any binding that names their ARN, without anyone reviewing aws-auth. Access entries " +
		"have no equivalent, so it also blocks a move to the API authentication mode. Map the principals that need " +
		"access explicitly and remove mapAccounts.",
	Refs: []string{authenticatorDocs, authenticatorServer,
		migrateEntriesDoc},
	Run: func(p *analysis.Pass) {
		for _, a := range authOf(p, p.Doc).Accounts {
			if !analysis.MaskOfAccount(a.Value).Known() {
				continue
			}
			p.Reportf(a.Start, a.End, nil, "Every IAM user and role in account %s that is not mapped otherwise can "+
				"authenticate to the cluster (as its own ARN, with no groups) and gets whatever system:authenticated is granted. "+
				"Map the principals that need access instead.", a.Value)
		}
	},
}

var authGroupTypo = &analysis.Rule{
	ID:       "AUTH017",
	Title:    "misspelt system group",
	Severity: analysis.High,
	Kinds:    awsAuthKinds,
	Doc: "Kubernetes group names are compared exactly. system:master, System:masters, system:node or " +
		"system:bootstrapper are ordinary group names that nothing grants: the principal authenticates and then gets " +
		"Forbidden, and a node role with a misspelt group cannot join. Spell the group exactly (system:masters, " +
		"system:nodes, system:bootstrappers, system:node-proxier, eks:kube-proxy-windows). Before correcting " +
		"system:master to system:masters, decide whether the principal should have unrevocable cluster-admin at all. A node's " +
		"group misspelt is high (the node cannot join); a person's medium (they get Forbidden).",
	Refs: []string{"https://kubernetes.io/docs/reference/access-authn-authz/rbac/#default-roles-and-role-bindings", authConfigMapDoc},
	Run: func(p *analysis.Pass) {
		for _, m := range authOf(p, p.Doc).Mappings {
			for _, g := range m.Groups {
				right, ok := groupTypo(g.Value)
				if !ok {
					continue
				}
				msg := fmt.Sprintf("%q is not %s: group names are compared exactly, so this group grants nothing", g.Value, right)
				var fix *analysis.Fix
				if right != "system:masters" || breakGlass.MatchString(entryName(m)) {
					fix = &analysis.Fix{Summary: "Write " + right, Edits: []analysis.Edit{g.Replace(right)}}
				} else {
					msg += ". If " + entryName(m) + " should be an administrator, map it to a group bound to cluster-admin " +
						"rather than to system:masters, which no binding can revoke"
				}
				sev := analysis.High // a node that cannot join: an outage
				if m.nodeKind() == nodeNone && !strings.HasPrefix(right, "system:node") && right != "system:bootstrappers" && right != "eks:kube-proxy-windows" {
					sev = analysis.Medium // a person refused: a likely failure
				}
				p.Report(analysis.Finding{Severity: sev, Start: g.Start, End: g.End, Fix: fix, Message: msg + "."})
			}
		}
	},
}

var authDuplicate = &analysis.Rule{
	ID:       "AUTH018",
	Title:    "duplicate mapping shadows another entry",
	Severity: analysis.Medium,
	Kinds:    awsAuthKinds,
	Doc: "The authenticator keeps one entry per principal. For roles it compares ARNs without regard to case and the " +
		"last entry wins; for users an exact repeat wins the same way, while two spellings that differ only in case are " +
		"both kept and which one applies changes from call to call; a user ARN that a mapRoles entry also names is never " +
		"reached, because roles are looked up first. The shadowed entry's username and groups never apply. eksctl's " +
		"migration to access entries keeps the first entry instead, so the two can disagree. Merge the entries into one.",
	Refs: []string{authenticatorConfigMap, "https://github.com/kubernetes-sigs/aws-iam-authenticator/issues/436",
		"https://github.com/eksctl-io/eksctl/issues/4957"},
	Run: func(p *analysis.Pass) {
		m := authOf(p, p.Doc)
		for i, mp := range m.Mappings {
			if mp.ARN == nil && mp.Entry.SSO == nil {
				continue
			}
			start, end := mp.Keys[0].Key.Start, mp.Keys[0].Key.End
			if mp.ARN != nil {
				start, end = mp.ARN.Start, mp.ARN.End
			}
			if j := mp.ShadowedBy; j >= 0 {
				reportShadowed(p, mp, m.Mappings[j], start, end)
			} else if mp.CaseTwin && !firstTwin(m, i) {
				p.Reportf(start, end, nil, "%s is mapped in mapUsers more than once with different letter case; the "+
					"authenticator keeps all of them and which one applies is random. Keep one entry.", mp.Entry.ARN)
			}
		}
	},
}

// firstTwin reports whether an earlier user entry has the same ARN but
// for case, so that a case twin is reported once.
func firstTwin(m authModel, i int) bool {
	for _, other := range m.Mappings[:i] {
		if other.CaseTwin && strings.EqualFold(other.Entry.ARN, m.Mappings[i].Entry.ARN) {
			return false
		}
	}
	return true
}

func reportShadowed(p *analysis.Pass, shadowed, winner authMapping, start, end int) {
	line := p.Src.LineOf(winner.Keys[0].Key.Start)
	if winner.ARN != nil {
		line = p.Src.LineOf(winner.ARN.Start)
	}
	why := "the entry for the same role at line %d comes later, and the last entry wins"
	if winner.isRole() && !shadowed.isRole() {
		why = "the mapRoles entry for the same ARN at line %d is looked up first"
	}
	f := analysis.Finding{Start: start, End: end, Message: fmt.Sprintf("This entry never applies: "+why+". In force is %s; ignored is %s.",
		line, describeEntry(winner.Entry), describeEntry(shadowed.Entry))}
	if shadowed.nodeKind() != nodeNone && winner.nodeKind() == nodeNone {
		f.Severity = analysis.High
		f.Message += " The node mapping is the one lost, so nodes using this role cannot join."
	}
	p.Report(f)
}

// describeEntry says what an entry maps, for messages.
func describeEntry(e authEntry) string {
	username := e.Username
	if username == "" {
		username = "(none)"
	}
	groups := "no groups"
	if len(e.Groups) > 0 {
		groups = "groups " + strings.Join(e.Groups, ", ")
	}
	return "username " + username + " with " + groups
}
