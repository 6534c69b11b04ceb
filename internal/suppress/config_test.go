package suppress

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// write creates the files of tree (slash-separated names relative to
// dir; a name ending in / is a directory) and returns dir.
func write(t *testing.T, dir string, tree map[string]string) string {
	t.Helper()
	for name, content := range tree {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if strings.HasSuffix(name, "/") {
			if err := os.MkdirAll(p, 0o755); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestFind(t *testing.T) {
	for _, tt := range []struct {
		name  string
		tree  map[string]string
		start string
		want  string // relative to the tree; "" for none
	}{
		{"in the start directory", map[string]string{".eksdoctor.yaml": "", "k8s/.eksdoctor.yaml": ""}, "k8s", "k8s/.eksdoctor.yaml"},
		{"two directories up", map[string]string{".eksdoctor.yaml": "", "k8s/prod/": ""}, "k8s/prod", ".eksdoctor.yaml"},
		{"in the repository's root", map[string]string{"repo/.git/": "", "repo/.eksdoctor.yaml": "", "repo/k8s/": ""}, "repo/k8s", "repo/.eksdoctor.yaml"},
		{"not above the repository's root", map[string]string{".eksdoctor.yaml": "", "repo/.git/": "", "repo/k8s/": ""}, "repo/k8s", ""},
		{"a worktree's .git is a file", map[string]string{".eksdoctor.yaml": "", "wt/.git": "gitdir: /elsewhere\n", "wt/k8s/": ""}, "wt/k8s", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := write(t, t.TempDir(), tt.tree)
			got, err := Find(filepath.Join(dir, tt.start))
			if err != nil {
				t.Fatal(err)
			}
			want := ""
			if tt.want != "" {
				want = filepath.Join(dir, filepath.FromSlash(tt.want))
			}
			if got != want {
				t.Errorf("Find = %q, want %q", got, want)
			}
		})
	}
}

func TestParse(t *testing.T) {
	c, err := Parse("repo/.eksdoctor.yaml", []byte(`# reviewed by the platform team
failOn: medium
skip: [AUTH021]
exclude:
  - vendor/**
  - "**/*.md"
paths:
  - path: legacy/**
    skip: [AUTH002, RBAC022]
`), known)
	if err != nil {
		t.Fatal(err)
	}
	abs, _ := filepath.Abs("repo")
	want := &Config{
		Path: "repo/.eksdoctor.yaml", Dir: abs, FailOn: "medium",
		Skip: []string{"AUTH021"}, Exclude: []string{"vendor/**", "**/*.md"},
		Paths: []PathSkip{{Path: "legacy/**", Skip: []string{"AUTH002", "RBAC022"}}},
	}
	if !reflect.DeepEqual(c, want) {
		t.Errorf("Parse =\n%#v\nwant\n%#v", c, want)
	}
	if c, err := Parse(".eksdoctor.yaml", nil, known); err != nil || c.Skip != nil {
		t.Errorf("empty file: %v, %v", c, err)
	}
}

func TestParseErrors(t *testing.T) {
	for _, tt := range []struct{ text, want string }{
		{"failOn: high\nskipp: [AUTH021]\n",
			"c/.eksdoctor.yaml:2: unknown field skipp (known: failOn, skip, exclude, paths; in paths: path, skip)"},
		{"paths:\n  - path: legacy/**\n    skips: [AUTH002]\n",
			"c/.eksdoctor.yaml:3: unknown field skips (known: failOn, skip, exclude, paths; in paths: path, skip)"},
		{"skip:\n  - AUTH021\n  - AUTH999\n  - '*'\n",
			"c/.eksdoctor.yaml:3: skip: unknown rule AUTH999\n" +
				`c/.eksdoctor.yaml:4: skip: "*" is not allowed: name the rules to suppress (e.g. AUTH002)`},
		{"failOn: severe\n",
			`c/.eksdoctor.yaml:1: failOn "severe" is not a severity (critical, high, medium, low, info or none)`},
		{"exclude: ['vendor/[a-']\npaths:\n  - path: /abs/**\n    skip: [AUTH002]\n  - skip: [AUTH002]\n",
			`c/.eksdoctor.yaml:1: exclude: "vendor/[a-" is not a valid glob` + "\n" +
				`c/.eksdoctor.yaml:3: path: "/abs/**": write a glob relative to the config file's directory` + "\n" +
				"c/.eksdoctor.yaml: paths entry 2 has no path"},
		{"skip: AUTH002\n", "c/.eksdoctor.yaml:1: cannot unmarshal !!str `AUTH002` into a list"},
		{"- skip\n", "c/.eksdoctor.yaml:1: cannot unmarshal !!seq into a mapping"},
		{"skip: [AUTH002\n", "c/.eksdoctor.yaml:1: did not find expected ',' or ']'"},
	} {
		_, err := Parse("c/.eksdoctor.yaml", []byte(tt.text), known)
		if err == nil || err.Error() != tt.want {
			t.Errorf("%q:\ngot  %v\nwant %s", tt.text, err, tt.want)
		}
	}
}

func TestMatch(t *testing.T) {
	for _, tt := range []struct {
		pattern, name string
		want          bool
	}{
		{"aws-auth.yaml", "aws-auth.yaml", true},
		{"*.tf", "main.tf", true},
		{"*.tf", "modules/iam/main.tf", false}, // anchored
		{"**/*.tf", "modules/iam/main.tf", true},
		{"**/*.tf", "main.tf", true}, // ** matches no directory too
		{"vendor/**", "vendor/a/b/c.yaml", true},
		{"vendor", "vendor/a/b/c.yaml", true}, // a directory covers its files
		{"vendor", "vendors/c.yaml", false},
		{"k8s/**/rbac/*.yaml", "k8s/prod/eu/rbac/oncall.yaml", true},
		{"k8s/**/rbac/*.yaml", "k8s/rbac/oncall.yaml", true},
		{"k8s/**/rbac/*.yaml", "k8s/prod/rbac.yaml", false},
		{"k8s/*/rbac.yaml", "k8s/prod/eu/rbac.yaml", false}, // * stays in its segment
		{"**", "anything/at/all", true},
		{"legacy/**", "legacy", true},
		{"[a-c]*.yaml", "b.yaml", true},
	} {
		if got := match(tt.pattern, tt.name); got != tt.want {
			t.Errorf("match(%q, %q) = %v, want %v", tt.pattern, tt.name, got, tt.want)
		}
	}
}
