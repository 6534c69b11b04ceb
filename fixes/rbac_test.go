package fixes

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/eksdoctor/eksdoctor/analysis"
)

// TestAggregation computes aggregated ClusterRoles to a fixpoint: OR of
// selectors, matchLabels and every matchExpressions operator, nesting
// (an aggregated role selected by another), a role selecting itself, and
// the defaults (edit picks up what is aggregated to view).
func TestAggregation(t *testing.T) {
	in := inputOf(t, `kind: ClusterRole
apiVersion: rbac.authorization.k8s.io/v1
metadata: {name: base-a, labels: {agg: a}}
rules: [{apiGroups: [""], resources: [pods], verbs: [get]}]
---
kind: ClusterRole
apiVersion: rbac.authorization.k8s.io/v1
metadata: {name: base-b, labels: {tier: gold}}
rules: [{apiGroups: [""], resources: [secrets], verbs: [get]}]
---
kind: ClusterRole
apiVersion: rbac.authorization.k8s.io/v1
metadata: {name: base-c, labels: {tier: bronze, team: x}}
rules: [{apiGroups: [""], resources: [configmaps], verbs: [get]}]
---
kind: ClusterRole
apiVersion: rbac.authorization.k8s.io/v1
metadata: {name: agg1, labels: {nested: "true"}}
aggregationRule:
  clusterRoleSelectors:
  - matchLabels: {agg: a}
  - matchExpressions: [{key: tier, operator: In, values: [gold, silver]}]
---
kind: ClusterRole
apiVersion: rbac.authorization.k8s.io/v1
metadata: {name: agg2, labels: {self: "yes"}}
aggregationRule:
  clusterRoleSelectors:
  - matchLabels: {nested: "true"}
  - matchLabels: {self: "yes"}
---
kind: ClusterRole
apiVersion: rbac.authorization.k8s.io/v1
metadata: {name: agg3}
aggregationRule:
  clusterRoleSelectors:
  - matchExpressions:
    - {key: tier, operator: NotIn, values: [gold]}
    - {key: team, operator: Exists}
    - {key: agg, operator: DoesNotExist}
---
kind: ClusterRole
apiVersion: rbac.authorization.k8s.io/v1
metadata:
  name: metrics-reader
  labels: {rbac.authorization.k8s.io/aggregate-to-view: "true"}
rules: [{apiGroups: [metrics.k8s.io], resources: [pods], verbs: [list]}]
`)
	pol := policyOf(&analysis.Pass{Input: in, Rule: &analysis.Rule{}, Out: &analysis.Result{}})
	resources := func(name string) string {
		var out []string
		for _, er := range pol.rulesOf(pol.role("ClusterRole", "", name)) {
			out = append(out, er.from.Name+":"+strings.Join(er.rule.Resources, ","))
		}
		return strings.Join(out, " ")
	}
	for name, want := range map[string]string{
		"agg1": "base-a:pods base-b:secrets",
		"agg2": "base-a:pods base-b:secrets",
		"agg3": "base-c:configmaps",
	} {
		if got := resources(name); got != want {
			t.Errorf("%s aggregates %q, want %q", name, got, want)
		}
	}
	edit := resources("edit")
	if !strings.Contains(edit, "metrics-reader:pods") || !strings.Contains(edit, "system:aggregate-to-view:") ||
		!strings.Contains(edit, "system:aggregate-to-edit:") || strings.Contains(edit, "system:aggregate-to-admin:") {
		t.Errorf("edit aggregates %s", edit)
	}
	if admin := resources("admin"); !strings.Contains(admin, "system:aggregate-to-admin:") || !strings.Contains(admin, "metrics-reader:pods") {
		t.Errorf("admin aggregates %s", admin)
	}
}

// TestReadRBAC reads the lists and references of RBAC objects the way
// the API server decodes them: exact keys, lists of strings.
func TestReadRBAC(t *testing.T) {
	in := inputOf(t, `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: r, namespace: ns}
rules:
- apiGroups: ["", apps]
  Resources: [ignored]
  resources: [pods, deployments/scale]
  resourceNames: [a]
  verbs: [get, patch]
- nonResourceURLs: [/healthz/*]
  verbs: [get]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: b, namespace: ignored}
roleRef: {kind: ClusterRole, name: view}
subjects:
- {kind: ServiceAccount, name: sa, namespace: ns}
- {kind: Group, name: g, apiGroup: rbac.authorization.k8s.io}
`)
	p := &analysis.Pass{Input: in, Rule: &analysis.Rule{}, Out: &analysis.Result{}}
	role := rbacOf(p, in.Docs[0]).Role
	if role == nil || role.Namespace != "ns" || len(role.Rules) != 2 {
		t.Fatalf("role %+v", role)
	}
	r := role.Rules[0].PolicyRule
	if !slices.Equal(r.APIGroups, []string{"", "apps"}) || !slices.Equal(r.Resources, []string{"pods", "deployments/scale"}) ||
		!slices.Equal(r.ResourceNames, []string{"a"}) || !slices.Equal(r.Verbs, []string{"get", "patch"}) {
		t.Errorf("rule %+v", r)
	}
	if u := role.Rules[1].NonResourceURLs; !slices.Equal(u, []string{"/healthz/*"}) {
		t.Errorf("URLs %v", u)
	}
	b := rbacOf(p, in.Docs[1]).Binding
	if b == nil || b.Namespace != "" || b.RoleRef.Name != "view" || len(b.Subjects) != 2 || b.Subjects[0].Namespace != "ns" || b.invalid() != "" {
		t.Errorf("binding %+v (invalid: %s)", b, b.invalid())
	}
}

// TestMinimalRule checks the grants generated from denials.
func TestMinimalRule(t *testing.T) {
	cases := []struct {
		q    Request
		want string
	}{
		{Request{Verb: "get", Resource: "pods", Subresource: "log", Name: "web-7d9f", Namespace: "a"}, `get on pods/log in API group "" (core)`},
		{Request{Verb: "get", Resource: "pods", Subresource: "exec", Name: "web-0", Namespace: "a"}, `create, get on pods/exec in API group "" (core)`},
		{Request{Verb: "create", Resource: "pods", Subresource: "portforward", Namespace: "a"}, `create, get on pods/portforward in API group "" (core)`},
		{Request{Verb: "patch", APIGroup: "apps", Resource: "deployments", Subresource: "scale", Name: "web", Namespace: "a"},
			`patch on deployments/scale named web in API group "apps"`},
		{Request{Verb: "list", Resource: "secrets", Namespace: "a"}, `list on secrets in API group "" (core)`},
		{Request{Verb: "get", Path: "/metrics"}, "get on /metrics"},
	}
	for _, c := range cases {
		if got := describeRule(minimalRule(c.q)); got != c.want {
			t.Errorf("%s: %s, want %s", c.q, got, c.want)
		}
	}
}

// TestPolicyRuleKey checks that two rules share a key exactly when they
// are deeply equal.
func TestPolicyRuleKey(t *testing.T) {
	rules := []PolicyRule{
		{},
		{Verbs: []string{}},
		{Verbs: []string{"get"}},
		{Verbs: []string{"get", "list"}},
		{Verbs: []string{"get,list"}},
		{Verbs: []string{"get"}, APIGroups: []string{""}},
		{Verbs: []string{"get"}, APIGroups: []string{}},
		{Verbs: []string{"get"}, Resources: []string{""}},
		{Verbs: []string{"get"}, Resources: []string{"1:a"}},
		{Verbs: []string{"get"}, Resources: []string{"1", "a"}},
		{Verbs: []string{"get"}, NonResourceURLs: []string{"/healthz"}},
		{Verbs: []string{"get"}, ResourceNames: []string{"/healthz"}},
	}
	for i, a := range rules {
		for j, b := range rules {
			if same := a.key() == b.key(); same != (i == j) || same != reflect.DeepEqual(a, b) {
				t.Errorf("rules %+v and %+v: same key %v", a, b, same)
			}
		}
	}
}
