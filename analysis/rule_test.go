package analysis

import "testing"

// TestReportDropsFixesThatCannotApply checks that a finding keeps its
// fix only when the fix can be applied: not when an edit is out of the
// text, nor when it edits a document that is a command's output.
func TestReportDropsFixesThatCannotApply(t *testing.T) {
	src := NewSource("config: a\n---\noutput: b\n")
	in := &Input{Src: src, Docs: []*Document{
		{Index: 0, Kind: KindUnknown, Start: 0, End: 10},
		{Index: 1, Kind: KindUnknown, Start: 14, End: 24, Output: true},
	}}
	for _, tt := range []struct {
		name  string
		edits []Edit
		kept  bool
	}{
		{"in a config", []Edit{Replace(8, 9, "c")}, true},
		{"out of the text", []Edit{Replace(-1, -1, "")}, false},
		{"in output", []Edit{Replace(22, 23, "c")}, false},
		{"insertion at the start of output", []Edit{Insert(14, "x")}, false},
		{"insertion just after a config", []Edit{Insert(10, "x")}, true},
		{"one of two edits in output", []Edit{Replace(8, 9, "c"), Replace(22, 23, "c")}, false},
	} {
		p := &Pass{Input: in, Rule: &Rule{ID: "T001", Severity: Low}, Out: &Result{}}
		p.Report(Finding{Message: tt.name, Start: 8, End: 9, Fix: &Fix{Summary: "s", Edits: tt.edits}})
		if kept := p.Out.Findings[0].Fix != nil; kept != tt.kept {
			t.Errorf("%s: fix kept = %v, want %v", tt.name, kept, tt.kept)
		}
	}
}
