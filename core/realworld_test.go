package core

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/eksdoctor/eksdoctor/analysis"

	"github.com/eksdoctor/eksdoctor/fixes"
)

// realworldGolden runs the rules whose IDs start with one of prefixes over
// the real-world corpus, calls check on every finding (with the file's
// path below testdata/realworld) and compares them all with the golden
// file (-update rewrites it), so a change in what a family reports on real
// files is seen and reviewed.
func realworldGolden(t *testing.T, golden string, prefixes []string, check func(path string, f Finding)) {
	t.Helper()
	var rules []*analysis.Rule
	for _, r := range fixes.All {
		for _, prefix := range prefixes {
			if strings.HasPrefix(r.ID, prefix) {
				rules = append(rules, r)
			}
		}
	}
	files, err := filepath.Glob("../testdata/realworld/*/*")
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, file := range files {
		if strings.HasSuffix(file, ".md") {
			continue
		}
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		path := strings.TrimPrefix(file, "../testdata/realworld/")
		for _, f := range analyze(string(data), Options{}, rules).Findings {
			fmt.Fprintf(&b, "%s:%d:%d %s %s %s\n", path, f.Line, f.Column, f.Rule, f.Severity, f.Message)
			check(path, f)
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
		t.Errorf("findings on the real-world corpus changed (run with -update to accept):\n%s", analysis.Unified("want", "got", string(want), got))
	}
}
