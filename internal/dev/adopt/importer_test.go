package adopt

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// libraryDeps are the modules a program that imports the library may
// inherit, with what brings each in. A test-only dependency belongs in the
// development module (internal/dev), not here.
var libraryDeps = map[string]string{
	"go.yaml.in/yaml/v3":                       "YAML positions",
	"go.yaml.in/yaml/v2":                       "sigs.k8s.io/yaml",
	"sigs.k8s.io/yaml":                         "YAML values",
	"github.com/tidwall/gjson":                 "JSON paths",
	"github.com/tidwall/match":                 "gjson",
	"github.com/tidwall/pretty":                "gjson",
	"github.com/sergi/go-diff":                 "the unified diff",
	"github.com/hashicorp/hcl/v2":              "Terraform",
	"github.com/zclconf/go-cty":                "hcl",
	"github.com/agext/levenshtein":             "hcl",
	"github.com/apparentlymart/go-textseg/v15": "hcl",
	"github.com/apparentlymart/go-textseg/v17": "hcl",
	"github.com/mitchellh/go-wordwrap":         "hcl",
	"golang.org/x/text":                        "go-cty",
	// hcl's tools.go imports x/tools/cmd/stringer, so x/tools stays in an
	// importer's graph whatever the library's tests use (txtar).
	"golang.org/x/tools": "hcl, and the library's tests (txtar)",
	"golang.org/x/mod":   "x/tools",
	"golang.org/x/sync":  "x/tools",
}

// TestImporterModules builds a program that imports core outside the
// workspace and checks that its module graph holds the library's
// dependencies only: nothing the library's tests or tools need.
func TestImporterModules(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "go.mod"), `module example.com/importer

go 1.26.0

require github.com/eksdoctor/eksdoctor v0.0.0

replace github.com/eksdoctor/eksdoctor => `+root+"\n")
	write(t, filepath.Join(dir, "main.go"), `package main

import "github.com/eksdoctor/eksdoctor/core"

func main() { println(len(core.Analyze("", core.Options{}).Findings)) }
`)
	// The library's go.sum vouches for every go.mod in the graph, and the
	// module cache holds them once the library has been built: no network.
	sum, err := os.ReadFile(filepath.Join(root, "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(dir, "go.sum"), string(sum))

	cmd := exec.Command("go", "list", "-m", "-f", "{{.Path}}", "all")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=mod", "GOPROXY=off")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go list -m all in an importer: %v\n%s", err, out)
	}
	mods := strings.Fields(string(out))
	t.Logf("%d modules in an importer's graph (itself and the library included)", len(mods))
	for _, m := range mods {
		if _, ok := libraryDeps[m]; !ok && m != "example.com/importer" && m != "github.com/eksdoctor/eksdoctor" {
			t.Errorf("an importer of core inherits %s: a test or tool dependency belongs in internal/dev/go.mod; a new dependency of the library goes into libraryDeps", m)
		}
	}
	if !slices.Contains(mods, "github.com/hashicorp/hcl/v2") {
		t.Errorf("the graph misses the library's own dependencies:\n%s", out)
	}
}

func write(t *testing.T, name, text string) {
	t.Helper()
	if err := os.WriteFile(name, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}
