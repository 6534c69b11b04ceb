package fixes

import (
	"slices"
	"strings"
	"testing"

	"github.com/eksdoctor/eksdoctor/analysis"
)

// teamCluster is a realistic role set: a payments team with a narrow
// Role, a viewer, a CI deployer, a node reader, platform admins, an edit
// team, and the mistakes people make (a RoleBinding to a cluster-scoped
// grant, a roleRef of the wrong kind, a subject kind typo, a
// ServiceAccount without namespace, a missing ClusterRole, a Role in
// another namespace, an IAM role ARN as a user), plus aws-auth.
const teamCluster = `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: pod-reader
  namespace: payments
rules:
- apiGroups: [""]
  resources: ["pods"]
  verbs: ["get", "list", "watch"]
- apiGroups: [""]
  resources: ["configmaps"]
  resourceNames: ["app-config"]
  verbs: ["get", "update"]
- apiGroups: [""]
  resources: ["secrets"]
  resourceNames: ["payments-db"]
  verbs: ["get", "list", "watch"]
---
kind: RoleBinding
apiVersion: rbac.authorization.k8s.io/v1
metadata: {name: developers-pod-reader, namespace: payments}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: pod-reader}
subjects: [{kind: Group, name: developers, apiGroup: rbac.authorization.k8s.io}]
---
kind: RoleBinding
apiVersion: rbac.authorization.k8s.io/v1
metadata: {name: jane-view, namespace: payments}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
subjects: [{kind: User, name: jane, apiGroup: rbac.authorization.k8s.io}]
---
kind: ClusterRole
apiVersion: rbac.authorization.k8s.io/v1
metadata: {name: deployer}
rules:
- apiGroups: [apps]
  resources: [deployments]
  verbs: [get, list, watch, create, update, patch]
- apiGroups: [apps]
  resources: ["*/scale"]
  verbs: [patch, update]
- apiGroups: [""]
  resources: [pods/exec]
  verbs: [create]
---
kind: RoleBinding
apiVersion: rbac.authorization.k8s.io/v1
metadata: {name: ci-deployer, namespace: staging}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: deployer}
subjects: [{kind: ServiceAccount, name: deployer, namespace: ci}]
---
kind: ClusterRole
apiVersion: rbac.authorization.k8s.io/v1
metadata: {name: node-reader}
rules:
- {apiGroups: [""], resources: [nodes], verbs: [get, list, watch]}
- {nonResourceURLs: ["/metrics", "/healthz/*"], verbs: [get]}
---
kind: ClusterRoleBinding
apiVersion: rbac.authorization.k8s.io/v1
metadata: {name: ci-read}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: node-reader}
subjects: [{kind: ServiceAccount, name: builder, namespace: ci}]
---
kind: RoleBinding
apiVersion: rbac.authorization.k8s.io/v1
metadata: {name: node-reader-rb, namespace: payments}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: node-reader}
subjects: [{kind: User, name: bob, apiGroup: rbac.authorization.k8s.io}]
---
kind: ClusterRole
apiVersion: rbac.authorization.k8s.io/v1
metadata:
  name: monitoring-extras
  labels: {rbac.authorization.k8s.io/aggregate-to-view: "true"}
rules:
- {apiGroups: [metrics.k8s.io], resources: [pods], verbs: [get, list]}
---
kind: RoleBinding
apiVersion: rbac.authorization.k8s.io/v1
metadata: {name: wrong-kind, namespace: payments}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: view}
subjects: [{kind: User, name: carol, apiGroup: rbac.authorization.k8s.io}]
---
kind: RoleBinding
apiVersion: rbac.authorization.k8s.io/v1
metadata: {name: typo, namespace: payments}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
subjects: [{kind: user, name: dave, apiGroup: rbac.authorization.k8s.io}]
---
kind: ClusterRoleBinding
apiVersion: rbac.authorization.k8s.io/v1
metadata: {name: sa-no-ns}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
subjects: [{kind: ServiceAccount, name: reporter}]
---
kind: RoleBinding
apiVersion: rbac.authorization.k8s.io/v1
metadata: {name: reporter, namespace: payments}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
subjects: [{kind: ServiceAccount, name: reporter}]
---
kind: ClusterRoleBinding
apiVersion: rbac.authorization.k8s.io/v1
metadata: {name: admins}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
subjects: [{kind: Group, name: platform-admins, apiGroup: rbac.authorization.k8s.io}]
---
kind: RoleBinding
apiVersion: rbac.authorization.k8s.io/v1
metadata: {name: edit, namespace: team-a}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: edit}
subjects: [{kind: Group, name: team-a, apiGroup: rbac.authorization.k8s.io}]
---
kind: RoleBinding
apiVersion: rbac.authorization.k8s.io/v1
metadata: {name: missing, namespace: payments}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: does-not-exist}
subjects: [{kind: User, name: erin, apiGroup: rbac.authorization.k8s.io}]
---
kind: ClusterRole
apiVersion: rbac.authorization.k8s.io/v1
metadata: {name: impersonator}
rules:
- {apiGroups: [""], resources: [users], resourceNames: [svc-bot], verbs: [impersonate]}
---
kind: ClusterRoleBinding
apiVersion: rbac.authorization.k8s.io/v1
metadata: {name: impersonator}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: impersonator}
subjects: [{kind: User, name: frank, apiGroup: rbac.authorization.k8s.io}]
---
kind: Role
apiVersion: rbac.authorization.k8s.io/v1
metadata: {name: secret-reader, namespace: other}
rules:
- {apiGroups: [""], resources: [secrets], verbs: [get]}
---
kind: RoleBinding
apiVersion: rbac.authorization.k8s.io/v1
metadata: {name: secret-reader-rb, namespace: payments}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: secret-reader}
subjects: [{kind: User, name: sam, apiGroup: rbac.authorization.k8s.io}]
---
kind: RoleBinding
apiVersion: rbac.authorization.k8s.io/v1
metadata: {name: iam-user, namespace: payments}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
subjects: [{kind: User, name: "arn:aws:iam::111122223333:role/viewer", apiGroup: rbac.authorization.k8s.io}]
---
apiVersion: v1
kind: ConfigMap
metadata: {name: aws-auth, namespace: kube-system}
data:
  mapRoles: |
    - rolearn: arn:aws:iam::111122223333:role/developer
      username: "developer:{{SessionName}}"
      groups: [developers]
    - rolearn: arn:aws:iam::111122223333:role/admin
      username: admin
      groups: [system:masters]
`

// inputOf splits a YAML stream into documents of the RBAC and aws-auth
// kinds, the way the core splitter would.
func inputOf(t *testing.T, text string) *analysis.Input {
	t.Helper()
	src := analysis.NewSource(text)
	in := &analysis.Input{Src: src}
	kinds := map[string]analysis.Kind{"Role": analysis.KindRole, "ClusterRole": analysis.KindClusterRole, "RoleBinding": analysis.KindRoleBinding,
		"ClusterRoleBinding": analysis.KindClusterRoleBinding, "ConfigMap": analysis.KindAWSAuth}
	start := 0
	for _, part := range strings.SplitAfter(text, "---\n") {
		end := start + len(strings.TrimSuffix(part, "---\n"))
		n, err := src.ParseYAML(start, end)
		if err != nil {
			t.Fatalf("document at %d: %v", start, err)
		}
		in.Docs = append(in.Docs, &analysis.Document{Index: len(in.Docs), Kind: kinds[analysis.ScalarValue(n, "kind")], Format: analysis.FormatYAML,
			Start: start, End: end, Text: text[start:end], YAML: n})
		start += len(part)
	}
	return in
}

// TestCanI asks the simulator the questions people ask, over the team
// cluster and the defaults, and checks each answer and its reason: the
// binding that decides a yes, the first near miss of a no.
func TestCanI(t *testing.T) {
	in := inputOf(t, teamCluster)
	const devs, jane, ciDeployer = "RoleBinding payments/developers-pod-reader", "RoleBinding payments/jane-view", "RoleBinding staging/ci-deployer"
	cases := []question{
		// The defaults every cluster has.
		{CanIQuery{User: "jane", Verb: "create", Resource: "selfsubjectaccessreviews.authorization.k8s.io"}, yes("ClusterRoleBinding system:basic-user")},
		{CanIQuery{User: "jane", Verb: "create", Resource: "selfsubjectreviews.authentication.k8s.io"}, yes("ClusterRoleBinding system:basic-user")},
		{CanIQuery{User: "jane", Verb: "get", NonResourceURL: "/healthz"}, yes("ClusterRoleBinding system:discovery")},
		{CanIQuery{User: "jane", Verb: "get", NonResourceURL: "/apis/apps/v1"}, yes("ClusterRoleBinding system:discovery")},
		{CanIQuery{User: "system:anonymous", Verb: "get", NonResourceURL: "/version"}, yes("ClusterRoleBinding system:public-info-viewer")},
		{CanIQuery{User: "system:anonymous", Verb: "get", NonResourceURL: "/api"}, no("")},
		{CanIQuery{User: "system:anonymous", Verb: "list", Resource: "pods", Namespace: "default"}, no("")},
		{CanIQuery{User: "jane", Verb: "get", NonResourceURL: "/metrics"}, no("")},
		{CanIQuery{User: "prom", Groups: []string{"system:monitoring"}, Verb: "get", NonResourceURL: "/readyz/etcd"}, yes("ClusterRoleBinding system:monitoring")},
		{CanIQuery{User: "system:kube-proxy", Verb: "list", Resource: "endpointslices.discovery.k8s.io"}, yes("ClusterRoleBinding system:node-proxier")},
		{CanIQuery{ServiceAccount: "kube-system:kube-dns", Verb: "watch", Resource: "services"}, yes("ClusterRoleBinding system:kube-dns")},
		{CanIQuery{ServiceAccount: "ci:builder", Verb: "get", NonResourceURL: "/.well-known/openid-configuration"}, yes("ClusterRoleBinding system:service-account-issuer-discovery")},
		{CanIQuery{User: "jane", Verb: "get", NonResourceURL: "/openid/v1/jwks"}, no("")},
		{CanIQuery{User: "system:kube-scheduler", Verb: "create", Resource: "pods/binding", Namespace: "prod"}, yes("ClusterRoleBinding system:kube-scheduler")},
		{CanIQuery{User: "system:kube-scheduler", Verb: "get", Resource: "configmaps", Namespace: "kube-system", Name: "extension-apiserver-authentication"},
			yes("RoleBinding kube-system/system::extension-apiserver-authentication-reader")},
		{CanIQuery{User: "ops", Groups: []string{"platform-admins"}, Verb: "delete", Resource: "secrets", Namespace: "prod"}, yes("ClusterRoleBinding admins")},
		{CanIQuery{User: "ops", Groups: []string{"platform-admins"}, Verb: "escalate", Resource: "clusterroles.rbac.authorization.k8s.io"}, yes("ClusterRoleBinding admins")},
		{CanIQuery{User: "ops", Groups: []string{"platform-admins"}, Verb: "post", NonResourceURL: "/anything"}, yes("ClusterRoleBinding admins")},
		{CanIQuery{User: "root", Groups: []string{"system:masters"}, Verb: "delete", Resource: "nodes"}, yes("")},

		// A narrow Role: pods and one named ConfigMap in payments.
		{CanIQuery{User: "alice", Groups: []string{"developers"}, Verb: "get", Resource: "pods", Namespace: "payments"}, yes(devs)},
		{CanIQuery{User: "alice", Groups: []string{"developers"}, Verb: "list", Resource: "pods", Namespace: "payments"}, yes(devs)},
		{CanIQuery{User: "alice", Groups: []string{"developers"}, Verb: "watch", Resource: "po", Namespace: "payments"}, yes(devs)},
		{CanIQuery{User: "alice", Groups: []string{"developers"}, Verb: "get", Resource: "pods/log", Namespace: "payments"}, no("subresource")},
		{CanIQuery{User: "alice", Groups: []string{"developers"}, Verb: "get", Resource: "pods", Subresource: "exec", Namespace: "payments"}, no("subresource")},
		{CanIQuery{User: "alice", Groups: []string{"developers"}, Verb: "get", Resource: "pods", Namespace: "staging"}, no("namespace")},
		{CanIQuery{User: "alice", Groups: []string{"developers"}, Verb: "list", Resource: "pods"}, no("cluster-scope")},
		{CanIQuery{User: "alice", Groups: []string{"developers"}, Verb: "create", Resource: "pods", Namespace: "payments"}, no("verb")},
		{CanIQuery{User: "alice", Groups: []string{"developers"}, Verb: "get", Resource: "configmaps", Namespace: "payments", Name: "app-config"}, yes(devs)},
		{CanIQuery{User: "alice", Groups: []string{"developers"}, Verb: "update", Resource: "configmaps", Namespace: "payments", Name: "app-config"}, yes(devs)},
		{CanIQuery{User: "alice", Groups: []string{"developers"}, Verb: "get", Resource: "configmaps", Namespace: "payments", Name: "other"}, no("resource-name")},
		{CanIQuery{User: "alice", Groups: []string{"developers"}, Verb: "list", Resource: "configmaps", Namespace: "payments"}, no("")},
		{CanIQuery{User: "alice", Groups: []string{"developers"}, Verb: "get", Resource: "secrets", Namespace: "payments", Name: "payments-db"}, yes(devs)},
		{CanIQuery{User: "alice", Groups: []string{"developers"}, Verb: "list", Resource: "secrets", Namespace: "payments"}, no("resource-name")},
		{CanIQuery{User: "alice", Groups: []string{"developers"}, Verb: "watch", Resource: "secrets", Namespace: "payments", Name: "payments-db"}, yes(devs)},
		{CanIQuery{User: "alice", Groups: []string{"developers"}, Verb: "create", Resource: "configmaps", Namespace: "payments", Name: "app-config"}, no("")},
		{CanIQuery{User: "alice", Groups: []string{"developers"}, Verb: "delete", Resource: "configmaps", Namespace: "payments", Name: "app-config"}, no("verb")},
		{CanIQuery{User: "alice", Groups: []string{"Developers"}, Verb: "get", Resource: "pods", Namespace: "payments"}, no("subject-name")},

		// The view ClusterRole through a RoleBinding, with aggregation.
		{CanIQuery{User: "jane", Verb: "get", Resource: "pods/log", Namespace: "payments"}, yes(jane)},
		{CanIQuery{User: "jane", Verb: "list", Resource: "deployments", Namespace: "payments"}, yes(jane)},
		{CanIQuery{User: "jane", Verb: "list", Resource: "deployments.extensions", Namespace: "payments"}, yes(jane)},
		{CanIQuery{User: "jane", Verb: "get", Resource: "deployments/scale", Namespace: "payments"}, yes(jane)},
		{CanIQuery{User: "jane", Verb: "patch", Resource: "deployments/scale", Namespace: "payments"}, no("verb")},
		{CanIQuery{User: "jane", Verb: "list", Resource: "hpa", Namespace: "payments"}, yes(jane)},
		{CanIQuery{User: "jane", Verb: "list", Resource: "ingresses", Namespace: "payments"}, yes(jane)},
		{CanIQuery{User: "jane", Verb: "get", Resource: "serviceaccounts", Namespace: "payments"}, yes(jane)},
		{CanIQuery{User: "jane", Verb: "get", Resource: "secrets", Namespace: "payments"}, no("")},
		{CanIQuery{User: "jane", Verb: "create", Resource: "pods/exec", Namespace: "payments"}, no("")},
		{CanIQuery{User: "jane", Verb: "create", Resource: "serviceaccounts/token", Namespace: "payments"}, no("")},
		{CanIQuery{User: "jane", Verb: "list", Resource: "roles", Namespace: "payments"}, no("")},
		{CanIQuery{User: "jane", Verb: "list", Resource: "pods.metrics.k8s.io", Namespace: "payments"}, yes(jane)},
		{CanIQuery{User: "jane", Verb: "list", Resource: "namespaces"}, no("cluster-scope")},
		{CanIQuery{User: "jane", Verb: "get", Resource: "namespaces", Name: "payments"}, yes(jane)},
		{CanIQuery{User: "jane", Verb: "get", Resource: "namespaces", Name: "staging"}, no("namespace")},
		{CanIQuery{User: "jane", Verb: "list", Resource: "pods", Namespace: "staging"}, no("namespace")},
		{CanIQuery{User: "Jane", Verb: "list", Resource: "pods", Namespace: "payments"}, no("subject-name")},
		{CanIQuery{User: "jane", Verb: "list", Resource: "nodes", Namespace: "payments"}, no("")},

		// edit through a RoleBinding: exec, secrets, tokens, no RBAC.
		{CanIQuery{User: "tina", Groups: []string{"team-a"}, Verb: "create", Resource: "pods/exec", Namespace: "team-a"}, yes("RoleBinding team-a/edit")},
		{CanIQuery{User: "tina", Groups: []string{"team-a"}, Verb: "get", Resource: "pods/exec", Namespace: "team-a"}, yes("RoleBinding team-a/edit")},
		{CanIQuery{User: "tina", Groups: []string{"team-a"}, Verb: "list", Resource: "secrets", Namespace: "team-a"}, yes("RoleBinding team-a/edit")},
		{CanIQuery{User: "tina", Groups: []string{"team-a"}, Verb: "create", Resource: "serviceaccounts/token", Namespace: "team-a"}, yes("RoleBinding team-a/edit")},
		{CanIQuery{User: "tina", Groups: []string{"team-a"}, Verb: "impersonate", Resource: "serviceaccounts", Namespace: "team-a"}, yes("RoleBinding team-a/edit")},
		{CanIQuery{User: "tina", Groups: []string{"team-a"}, Verb: "patch", Resource: "pods/ephemeralcontainers", Namespace: "team-a"}, no("subresource")},
		{CanIQuery{User: "tina", Groups: []string{"team-a"}, Verb: "create", Resource: "rolebindings", Namespace: "team-a"}, no("")},
		{CanIQuery{User: "tina", Groups: []string{"team-a"}, Verb: "update", Resource: "statefulsets.apps/scale", Namespace: "team-a"}, yes("RoleBinding team-a/edit")},
		{CanIQuery{User: "tina", Groups: []string{"team-a"}, Verb: "delete", Resource: "leases.coordination.k8s.io", Namespace: "team-a"}, yes("RoleBinding team-a/edit")},
		{CanIQuery{User: "tina", Groups: []string{"team-a"}, Verb: "get", Resource: "pods.metrics.k8s.io", Namespace: "team-a"}, yes("RoleBinding team-a/edit")},
		{CanIQuery{User: "tina", Groups: []string{"team-a"}, Verb: "create", Resource: "pods", Namespace: "payments"}, no("namespace")},
		{CanIQuery{User: "tina", Groups: []string{"team-a"}, Verb: "delete", Resource: "nodes"}, no("")},

		// A ClusterRole bound in one namespace to a ServiceAccount.
		{CanIQuery{ServiceAccount: "ci:deployer", Verb: "patch", Resource: "deployments", Namespace: "staging"}, yes(ciDeployer)},
		{CanIQuery{ServiceAccount: "system:serviceaccount:ci:deployer", Verb: "list", Resource: "deployments.apps", Namespace: "staging"}, yes(ciDeployer)},
		{CanIQuery{ServiceAccount: "ci:deployer", Verb: "patch", Resource: "deployments/scale", Namespace: "staging"}, yes(ciDeployer)},
		{CanIQuery{ServiceAccount: "ci:deployer", Verb: "update", Resource: "statefulsets/scale", Namespace: "staging"}, yes(ciDeployer)},
		{CanIQuery{ServiceAccount: "ci:deployer", Verb: "patch", Resource: "replicationcontrollers/scale", Namespace: "staging"}, no("api-group")},
		{CanIQuery{ServiceAccount: "ci:deployer", Verb: "patch", Resource: "deployments.extensions", Namespace: "staging"}, no("api-group")},
		{CanIQuery{ServiceAccount: "ci:deployer", Verb: "patch", Resource: "deployments", Namespace: "prod"}, no("namespace")},
		{CanIQuery{ServiceAccount: "other:deployer", Verb: "patch", Resource: "deployments", Namespace: "staging"}, no("subject-namespace")},
		{CanIQuery{ServiceAccount: "ci:deployer", Verb: "create", Resource: "pods/exec", Namespace: "staging"}, yes(ciDeployer)},
		{CanIQuery{ServiceAccount: "ci:deployer", Verb: "get", Resource: "pods/exec", Namespace: "staging"}, no("verb")},
		{CanIQuery{ServiceAccount: "ci:deployer", Verb: "delete", Resource: "deployments", Namespace: "staging"}, no("verb")},
		{CanIQuery{ServiceAccount: "ci:deployer", Verb: "get", Resource: "secrets", Namespace: "staging"}, no("")},

		// A ClusterRole with nodes and URLs, bound cluster-wide and (in vain) in a namespace.
		{CanIQuery{ServiceAccount: "ci:builder", Verb: "list", Resource: "nodes"}, yes("ClusterRoleBinding ci-read")},
		{CanIQuery{ServiceAccount: "ci:builder", Verb: "get", Resource: "nodes", Name: "ip-10-0-1-2.ec2.internal"}, yes("ClusterRoleBinding ci-read")},
		{CanIQuery{ServiceAccount: "ci:builder", Verb: "list", Resource: "nodes", Namespace: "ci"}, yes("ClusterRoleBinding ci-read")},
		{CanIQuery{ServiceAccount: "ci:builder", Verb: "get", Resource: "nodes/proxy"}, no("subresource")},
		{CanIQuery{ServiceAccount: "ci:builder", Verb: "get", NonResourceURL: "/metrics"}, yes("ClusterRoleBinding ci-read")},
		{CanIQuery{ServiceAccount: "ci:builder", Verb: "get", NonResourceURL: "/healthz/etcd"}, yes("ClusterRoleBinding ci-read")},
		{CanIQuery{ServiceAccount: "ci:builder", Verb: "get", NonResourceURL: "/healthz"}, yes("ClusterRoleBinding system:discovery")},
		{CanIQuery{ServiceAccount: "ci:builder", Verb: "post", NonResourceURL: "/metrics"}, no("verb")},
		{CanIQuery{ServiceAccount: "ci:builder", Verb: "get", NonResourceURL: "/metrics/slis"}, no("url")},
		{CanIQuery{User: "bob", Verb: "list", Resource: "nodes"}, no("cluster-scope")},
		{CanIQuery{User: "bob", Verb: "get", NonResourceURL: "/metrics"}, no("cluster-scope")},

		// Bindings that never grant: wrong roleRef kind, subject kind typo,
		// missing namespace, missing role, Role of another namespace.
		{CanIQuery{User: "carol", Verb: "get", Resource: "pods", Namespace: "payments"}, no("roleref-kind")},
		{CanIQuery{User: "dave", Verb: "get", Resource: "pods", Namespace: "payments"}, no("subject-kind")},
		{CanIQuery{ServiceAccount: "payments:reporter", Verb: "get", Resource: "pods", Namespace: "payments"}, yes("RoleBinding payments/reporter")},
		{CanIQuery{ServiceAccount: "payments:reporter", Verb: "get", Resource: "pods", Namespace: "staging"}, no("subject-namespace")},
		{CanIQuery{User: "erin", Verb: "get", Resource: "pods", Namespace: "payments"}, no("role-not-found")},
		{CanIQuery{User: "sam", Verb: "get", Resource: "secrets", Namespace: "payments"}, no("role-namespace")},
		{CanIQuery{User: "frank", Verb: "impersonate", Resource: "users", Name: "svc-bot"}, yes("ClusterRoleBinding impersonator")},
		{CanIQuery{User: "frank", Verb: "impersonate", Resource: "users", Name: "admin"}, no("resource-name")},
		{CanIQuery{User: "frank", Verb: "impersonate", Resource: "groups", Name: "system:masters"}, no("")},
		{CanIQuery{User: "arn:aws:sts::111122223333:assumed-role/viewer/s1", Groups: []string{"viewers"}, Verb: "get", Resource: "pods", Namespace: "payments"}, no("subject-name")},

		// IAM principals through aws-auth.
		{CanIQuery{Principal: "arn:aws:sts::111122223333:assumed-role/developer/alice.smith", Verb: "get", Resource: "pods", Namespace: "payments"}, yes(devs)},
		{CanIQuery{User: "developer:bob", Verb: "list", Resource: "pods", Namespace: "payments"}, yes(devs)},
		{CanIQuery{Principal: "arn:aws:iam::111122223333:role/admin", Verb: "delete", Resource: "nodes"}, yes("")},
		{CanIQuery{User: "arn:aws:sts::111122223333:assumed-role/developer/alice", Verb: "get", Resource: "pods", Namespace: "payments"}, no("")},
	}
	if len(cases) < 80 {
		t.Fatalf("only %d questions", len(cases))
	}
	askAll(t, in, cases)
}

// answer is what a question should get: allowed, the binding that decides
// a yes ("" for the system:masters bypass), the code of the closest near
// miss of a no ("" when nothing comes close).
type answer struct {
	allowed  bool
	by, miss string
}

func yes(by string) answer  { return answer{true, by, ""} }
func no(miss string) answer { return answer{false, "", miss} }

type question struct {
	q    CanIQuery
	want answer
}

// askAll asks the simulator each question and checks the answer.
func askAll(t *testing.T, in *analysis.Input, questions []question) {
	t.Helper()
	for _, c := range questions {
		got := CanI(in, c.q)
		label := got.Command
		switch {
		case got.Error != "":
			t.Errorf("%+v: %s", c.q, got.Error)
		case got.Allowed != c.want.allowed:
			t.Errorf("%s: allowed %v, want %v (%s)", label, got.Allowed, c.want.allowed, got.Reason)
		case (got.Answer == "yes") != got.Allowed:
			t.Errorf("%s: answer %q with allowed %v", label, got.Answer, got.Allowed)
		case c.want.allowed && c.want.by == "" && got.DecidedBy != nil:
			t.Errorf("%s: decided by %s, want the system:masters bypass", label, got.DecidedBy.Binding)
		case c.want.allowed && c.want.by != "" && (got.DecidedBy == nil || got.DecidedBy.Binding != c.want.by):
			t.Errorf("%s: decided by %+v, want %s", label, got.DecidedBy, c.want.by)
		case !c.want.allowed && c.want.miss == "" && len(got.NearMisses) > 0:
			t.Errorf("%s: near miss %s, want none", label, got.NearMisses[0].Message())
		case !c.want.allowed && c.want.miss != "" && (len(got.NearMisses) == 0 || got.NearMisses[0].Misses[0].Code != c.want.miss):
			t.Errorf("%s: near misses %+v, want first code %s", label, got.NearMisses, c.want.miss)
		}
	}
}

// TestCanIAccessPolicies plugs a source of access entries into the seam
// and checks that access policies grant like bindings at their scope, and
// that kubernetesGroups reach group bindings.
func TestCanIAccessPolicies(t *testing.T) {
	saved := identitySources
	t.Cleanup(func() { identitySources = saved })
	readOnly := "arn:aws:iam::111122223333:role/eks-workshop-read-only"
	platform := "arn:aws:iam::111122223333:role/platform"
	identitySources = append(slices.Clone(saved), func(*analysis.Pass) []IdentityMapping {
		return []IdentityMapping{
			{Source: "access entry", Principal: readOnly, Username: AccessEntryUsername(readOnly),
				Policies: []AccessPolicy{{Name: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy", Namespaces: []string{"payments", "team-*"}}}},
			{Source: "access entry", Principal: platform, Username: AccessEntryUsername(platform),
				Policies: []AccessPolicy{{Name: "AmazonEKSClusterAdminPolicy"}}},
			{Source: "access entry", Principal: "arn:aws:iam::111122223333:role/payments-dev", Username: "payments-dev",
				Groups: []string{"developers"}, Policies: []AccessPolicy{{Name: "AmazonEKSSecretReaderPolicy", Namespaces: []string{"payments"}}}},
		}
	})
	in := inputOf(t, teamCluster)
	session := "arn:aws:sts::111122223333:assumed-role/eks-workshop-read-only/EKSGetTokenAuth"
	askAll(t, in, []question{
		{CanIQuery{User: session, Verb: "list", Resource: "pods", Namespace: "payments"}, yes("access policy AmazonEKSViewPolicy (namespace payments)")},
		{CanIQuery{User: session, Verb: "list", Resource: "pods", Namespace: "team-b"}, yes("access policy AmazonEKSViewPolicy (namespace team-*)")},
		{CanIQuery{User: session, Verb: "list", Resource: "pods"}, no("cluster-scope")},
		{CanIQuery{User: session, Verb: "list", Resource: "pods", Namespace: "kube-system"}, no("namespace")},
		{CanIQuery{User: session, Verb: "get", Resource: "secrets", Namespace: "payments"}, no("")},
		{CanIQuery{Principal: "arn:aws:sts::111122223333:assumed-role/platform/ops", Verb: "delete", Resource: "nodes"},
			yes("access policy AmazonEKSClusterAdminPolicy (cluster scope)")},
		{CanIQuery{Principal: "arn:aws:iam::111122223333:role/payments-dev", Verb: "list", Resource: "secrets", Namespace: "payments"},
			yes("access policy AmazonEKSSecretReaderPolicy (namespace payments)")},
		{CanIQuery{User: "payments-dev", Verb: "get", Resource: "pods", Namespace: "payments"}, yes("RoleBinding payments/developers-pod-reader")},
	})
}
