package fixes

import (
	"fmt"
	"slices"
	"strings"

	"github.com/eksdoctor/eksdoctor/analysis"
)

// The migration from aws-auth to access entries follows what EKS and
// eksctl do: system:masters becomes AmazonEKSClusterAdminPolicy at cluster
// scope, node roles become EC2_LINUX or EC2_WINDOWS entries without
// username or groups, hybrid node roles HYBRID_LINUX; Fargate entries are
// left to EKS, and other system: groups, mapAccounts, sso matchers and
// service-linked roles cannot move. Unlike eksctl (which keeps the first
// of duplicate entries) it migrates the entry the authenticator actually
// uses. The mode goes to API_AND_CONFIG_MAP first, aws-auth stays until
// the entries work, and API comes last, only when nothing is left behind.

// migrationEntry is one access entry to create.
type migrationEntry struct {
	// ARN is the principal's ARN as aws-auth has it, without a role path.
	ARN string
	// Role is false for IAM users.
	Role bool
	// Name is the role or user name, to look up its real ARN.
	Name string
	// Type is STANDARD, EC2_LINUX, EC2_WINDOWS or HYBRID_LINUX.
	Type     string
	Username string
	Groups   []string
	// ClusterAdmin adds AmazonEKSClusterAdminPolicy at cluster scope.
	ClusterAdmin bool
	// Notes say what changed on the way and what to check.
	Notes []string
	// Dormant is why the aws-auth entry never matched, when it did not:
	// the entry is written out commented, as creating it would grant
	// access for the first time.
	Dormant string
	// Partition of the principal, for policy ARNs.
	Partition string
}

// skippedMapping is a mapping that does not become an access entry.
type skippedMapping struct {
	What, Why string
	// ToEKS marks a mapping EKS replaces with an entry of its own (Fargate),
	// which does not keep the cluster from moving to API.
	ToEKS bool
}

// migrationPlan is the migration of the pasted aws-auth mappings.
type migrationPlan struct {
	Cluster, Region string
	// Mode is the cluster's current mode, "" when unknown.
	Mode    string
	Entries []migrationEntry
	// Existing are mappings whose principal already has an access entry.
	Existing []string
	Skipped  []skippedMapping
}

var authMigration = &analysis.Rule{
	ID:       "AUTH021",
	Title:    "aws-auth mappings to migrate to access entries",
	Severity: analysis.Info,
	Kinds:    append([]analysis.Kind{analysis.KindAWSAuth}, accessEntryKinds...),
	Cross:    true,
	Doc: "EKS access entries replace aws-auth: they are managed through the EKS API, survive a broken ConfigMap, and " +
		"accept role ARNs with paths. The plan migrates each mapping in force: system:masters becomes " +
		"AmazonEKSClusterAdminPolicy at cluster scope (review who really needs it), node roles become EC2_LINUX or " +
		"EC2_WINDOWS entries, other groups stay Kubernetes groups bound by RBAC. Fargate entries are created by EKS, and " +
		"mapAccounts, other system: groups, sso matchers and service-linked roles cannot move. Switch the mode to " +
		"API_AND_CONFIG_MAP, create the entries, check them, remove the migrated aws-auth entries, and switch to API " +
		"only when aws-auth is empty.",
	Refs: []string{migrateEntriesDoc, accessEntriesSetupDoc, createEntriesDoc, eksctlEntriesDoc,
		tfAccessEntryResource},
	Run: func(p *analysis.Pass) {
		plan := planMigration(p)
		if len(plan.Entries)+len(plan.Skipped)+len(plan.Existing) == 0 {
			return
		}
		at := migrationAnchor(p)
		if at < 0 {
			return
		}
		p.Reportf(at, at, nil, "%s", plan.summary())
		suggestMigration(p, plan)
		if len(plan.Entries) > 0 {
			p.Attach(analysis.Artifact{Title: "Migration to access entries: aws CLI", Filename: "aws-auth-to-access-entries.sh", Content: plan.shell()})
			p.Attach(analysis.Artifact{Title: "Migration to access entries: Terraform", Filename: "aws-auth-to-access-entries.tf", Content: plan.terraform()})
			p.Attach(analysis.Artifact{Title: "Migration to access entries: eksctl", Filename: "aws-auth-to-access-entries.eksctl.yaml", Content: plan.eksctl()})
		}
	},
}

// migrationAnchor returns where the migration finding goes: the first
// section key of the first aws-auth document with one, or -1.
func migrationAnchor(p *analysis.Pass) int {
	for _, doc := range authDocs(p) {
		for _, s := range authOf(p, doc).Sections {
			if s.Key != nil {
				return p.Src.NodeStart(s.Key)
			}
			if s.KeySpan != [2]int{} {
				return s.KeySpan[0]
			}
			if s.Value != nil {
				return p.Src.NodeStart(s.Value)
			}
		}
	}
	return -1
}

// planMigration builds the plan from every pasted aws-auth document and
// what the pasted access-entry documents say about the cluster.
func planMigration(p *analysis.Pass) migrationPlan {
	var plan migrationPlan
	existing := map[string]bool{}
	for _, doc := range p.OfKind(accessEntryKinds...) {
		m := accessModelOf(p, doc)
		plan.Cluster, plan.Region = firstOf(plan.Cluster, m.Cluster), firstOf(plan.Region, m.Region)
		if c := m.Config; c != nil && !c.Desired && c.Mode != nil {
			plan.Mode = c.Mode.Value
		}
		for _, e := range m.Entries {
			if e.PrincipalARN != nil {
				existing[principalID(e.PrincipalARN.Value)] = true
			}
		}
	}
	seen := map[string]bool{}
	for _, doc := range authDocs(p) {
		m := authOf(p, doc)
		if m.Form == formEksctl && m.Root != nil {
			plan.Cluster = firstOf(plan.Cluster, analysis.ScalarValue(m.Root, "metadata", "name"))
			plan.Region = firstOf(plan.Region, analysis.ScalarValue(m.Root, "metadata", "region"))
		}
		for _, mp := range m.Mappings {
			if mp.ShadowedBy >= 0 || mp.Entry.Drop != "" || m.Sections[mp.sec].Unread != "" {
				continue
			}
			id := principalID(mp.Entry.ARN)
			switch {
			case seen[id] && mp.Entry.SSO == nil:
			case existing[id]:
				plan.Existing = append(plan.Existing, mp.Entry.ARN)
			default:
				plan.add(mp)
			}
			seen[id] = true
		}
		for _, a := range m.Accounts {
			plan.Skipped = append(plan.Skipped, skippedMapping{What: "mapAccounts " + a.Value,
				Why: "access entries have no account-wide equivalent; create entries for the principals that need access"})
		}
	}
	return plan
}

func firstOf(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// add plans one mapping in force.
func (plan *migrationPlan) add(mp authMapping) {
	e := mp.Entry
	what := e.ARN
	skip := func(why string) { plan.Skipped = append(plan.Skipped, skippedMapping{What: what, Why: why}) }
	if e.SSO != nil {
		what = "sso " + e.SSO.PermissionSetName
		skip("the sso matcher names no principal; create an entry for the permission set's role with its full ARN")
		return
	}
	if !known(e.ARN) {
		return // a masked or unfilled ARN cannot be looked up
	}
	if why, _ := unmatchableARN(e.ARN); why != "" {
		skip("it " + why + ", so it never matched")
		return
	}
	a, _ := analysis.ParseARN(e.ARN)
	me := migrationEntry{ARN: e.ARN, Role: mp.isRole(), Name: a.Name(), Type: "STANDARD", Partition: a.Partition}
	if me.Role && a.Path() != "/" {
		me.Dormant = "aws-auth never matched it because of the role path " + a.Path() + "; an access entry would grant access for the first time"
		me.ARN = analysis.ARN{Partition: a.Partition, Service: a.Service, Region: a.Region, Account: a.Account, Resource: "role/" + a.Name()}.String()
	}
	if strings.HasPrefix(a.Path(), "/aws-service-role/") || strings.HasPrefix(a.Name(), "AWSServiceRoleFor") {
		skip("it is a service-linked role, which access entries do not support")
		return
	}
	switch mp.nodeKind() {
	case nodeLinux:
		me.Type = "EC2_LINUX"
		me.Notes = append(me.Notes, "skip it if this is a managed node group's role: EKS creates that entry itself")
	case nodeWindows:
		me.Type = "EC2_WINDOWS"
	case nodeHybrid:
		me.Type = "HYBRID_LINUX"
	case nodeFargate:
		plan.Skipped = append(plan.Skipped, skippedMapping{what,
			"EKS creates the FARGATE_LINUX entry for a Fargate profile's pod execution role itself; check that it exists", true})
		return
	case nodeSession:
		skip("a system:node:{{SessionName}} role is a Fargate pod execution role (EKS creates its entry) or a hybrid nodes role (create a HYBRID_LINUX entry)")
		return
	default:
		if reason := me.standard(e); reason != "" {
			skip(reason)
			return
		}
	}
	plan.Entries = append(plan.Entries, me)
}

// standard fills in a STANDARD entry from an aws-auth entry, or says why
// it cannot become one.
func (me *migrationEntry) standard(e authEntry) string {
	for _, g := range e.Groups {
		switch {
		case g == "system:masters":
			me.ClusterAdmin = true
		case strings.HasPrefix(g, "system:"):
			return "its group " + g + " starts with system:, which access entries do not accept and no access policy replaces"
		case g != "" && !slices.Contains(me.Groups, g):
			me.Groups = append(me.Groups, g)
		}
	}
	u := e.Username
	switch {
	case strings.Contains(u, "{{EC2PrivateDNSName}}"):
		return "its username uses {{EC2PrivateDNSName}}, which only nodes can render"
	case u == "":
	case slices.ContainsFunc(reservedUsernamePrefixes, func(p string) bool { return strings.HasPrefix(strings.ToLower(u), p) }):
		me.Notes = append(me.Notes, "username "+u+" dropped: access entry usernames cannot start with system:, eks:, aws:, amazon: or iam:")
	case strings.Contains(u, "{{SessionName") && !strings.Contains(u[:strings.Index(u, "{{SessionName")], ":"):
		me.Notes = append(me.Notes, "username "+u+" dropped: access entries need a colon before {{SessionName}}")
	default:
		me.Username = u
	}
	if me.ClusterAdmin {
		me.Notes = append(me.Notes, "was system:masters: review whether it needs cluster admin at all")
	}
	return ""
}

// blocked reports whether a mapping that stays in aws-auth keeps the
// cluster on API_AND_CONFIG_MAP.
func (plan migrationPlan) blocked() bool {
	return slices.ContainsFunc(plan.Skipped, func(s skippedMapping) bool { return !s.ToEKS })
}

// summary is the finding's message.
func (plan migrationPlan) summary() string {
	var parts []string
	counts := map[string]int{}
	admins := 0
	for _, e := range plan.Entries {
		counts[e.Type]++
		if e.ClusterAdmin {
			admins++
		}
	}
	msg := fmt.Sprintf("%s can become access entries", plural(len(plan.Entries), "aws-auth mapping"))
	if len(plan.Entries) == 0 {
		msg = "No aws-auth mapping can become an access entry"
	}
	for _, t := range accessEntryTypes {
		if counts[t] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", counts[t], t))
		}
	}
	if len(parts) > 0 {
		msg += " (" + strings.Join(parts, ", ")
		if admins > 0 {
			msg += fmt.Sprintf("; %d with AmazonEKSClusterAdminPolicy in place of system:masters", admins)
		}
		msg += ")"
	}
	if len(plan.Existing) > 0 {
		msg += fmt.Sprintf("; %s already %s one", plural(len(plan.Existing), "principal"),
			map[bool]string{true: "has", false: "have"}[len(plan.Existing) == 1])
	}
	if len(plan.Skipped) > 0 {
		var why []string
		for _, s := range plan.Skipped {
			why = append(why, s.What+" ("+s.Why+")")
		}
		msg += fmt.Sprintf("; %s will not: %s", plural(len(plan.Skipped), "mapping"), strings.Join(why, "; "))
	}
	msg += "."
	if len(plan.Entries) > 0 {
		msg += " The plan is attached as aws CLI commands, Terraform and an eksctl config; keep aws-auth until the new entries work."
	}
	return msg
}

// suggestMigration lists the migration as next steps.
func suggestMigration(p *analysis.Pass, plan migrationPlan) {
	cluster := shellCluster(plan)
	set := ""
	if plan.Cluster == "" {
		set = "export CLUSTER=my-cluster   # your cluster's name\n"
	}
	if plan.Mode == "" || plan.Mode == "CONFIG_MAP" {
		p.SuggestCommand("Let the cluster read access entries and aws-auth together",
			set+"aws eks update-cluster-config --name "+cluster+" --access-config authenticationMode=API_AND_CONFIG_MAP\n"+
				"aws eks wait cluster-active --name "+cluster, "")
	}
	if len(plan.Entries) > 0 {
		p.SuggestCommand("Create the access entries (aws-auth stays as it is)", set+plan.commands(cluster, false), "")
		p.SuggestCommand("Check the access entries before removing anything from aws-auth",
			set+"aws eks list-access-entries --cluster-name "+cluster+"\n"+
				"aws eks list-associated-access-policies --cluster-name "+cluster+" --principal-arn PRINCIPAL_ARN\n"+
				"kubectl auth whoami   # run as each migrated principal", "")
	}
	var kept, toEKS []string
	for _, s := range plan.Skipped {
		if s.ToEKS {
			toEKS = append(toEKS, s.What+": "+s.Why)
		} else {
			kept = append(kept, s.What+": "+s.Why)
		}
	}
	if len(toEKS) > 0 {
		p.Suggest("Check the entries EKS creates itself", strings.Join(toEKS, "\n"))
	}
	if len(kept) > 0 {
		p.Suggest("Keep these mappings in aws-auth and stay on API_AND_CONFIG_MAP", strings.Join(kept, "\n"))
		return
	}
	p.SuggestCommand("Switch to API only when aws-auth has no entry left (it cannot be undone)",
		set+"aws eks update-cluster-config --name "+cluster+" --access-config authenticationMode=API", "")
}
