package fixes

import (
	"fmt"
	"strings"

	"github.com/sergi/go-diff/diffmatchpatch"
)

// contextLines is how many unchanged lines a hunk shows around a change.
const contextLines = 3

var diffPrefix = map[diffmatchpatch.Operation]string{
	diffmatchpatch.DiffEqual: " ", diffmatchpatch.DiffDelete: "-", diffmatchpatch.DiffInsert: "+",
}

type diffLine struct {
	op   diffmatchpatch.Operation
	text string // one line, with its line break when it has one
}

// Unified returns the unified diff that turns before into after, with the
// given file labels, or "" when they are equal. The diff is computed line
// by line with no time limit, so the same texts always give the same bytes.
func Unified(beforeLabel, afterLabel, before, after string) string {
	if before == after {
		return ""
	}
	lines := diffLines(before, after)
	var b strings.Builder
	fmt.Fprintf(&b, "--- %s\n+++ %s\n", beforeLabel, afterLabel)
	for start := 0; start < len(lines); {
		first := nextChange(lines, start)
		if first == len(lines) {
			break
		}
		lo := max(first-contextLines, start)
		hi := hunkEnd(lines, first)
		writeHunk(&b, lines, lo, hi)
		start = hi
	}
	return b.String()
}

func diffLines(before, after string) []diffLine {
	dmp := diffmatchpatch.New()
	dmp.DiffTimeout = 0
	a, b, table := dmp.DiffLinesToRunes(before, after)
	diffs := dmp.DiffCharsToLines(dmp.DiffMainRunes(a, b, false), table)
	var lines []diffLine
	for _, d := range diffs {
		for text := d.Text; text != ""; {
			n := strings.IndexByte(text, '\n') + 1
			if n == 0 {
				n = len(text)
			}
			lines = append(lines, diffLine{d.Type, text[:n]})
			text = text[n:]
		}
	}
	return lines
}

func nextChange(lines []diffLine, from int) int {
	for from < len(lines) && lines[from].op == diffmatchpatch.DiffEqual {
		from++
	}
	return from
}

// hunkEnd returns the index just past the hunk that holds the change at
// first: changes closer than twice the context join one hunk.
func hunkEnd(lines []diffLine, first int) int {
	end := first
	for {
		for end < len(lines) && lines[end].op != diffmatchpatch.DiffEqual {
			end++
		}
		next := nextChange(lines, end)
		if next == len(lines) || next-end > 2*contextLines {
			return min(end+contextLines, len(lines))
		}
		end = next
	}
}

func writeHunk(b *strings.Builder, lines []diffLine, lo, hi int) {
	oldStart, newStart := 1, 1
	for _, l := range lines[:lo] {
		if l.op != diffmatchpatch.DiffInsert {
			oldStart++
		}
		if l.op != diffmatchpatch.DiffDelete {
			newStart++
		}
	}
	oldCount, newCount := 0, 0
	for _, l := range lines[lo:hi] {
		if l.op != diffmatchpatch.DiffInsert {
			oldCount++
		}
		if l.op != diffmatchpatch.DiffDelete {
			newCount++
		}
	}
	fmt.Fprintf(b, "@@ -%s +%s @@\n", hunkRange(oldStart, oldCount), hunkRange(newStart, newCount))
	for _, l := range lines[lo:hi] {
		b.WriteString(diffPrefix[l.op])
		b.WriteString(l.text)
		if !strings.HasSuffix(l.text, "\n") {
			b.WriteString("\n\\ No newline at end of file\n")
		}
	}
}

// hunkRange formats a hunk's line range the way diff(1) does: an empty
// range names the line before it.
func hunkRange(start, count int) string {
	switch count {
	case 0:
		return fmt.Sprintf("%d,0", start-1)
	case 1:
		return fmt.Sprint(start)
	}
	return fmt.Sprintf("%d,%d", start, count)
}
