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
	var rules []*fixes.Rule
	for _, r := range fixes.All {
		if strings.HasPrefix(r.ID, "TF") {
			rules = append(rules, r)
		}
	}
	files, err := filepath.Glob("../testdata/realworld/terraform/*.tf")
	if err != nil || len(files) == 0 {
		t.Fatalf("no Terraform corpus: %v", err)
	}
	var b strings.Builder
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, fd := range analyze(string(data), Options{}, rules).Findings {
			fmt.Fprintf(&b, "%s:%d:%d %s %s %s\n", filepath.Base(f), fd.Line, fd.Column, fd.Rule, fd.Severity, fd.Message)
		}
	}
	const golden = "../testdata/realworld-terraform.txt"
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
		t.Errorf("Terraform findings on the real-world corpus changed (run with -update to accept):\n%s", fixes.Unified("want", "got", string(want), got))
	}
}
