package fixes

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/eksdoctor/eksdoctor/analysis"
)

// Grant is what allowed a request: the binding, the role and the rule.
type Grant struct {
	// Binding names the binding, e.g. "RoleBinding dev/read-pods", or the
	// access policy association that granted the request.
	Binding string `json:"binding"`
	// Role names the role, e.g. "ClusterRole view".
	Role string `json:"role"`
	// RuleFrom names the role the rule is written in when it differs
	// from Role (an aggregated ClusterRole).
	RuleFrom string     `json:"ruleFrom,omitempty"`
	Rule     PolicyRule `json:"rule"`
	// Builtin is true when the binding is one of the cluster's defaults.
	Builtin bool `json:"builtin,omitempty"`
}

// effRule is a rule in effect for a role, and the role it is written in
// (another role for an aggregated ClusterRole).
type effRule struct {
	rule *rbacRule
	from *rbacRole
}

// policy is every role and binding in force: the pasted ones, and the
// defaults the paste does not replace.
type policy struct {
	roleIndex
	bindingIndex
	// effective holds the rules in effect of the aggregated ClusterRoles;
	// it may be shared between analyses, so it is only read.
	effective map[*rbacRole][]effRule
	// pastedRoles counts the roles of the paste, so that a binding to a
	// role it lacks can be told apart from a paste of bindings only.
	pastedRoles int
	// reach caches reachOf.
	reach map[*rbacRole]roleReach
}

// roleIndex holds the roles in force, indexed by kind and name. The
// defaults' own, for a paste without roles, is shared between analyses,
// so an index is only read once built.
type roleIndex struct {
	roles  []*rbacRole
	byName map[string][]*rbacRole
}

// bindingIndex holds the bindings in force, indexed by the kind and name
// of their roleRef. Like a roleIndex, it is only read once built.
type bindingIndex struct {
	bindings []*rbacBinding
	byRef    map[string][]*rbacBinding
}

// rbacPolicyKey keeps what policyOf builds, once for the whole input.
var rbacPolicyKey = analysis.NewKey[*policy]("rbac-policy")

// policyOf returns the policy of the whole input, built once.
func policyOf(p *analysis.Pass) *policy {
	if len(p.Docs) == 0 {
		return newPolicy(nil, nil)
	}
	return analysis.MemoInput(p.Input, rbacPolicyKey, func() *policy {
		var roles []*rbacRole
		var bindings []*rbacBinding
		for _, d := range p.OfKind(analysis.KindRole, analysis.KindClusterRole, analysis.KindRoleBinding, analysis.KindClusterRoleBinding) {
			obj := rbacOf(p, d)
			if obj.Role != nil {
				roles = append(roles, obj.Role)
			}
			if obj.Binding != nil {
				bindings = append(bindings, obj.Binding)
			}
		}
		return newPolicy(roles, bindings)
	})
}

// newPolicy adds the defaults to the pasted roles and bindings and
// computes aggregated ClusterRoles.
func newPolicy(roles []*rbacRole, bindings []*rbacBinding) *policy {
	pol := &policy{roleIndex: defaultRoleIndex(), bindingIndex: defaultBindingIndex(), pastedRoles: len(roles),
		reach: map[*rbacRole]roleReach{}}
	if len(roles) > 0 {
		pol.roleIndex = newRoleIndex(roles)
	}
	if len(bindings) > 0 {
		pol.bindingIndex = newBindingIndex(bindings)
	}
	pol.aggregate()
	return pol
}

// The indexes of the defaults alone, built once.
var (
	defaultRoleIndex    = sync.OnceValue(func() roleIndex { return newRoleIndex(nil) })
	defaultBindingIndex = sync.OnceValue(func() bindingIndex { return newBindingIndex(nil) })
)

// newRoleIndex indexes the pasted roles, then the defaults they do not
// replace.
func newRoleIndex(pasted []*rbacRole) roleIndex {
	ri := roleIndex{byName: map[string][]*rbacRole{}}
	add := func(r *rbacRole) {
		ri.roles = append(ri.roles, r)
		ri.byName[r.Kind+"/"+r.Name] = append(ri.byName[r.Kind+"/"+r.Name], r)
	}
	for _, r := range pasted {
		add(r)
	}
	for _, r := range rbacDefaults().roles {
		if ri.role(r.Kind, r.Namespace, r.Name) == nil {
			add(r)
		}
	}
	ri.roles = slices.Clip(ri.roles)
	return ri
}

// newBindingIndex indexes the pasted bindings, then the defaults they do
// not replace.
func newBindingIndex(pasted []*rbacBinding) bindingIndex {
	bi := bindingIndex{bindings: slices.Clip(pasted), byRef: map[string][]*rbacBinding{}}
	for _, b := range rbacDefaults().bindings {
		if !slices.ContainsFunc(pasted, func(o *rbacBinding) bool {
			return o.Kind == b.Kind && o.Name == b.Name && o.Namespace == b.Namespace
		}) {
			bi.bindings = append(bi.bindings, b)
		}
	}
	for _, b := range bi.bindings {
		key := b.RoleRef.Kind + "/" + b.RoleRef.Name
		bi.byRef[key] = append(bi.byRef[key], b)
	}
	bi.bindings = slices.Clip(bi.bindings)
	return bi
}

// role returns the role of that kind, namespace and name, or nil. A
// pasted Role without metadata.namespace matches any namespace: it lives
// wherever it was applied.
func (ri roleIndex) role(kind, ns, name string) *rbacRole {
	for _, r := range ri.byName[kind+"/"+name] {
		if r.Namespace == ns || kind == "Role" && r.Namespace == "" && !r.Builtin {
			return r
		}
	}
	return nil
}

// aggregate computes the rules in effect of the aggregated ClusterRoles.
// Without a ClusterRole in the paste, they are those of the defaults.
func (pol *policy) aggregate() {
	if !slices.ContainsFunc(pol.roles[:pol.pastedRoles], func(r *rbacRole) bool { return r.Kind == "ClusterRole" }) {
		pol.effective = defaultAggregation()
		return
	}
	pol.effective = aggregation(pol.roles)
}

// defaultAggregation is the aggregation of the default ClusterRoles,
// computed once and then only read.
var defaultAggregation = sync.OnceValue(func() map[*rbacRole][]effRule { return aggregation(rbacDefaults().roles) })

// aggregation computes the rules of the aggregated ClusterRoles among
// roles to a fixpoint: each gets the rules of every other ClusterRole its
// selectors match, in name order, without duplicates. The controller
// overwrites the rules field with that union; a pasted aggregated role
// keeps the rules it was dumped with too, since they came from roles the
// paste may not hold. The slices are clipped, so that no caller can
// append into them.
func aggregation(roles []*rbacRole) map[*rbacRole][]effRule {
	effective := map[*rbacRole][]effRule{}
	var aggregated, clusterRoles []*rbacRole
	for _, r := range roles {
		if r.Aggregation != nil {
			aggregated = append(aggregated, r)
			effective[r] = r.own
		}
		if r.Kind == "ClusterRole" {
			clusterRoles = append(clusterRoles, r)
		}
	}
	sort.SliceStable(clusterRoles, func(i, j int) bool { return clusterRoles[i].Name < clusterRoles[j].Name })
	rulesOf := func(r *rbacRole) []effRule {
		if rules, ok := effective[r]; ok {
			return rules
		}
		return r.own
	}
	for range len(aggregated) + 1 {
		changed := false
		for _, agg := range aggregated {
			rules := slices.Clone(effective[agg])
			have := map[string]bool{}
			for _, er := range rules {
				have[er.rule.key] = true
			}
			for _, other := range clusterRoles {
				if other == agg || !slices.ContainsFunc(agg.Aggregation, func(s labelSelector) bool { return s.matches(other.Labels) }) {
					continue
				}
				for _, er := range rulesOf(other) {
					if !have[er.rule.key] {
						have[er.rule.key] = true
						rules = append(rules, er)
					}
				}
			}
			if len(rules) != len(effective[agg]) {
				effective[agg], changed = rules, true
			}
		}
		if !changed {
			break
		}
	}
	for r, rules := range effective {
		effective[r] = slices.Clip(rules)
	}
	return effective
}

// resolve returns the role a binding grants, or the error the API
// server's RBAC authorizer reports when it does not exist.
func (pol *policy) resolve(b *rbacBinding) (*rbacRole, string) {
	if b.role != nil {
		return b.role, ""
	}
	ref := b.RoleRef
	switch {
	case ref.Kind == "ClusterRole":
		if r := pol.role("ClusterRole", "", ref.Name); r != nil {
			return r, ""
		}
		return nil, fmt.Sprintf("clusterrole.rbac.authorization.k8s.io %q not found", ref.Name)
	case ref.Kind == "Role" && b.Kind == "RoleBinding":
		if r := pol.role("Role", b.Namespace, ref.Name); r != nil {
			return r, ""
		}
		return nil, fmt.Sprintf("role.rbac.authorization.k8s.io %q not found", ref.Name)
	}
	return nil, fmt.Sprintf("unsupported role reference kind: %q", ref.Kind)
}

// rulesOf returns the rules in effect for a role.
func (pol *policy) rulesOf(r *rbacRole) []effRule {
	if rules, ok := pol.effective[r]; ok {
		return rules
	}
	return r.own
}

// grantsIn reports whether the binding grants in the request's
// namespace: a ClusterRoleBinding everywhere, a RoleBinding only for
// requests in its namespace. A pasted RoleBinding without a namespace is
// taken to live in the request's namespace; an access policy's namespace
// may end in a "*" wildcard.
func (b *rbacBinding) grantsIn(ns string) bool {
	switch {
	case b.Kind == "ClusterRoleBinding":
		return true
	case ns == "":
		return false
	case b.Namespace == "" && !b.Builtin:
		return true
	case b.Origin != "" && strings.HasSuffix(b.Namespace, "*"):
		return strings.HasPrefix(ns, strings.TrimSuffix(b.Namespace, "*"))
	}
	return b.Namespace == ns
}

// Decision is the authorizer's answer, with what decided it.
type decision struct {
	allowed bool
	// masters is set when system:masters membership allowed it.
	masters bool
	grant   *Grant
	// errors are the resolution errors the API server appends after
	// "RBAC: " to the denial.
	errors []string
}

// authorize answers a request the way the API server does: members of
// system:masters bypass RBAC; then every ClusterRoleBinding, and every
// RoleBinding in the request's namespace, whose subjects name the
// identity, until a rule allows it. extra are grants outside RBAC that
// behave like bindings (EKS access policies).
func (pol *policy) authorize(id Identity, q Request, extra []*rbacBinding) decision {
	if id.inGroup("system:masters") {
		return decision{allowed: true, masters: true}
	}
	var d decision
	for _, pass := range []string{"ClusterRoleBinding", "RoleBinding"} {
		for _, b := range append(slices.Clip(pol.bindings), extra...) {
			if b.Kind != pass || !b.grantsIn(q.Namespace) || b.invalid() != "" || !b.appliesTo(id) {
				continue
			}
			role, err := pol.resolve(b)
			if err != "" {
				if !slices.Contains(d.errors, err) {
					d.errors = append(d.errors, err)
				}
				continue
			}
			for _, er := range pol.rulesOf(role) {
				if ruleAllows(er.rule.PolicyRule, q) {
					d.allowed = true
					d.grant = newGrant(b, role, er)
					return d
				}
			}
		}
	}
	return d
}

func newGrant(b *rbacBinding, role *rbacRole, er effRule) *Grant {
	g := &Grant{Binding: b.describe(), Role: role.describe(), Rule: er.rule.PolicyRule, Builtin: b.Builtin}
	if er.from != role {
		g.RuleFrom = er.from.describe()
	}
	return g
}
