package fixes

import (
	"fmt"
	"slices"
	"strings"

	"github.com/eksdoctor/eksdoctor/analysis"
)

// The access-entry rules. Each per-entry check is a function of the
// neutral model, so that any reader's entries (CLI JSON, eksctl,
// CloudFormation, Terraform) go through the same checks.

// accessEntryKinds are the kinds of document accessModelOf reads. The
// Terraform family adds KindTerraform here, with its reader of
// aws_eks_access_entry, aws_eks_access_policy_association and
// aws_eks_cluster access_config in accessModelOf, and every access-entry
// rule then checks Terraform too.
var accessEntryKinds = []analysis.Kind{analysis.KindAccessEntries, analysis.KindTerraform}

// eachEntry turns a check of one entry into a rule's run function.
func eachEntry(check func(p *analysis.Pass, m accessModel, e accessEntry)) func(*analysis.Pass) {
	return func(p *analysis.Pass) {
		m := accessModelOf(p, p.Doc)
		for _, e := range m.Entries {
			check(p, m, e)
		}
	}
}

var aeSystemGroup = &analysis.Rule{
	ID:       "AE001",
	Title:    "access entry group with the reserved system: prefix",
	Severity: analysis.High,
	Kinds:    accessEntryKinds,
	Doc: "EKS refuses kubernetesGroups that start with system: (InvalidParameterException: The kubernetes group name " +
		"system:masters is invalid, it cannot start with system:), which is where a straight copy of aws-auth fails. " +
		"system:masters becomes an association of AmazonEKSClusterAdminPolicy with cluster scope; node groups " +
		"(system:nodes, system:bootstrappers) become an entry of type EC2_LINUX or EC2_WINDOWS with no groups; other " +
		"system: groups have no access-entry equivalent and stay in aws-auth.",
	Refs: []string{createEntriesDoc, createEntryAPI, tfEKSIssue2915,
		migrateEntriesDoc},
	Run: eachEntry(func(p *analysis.Pass, m accessModel, e accessEntry) {
		if e.State || e.isNodeType() {
			return
		}
		for _, g := range e.Groups {
			if !strings.HasPrefix(g.Value, "system:") {
				continue
			}
			msg := fmt.Sprintf("EKS rejects this entry: the kubernetes group name %s is invalid, it cannot start with system:.", g.Value)
			var fix *analysis.Fix
			switch g.Value {
			case "system:masters":
				msg += " Associate AmazonEKSClusterAdminPolicy with cluster scope instead."
				fix = clusterAdminFix(p, e, g)
			case "system:nodes", "system:bootstrappers":
				msg += " For a node role, create the entry with type EC2_LINUX (or EC2_WINDOWS) and no groups."
			default:
				msg += " This group has no access-entry equivalent; keep it in aws-auth."
			}
			p.Reportf(g.Start, g.End, fix, "%s", msg)
		}
	}),
}

// clusterAdminFix replaces system:masters in a YAML entry with an
// association of AmazonEKSClusterAdminPolicy at cluster scope: it drops
// the group (the whole groups field when it is the only one) and adds
// the policies field, when the entry has none yet.
func clusterAdminFix(p *analysis.Pass, e accessEntry, g analysis.Scalar) *analysis.Fix {
	i := slices.IndexFunc(yamlEntrySchemas, func(s entrySchema) bool { return s.source == e.Source })
	if i < 0 || e.PoliciesField != nil || e.GroupsField == nil || e.GroupsField.Remove == nil {
		return nil
	}
	remove := *e.GroupsField.Remove
	if len(e.Groups) > 1 {
		del, ok := deleteItem(g)
		if !ok {
			return nil
		}
		remove = del
	}
	indent := strings.Repeat(" ", e.GroupsField.Indent)
	nl := p.Src.Newline()
	n := yamlEntrySchemas[i]
	block := indent + n.policies + ":" + nl +
		indent + "  - " + n.policyARN + ": " + accessPolicyARN(e, "AmazonEKSClusterAdminPolicy") + nl +
		indent + "    " + n.scope + ":" + nl +
		indent + "      " + n.scopeType + ": cluster" + nl
	end := e.GroupsField.Remove.End
	edits := []analysis.Edit{remove, analysis.Insert(end, block)}
	if remove.End == end {
		edits = []analysis.Edit{analysis.Replace(remove.Start, remove.End, block)}
	}
	return &analysis.Fix{Summary: "Replace system:masters with AmazonEKSClusterAdminPolicy at cluster scope", Edits: edits}
}

// accessPolicyARN returns the ARN of a managed access policy in the
// partition of the entry's principal.
func accessPolicyARN(e accessEntry, name string) string {
	partition := "aws"
	if e.PrincipalARN != nil {
		if a, ok := analysis.ParseARN(e.PrincipalARN.Value); ok && slices.Contains(analysis.Partitions, a.Partition) {
			partition = a.Partition
		}
	}
	return "arn:" + partition + ":eks::aws:cluster-access-policy/" + name
}

// reservedUsernamePrefixes are the prefixes a custom username cannot have.
var reservedUsernamePrefixes = []string{"system:", "eks:", "aws:", "amazon:", "iam:"}

var aeReservedUsername = &analysis.Rule{
	ID:       "AE002",
	Title:    "access entry username with a reserved prefix",
	Severity: analysis.High,
	Kinds:    accessEntryKinds,
	Doc: "A custom username can't start with system:, eks:, aws:, amazon: or iam: (InvalidParameterException: The " +
		"username must not begin with system:). Usernames copied from aws-auth such as system:node:… or " +
		"aws:{{AccountID}}:… fail. Leave the username out (EKS then uses the principal's ARN, with {{SessionName}} for " +
		"roles) or pick a name without those prefixes; node roles get a node type instead.",
	Refs: []string{customUsernameDoc, createEntriesDoc, createEntryAPI},
	Run: eachEntry(func(p *analysis.Pass, m accessModel, e accessEntry) {
		if e.State || e.isNodeType() || e.Username == nil {
			return
		}
		for _, prefix := range reservedUsernamePrefixes {
			if strings.HasPrefix(strings.ToLower(e.Username.Value), prefix) {
				p.Reportf(e.Username.Start, e.Username.End, nil, "EKS rejects the username %s: a username must not begin with %s. "+
					"Leave it out to get the default, or choose one without a reserved prefix.", e.Username.Value, prefix)
				return
			}
		}
	}),
}

var aeSessionNameColon = &analysis.Rule{
	ID:       "AE003",
	Title:    "{{SessionName}} in an access entry username without a colon before it",
	Severity: analysis.High,
	Kinds:    accessEntryKinds,
	Doc: "In an access entry username, {{SessionName}} and {{SessionNameRaw}} must come after a colon: " +
		":john{{SessionName}} and jo:hn{{SessionName}} are accepted, john{{SessionName}} and a bare {{SessionName}} are " +
		"not. Put a colon before the variable, for example developer:{{SessionName}}, or leave the username out.",
	Refs: []string{customUsernameDoc, createEntriesDoc},
	Run: eachEntry(func(p *analysis.Pass, m accessModel, e accessEntry) {
		if e.State || e.Username == nil {
			return
		}
		u := e.Username
		at := strings.Index(u.Value, "{{SessionName")
		if at < 0 || strings.Contains(u.Value[:at], ":") {
			return
		}
		var fix *analysis.Fix
		msg := fmt.Sprintf("EKS rejects the username %s: {{SessionName}} must come after a colon.", u.Value)
		if at > 0 && u.Value == u.At.Source().Text[u.AtStart:u.AtEnd] {
			from := at
			if strings.ContainsAny(u.Value[at-1:at], "-_.@") {
				from--
			}
			fix = &analysis.Fix{Summary: "Put a colon before the session name", Edits: []analysis.Edit{u.At.Edit(u.AtStart+from, u.AtStart+at, ":")}}
			msg += " Write " + u.Value[:from] + ":" + u.Value[at:] + "."
		} else {
			msg += " Write a name before it, such as developer:" + u.Value[at:] + ", or leave the username out."
		}
		p.Reportf(u.Start, u.End, fix, "%s", msg)
	}),
}

var aeEntryType = &analysis.Rule{
	ID:       "AE004",
	Title:    "access entry type invalid, wrong for a node role, or over-specified",
	Severity: analysis.High,
	Kinds:    accessEntryKinds,
	Doc: "The type is STANDARD, EC2_LINUX, EC2_WINDOWS, FARGATE_LINUX, HYBRID_LINUX, EC2 (Auto Mode) or " +
		"HYPERPOD_LINUX, and it can't be changed later. Node types (EC2_LINUX, EC2_WINDOWS, FARGATE_LINUX, HYBRID_LINUX, " +
		"HYPERPOD_LINUX) take an IAM role only, and EKS sets their username and groups itself: kubernetesGroups, a " +
		"username or an access policy is rejected. Auto Mode EC2 entries need the AmazonEKSAutoNodePolicy association. " +
		"Remove what the type does not allow, or use STANDARD for people and CI. A role named like a node role " +
		"(NodeInstanceRole, KarpenterNodeRole-…, a node group's role, FargatePodExecutionRole) in a STANDARD entry " +
		"gets neither the node username nor system:nodes, so nodes using it cannot join.",
	Refs: []string{createEntriesDoc, createEntryAPI, eksctlEntriesDoc},
	Run: eachEntry(func(p *analysis.Pass, m accessModel, e accessEntry) {
		if e.Type != nil && !slices.Contains(accessEntryTypes, e.Type.Value) {
			reportEntryType(p, e)
			return
		}
		checkStandardNodeRole(p, e)
		if e.State {
			return
		}
		if e.isNodeType() {
			checkNodeEntry(p, e)
		}
		if e.entryType() == "EC2" && !slices.ContainsFunc(e.Policies, func(pol accessPolicy) bool {
			return pol.PolicyARN != nil && strings.HasSuffix(pol.PolicyARN.Value, "/AmazonEKSAutoNodePolicy")
		}) {
			p.Reportf(e.Type.Start, e.Type.End, nil, "An EC2 (Auto Mode) entry needs the AmazonEKSAutoNodePolicy association, "+
				"or nodes of a custom node class cannot join.")
		}
	}),
}

func reportEntryType(p *analysis.Pass, e accessEntry) {
	var fix *analysis.Fix
	msg := "EKS rejects the type " + quoteOr(e.Type.Value, `""`) + "; it is one of " + strings.Join(accessEntryTypes, ", ") + "."
	for _, t := range accessEntryTypes {
		if normKey(e.Type.Value) == normKey(t) {
			fix = &analysis.Fix{Summary: "Write " + t, Edits: []analysis.Edit{e.Type.Replace(t)}}
			msg += " Write " + t + "."
		}
	}
	p.Reportf(e.Type.Start, e.Type.End, fix, "%s", msg)
}

// checkStandardNodeRole reports a STANDARD entry for a role named like a
// node role, unless its groups or policies show it is meant for people
// (system: groups are AE001's).
func checkStandardNodeRole(p *analysis.Pass, e accessEntry) {
	if e.PrincipalARN == nil || e.entryType() != "STANDARD" || len(e.Policies) > 0 ||
		slices.ContainsFunc(e.Groups, func(g analysis.Scalar) bool { return strings.HasPrefix(g.Value, "system:") }) {
		return
	}
	a, ok := analysis.ParseARN(e.PrincipalARN.Value)
	kind := nodeRoleKind(a.Name())
	if !ok || a.ResourceType() != "role" || kind == nodeNone {
		return
	}
	start, end := e.PrincipalARN.Start, e.PrincipalARN.End
	if e.Type != nil {
		start, end = e.Type.Start, e.Type.End
	}
	p.Report(analysis.Finding{Severity: analysis.Medium, Start: start, End: end, Message: fmt.Sprintf(
		"%s is named like a %s, but its entry is STANDARD: if nodes use it, they cannot join, because only a node "+
			"type gives them their node username and system:nodes. Give it an entry of type %s, with no groups, username "+
			"or policies; the type cannot be changed, so the STANDARD entry is deleted first.", a.Name(), kind, kind.entryType())})
}

// checkNodeEntry reports what a node-type entry cannot have.
func checkNodeEntry(p *analysis.Pass, e accessEntry) {
	typ := e.entryType()
	if e.PrincipalARN != nil {
		if a, ok := analysis.ParseARN(e.PrincipalARN.Value); ok && a.ResourceType() == "user" {
			p.Reportf(e.PrincipalARN.Start, e.PrincipalARN.End, nil, "An entry of type %s takes an IAM role; %s is a user.", typ, e.PrincipalARN.Value)
		}
	}
	for _, f := range []struct {
		field *accessField
		what  string
	}{{e.GroupsField, "Kubernetes groups"}, {e.UsernameField, "a username"}, {e.PoliciesField, "access policies"}} {
		if f.field == nil {
			continue
		}
		var fix *analysis.Fix
		if f.field.Remove != nil {
			fix = &analysis.Fix{Summary: "Remove " + f.what + " from the " + typ + " entry", Edits: []analysis.Edit{*f.field.Remove}}
		}
		p.Reportf(f.field.Start, f.field.End, fix, "An entry of type %s can't have %s: EKS sets what nodes need and rejects the entry. Remove it.", typ, f.what)
	}
}

var aeClusterAdmin = &analysis.Rule{
	ID:       "AE005",
	Title:    "cluster-wide AmazonEKSClusterAdminPolicy for a non-admin principal",
	Severity: analysis.High,
	Kinds:    accessEntryKinds,
	Doc: "AmazonEKSClusterAdminPolicy with cluster scope is cluster-admin: every verb on every resource, Secrets " +
		"included, in every namespace. It is what aws-auth's system:masters migrates to, so a developer or CI role " +
		"that was over-privileged there stays over-privileged here. Give such principals AmazonEKSEditPolicy or " +
		"AmazonEKSViewPolicy scoped to their namespaces, or Kubernetes groups bound to narrower roles, and keep the " +
		"cluster admin policy for administrators and break-glass roles.",
	Refs: []string{accessPoliciesDoc, eksRBACDoc,
		eksBestIAM},
	Run: eachEntry(func(p *analysis.Pass, m accessModel, e accessEntry) {
		if e.PrincipalARN == nil || adminName.MatchString(e.PrincipalARN.Value) || breakGlass.MatchString(e.PrincipalARN.Value) {
			return
		}
		for _, pol := range e.Policies {
			if pol.PolicyARN == nil || !strings.HasSuffix(pol.PolicyARN.Value, "/AmazonEKSClusterAdminPolicy") ||
				pol.ScopeType == nil || pol.ScopeType.Value != "cluster" {
				continue
			}
			p.Reportf(pol.PolicyARN.Start, pol.PolicyARN.End, nil, "%s gets AmazonEKSClusterAdminPolicy with cluster scope: "+
				"full control of every namespace, Secrets included. Unless it is an administrator, associate "+
				"AmazonEKSEditPolicy or AmazonEKSViewPolicy scoped to its namespaces instead.", e.PrincipalARN.Value)
		}
	}),
}
