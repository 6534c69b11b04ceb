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
	var at position // the lines before lines[start]
	for start := 0; start < len(lines); {
		first := nextChange(lines, start)
		if first == len(lines) {
			break
		}
		lo := max(first-contextLines, start)
		hi := hunkEnd(lines, first)
		at = at.after(lines[start:lo])
		writeHunk(&b, lines[lo:hi], at)
		at = at.after(lines[lo:hi])
		start = hi
	}
	return b.String()
}

// position counts the lines of the old and the new text before a line
// of the diff.
type position struct{ old, new int }

// after returns the position after lines.
func (p position) after(lines []diffLine) position {
	for _, l := range lines {
		if l.op != diffmatchpatch.DiffInsert {
			p.old++
		}
		if l.op != diffmatchpatch.DiffDelete {
			p.new++
		}
	}
	return p
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

// writeHunk writes the hunk of lines, which start after at.
func writeHunk(b *strings.Builder, lines []diffLine, at position) {
	count := position{}.after(lines)
	fmt.Fprintf(b, "@@ -%s +%s @@\n", hunkRange(at.old+1, count.old), hunkRange(at.new+1, count.new))
	for _, l := range lines {
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
