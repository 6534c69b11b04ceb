package fixes

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	yaml "go.yaml.in/yaml/v3"

	"github.com/eksdoctor/eksdoctor/analysis"
)

var awsAuthKinds = []analysis.Kind{analysis.KindAWSAuth, analysis.KindTerraform}

var authRolePath = &analysis.Rule{
	ID:       "AUTH001",
	Title:    "role ARN with an IAM path never matches",
	Severity: analysis.High,
	Kinds:    awsAuthKinds,
	Doc: "The authenticator compares the caller's ARN from sts:GetCallerIdentity with each rolearn. " +
		"For a role that ARN is built from the assumed-role session, which carries only the role's name, never its path, " +
		"so an entry written as role/my-team/my-role or role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_… never matches " +
		"and the person gets Unauthorized. Write the ARN without the path: arn:aws:iam::ACCOUNT:role/NAME. " +
		"EKS access entries, unlike aws-auth, accept the full ARN with its path.",
	Refs: []string{authConfigMapDoc, authenticatorARN,
		"https://github.com/kubernetes-sigs/aws-iam-authenticator/issues/268"},
	Run: func(p *analysis.Pass) {
		for _, m := range authOf(p, p.Doc).Mappings {
			if m.ARN == nil {
				continue
			}
			arn, ok := analysis.ParseARN(m.ARN.Value)
			if !ok || !known(arn.Path()) || !strings.EqualFold(arn.Service, "iam") || arn.ResourceType() != "role" || arn.Path() == "/" {
				continue
			}
			stripped := arn
			stripped.Resource = "role/" + arn.Name()
			if why, _ := unmatchableARN(stripped.String()); why != "" {
				continue // without its path it still matches nobody (a wildcard): AUTH009 and others say why
			}
			what := "the IAM path " + arn.Path()
			switch {
			case strings.HasPrefix(arn.Path(), "/aws-reserved/sso.amazonaws.com/"):
				what = "the IAM Identity Center path " + arn.Path()
			case strings.HasPrefix(arn.Path(), "/aws-service-role/"):
				what = "the service-linked role path " + arn.Path()
			}
			p.Reportf(m.ARN.Start, m.ARN.End,
				&analysis.Fix{Summary: "Remove the path from the role ARN", Edits: []analysis.Edit{m.ARN.Replace(stripped.String())}},
				"%s includes %s; the authenticator matches roles by name only, so this entry never matches anyone. Use %s.",
				m.ARN.Value, what, stripped)
		}
	},
}

var authSystemMasters = &analysis.Rule{
	ID:       "AUTH002",
	Title:    "principal mapped to system:masters",
	Severity: analysis.High,
	Kinds:    awsAuthKinds,
	Doc: "Members of system:masters bypass every RBAC check, and no binding can take that away: the only way to revoke " +
		"it is to edit aws-auth again. Mapping developers, CI or read-only roles there gives them full control of the cluster, " +
		"and mapping a node role there hands cluster-admin to every pod that can reach the instance's credentials. " +
		"Map the principal to its own group instead and grant that group what it needs with a RoleBinding or ClusterRoleBinding " +
		"(the built-in view or edit ClusterRoles, or cluster-admin for real administrators), creating the binding before you " +
		"change the mapping. Keep system:masters for a break-glass role only. With access entries, use the " +
		"AmazonEKSClusterAdminPolicy association instead. The fix is a hardening, applied on request: it gives the principal " +
		"a group of its own and, in the same change, a ClusterRoleBinding of that group to cluster-admin, written before the " +
		"ConfigMap so that kubectl apply creates it first. Nobody loses access; narrow that binding afterwards. A node role " +
		"loses system:masters and keeps its node groups. A node role there is critical (every pod that reaches the " +
		"instance's credentials is cluster-admin now); an administrators' role medium; any other principal high.",
	Refs: []string{rbacGoodPractice, authConfigMapDoc, eksBestIAM, accessEntriesDoc},
	Run: func(p *analysis.Pass) {
		var people []mastersMapping
		for _, m := range authOf(p, p.Doc).Mappings {
			if m.ARN == nil || breakGlass.MatchString(m.ARN.Value) {
				continue
			}
			for _, g := range m.Groups {
				switch {
				case g.Value != "system:masters":
				case m.nodeKind() != nodeNone:
					reportMastersNode(p, m, g)
				default:
					people = append(people, mastersMapping{m, g, ""})
				}
			}
		}
		reportMastersPeople(p, people)
	},
}

// mastersMapping is a mapping of a person or a job to system:masters,
// and the group AUTH002's fix maps it to instead.
type mastersMapping struct {
	authMapping
	item  analysis.Scalar
	group string
}

// reportMastersNode reports a node role in system:masters, with the
// hardening that removes the group: nodes keep the groups they need.
func reportMastersNode(p *analysis.Pass, m authMapping, g analysis.Scalar) {
	var fix *analysis.Fix
	if del, ok := deleteItem(g); ok {
		fix = &analysis.Fix{Summary: "Remove system:masters from the node role", Edits: []analysis.Edit{del}, Harden: true}
	}
	p.Report(analysis.Finding{Severity: analysis.Critical, Start: g.Start, End: g.End, Fix: fix, Message: m.ARN.Value + " is a node role mapped to system:masters: " +
		"every pod that can read the node's instance credentials becomes cluster admin. Nodes need only " +
		strings.Join(m.nodeKind().groups(), ", ") + "."})
}

// reportMastersPeople reports the people and jobs of one document mapped
// to system:masters. Each gets a group of its own (one the paste uses for
// nothing else), and each fix carries the ClusterRoleBindings of all of
// them to cluster-admin, so that whichever fixes are applied, nobody
// loses access: the same edit in every fix, made once.
func reportMastersPeople(p *analysis.Pass, people []mastersMapping) {
	if len(people) == 0 {
		return
	}
	used := usedGroups(p)
	var bindings []string
	bound := map[string]bool{}
	tries := map[string]int{} // by own group: the suffixes tried
	for i := range people {
		own := ownGroup(people[i].authMapping)
		group := own
		bound[group] = bindsClusterAdmin(p, group)
		for used[group] && !bound[group] {
			tries[own]++
			group = own + "-admin"
			if tries[own] > 1 {
				group += "-" + strconv.Itoa(tries[own])
			}
			bound[group] = bindsClusterAdmin(p, group)
		}
		used[group] = true
		people[i].group = group
		if !bound[group] {
			bindings = append(bindings, strings.ReplaceAll(fmt.Sprintf(clusterAdminBinding, group, group), "\n", p.Src.Newline()))
		}
	}
	var carry func(string, []analysis.Edit) (string, []analysis.Edit)
	if len(bindings) > 0 {
		carry = carryBindings(p, bindings)
	}
	for _, m := range people {
		fix := &analysis.Fix{Harden: true, Edits: []analysis.Edit{m.item.Replace(m.group)}}
		fix.Summary = "Map to the group " + m.group + ", which the paste binds to cluster-admin, instead of system:masters"
		if !bound[m.group] {
			fix.Summary, fix.Edits = carry(m.group, fix.Edits)
		}
		if adminName.MatchString(m.ARN.Value) {
			p.Report(analysis.Finding{Severity: analysis.Medium, Start: m.item.Start, End: m.item.End, Fix: fix, Message: m.ARN.Value +
				" is mapped to system:masters, which no RBAC binding can revoke. Even for administrators, prefer a group bound to cluster-admin."})
			continue
		}
		p.Report(analysis.Finding{Start: m.item.Start, End: m.item.End, Fix: fix, Message: m.ARN.Value +
			" is mapped to system:masters: full, unrevocable control of the cluster. Map it to its own group and bind only what it needs."})
		p.SuggestCommand("Then grant "+m.group+" only what it needs",
			"kubectl create rolebinding "+m.group+"-edit --clusterrole=edit --group="+m.group+" --namespace=NAMESPACE",
			"Binds the built-in edit ClusterRole in one namespace (--clusterrole=view for read-only access); then delete the "+
				"ClusterRoleBinding "+m.group+"-cluster-admin that the fix adds to keep it working meanwhile.")
	}
}

// carryBindings returns how each fix of reportMastersPeople that needs
// one carries the ClusterRoleBindings that keep access: a document put before the
// ConfigMap (kubectl apply creates it first), or, when the mappings are
// not a ConfigMap the fix can add a document to, a file to apply first.
// The returned function gives a fix's summary and edits.
func carryBindings(p *analysis.Pass, bindings []string) func(group string, edits []analysis.Edit) (string, []analysis.Edit) {
	nl := p.Src.Newline()
	if authOf(p, p.Doc).Form == formConfigMap && p.Doc.Format == analysis.FormatYAML {
		insert := analysis.Insert(p.Doc.Start, strings.Join(bindings, "---"+nl)+"---"+nl)
		return func(group string, edits []analysis.Edit) (string, []analysis.Edit) {
			return "Bind " + group + " to cluster-admin first (a ClusterRoleBinding before the ConfigMap), then map to it " +
				"instead of system:masters", append(edits, insert)
		}
	}
	file := "cluster-admin-bindings.yaml"
	p.Attach(analysis.Artifact{Title: "ClusterRoleBindings that keep access when the mappings leave system:masters", Filename: file,
		Content: strings.Join(bindings, "---"+nl)})
	return func(group string, edits []analysis.Edit) (string, []analysis.Edit) {
		return "Map to the group " + group + " instead of system:masters, after kubectl apply -f " + file +
			" binds it to cluster-admin", edits
	}
}

// usedGroups returns the groups the paste already names, in mappings or
// in bindings: a new group must be none of them, or the binding that
// keeps one mapping working would grant the others too.
func usedGroups(p *analysis.Pass) map[string]bool {
	used := map[string]bool{}
	for _, m := range identityMappings(p) {
		for _, g := range m.Groups {
			used[g] = true
		}
	}
	for _, b := range policyOf(p).bindings {
		for _, s := range b.Subjects {
			if s.Kind == "Group" {
				used[s.Name] = true
			}
		}
	}
	return used
}

// clusterAdminBinding is a ClusterRoleBinding of a group (the two %s) to
// cluster-admin: the same access as system:masters, but one RBAC can
// narrow or revoke.
const clusterAdminBinding = `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: %s-cluster-admin
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: cluster-admin
subjects:
- apiGroup: rbac.authorization.k8s.io
  kind: Group
  name: %s
`

// bindsClusterAdmin reports whether a ClusterRoleBinding of the paste
// gives group cluster-admin.
func bindsClusterAdmin(p *analysis.Pass, group string) bool {
	for _, b := range policyOf(p).bindings {
		if b.Kind == "ClusterRoleBinding" && b.RoleRef.Kind == "ClusterRole" && b.RoleRef.Name == "cluster-admin" &&
			slices.ContainsFunc(b.Subjects, func(s rbacSubject) bool { return s.Kind == "Group" && s.Name == group }) {
			return true
		}
	}
	return false
}

// deleteItem returns the edit that removes the block sequence item s
// with its line, when the line holds nothing else but a comment. It
// removes the line break before the item rather than after it, so that
// inside an embedded block the next line keeps its indentation.
func deleteItem(s analysis.Scalar) (analysis.Edit, bool) {
	src := s.At.Source()
	line := s.Node.Line
	start, end := src.ScalarSpan(s.Node)
	after := strings.TrimSpace(src.Text[end:src.LineEnd(line)])
	if line < 2 || strings.TrimSpace(src.Text[src.LineStart(line):start]) != "-" || after != "" && !strings.HasPrefix(after, "#") {
		return analysis.Edit{}, false
	}
	return s.At.Edit(src.LineEnd(line-1), src.LineEnd(line), ""), true
}

// ownGroup names the group a principal gets instead of system:masters:
// its username when that is a plain name, else its permission set (for an
// IAM Identity Center role) or role or user name, in the characters group
// names conventionally use.
func ownGroup(m authMapping) string {
	name := m.ARN.Value
	if arn, ok := analysis.ParseARN(name); ok {
		name = arn.Name()
		if set := ssoRoleName.FindStringSubmatch(name); set != nil {
			name = set[1]
		}
	}
	if m.Username != nil && plainName.MatchString(m.Username.Value) {
		name = m.Username.Value
	}
	name = strings.Trim(nonGroupChars.ReplaceAllString(strings.ToLower(name), "-"), "-")
	if name == "" {
		return "eks-users"
	}
	return name
}

var (
	nonGroupChars = regexp.MustCompile(`[^a-z0-9]+`)
	plainName     = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9._-]*$`)
	ssoRoleName   = regexp.MustCompile(`^` + ssoRolePrefix + `(.+)_[0-9a-f]{16}$`)
)

// ssoRolePrefix starts the name of every role IAM Identity Center creates
// for a permission set.
const ssoRolePrefix = "AWSReservedSSO_"

// name returns the role or user name of the entry's ARN (or the ARN).
func (m *authMapping) name() string {
	if m.ARN == nil {
		return ""
	}
	if a, ok := analysis.ParseARN(m.ARN.Value); ok {
		return a.Name()
	}
	return m.ARN.Value
}

// intendedGroups returns the groups the entry is meant to have: items
// that YAML folded together split again, groups written as one string
// split at commas, misspelt known groups corrected.
func (m *authMapping) intendedGroups() []string {
	written := m.Groups
	if g := m.GroupsValue; g != nil && g.Kind == yaml.ScalarNode {
		written = []analysis.Scalar{{Value: strings.ReplaceAll(g.Value, ",", " - ")}}
	}
	var out []string
	for _, g := range written {
		for _, part := range strings.Split(g.Value, " - ") {
			part = strings.TrimSpace(part)
			if fixed, ok := groupTypo(part); ok {
				part = fixed
			}
			out = append(out, part)
		}
	}
	return out
}

// nodeKind is the kind of node a mapping is for.
type nodeKind int

const (
	nodeNone nodeKind = iota
	nodeLinux
	nodeWindows
	nodeFargate
	nodeHybrid
	// nodeSession is a system:node:{{SessionName}} mapping that could be
	// Fargate or hybrid nodes.
	nodeSession
)

// nodeKind says which kind of node the entry maps, from its username,
// groups and role name; nodeNone when it is not a node mapping (IAM users
// never are).
func (m *authMapping) nodeKind() nodeKind {
	groups := m.intendedGroups()
	username := ""
	if m.Username != nil {
		username = m.Username.Value
	}
	if !m.isRole() || !strings.HasPrefix(strings.ToLower(username), "system:node:") && !slices.Contains(groups, "system:nodes") {
		return nodeNone
	}
	name := m.name()
	session := strings.EqualFold(username, nodeUsernameSession)
	switch {
	case slices.Contains(groups, windowsProxyGroup) || windowsName.MatchString(name):
		return nodeWindows
	case slices.Contains(groups, "system:node-proxier") || fargateName.MatchString(name):
		return nodeFargate
	case hybridName.MatchString(name):
		return nodeHybrid
	case session && !ec2NodeName.MatchString(name):
		return nodeSession
	}
	return nodeLinux
}

// groups returns the groups nodes of this kind need.
func (k nodeKind) groups() []string {
	switch k {
	case nodeWindows:
		return []string{windowsProxyGroup, "system:bootstrappers", "system:nodes"}
	case nodeFargate:
		return []string{"system:bootstrappers", "system:nodes", "system:node-proxier"}
	case nodeNone:
		return nil
	}
	return []string{"system:bootstrappers", "system:nodes"}
}

// username returns the username nodes of this kind need, or "" when it
// is not certain.
func (k nodeKind) username() string {
	switch k {
	case nodeLinux, nodeWindows:
		return nodeUsernameEC2
	case nodeFargate, nodeHybrid:
		return nodeUsernameSession
	}
	return ""
}

// entryType returns the access entry type for nodes of this kind, or ""
// when it is not certain.
func (k nodeKind) entryType() string {
	switch k {
	case nodeLinux:
		return "EC2_LINUX"
	case nodeWindows:
		return "EC2_WINDOWS"
	case nodeFargate:
		return "FARGATE_LINUX"
	case nodeHybrid:
		return "HYBRID_LINUX"
	}
	return ""
}

// String names the kind for people.
func (k nodeKind) String() string {
	return [...]string{"", "Linux EC2 node role", "Windows node role", "Fargate pod execution role",
		"hybrid nodes role", "Fargate or hybrid nodes role"}[k]
}
