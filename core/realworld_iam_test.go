package core

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/eksdoctor/eksdoctor/fixes"
)

// TestRealworldIAM runs the real-world corpus through the IAM, IRSA and
// PODID families and compares their findings with
// testdata/realworld-iam.txt, so a change in what they report on real
// files is seen and reviewed (-update rewrites it). Every high or critical
// finding there needs a verdict in the family's notes.
func TestRealworldIAM(t *testing.T) {
	var rules []*fixes.Rule
	for _, r := range fixes.All {
		if strings.HasPrefix(r.ID, "IAM") || strings.HasPrefix(r.ID, "IRSA") || strings.HasPrefix(r.ID, "PODID") {
			rules = append(rules, r)
		}
	}
	files, err := filepath.Glob("../testdata/realworld/*/*")
	if err != nil {
		t.Fatal(err)
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
	const golden = "../testdata/realworld-iam.txt"
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
		t.Errorf("IAM findings on the real-world corpus changed (run with -update to accept):\n%s", fixes.Unified("want", "got", string(want), got))
	}
}
