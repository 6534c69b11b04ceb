package analysis

import (
	"runtime"
	"sort"
	"strings"
	"unicode/utf8"
)

// Source is the whole analysed text with an index of its line starts, so
// that byte offsets, which every rule and edit uses, convert to the 1-based
// line and column positions people read. A line ends at "\n", "\r\n" or a
// lone "\r"; columns count Unicode code points, and a leading byte order
// mark is not a column, as editors hide it.
type Source struct {
	Text       string
	lineStarts []int
}

// yieldAbove is the size of text from which Yield yields.
const yieldAbove = 256 << 10

// Yield lets other goroutines run, during the analysis of a large text. A
// js/wasm program has one thread and no preemption, so without a yield
// the garbage collector's workers wait for the whole analysis, and a
// collection that starts during it counts all that the analysis allocates
// as live: after a few 5 MiB pastes the heap had grown past 1 GiB. A
// yield costs a few microseconds in the browser, too much to pay between
// every two rules on a small paste, which allocates little anyway.
func (s *Source) Yield() {
	if len(s.Text) >= yieldAbove {
		runtime.Gosched()
	}
}

// NewSource indexes text.
func NewSource(text string) *Source {
	starts := []int{0}
	for i := 0; i < len(text); i++ {
		switch text[i] {
		case '\n':
			starts = append(starts, i+1)
		case '\r':
			if i+1 < len(text) && text[i+1] == '\n' {
				i++
			}
			starts = append(starts, i+1)
		}
	}
	return &Source{Text: text, lineStarts: starts}
}

// Lines reports how many lines the text has (an empty text has one).
func (s *Source) Lines() int { return len(s.lineStarts) }

// LineStart returns the byte offset where 1-based line starts; lines past
// the end clamp to the end of the text.
func (s *Source) LineStart(line int) int {
	switch {
	case line < 1:
		return 0
	case line > len(s.lineStarts):
		return len(s.Text)
	}
	return s.lineStarts[line-1]
}

// LineEnd returns the byte offset of the end of 1-based line, before its
// line break.
func (s *Source) LineEnd(line int) int {
	end := s.LineStart(line + 1)
	if line >= len(s.lineStarts) {
		return len(s.Text)
	}
	for end > s.LineStart(line) && (s.Text[end-1] == '\n' || s.Text[end-1] == '\r') {
		end--
	}
	return end
}

// Line returns the text of 1-based line without its line break.
func (s *Source) Line(line int) string {
	return s.Text[s.LineStart(line):s.LineEnd(line)]
}

// LineOf returns the 1-based line holding byte offset off.
func (s *Source) LineOf(off int) int {
	return sort.Search(len(s.lineStarts), func(i int) bool { return s.lineStarts[i] > off })
}

// Position converts a byte offset to a 1-based line and column.
func (s *Source) Position(off int) (line, col int) {
	off = min(max(off, 0), len(s.Text))
	line = s.LineOf(off)
	return line, utf8.RuneCountInString(s.Text[min(s.columnStart(line), off):off]) + 1
}

// Offset converts a 1-based line and column to a byte offset, clamping to
// the line's end.
func (s *Source) Offset(line, col int) int {
	off, end := s.columnStart(line), s.LineEnd(line)
	for col > 1 && off < end {
		_, size := utf8.DecodeRuneInString(s.Text[off:end])
		off += size
		col--
	}
	return off
}

// byteOrderMark starts some UTF-8 files saved on Windows.
const byteOrderMark = "\ufeff"

// columnStart returns where column 1 of a line is: its start, or after
// the byte order mark on line 1.
func (s *Source) columnStart(line int) int {
	if line <= 1 && strings.HasPrefix(s.Text, byteOrderMark) {
		return len(byteOrderMark)
	}
	return s.LineStart(line)
}

// Newline returns the line break the text uses first ("\n" when it has none),
// so inserted lines match the user's convention.
func (s *Source) Newline() string {
	if len(s.lineStarts) < 2 {
		return "\n"
	}
	end := s.lineStarts[1]
	if end >= 2 && s.Text[end-2] == '\r' && s.Text[end-1] == '\n' {
		return "\r\n"
	}
	return s.Text[end-1 : end]
}
