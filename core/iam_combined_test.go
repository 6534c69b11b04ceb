package core

import (
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/eksdoctor/eksdoctor/analysis"
)

// TestIAMCombinedFixes runs every rule on the inputs in
// testdata/iam-combined, where several IAM, IRSA and PODID fixes touch one
// document (a JSON repair and key, value and structural edits), and
// compares all findings and the whole fixed text (-update rewrites them).
func TestIAMCombinedFixes(t *testing.T) {
	files, _ := filepath.Glob("../testdata/iam-combined/*.txtar")
	if len(files) == 0 {
		t.Fatal("no cases in testdata/iam-combined")
	}
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		ar := txtar.Parse(data)
		rep := Analyze(section(ar, "input"), Options{})
		got, gotFixed := formatFindings(rep.Findings), rep.Fixed
		if *update {
			setSection(ar, "want", got)
			setSection(ar, "fixed", gotFixed)
			if err := os.WriteFile(file, txtar.Format(ar), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if want := section(ar, "want"); got != want {
			t.Errorf("%s: findings differ (run with -update to accept)\n%s", file, analysis.Unified("want", "got", want, got))
		}
		if want := section(ar, "fixed"); gotFixed != want {
			t.Errorf("%s: fixed text differs (run with -update to accept)\n%s", file, analysis.Unified("want", "got", want, gotFixed))
		}
	}
}
