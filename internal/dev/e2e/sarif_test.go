//go:build !js

package e2e

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// TestSARIF builds the CLI and validates what --format sarif prints for
// a tree of files (findings with fixes, a clean file, empty, binary and
// unrelated files) and for stdin against the official SARIF 2.1.0 schema.
func TestSARIF(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		unavailable(t, "no go command to build the CLI with")
	}
	bin := filepath.Join(t.TempDir(), "eksdoctor")
	if out, err := exec.Command("go", "build", "-o", bin, "github.com/eksdoctor/eksdoctor/cmd/eksdoctor").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	schema := compileSchema(t, "testdata/sarif-schema-2.1.0.json")
	masters, err := os.ReadFile("testdata/aws-auth-masters.yaml")
	if err != nil {
		t.Fatal(err)
	}
	tree := t.TempDir()
	for name, text := range map[string]string{
		"deploy/aws-auth.yaml":    string(masters),
		"deploy/with path.yaml":   strings.Replace(string(masters), ":role/", ":role/team/", -1),
		"deploy/empty.yaml":       "",
		"deploy/binary.json":      "\x00\x01binary",
		"docs/README.md":          "# Nothing about clusters\n",
		"errors/kubectl.log":      "$ kubectl get pods\nerror: You must be logged in to the server (Unauthorized)\n",
		"home/.kube/config":       "apiVersion: v1\nkind: Config\nusers:\n- name: admin\n  user:\n    token: abc\n",
		"terraform/cluster.tf":    "resource \"aws_eks_cluster\" \"this\" {\n  name = \"prod\"\n}\n",
		"policies/trust.json":     `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"*"},"Action":"sts:AssumeRoleWithWebIdentity"}]}`,
		"unrelated/notes.txt":     "lunch at noon\n",
		"vendor/ignored/aws.yaml": string(masters),
	} {
		path := filepath.Join(tree, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, tt := range []struct {
		name, stdin string
		args        []string
	}{
		{"tree", "", []string{"analyze", "--format", "sarif", "--harden", "--fail-on", "none", "."}},
		{"redacted", "", []string{"analyze", "--format", "sarif", "--redact", "--fail-on", "none", "deploy"}},
		{"stdin", string(masters), []string{"analyze", "--format", "sarif", "--fail-on", "none"}},
		{"nothing", "", []string{"analyze", "--format", "sarif", "--fail-on", "none", "docs"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			cmd := exec.Command(bin, tt.args...)
			cmd.Dir, cmd.Stdin = tree, strings.NewReader(tt.stdin)
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			out, err := cmd.Output()
			if err != nil {
				t.Fatalf("%v\n%s", err, stderr.String())
			}
			doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(out))
			if err != nil {
				t.Fatalf("not JSON: %v\n%s", err, out)
			}
			if err := schema.Validate(doc); err != nil {
				t.Errorf("not valid SARIF 2.1.0: %v", err)
			}
			if tt.name == "tree" && (!bytes.Contains(out, []byte(`"fixes"`)) || !bytes.Contains(out, []byte(`"uri": "deploy/with%20path.yaml"`))) {
				t.Errorf("want results with fixes and an escaped URI:\n%.2000s", out)
			}
		})
	}
}

// compileSchema compiles the JSON schema in file, checking formats.
func compileSchema(t *testing.T, file string) *jsonschema.Schema {
	t.Helper()
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource(file, doc); err != nil {
		t.Fatal(err)
	}
	schema, err := c.Compile(file)
	if err != nil {
		t.Fatal(err)
	}
	return schema
}
