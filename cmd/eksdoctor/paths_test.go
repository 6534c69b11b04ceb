package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeTree writes files (slash paths to contents) under a new folder
// and returns it.
func writeTree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, text := range files {
		path := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// tree is a repository with EKS files among empty, binary, unrelated and
// ignored ones.
var tree = map[string]string{
	"deploy/aws-auth.yaml":        masters,
	"deploy/clean.yml":            clean,
	"deploy/empty.yaml":           "",
	"deploy/blob.json":            "\x00\x01\x02binary",
	"docs/notes.md":               "# Notes\n\nNothing about clusters here.\n",
	"image.png":                   "\x89PNG\r\n\x1a\n",
	"home/.kube/config":           pathRole,
	"prod.kubeconfig":             pathRole,
	".git/aws-auth.yaml":          masters,
	"node_modules/x/aws-auth.yml": masters,
	"vendor/aws-auth.yaml":        masters,
	".terraform/aws-auth.yaml":    masters,
	"charts/aws-auth.yaml.tmpl":   masters,
}

func TestWalk(t *testing.T) {
	t.Chdir(writeTree(t, tree))
	r := runCLI(t, "", "analyze", "-v", ".")
	if r.status != exitFindings {
		t.Errorf("status %d, want %d", r.status, exitFindings)
	}
	want := []string{"deploy/aws-auth.yaml:11:11: high AUTH002 ", "home/.kube/config:8:16: high AUTH001 ", "prod.kubeconfig:8:16: high AUTH001 "}
	var got []string
	for line := range strings.Lines(r.stdout) {
		if strings.Contains(line, " high ") {
			got = append(got, line)
		}
	}
	if len(got) != len(want) {
		t.Fatalf("high findings, in walk order:\n%s\nwant %q", strings.Join(got, ""), want)
	}
	for i := range want {
		if !strings.HasPrefix(got[i], want[i]) {
			t.Errorf("finding %d: %q, want %q…", i, got[i], want[i])
		}
	}
	for _, note := range []string{
		"deploy/blob.json: skipped: not text", "deploy/empty.yaml: skipped: empty",
		"docs/notes.md: skipped: nothing recognised", "deploy/clean.yml:1-12: [aws-auth]",
		"eksdoctor: 4 files analysed, 3 skipped;",
	} {
		if !strings.Contains(r.stderr, note) {
			t.Errorf("stderr lacks %q:\n%s", note, r.stderr)
		}
	}
	if strings.Contains(r.stdout+r.stderr, "image.png") || strings.Contains(r.stdout+r.stderr, "vendor/") || strings.Contains(r.stdout+r.stderr, ".tmpl") {
		t.Errorf("read a file it should not have:\n%s%s", r.stdout, r.stderr)
	}
	if r := runCLI(t, "", "analyze", "."); strings.Contains(r.stderr, "skipped: ") {
		t.Errorf("without -v, files found under a directory are skipped quietly:\n%s", r.stderr)
	}
	if r := runCLI(t, "", "analyze", "--all-files", "--fail-on", "none", "."); !strings.Contains(r.stdout, "charts/aws-auth.yaml.tmpl:11:11: high AUTH002") || r.status != exitOK {
		t.Errorf("--all-files: status %d\n%s", r.status, r.stdout)
	}
}

// TestNamedBinaryFile checks that a binary file named on the command line
// is skipped with a note, not failed on.
func TestNamedBinaryFile(t *testing.T) {
	t.Chdir(writeTree(t, tree))
	r := runCLI(t, "", "analyze", "image.png", "deploy/aws-auth.yaml")
	if r.status != exitFindings || !strings.Contains(r.stderr, "image.png: skipped: not text") {
		t.Errorf("status %d, stderr:\n%s", r.status, r.stderr)
	}
}

func TestIncludeExclude(t *testing.T) {
	t.Chdir(writeTree(t, tree))
	tests := []struct {
		args []string
		want []string // the files with high findings
	}{
		{[]string{"--include", "deploy"}, []string{"deploy/aws-auth.yaml"}},
		{[]string{"--include", "*.kubeconfig,home/*"}, []string{"home/.kube/config", "prod.kubeconfig"}},
		{[]string{"--exclude", "deploy/*.yaml", "--exclude", ".kube"}, []string{"prod.kubeconfig"}},
		{[]string{"--exclude", "*.yaml,*config"}, nil},
	}
	for _, tt := range tests {
		r := runCLI(t, "", append(append([]string{"analyze", "--fail-on", "none"}, tt.args...), ".")...)
		var got []string
		for line := range strings.Lines(r.stdout) {
			file, _, _ := strings.Cut(line, ":")
			if strings.Contains(line, " high ") && (len(got) == 0 || got[len(got)-1] != file) {
				got = append(got, file)
			}
		}
		if strings.Join(got, " ") != strings.Join(tt.want, " ") {
			t.Errorf("%q: files %q, want %q", tt.args, got, tt.want)
		}
	}
}

func TestMatches(t *testing.T) {
	tests := []struct {
		pattern, rel string
		want         bool
	}{
		{"*.yaml", "a/b/c.yaml", true},
		{"testdata", "pkg/testdata/x.yaml", true},
		{"pkg/*", "pkg/testdata/x.yaml", true},
		{"pkg/*.yaml", "pkg/testdata/x.yaml", false},
		{"pkg/*/x.yaml", "pkg/testdata/x.yaml", true},
		{"*.yml", "a/b/c.yaml", false},
	}
	for _, tt := range tests {
		if got := matches(tt.pattern, tt.rel); got != tt.want {
			t.Errorf("matches(%q, %q) = %v, want %v", tt.pattern, tt.rel, got, tt.want)
		}
	}
}
