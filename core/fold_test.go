package core

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// mastersMappings returns a mapRoles fragment mapping n roles to
// system:masters, each with a user name of its own.
func mastersMappings(n int) string {
	var b strings.Builder
	b.WriteString("  mapRoles: |\n")
	for i := range n {
		fmt.Fprintf(&b, "    - rolearn: arn:aws:iam::210987654321:role/team-%d\n      username: team-%d\n      groups:\n        - system:masters\n", i, i)
	}
	return b.String()
}

// TestFoldedFindings maps 1,000 roles to system:masters: the report lists
// the first 100 findings and folds the other 900 into one that counts
// them and names their lines, while the fixes of all 1,000 still apply,
// choosing the folded finding applies the fixes of all it stands for,
// and causes point at findings that exist.
func TestFoldedFindings(t *testing.T) {
	input := "error: You must be logged in to the server (Unauthorized)\n" + mastersMappings(1000)
	rep := Analyze(input, Options{Harden: true})
	var listed []Finding
	for _, f := range rep.Findings {
		if f.Rule == "AUTH002" {
			listed = append(listed, f)
		}
	}
	if len(listed) != foldAfter+1 {
		t.Fatalf("%d AUTH002 findings listed; want %d", len(listed), foldAfter+1)
	}
	folded := listed[foldAfter]
	if folded.Folded != 900 || !strings.HasPrefix(folded.Message, "And 900 more like it, on lines ") || folded.Fix.Edits != nil || !folded.Fix.Applied {
		t.Errorf("the folded finding: %+v", folded)
	}
	for _, f := range listed[:foldAfter] {
		if f.Folded != 0 || len(f.Fix.Edits) == 0 {
			t.Errorf("a finding listed one by one: %+v", f)
		}
	}
	if n := strings.Count(rep.Fixed, "system:masters"); n != 0 {
		t.Errorf("the fixed text still maps %d roles to system:masters", n)
	}
	if again := Analyze(rep.Fixed, Options{Harden: true}); strings.Contains(again.Fixed, "system:masters") {
		t.Errorf("fixing the fixed text fixes more")
	}
	for _, c := range rep.Causes {
		if c.Finding >= len(rep.Findings) {
			t.Errorf("cause %+v points past the %d findings", c, len(rep.Findings))
		}
	}
	if b, _ := json.Marshal(rep.Findings); len(b) > 128<<10 {
		t.Errorf("the findings take %d bytes of JSON", len(b))
	}

	chosen := Analyze(input, Options{Apply: []string{folded.ID}})
	if n := strings.Count(chosen.Fixed, "system:masters"); n != foldAfter {
		t.Errorf("choosing the folded finding leaves %d roles in system:masters; want the %d listed", n, foldAfter)
	}
}

// BenchmarkManyMappings analyses 20,000 mappings to system:masters (2.4
// MB) and reports the size of the report.
func BenchmarkManyMappings(b *testing.B) {
	input := mastersMappings(20000)
	b.SetBytes(int64(len(input)))
	for b.Loop() {
		out, _ := json.Marshal(Analyze(input, Options{}))
		b.ReportMetric(float64(len(out))/1e6, "MB-report")
	}
}
