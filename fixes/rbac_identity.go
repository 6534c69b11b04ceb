package fixes

import (
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/eksdoctor/eksdoctor/analysis"
)

// RBAC only sees a user name and groups. On EKS they come from outside
// RBAC: an aws-auth mapping or an access entry turns an IAM principal into
// a user name and groups, and an access entry can also grant permissions
// directly through access policies. Each source below reads what the
// paste says about that; the simulator combines them.

// IdentityMapping is what one mapping outside RBAC says about a user.
type IdentityMapping struct {
	// Source names where it comes from: "aws-auth mapRoles",
	// "access entry", "kubectl auth whoami".
	Source string `json:"source"`
	// Principal is the IAM role or user ARN the mapping is for; "" when
	// the source names the user directly.
	Principal string `json:"principal,omitempty"`
	// Username is the Kubernetes user name, with the authenticator's
	// templates ({{SessionName}}, {{AccountID}}, …) as written.
	Username string   `json:"username"`
	Groups   []string `json:"groups"`
	// Policies are EKS access policies associated with the principal.
	Policies []AccessPolicy `json:"policies,omitempty"`
}

// AccessPolicy is an EKS access policy association: the policy name (or
// ARN) and the namespaces it is scoped to, none for the cluster scope.
// Namespaces may end in a "*" wildcard.
type AccessPolicy struct {
	Name       string   `json:"name"`
	Namespaces []string `json:"namespaces,omitempty"`
}

// identitySources read the identity mappings a paste holds; another
// source (a Terraform reader of access entries, say) joins this list.
var identitySources = []func(*analysis.Pass) []IdentityMapping{awsAuthIdentities, accessEntryIdentities, whoamiIdentities}

// rbacIdentitiesKey keeps what identityMappings builds, once for the whole input.
var rbacIdentitiesKey = analysis.NewKey[[]IdentityMapping]("rbac-identities")

// identityMappings returns every mapping in the paste, built once.
func identityMappings(p *analysis.Pass) []IdentityMapping {
	return analysis.MemoInput(p.Input, rbacIdentitiesKey, func() []IdentityMapping {
		var out []IdentityMapping
		for _, source := range identitySources {
			out = append(out, source(p)...)
		}
		return out
	})
}

// awsAuthIdentities reads the mapRoles and mapUsers entries of every
// aws-auth document.
func awsAuthIdentities(p *analysis.Pass) []IdentityMapping {
	var out []IdentityMapping
	for _, d := range authDocs(p) {
		for _, m := range authOf(p, d).Mappings {
			if m.ARN == nil {
				continue
			}
			im := IdentityMapping{Source: "aws-auth " + m.Section, Principal: m.ARN.Value}
			if m.Username != nil {
				im.Username = m.Username.Value
			}
			for _, g := range m.Groups {
				im.Groups = append(im.Groups, g.Value)
			}
			out = append(out, im)
		}
	}
	return out
}

// accessEntrySource names access entries as a mapping source.
const accessEntrySource = "access entry"

// accessEntryIdentities reads the access entries of the paste, joining
// what several outputs say about one principal (describe-access-entry
// gives the groups, list-associated-access-policies the policies). Node
// entries are left out: their users are kubelets.
func accessEntryIdentities(p *analysis.Pass) []IdentityMapping {
	var out []IdentityMapping
	index := map[string]int{}
	for _, d := range p.OfKind(accessEntryKinds...) {
		for _, e := range accessModelOf(p, d).Entries {
			if e.PrincipalARN == nil || e.isNodeType() {
				continue
			}
			principal := e.PrincipalARN.Value
			key := strings.ToLower(principal)
			i, seen := index[key]
			if !seen {
				i, index[key] = len(out), len(out)
				out = append(out, IdentityMapping{Source: accessEntrySource, Principal: principal, Username: AccessEntryUsername(principal)})
			}
			m := &out[i]
			if e.Username != nil {
				m.Username = e.Username.Value
			}
			for _, g := range e.Groups {
				if !slices.Contains(m.Groups, g.Value) {
					m.Groups = append(m.Groups, g.Value)
				}
			}
			for _, ap := range e.Policies {
				if ap.PolicyARN == nil {
					continue
				}
				policy := AccessPolicy{Name: ap.PolicyARN.Value}
				if ap.ScopeType == nil || !strings.EqualFold(ap.ScopeType.Value, "cluster") {
					for _, ns := range ap.Namespaces {
						policy.Namespaces = append(policy.Namespaces, ns.Value)
					}
				}
				m.Policies = append(m.Policies, policy)
			}
		}
	}
	return out
}

var (
	whoamiUser   = regexp.MustCompile(`(?m)^Username\s+(\S+)\s*$`)
	whoamiGroups = regexp.MustCompile(`(?m)^Groups\s+\[([^\]]*)\]\s*$`)
)

// whoamiIdentities reads `kubectl auth whoami` output, as its table or
// as a SelfSubjectReview in YAML or JSON: the user and all its groups.
func whoamiIdentities(p *analysis.Pass) []IdentityMapping {
	var out []IdentityMapping
	for _, d := range p.OfKind(analysis.KindCallerIdentity) {
		im := IdentityMapping{Source: "kubectl auth whoami"}
		if n := p.NodeOf(d); n != nil {
			im.Username = analysis.ScalarValue(n, "status", "userInfo", "username")
			im.Groups = stringList(analysis.Lookup(n, "status", "userInfo"), "groups")
		} else if m := whoamiUser.FindStringSubmatch(d.Text); m != nil {
			im.Username = m[1]
			if g := whoamiGroups.FindStringSubmatch(d.Text); g != nil {
				im.Groups = strings.Fields(g[1])
			}
		}
		if im.Username != "" {
			out = append(out, im)
		}
	}
	return out
}

// AccessEntryUsername returns the user name EKS gives an access entry
// that sets none: the session ARN for a role (path dropped), the ARN
// itself for a user.
func AccessEntryUsername(principal string) string {
	a, ok := analysis.ParseARN(principal)
	if !ok || a.Service != "iam" || a.ResourceType() != "role" {
		return principal
	}
	return analysis.ARN{Partition: a.Partition, Service: "sts", Region: "", Account: a.Account, Resource: "assumed-role/" + a.Name() + "/{{SessionName}}"}.String()
}

// templateValue is what each authenticator template stands for in a
// user name.
var templateValue = map[string]string{
	"{{SessionName}}": `.+`, "{{SessionNameRaw}}": `.+`, "{{EC2PrivateDNSName}}": `.+`,
	"{{AccountID}}": `[0-9]{12}`, "{{AccessKeyID}}": `[A-Z0-9]+`,
}

// usernameMatches reports whether a user name is what a mapping's
// username template renders to.
func usernameMatches(template, user string) bool {
	if template == "" || !strings.Contains(template, "{{") {
		return template == user
	}
	re := templateMatcher(template)
	return re != nil && re.MatchString(user)
}

// templateMatchers caches the expression of each username template, since
// an analysis matches every denial against every mapping. It is bounded,
// for programs that analyse many pastes.
var templateMatchers struct {
	sync.Mutex
	m map[string]*regexp.Regexp
}

// templateMatcher returns the expression that matches exactly the user
// names a template renders to.
func templateMatcher(template string) *regexp.Regexp {
	templateMatchers.Lock()
	defer templateMatchers.Unlock()
	if re, ok := templateMatchers.m[template]; ok {
		return re
	}
	var expr strings.Builder
	expr.WriteString("^")
	last := 0
	for _, loc := range templateToken.FindAllStringIndex(template, -1) {
		expr.WriteString(regexp.QuoteMeta(template[last:loc[0]]))
		if v, ok := templateValue[template[loc[0]:loc[1]]]; ok {
			expr.WriteString(v)
		} else {
			expr.WriteString(regexp.QuoteMeta(template[loc[0]:loc[1]]))
		}
		last = loc[1]
	}
	expr.WriteString(regexp.QuoteMeta(template[last:]) + "$")
	re, _ := regexp.Compile(expr.String())
	if len(templateMatchers.m) >= 256 || templateMatchers.m == nil {
		templateMatchers.m = map[string]*regexp.Regexp{}
	}
	templateMatchers.m[template] = re
	return re
}

// renderUsername fills a username template for a caller ARN: the account
// and, for an assumed-role session, the session name.
func renderUsername(template, caller string) string {
	a, ok := analysis.ParseARN(caller)
	if !ok {
		return template
	}
	session := ""
	if parts := strings.Split(a.Resource, "/"); a.ResourceType() == "assumed-role" && len(parts) == 3 {
		session = parts[2]
	}
	r := strings.NewReplacer("{{AccountID}}", a.Account, "{{SessionName}}", strings.ReplaceAll(session, "@", "-"),
		"{{SessionNameRaw}}", session)
	return r.Replace(template)
}

// subjectIdentity is a user as the simulator knows it: its identity, the
// mappings that produced it, and whether its groups are all known.
type subjectIdentity struct {
	Identity
	mappings []IdentityMapping
	// groupsKnown is false when the user may be in groups nothing in the
	// paste shows (a denial names only the user).
	groupsKnown bool
}

// resolveIdentity returns what the API server sees for a user name or an
// IAM principal ARN (or both), with the groups the paste's mappings and
// the caller add, and the system groups every such user has.
func resolveIdentity(mappings []IdentityMapping, user, principal string, groups []string) subjectIdentity {
	s := subjectIdentity{Identity: Identity{User: user, Groups: slices.Clone(groups)}, groupsKnown: len(groups) > 0}
	canonical, _ := analysis.Canonical(principal)
	mappings = entriesOverride(mappings, canonical)
	for _, m := range mappings {
		mc, _ := analysis.Canonical(m.Principal)
		switch {
		case principal != "" && m.Principal != "" && strings.EqualFold(mc, canonical):
			if s.User == "" {
				s.User = renderUsername(m.Username, principal)
			}
		case user != "" && usernameMatches(m.Username, user):
		default:
			continue
		}
		s.mappings = append(s.mappings, m)
		s.groupsKnown = true
		for _, g := range m.Groups {
			if !s.inGroup(g) {
				s.Groups = append(s.Groups, g)
			}
		}
	}
	s.addSystemGroups()
	return s
}

// entriesOverride drops the aws-auth mappings of a principal that has an
// access entry: with both methods on, the entry's settings win.
func entriesOverride(mappings []IdentityMapping, canonical string) []IdentityMapping {
	if canonical == "" || !slices.ContainsFunc(mappings, func(m IdentityMapping) bool {
		c, _ := analysis.Canonical(m.Principal)
		return m.Source == accessEntrySource && strings.EqualFold(c, canonical)
	}) {
		return mappings
	}
	return slices.DeleteFunc(slices.Clone(mappings), func(m IdentityMapping) bool {
		c, _ := analysis.Canonical(m.Principal)
		return strings.HasPrefix(m.Source, "aws-auth") && strings.EqualFold(c, canonical)
	})
}

// addSystemGroups adds the groups the API server gives every user of the
// kind: ServiceAccounts, nodes, anonymous and authenticated users.
func (s *subjectIdentity) addSystemGroups() {
	add := func(g string) {
		if !s.inGroup(g) {
			s.Groups = append(s.Groups, g)
		}
	}
	switch ns, _, isSA := serviceAccountOf(s.User); {
	case s.User == "system:anonymous":
		add("system:unauthenticated")
		s.groupsKnown = true
		return
	case isSA:
		add("system:serviceaccounts")
		add("system:serviceaccounts:" + ns)
		s.groupsKnown = true
	case strings.HasPrefix(s.User, "system:node:"):
		add("system:nodes")
		s.groupsKnown = true
	}
	add("system:authenticated")
}

// accessPolicyGrants turns the access policies of the mappings into
// bindings for the user: cluster scope as a ClusterRoleBinding, namespace
// scope as a RoleBinding per namespace.
func (pol *policy) accessPolicyGrants(s subjectIdentity) []*rbacBinding {
	var out []*rbacBinding
	for _, m := range s.mappings {
		for _, ap := range m.Policies {
			role := pol.accessPolicyRole(ap.Name)
			if role == nil {
				continue
			}
			subject := []rbacSubject{{Kind: "User", Name: s.User}}
			if len(ap.Namespaces) == 0 {
				out = append(out, &rbacBinding{Kind: "ClusterRoleBinding", Subjects: subject, role: role,
					Origin: "access policy " + role.Name + " (cluster scope)"})
			}
			for _, ns := range ap.Namespaces {
				out = append(out, &rbacBinding{Kind: "RoleBinding", Namespace: ns, Subjects: subject, role: role,
					Origin: "access policy " + role.Name + " (namespace " + ns + ")"})
			}
		}
	}
	return out
}

// accessPolicyRoles are the user-facing EKS access policies and the
// permissions they carry: the default ClusterRole they mirror, or rules.
var accessPolicyRoles = map[string]struct {
	clusterRole string
	rules       []PolicyRule
}{
	"AmazonEKSClusterAdminPolicy": {clusterRole: "cluster-admin"},
	"AmazonEKSAdminPolicy":        {clusterRole: "admin"},
	"AmazonEKSEditPolicy":         {clusterRole: "edit"},
	"AmazonEKSViewPolicy":         {clusterRole: "view"},
	"AmazonEKSAdminViewPolicy":    {rules: []PolicyRule{{Verbs: []string{"get", "list", "watch"}, APIGroups: []string{"*"}, Resources: []string{"*"}}}},
	"AmazonEKSSecretReaderPolicy": {rules: []PolicyRule{{Verbs: []string{"get", "list", "watch"}, APIGroups: []string{""}, Resources: []string{"secrets"}}}},
}

// accessPolicyRole returns a role with the permissions of an EKS access
// policy, named by name or ARN; nil for a policy the simulator does not
// model.
func (pol *policy) accessPolicyRole(policy string) *rbacRole {
	name := policy[strings.LastIndex(policy, "/")+1:]
	def, ok := accessPolicyRoles[name]
	if !ok {
		return nil
	}
	role := &rbacRole{Kind: "ClusterRole", Name: name, Builtin: true}
	var rules []*rbacRule
	if r := pol.role("ClusterRole", "", def.clusterRole); r != nil {
		for _, er := range pol.rulesOf(r) {
			rules = append(rules, er.rule)
		}
	}
	for _, rule := range def.rules {
		rules = append(rules, &rbacRule{PolicyRule: rule, key: rule.key()})
	}
	role.setRules(rules)
	return role
}
