package fixes

import (
	"fmt"
	"slices"
	"strings"

	"github.com/eksdoctor/eksdoctor/analysis"
)

// The rules about the cluster's authentication mode, which decides
// whether access entries, aws-auth or both are read.

var aeAuthMode = &analysis.Rule{
	ID:       "AE006",
	Title:    "authentication mode that does not allow access entries",
	Severity: analysis.High,
	Kinds:    accessEntryKinds,
	Cross:    true,
	Doc: "Access entries work only when the cluster's authentication mode is API_AND_CONFIG_MAP or API; in CONFIG_MAP " +
		"mode every access-entry call fails with 'The cluster's authentication mode must be set to one of [API, " +
		"API_AND_CONFIG_MAP]'. The mode is one of CONFIG_MAP, API_AND_CONFIG_MAP and API, and a cluster created in " +
		"CONFIG_MAP mode must keep bootstrapClusterCreatorAdminPermissions true. Switch to API_AND_CONFIG_MAP first " +
		"(aws eks update-cluster-config --access-config authenticationMode=API_AND_CONFIG_MAP); it keeps aws-auth working.",
	Refs: []string{accessEntriesSetupDoc, accessEntriesDoc, "https://github.com/aws-ia/terraform-aws-eks-blueprints/issues/1877",
		tfEKSIssue3026},
	Run: func(p *analysis.Pass) {
		entries := false
		var current *accessConfig
		for _, doc := range p.OfKind(accessEntryKinds...) {
			m := accessModelOf(p, doc)
			entries = entries || slices.ContainsFunc(m.Entries, func(e accessEntry) bool { return !e.State })
			if c := m.Config; c != nil {
				checkModeValue(p, m, c)
				if !c.Desired && c.Mode != nil && c.Mode.Value == "CONFIG_MAP" {
					current = c
				}
			}
		}
		if current != nil && entries {
			p.Reportf(current.Mode.Start, current.Mode.End, nil, "The cluster is in CONFIG_MAP mode, so creating the access "+
				"entries pasted here fails: the cluster's authentication mode must be set to one of [API, API_AND_CONFIG_MAP]. "+
				"Switch to API_AND_CONFIG_MAP first.")
			p.SuggestCommand("Enable access entries while keeping aws-auth",
				"aws eks update-cluster-config "+clusterRef(p).flags("--name")+" --access-config authenticationMode=API_AND_CONFIG_MAP\n"+
					"aws eks wait cluster-active "+clusterRef(p).flags("--name"),
				"The cluster then reads access entries and aws-auth together; the change cannot be undone.")
		}
	},
}

// checkModeValue checks one document's mode: a value EKS knows, access
// entries only with a mode that reads them, and the creator's admin
// permissions kept in CONFIG_MAP mode.
func checkModeValue(p *analysis.Pass, m accessModel, c *accessConfig) {
	mode := "CONFIG_MAP"
	if c.Mode != nil {
		mode = c.Mode.Value
	}
	switch {
	case c.Mode != nil && !slices.Contains(authModes, mode):
		var fix *analysis.Fix
		msg := "EKS rejects the authentication mode " + quoteOr(mode, `""`) + "; it is one of " + strings.Join(authModes, ", ") + "."
		for _, want := range authModes {
			if normKey(mode) == normKey(want) {
				fix = &analysis.Fix{Summary: "Write " + want, Edits: []analysis.Edit{c.Mode.Replace(want)}}
				msg += " Write " + want + "."
			}
		}
		p.Reportf(c.Mode.Start, c.Mode.End, fix, "%s", msg)
	case c.Desired && c.Mode != nil && mode == "CONFIG_MAP" && len(m.Entries) > 0:
		p.Reportf(c.Mode.Start, c.Mode.End, &analysis.Fix{Summary: "Use API_AND_CONFIG_MAP", Edits: []analysis.Edit{c.Mode.Replace("API_AND_CONFIG_MAP")}},
			"This configuration defines access entries but sets the authentication mode to CONFIG_MAP, which does not read "+
				"them (eksctl: authenticationMode must be set to either API_AND_CONFIG_MAP or API to use access entries). "+
				"Use API_AND_CONFIG_MAP, which keeps aws-auth working too.")
	case c.Desired && c.Mode != nil && mode == "CONFIG_MAP" && c.BootstrapAdmin != nil && c.BootstrapAdmin.Value == "false":
		p.Reportf(c.BootstrapAdmin.Start, c.BootstrapAdmin.End, nil, "EKS refuses to create this cluster: "+
			"bootstrapClusterCreatorAdminPermissions must be true if cluster authentication mode is set to CONFIG_MAP. "+
			"Set it to true, or use API_AND_CONFIG_MAP and give an administrator an access entry.")
	}
}

var aeModeChange = &analysis.Rule{
	ID:       "AE007",
	Title:    "authentication mode change EKS rejects or that drops aws-auth",
	Severity: analysis.Medium,
	Kinds:    append([]analysis.Kind{analysis.KindAWSAuth}, accessEntryKinds...),
	Cross:    true,
	Doc: "The mode only moves forward, one step at a time: CONFIG_MAP to API_AND_CONFIG_MAP, then to API, and never " +
		"back. CONFIG_MAP straight to API fails (Unsupported authentication mode update from CONFIG_MAP to API). In API " +
		"mode aws-auth is not read at all, so every principal mapped only there, self-managed node roles included, " +
		"loses access. Move to API_AND_CONFIG_MAP, create an access entry for each aws-auth mapping, check them, and " +
		"only then switch to API. A step EKS rejects is medium (nothing changes); principals that lose access are high " +
		"(an outage, nodes included).",
	Refs: []string{accessEntriesSetupDoc, migrateEntriesDoc, tfAWSEKSUpgrade20},
	Run: func(p *analysis.Pass) {
		var current, desired *accessConfig
		var covered []string
		for _, doc := range p.OfKind(accessEntryKinds...) {
			m := accessModelOf(p, doc)
			if c := m.Config; c != nil && c.Mode != nil && slices.Contains(authModes, c.Mode.Value) {
				if c.Desired {
					desired = c
				} else {
					current = c
				}
			}
			for _, e := range m.Entries {
				if e.PrincipalARN != nil {
					covered = append(covered, principalID(e.PrincipalARN.Value))
				}
			}
		}
		if current != nil && desired != nil {
			checkModeStep(p, current, desired)
		}
		for _, c := range []*accessConfig{desired, current} {
			if c != nil && c.Mode.Value == "API" {
				reportIgnoredAWSAuth(p, c, covered)
				return
			}
		}
	},
}

// checkModeStep checks a requested mode against the cluster's current one.
func checkModeStep(p *analysis.Pass, current, desired *accessConfig) {
	from, to := slices.Index(authModes, current.Mode.Value), slices.Index(authModes, desired.Mode.Value)
	switch {
	case to < from:
		p.Reportf(desired.Mode.Start, desired.Mode.End, nil, "The cluster is in %s mode and cannot go back to %s: "+
			"the authentication mode only moves forward.", current.Mode.Value, desired.Mode.Value)
	case to-from == 2:
		p.Reportf(desired.Mode.Start, desired.Mode.End,
			&analysis.Fix{Summary: "Go to API_AND_CONFIG_MAP first", Edits: []analysis.Edit{desired.Mode.Replace("API_AND_CONFIG_MAP")}},
			"The cluster is in CONFIG_MAP mode; EKS rejects going straight to API (Unsupported authentication mode update "+
				"from CONFIG_MAP to API). Go to API_AND_CONFIG_MAP, create the access entries, then to API.")
	}
}

// reportIgnoredAWSAuth reports the aws-auth principals that lose access
// in API mode, when aws-auth is pasted beside it.
func reportIgnoredAWSAuth(p *analysis.Pass, c *accessConfig, covered []string) {
	var lost []string
	for _, doc := range authDocs(p) {
		for _, mp := range authOf(p, doc).Mappings {
			if mp.ShadowedBy < 0 && mp.Entry.Drop == "" && mp.ARN != nil && !slices.Contains(covered, principalID(mp.ARN.Value)) {
				lost = append(lost, mp.ARN.Value)
			}
		}
	}
	if len(lost) == 0 {
		return
	}
	p.Report(analysis.Finding{Severity: analysis.High, Start: c.Mode.Start, End: c.Mode.End, Message: fmt.Sprintf(
		"In API mode the cluster ignores aws-auth, and %s mapped there %s no access entry here: %s. "+
			"Create their access entries before switching (or stay on API_AND_CONFIG_MAP).",
		plural(len(lost), "principal"), map[bool]string{true: "has", false: "have"}[len(lost) == 1], strings.Join(lost, ", "))})
}

// principalID identifies an IAM principal across aws-auth and access
// entries: the ARN lower-cased, with a role's path removed (aws-auth
// cannot have it, access entries may).
func principalID(arn string) string {
	a, ok := analysis.ParseARN(arn)
	if ok && a.ResourceType() == "role" {
		a.Resource = "role/" + a.Name()
		arn = a.String()
	}
	return strings.ToLower(arn)
}
