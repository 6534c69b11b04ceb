package core

import (
	"fmt"
	"strings"
	"testing"
)

// TestFileHeaders checks that a "==> NAME <==" line, which head and tail
// print between several files, starts a document titled NAME, and that
// the header is not part of any document.
func TestFileHeaders(t *testing.T) {
	const (
		configMap = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: aws-auth\n  namespace: kube-system\n" +
			"data:\n  mapRoles: |\n    - rolearn: arn:aws:iam::111122223333:role/admin\n      username: admin\n      groups:\n        - ops\n"
		role    = "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: reader\n  namespace: apps\nrules: []\n"
		binding = "apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: reader\n  namespace: apps\n" +
			"roleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: Role\n  name: reader\nsubjects: []\n"
		unauthorized = "$ kubectl get pods\nerror: You must be logged in to the server (Unauthorized)\n"
	)
	for _, c := range []struct {
		name, text string
		// want lists each document as "kind title startLine-endLine".
		want []string
	}{{
		name: "two files",
		text: "==> aws-auth.yaml <==\n" + configMap + "\n==> kubectl.log <==\n" + unauthorized,
		want: []string{"aws-auth aws-auth.yaml 2-12", "error-text kubectl.log 15-16"},
	}, {
		// without headers, the second file's keys would continue the first's YAML
		name: "YAML files without document markers",
		text: "==> role.yaml <==\n" + role + "==> binding.yaml <==\n" + binding,
		want: []string{"k8s-role role.yaml 2-7", "k8s-rolebinding binding.yaml 9-18"},
	}, {
		name: "a file of several documents",
		text: "==> rbac.yaml <==\n" + role + "---\n" + binding,
		want: []string{"k8s-role rbac.yaml: Role apps/reader 2-7", "k8s-rolebinding rbac.yaml: RoleBinding apps/reader 9-18"},
	}, {
		name: "text before the first header",
		text: unauthorized + "\n==> role.yaml <==\n" + role,
		want: []string{"error-text error: You must be logged in to the server (Unauthorized) 1-2", "k8s-role role.yaml 5-10"},
	}, {
		name: "CRLF line endings and a name with spaces",
		text: strings.ReplaceAll("==> my role.yaml <==\n"+role, "\n", "\r\n"),
		want: []string{"k8s-role my role.yaml 2-7"},
	}, {
		name: "not a header",
		text: "# ==> role.yaml <==\n" + role,
		want: []string{"k8s-role Role apps/reader 1-7"},
	}} {
		t.Run(c.name, func(t *testing.T) {
			rep := Analyze(c.text, Options{})
			var got []string
			for _, d := range rep.Documents {
				got = append(got, fmt.Sprintf("%s %s %d-%d", d.Kind, d.Title, d.StartLine, d.EndLine))
			}
			if strings.Join(got, "\n") != strings.Join(c.want, "\n") || rep.Error != "" {
				t.Errorf("documents (error %q):\n%s\nwant:\n%s", rep.Error, strings.Join(got, "\n"), strings.Join(c.want, "\n"))
			}
		})
	}
}
