package fixes

import (
	"slices"
	"strconv"
	"strings"

	yaml "go.yaml.in/yaml/v3"

	"github.com/eksdoctor/eksdoctor/analysis"
)

// The RBAC family reads Roles, ClusterRoles and their bindings into one
// model, evaluates requests against it the way the API server's RBAC
// authorizer does (rbac_eval.go), explains denials (rbac_denial.go) and
// flags risky grants (rbac_risk.go).

// PolicyRule is one rule of a Role or ClusterRole, as the API defines it.
type PolicyRule struct {
	Verbs           []string `json:"verbs"`
	APIGroups       []string `json:"apiGroups,omitempty"`
	Resources       []string `json:"resources,omitempty"`
	ResourceNames   []string `json:"resourceNames,omitempty"`
	NonResourceURLs []string `json:"nonResourceURLs,omitempty"`
}

// key returns a string that two rules share exactly when they are deeply
// equal: the same lists, where an absent list differs from an empty one.
func (r PolicyRule) key() string {
	var b strings.Builder
	for _, list := range [][]string{r.Verbs, r.APIGroups, r.Resources, r.ResourceNames, r.NonResourceURLs} {
		if list == nil {
			b.WriteString("-;")
			continue
		}
		b.WriteString(strconv.Itoa(len(list)))
		b.WriteByte(';')
		for _, s := range list {
			b.WriteString(strconv.Itoa(len(s)))
			b.WriteByte(':')
			b.WriteString(s)
		}
	}
	return b.String()
}

// rbacRule is a rule with the nodes it is written in, for edits.
type rbacRule struct {
	PolicyRule
	Node *yaml.Node
	// Index is the rule's position in its role's rules.
	Index int
	// key is PolicyRule.key(), for telling duplicate rules apart; it is
	// set wherever a rule is made.
	key string
}

// ruleLists are the string lists of a rule, by key.
var ruleLists = []string{"apiGroups", "resources", "verbs", "resourceNames", "nonResourceURLs"}

// list returns the sequence node of one of the rule's lists, or nil.
func (r *rbacRule) list(key string) *yaml.Node {
	if n := analysis.Lookup(r.Node, key); n != nil && n.Kind == yaml.SequenceNode {
		return n
	}
	return nil
}

// labelSelector is one clusterRoleSelector of an aggregation rule.
type labelSelector struct {
	MatchLabels      map[string]string
	MatchExpressions []labelRequirement
}

type labelRequirement struct {
	Key, Operator string
	Values        []string
}

// rbacRole is a Role or ClusterRole.
type rbacRole struct {
	Doc       *analysis.Document // nil for a built-in role
	Kind      string             // "Role" or "ClusterRole"
	Name      string
	Namespace string
	Labels    map[string]string
	// Aggregation holds the selectors of an aggregated ClusterRole; its
	// rules are then computed from the roles they select.
	Aggregation []labelSelector
	Rules       []*rbacRule
	// RulesNode is the rules sequence, or nil.
	RulesNode *yaml.Node
	Builtin   bool
	// own are the Rules, each in effect from the role itself.
	own []effRule
}

// setRules sets the role's rules.
func (r *rbacRole) setRules(rules []*rbacRule) {
	r.Rules, r.own = rules, make([]effRule, len(rules))
	for i, rule := range rules {
		r.own[i] = effRule{rule, r}
	}
}

// describe names the role for people: "ClusterRole view", "Role dev/reader".
func (r *rbacRole) describe() string {
	if r.Kind == "Role" {
		return "Role " + qualify(r.Namespace, r.Name)
	}
	return "ClusterRole " + r.Name
}

// rbacSubject is one subject of a binding.
type rbacSubject struct {
	Kind, Name, Namespace, APIGroup string
	Node                            *yaml.Node
}

// roleRef is what a binding grants.
type roleRef struct {
	Kind, Name, APIGroup string
	Node                 *yaml.Node
}

// rbacBinding is a RoleBinding or ClusterRoleBinding, or a grant that
// behaves like one (an EKS access policy).
type rbacBinding struct {
	Doc       *analysis.Document // nil for built-in and synthetic bindings
	Kind      string             // "RoleBinding" or "ClusterRoleBinding"
	Name      string
	Namespace string
	RoleRef   roleRef
	Subjects  []rbacSubject
	Node      *yaml.Node
	Builtin   bool
	// Origin names a grant that is not a binding (an access policy
	// association); "" for bindings.
	Origin string
	// role is set for synthetic grants, which carry their own role.
	role *rbacRole
}

// describe names the binding: "RoleBinding dev/read-pods".
func (b *rbacBinding) describe() string {
	if b.Origin != "" {
		return b.Origin
	}
	if b.Kind == "RoleBinding" {
		return "RoleBinding " + qualify(b.Namespace, b.Name)
	}
	return "ClusterRoleBinding " + b.Name
}

// qualify joins a namespace and a name as kubectl prints them.
func qualify(ns, name string) string {
	if ns == "" {
		return name
	}
	return ns + "/" + name
}

// rbacObject is what one RBAC document holds: a role or a binding.
type rbacObject struct {
	Role    *rbacRole
	Binding *rbacBinding
}

// rbacKey keeps what rbacOf builds, once for each document.
var rbacKey = analysis.NewKey[rbacObject]("rbac")

// rbacOf returns the model of an RBAC document, built once and shared by
// every rule.
func rbacOf(p *analysis.Pass, doc *analysis.Document) rbacObject {
	return analysis.Memo(doc, rbacKey, func() rbacObject {
		obj := readRBAC(p.NodeOf(doc))
		if obj.Role != nil {
			obj.Role.Doc = doc
		}
		if obj.Binding != nil {
			obj.Binding.Doc = doc
		}
		return obj
	})
}

// readRBAC reads a Role, ClusterRole, RoleBinding or ClusterRoleBinding
// from its node tree. Keys are case-sensitive, as the API server's
// decoder is.
func readRBAC(n *yaml.Node) rbacObject {
	n = analysis.Resolve(n)
	kind := analysis.ScalarValue(n, "kind")
	name, ns := analysis.ScalarValue(n, "metadata", "name"), analysis.ScalarValue(n, "metadata", "namespace")
	switch kind {
	case "Role", "ClusterRole":
		role := &rbacRole{Kind: kind, Name: name, Namespace: ns, Labels: stringMap(analysis.Lookup(n, "metadata", "labels"))}
		if kind == "ClusterRole" {
			role.Namespace = ""
		}
		role.RulesNode = analysis.Lookup(n, "rules")
		var rules []*rbacRule
		for i, item := range analysis.Items(role.RulesNode) {
			if item.Kind != yaml.MappingNode {
				continue
			}
			r := &rbacRule{Node: item, Index: i}
			r.Verbs, r.APIGroups, r.Resources = stringList(item, "verbs"), stringList(item, "apiGroups"), stringList(item, "resources")
			r.ResourceNames, r.NonResourceURLs = stringList(item, "resourceNames"), stringList(item, "nonResourceURLs")
			r.key = r.PolicyRule.key()
			rules = append(rules, r)
		}
		role.setRules(rules)
		if agg := analysis.Lookup(n, "aggregationRule"); agg != nil && kind == "ClusterRole" {
			role.Aggregation = []labelSelector{}
			for _, sel := range analysis.Items(analysis.Lookup(agg, "clusterRoleSelectors")) {
				role.Aggregation = append(role.Aggregation, readSelector(sel))
			}
		}
		return rbacObject{Role: role}
	case "RoleBinding", "ClusterRoleBinding":
		b := &rbacBinding{Kind: kind, Name: name, Namespace: ns, Node: n}
		if kind == "ClusterRoleBinding" {
			b.Namespace = ""
		}
		ref := analysis.Lookup(n, "roleRef")
		b.RoleRef = roleRef{Kind: analysis.ScalarValue(ref, "kind"), Name: analysis.ScalarValue(ref, "name"),
			APIGroup: analysis.ScalarValue(ref, "apiGroup"), Node: ref}
		for _, s := range analysis.Items(analysis.Lookup(n, "subjects")) {
			b.Subjects = append(b.Subjects, rbacSubject{Kind: analysis.ScalarValue(s, "kind"), Name: analysis.ScalarValue(s, "name"),
				Namespace: analysis.ScalarValue(s, "namespace"), APIGroup: analysis.ScalarValue(s, "apiGroup"), Node: s})
		}
		return rbacObject{Binding: b}
	}
	return rbacObject{}
}

// stringList returns the scalar items of the list at key.
func stringList(n *yaml.Node, key string) []string {
	var out []string
	for _, c := range analysis.Items(analysis.Lookup(n, key)) {
		if c.Kind == yaml.ScalarNode {
			out = append(out, c.Value)
		}
	}
	return out
}

// stringMap reads a mapping of scalars.
func stringMap(n *yaml.Node) map[string]string {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	m := map[string]string{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if v := analysis.Resolve(n.Content[i+1]); v != nil && v.Kind == yaml.ScalarNode {
			m[n.Content[i].Value] = v.Value
		}
	}
	return m
}

func readSelector(n *yaml.Node) labelSelector {
	sel := labelSelector{MatchLabels: stringMap(analysis.Lookup(n, "matchLabels"))}
	for _, e := range analysis.Items(analysis.Lookup(n, "matchExpressions")) {
		sel.MatchExpressions = append(sel.MatchExpressions, labelRequirement{
			Key: analysis.ScalarValue(e, "key"), Operator: analysis.ScalarValue(e, "operator"), Values: stringList(e, "values")})
	}
	return sel
}

// matches reports whether labels satisfy the selector. An empty selector
// matches everything, as in Kubernetes.
func (s labelSelector) matches(labels map[string]string) bool {
	for k, v := range s.MatchLabels {
		if got, ok := labels[k]; !ok || got != v {
			return false
		}
	}
	for _, e := range s.MatchExpressions {
		v, ok := labels[e.Key]
		in := ok && slices.Contains(e.Values, v)
		switch e.Operator {
		case "In":
			if !in {
				return false
			}
		case "NotIn":
			if in {
				return false
			}
		case "Exists":
			if !ok {
				return false
			}
		case "DoesNotExist":
			if ok {
				return false
			}
		default:
			return false
		}
	}
	return true
}
