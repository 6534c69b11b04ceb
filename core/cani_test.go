package core

import (
	"encoding/json"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"
)

// TestCanI asks through the public API: a pasted List and aws-auth, the
// defaults alone, and queries that cannot be answered.
func TestCanI(t *testing.T) {
	paste := "```\n$ kubectl get cm aws-auth -n kube-system -o yaml\n" + `apiVersion: v1
kind: ConfigMap
metadata:
  name: aws-auth
  namespace: kube-system
data:
  mapRoles: |
    - rolearn: arn:aws:iam::210987654321:role/developer
      username: developer:{{SessionName}}
      groups:
        - developers
` + "```\n\n```json\n" + `{"apiVersion": "v1", "kind": "List", "items": [
 {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role", "metadata": {"name": "pod-reader", "namespace": "payments"},
  "rules": [{"apiGroups": [""], "resources": ["pods", "pods/log"], "verbs": ["get", "list", "watch"]}]},
 {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding", "metadata": {"name": "developers", "namespace": "payments"},
  "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "pod-reader"},
  "subjects": [{"apiGroup": "rbac.authorization.k8s.io", "kind": "Group", "name": "developers"}]}]}
` + "```\n"
	accessEntries := `{"accessEntry": {"clusterName": "prod", "principalArn": "arn:aws:iam::210987654321:role/readonly",
  "kubernetesGroups": [], "type": "STANDARD", "accessEntryArn": "arn:aws:eks:eu-west-1:210987654321:access-entry/prod/role/210987654321/readonly/1c2d"}}
{"clusterName": "prod", "principalArn": "arn:aws:iam::210987654321:role/readonly", "associatedAccessPolicies": [
  {"policyArn": "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy", "accessScope": {"type": "namespace", "namespaces": ["payments"]}}]}
`
	cases := []struct {
		text  string
		query string
		want  string // "yes", "no", or "error: <fragment>"
		by    string
	}{
		{paste, `{"principal": "arn:aws:sts::210987654321:assumed-role/developer/jane", "verb": "get", "resource": "pods/log", "namespace": "payments"}`,
			"yes", "RoleBinding payments/developers"},
		{paste, `{"user": "developer:jane", "verb": "delete", "resource": "pods", "namespace": "payments"}`, "no", ""},
		{paste, `{"user": "developer:jane", "verb": "list", "resource": "pods", "namespace": "orders"}`, "no", ""},
		{"", `{"user": "system:anonymous", "verb": "get", "nonResourceURL": "/livez"}`, "yes", "ClusterRoleBinding system:public-info-viewer"},
		{"", `{"serviceAccount": "default:default", "verb": "list", "resource": "secrets", "namespace": "default"}`, "no", ""},
		{paste, `{"verb": "get", "resource": "pods"}`, "error: who asks", ""},
		{paste, `{"user": "jane", "resource": "pods"}`, "error: verb is required", ""},
		{paste, `{"principal": "arn:aws:iam::210987654321:role/unmapped", "verb": "get", "resource": "pods"}`, "error: maps no user", ""},
		{"\x00binary", `{"user": "jane", "verb": "get", "resource": "pods"}`, "error: binary", ""},
		{accessEntries, `{"principal": "arn:aws:iam::210987654321:role/readonly", "verb": "list", "resource": "deployments", "namespace": "payments"}`,
			"yes", "access policy AmazonEKSViewPolicy (namespace payments)"},
		{accessEntries, `{"user": "arn:aws:sts::210987654321:assumed-role/readonly/ops", "verb": "list", "resource": "pods"}`, "no", ""},
	}
	for _, c := range cases {
		var q CanIQuery
		if err := json.Unmarshal([]byte(c.query), &q); err != nil {
			t.Fatal(err)
		}
		got := CanI(c.text, q)
		if msg, isErr := strings.CutPrefix(c.want, "error: "); isErr {
			if !strings.Contains(got.Error, msg) {
				t.Errorf("%s: error %q, want one about %q", c.query, got.Error, msg)
			}
			continue
		}
		if got.Error != "" || got.Answer != c.want {
			t.Errorf("%s: answer %q (error %q), want %q: %s", c.query, got.Answer, got.Error, c.want, got.Reason)
			continue
		}
		if c.by != "" && (got.DecidedBy == nil || got.DecidedBy.Binding != c.by) {
			t.Errorf("%s: decided by %+v, want %s", c.query, got.DecidedBy, c.by)
		}
		if _, err := json.Marshal(got); err != nil {
			t.Errorf("%s: %v", c.query, err)
		}
	}
}

func TestCanIQueryFromText(t *testing.T) {
	text := "$ kubectl logs -n payments deploy/payments-api\n" +
		`Error from server (Forbidden): pods "payments-api-7d9f8b6c5-x2kqp" is forbidden: User "arn:aws:sts::210987654321:assumed-role/developer/jane" cannot get resource "pods/log" in API group "" in the namespace "payments"` + "\n" +
		`Error from server (Forbidden): deployments.apps is forbidden: User "jane" cannot list resource "deployments" in API group "apps" at the cluster scope` + "\n"
	q, ok := CanIQueryFromText(text)
	want := CanIQuery{User: "arn:aws:sts::210987654321:assumed-role/developer/jane", Verb: "get", Resource: "pods",
		Subresource: "log", Namespace: "payments", Name: "payments-api-7d9f8b6c5-x2kqp"}
	if !ok || q.User != want.User || q.Verb != want.Verb || q.Resource != want.Resource || q.Subresource != want.Subresource ||
		q.Namespace != want.Namespace || q.Name != want.Name {
		t.Errorf("CanIQueryFromText = %+v, %v; want %+v", q, ok, want)
	}
	if res := CanI(text, q); res.Allowed || res.Error != "" {
		t.Errorf("the derived question is not answered no: %+v", res)
	}
	if _, ok := CanIQueryFromText("kind: ConfigMap\n"); ok {
		t.Error("a paste without a denial gave a question")
	}
}

// TestCanIQueryGroups checks that the question a paste prefills carries
// the groups the paste shows the denied user has, and only those, and
// that the answer to it is the cluster's: for the gallery's kubectl logs
// example, yes to the can-i the person ran and no to the denied request.
func TestCanIQueryGroups(t *testing.T) {
	logs403 := galleryExample(t, "kubectl-logs-403.txt")
	denial := `Error from server (Forbidden): pods "web-0" is forbidden: User "developer:jane" cannot get resource "pods/log" in API group "" in the namespace "payments"` + "\n"
	canIYes := "$ kubectl auth can-i get pods -n payments\nyes\n"
	bindings := "```yaml\n" + strings.Join(strings.SplitAfter(logs403, "-o yaml\n")[1:], "") + "```\n"
	awsAuth := "```yaml\n" + `apiVersion: v1
kind: ConfigMap
metadata: {name: aws-auth, namespace: kube-system}
data:
  mapRoles: |
    - rolearn: arn:aws:iam::210987654321:role/developer
      username: developer:{{SessionName}}
      groups: [developers, viewers]
` + "```\n"
	twoGroups := strings.Replace(bindings, "  - kind: Group\n", "  - kind: Group\n    name: oncall\n    apiGroup: rbac.authorization.k8s.io\n  - kind: Group\n", 1)
	escalation := `Error from server (Forbidden): rolebindings.rbac.authorization.k8s.io "x" is forbidden: user "developer:jane" (groups=["developers" "system:authenticated"]) is attempting to grant RBAC permissions not currently held:` + "\n"
	cases := []struct {
		name, text string
		want       []string
	}{
		{"the gallery example: its can-i yes only Group developers grants", logs403, []string{"developers"}},
		{"a binding alone says nothing about who is in its group", denial + bindings, nil},
		{"the mapping whose username template gives the user its name", denial + awsAuth + bindings, []string{"developers", "viewers"}},
		{"a yes that two groups could explain names neither", denial + canIYes + twoGroups, nil},
		{"a can-i asked as someone else", denial + "$ kubectl auth can-i get pods -n payments --as=bob\nyes\n" + bindings, nil},
		{"a can-i without a namespace, asked in the context's", denial + "$ kubectl auth can-i get pods\nyes\n" + bindings, nil},
		{"a can-i another user's denial may have asked", denial + canIYes +
			`Error from server (Forbidden): secrets is forbidden: User "bob" cannot list resource "secrets" in API group "" in the namespace "payments"` + "\n" + bindings, nil},
		{"the groups the API server names", escalation + "\n" + denial, []string{"developers"}},
		{"a corpus case: aws-auth maps the assumed role", rulesCase(t, "RBAC001/logs-role-without-subresource"), []string{"developers"}},
	}
	for _, c := range cases {
		q, ok := CanIQueryFromText(c.text)
		if !ok || !slices.Equal(q.Groups, c.want) {
			t.Errorf("%s: groups %q (ok %v), want %q", c.name, q.Groups, ok, c.want)
		}
	}

	q, _ := CanIQueryFromText(logs403)
	if res := CanI(logs403, q); res.Allowed || len(res.NearMisses) == 0 || res.NearMisses[0].Binding != "RoleBinding payments/developers" ||
		res.NearMisses[0].Misses[0].Code != "subresource" || !strings.Contains(res.Command, "--as-group=developers") {
		t.Errorf("the denied request: %s %s, near misses %+v, command %s; want no, for want of pods/log in RoleBinding payments/developers",
			res.Answer, res.Reason, res.NearMisses, res.Command)
	}
	q.Resource, q.Subresource, q.Name = "pods", "", ""
	if res := CanI(logs403, q); !res.Allowed {
		t.Errorf("kubectl auth can-i get pods -n payments, which the cluster answered yes: %s %s", res.Answer, res.Reason)
	}
}

// rulesCase returns the input of a golden case of testdata/rules.
func rulesCase(t *testing.T, name string) string {
	t.Helper()
	ar, err := txtar.ParseFile(filepath.Join("..", "testdata", "rules", name+".txtar"))
	if err != nil {
		t.Fatal(err)
	}
	return section(ar, "input")
}
