package analysis

import (
	"fmt"
	"strings"
	"unicode"

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

// diffLines diffs the texts line by line: each distinct line becomes one
// rune, the diff runs over the runes, and each rune of the result is read
// back as its line (diffmatchpatch's own line mode builds and joins
// strings for the same result).
func diffLines(before, after string) []diffLine {
	var table lineTable
	a, b := table.runes(before), table.runes(after)
	dmp := diffmatchpatch.New()
	dmp.DiffTimeout = 0
	var lines []diffLine
	for _, d := range dmp.DiffMainRunes(a, b, false) {
		for _, r := range d.Text {
			lines = append(lines, diffLine{d.Type, table.lines[lineIndex(r)]})
		}
	}
	return lines
}

// lineTable numbers the distinct lines of the texts it reads.
type lineTable struct {
	lines []string
	index map[string]int
}

// runes returns a rune per line of text (each line with its line break),
// the same rune for the same line.
func (t *lineTable) runes(text string) []rune {
	if t.index == nil {
		t.index = map[string]int{}
	}
	var out []rune
	for line := range strings.Lines(text) {
		i, ok := t.index[line]
		if !ok {
			i = len(t.lines)
			t.index[line] = i
			t.lines = append(t.lines, line)
		}
		out = append(out, lineRune(i))
	}
	return out
}

// lineRune turns a line number into a valid rune (the diff's texts are
// strings, where a surrogate would not survive), and lineIndex back. There
// are runes for 1,112,064 distinct lines, more than 5 MiB can hold unless
// nearly every line is a few bytes long and unique; beyond, it panics, as
// diffmatchpatch does, and the analysis reports an internal error.
func lineRune(i int) rune {
	if i >= 0xD800 {
		i += 0x800
	}
	if i > unicode.MaxRune {
		panic("diff: too many distinct lines")
	}
	return rune(i)
}

func lineIndex(r rune) int {
	if r >= 0xE000 {
		r -= 0x800
	}
	return int(r)
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
