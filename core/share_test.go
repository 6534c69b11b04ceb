package core

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestSharedTextAnalysesAlike opens every corpus input as a share link
// does: its redacted text, redacted again. Nothing is left to redact the
// second time, the text stays as it is, and the report is the one the
// original gave (findings, causes, fixes, diff and the rest), but for the
// columns, which count the original's bytes.
func TestSharedTextAnalysesAlike(t *testing.T) {
	for _, input := range corpusSeeds(t) {
		rep := Analyze(input, Options{})
		if rep.Error != "" {
			continue
		}
		shared := Analyze(rep.Redacted, Options{})
		if len(shared.Redactions) > 0 {
			t.Errorf("the redacted text of %.80q has more to redact: %+v", input, shared.Redactions)
		}
		got, want := withoutColumns(shared), withoutColumns(rep)
		if got != want {
			i := 0
			for i < len(got) && i < len(want) && got[i] == want[i] {
				i++
			}
			t.Errorf("the redacted text of %.80q analyses differently:\n got …%.300s\nwant …%.300s", input, got[max(0, i-200):], want[max(0, i-200):])
		}
	}
}

// withoutColumns returns rep's JSON without its redactions and the
// columns of its findings and edits.
func withoutColumns(rep Report) string {
	rep.Redactions = nil
	for i := range rep.Findings {
		f := &rep.Findings[i]
		f.ID, _, _ = strings.Cut(f.ID, ":")
		f.Column, f.EndColumn = 0, 0
		for j := range f.Fix.Edits {
			f.Fix.Edits[j].Column, f.Fix.Edits[j].EndColumn = 0, 0
		}
	}
	b, _ := json.Marshal(rep)
	return string(b)
}
