package core

import (
	"fmt"
	"strconv"
)

// foldAfter is how many findings of one rule a report lists one by one:
// the rest become one finding that counts them, so that a paste with
// thousands of the same mistake gives a report of bounded size. Their
// fixes are still applied (Report.Fixed and Report.Diff hold them all).
const foldAfter = 100

// folding returns, for each finding, the index of the finding that shows
// it in the report: itself, or the first of the findings of its rule
// beyond foldAfter, which stands for them all.
func folding(findings []Finding) []int {
	shownBy := make([]int, len(findings))
	seen := map[string]int{}
	first := map[string]int{}
	for i, f := range findings {
		shownBy[i] = i
		if seen[f.Rule]++; seen[f.Rule] <= foldAfter {
			continue
		}
		if j, ok := first[f.Rule]; ok {
			shownBy[i] = j
		} else {
			first[f.Rule] = i
		}
	}
	return shownBy
}

// fold replaces the findings that shownBy folds into another by that
// one, which counts them (Folded), names their lines in its message and
// lists no edits; causes then point at the findings that show theirs.
func fold(findings []Finding, causes []Cause, shownBy []int) ([]Finding, []Cause) {
	at := make([]int, len(findings)) // index in the report of each finding's shower
	out := make([]Finding, 0, len(findings))
	lastLine := map[int]int{} // by shower: the line of the last finding it shows
	for i, f := range findings {
		if j := shownBy[i]; j != i {
			at[i] = at[j]
			shown := &out[at[j]]
			shown.Folded++
			shown.Fix.Applied = shown.Fix.Applied && f.Fix.Applied
			lastLine[at[j]] = f.Line
			continue
		}
		at[i] = len(out)
		out = append(out, f)
	}
	for i, line := range lastLine {
		f := &out[i]
		f.Folded++
		f.Message = fmt.Sprintf("And %s more like it, on lines %s to %s. The first: %s", thousands(f.Folded), thousands(f.Line), thousands(line), f.Message)
		f.Fix.Edits = nil
	}
	kept := []Cause{}
	listed := map[int]bool{}
	for _, c := range causes {
		if i := at[c.Finding]; !listed[i] {
			listed[i] = true
			kept = append(kept, Cause{Finding: i, Because: c.Because})
		}
	}
	return out, kept
}

// thousands writes n with commas between groups of three digits.
func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
