package core

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/eksdoctor/eksdoctor/fixes"
)

// TestRealworldTerraform runs the real-world Terraform corpus through the
// Terraform family and compares its findings with
// testdata/realworld-terraform.txt, so a change in what it reports on
// popular modules is seen and reviewed (-update rewrites it).
func TestRealworldTerraform(t *testing.T) {
	realworldGolden(t, "../testdata/realworld/terraform/*.tf", "../testdata/realworld-terraform.txt", "TF")
}

// realworldGolden runs the corpus files matching pattern through the
// rules whose IDs start with one of prefixes and compares the findings
// with golden (rewritten with -update).
func realworldGolden(t *testing.T, pattern, golden string, prefixes ...string) {
	t.Helper()
	var rules []*fixes.Rule
	for _, r := range fixes.All {
		for _, prefix := range prefixes {
			if strings.HasPrefix(r.ID, prefix) {
				rules = append(rules, r)
			}
		}
	}
	files, err := filepath.Glob(pattern)
	if err != nil || len(files) == 0 {
		t.Fatalf("no corpus files match %s: %v", pattern, err)
	}
	var b strings.Builder
	for _, f := range files {
		if strings.HasSuffix(f, ".md") {
			continue
		}
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, fd := range analyze(string(data), Options{}, rules).Findings {
			fmt.Fprintf(&b, "%s:%d:%d %s %s %s\n", strings.TrimPrefix(f, "../testdata/realworld/"), fd.Line, fd.Column, fd.Rule, fd.Severity, fd.Message)
		}
	}
	if *update {
		if err := os.WriteFile(golden, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if got := b.String(); got != string(want) {
		t.Errorf("findings on the real-world corpus changed (run with -update to accept):\n%s", fixes.Unified("want", "got", string(want), got))
	}
}
