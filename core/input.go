package core

import (
	"bytes"
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/eksdoctor/eksdoctor/analysis"

	"github.com/eksdoctor/eksdoctor/redact"
)

// MaxInputBytes is the largest input Analyze accepts: 5 MiB, far more
// than any configuration or error output, small enough to stay fast in a
// browser tab.
const MaxInputBytes = 5 << 20

// binaryMagic are the starts of common binary files people drop by mistake.
var binaryMagic = map[string]string{
	"\x89PNG": "a PNG image", "\x1f\x8b": "gzip data", "PK\x03\x04": "a zip archive",
	"%PDF": "a PDF document", "\xff\xd8\xff": "a JPEG image", "GIF8": "a GIF image",
}

// checkInput returns why text cannot be analysed, or "".
func checkInput(text string) string {
	switch {
	case len(text) > MaxInputBytes:
		return fmt.Sprintf("The input is %.1f MiB; eksdoctor analyses at most %d MiB. Paste the configuration or error output that matters.",
			float64(len(text))/(1<<20), MaxInputBytes>>20)
	case strings.TrimSpace(text) == "":
		return "The input is empty: paste an error message, a configuration or a whole GitHub issue."
	case strings.HasPrefix(text, "\xfe\xff") || strings.HasPrefix(text, "\xff\xfe") || looksUTF16(text):
		return "The input is UTF-16 text; save or copy it as UTF-8 and paste it again."
	}
	for magic, what := range binaryMagic {
		if strings.HasPrefix(text, magic) {
			return "The input is " + what + ", not text."
		}
	}
	if i := strings.IndexByte(text, 0); i >= 0 {
		line, col := analysis.NewSource(text).Position(i)
		return fmt.Sprintf("The input holds binary data (a NUL byte at line %d, column %d), not text.", line, col)
	}
	if !utf8.ValidString(text) {
		bad := badUTF8(text)
		line, col := analysis.NewSource(text).Position(bad)
		return fmt.Sprintf("The input is not valid UTF-8 text (an invalid byte at line %d, column %d); save it as UTF-8 and paste it again.", line, col)
	}
	return ""
}

// deepNotes says of each document that nests too deeply to read
// (tooDeep) where it is and where it passes analysis.MaxDepth, with the
// line of an offset that at gives.
func deepNotes(docs []*analysis.Document, at func(off int) (line, col int)) []string {
	var notes []string
	for _, d := range docs {
		if err := tooDeep(d); err != nil {
			first, _ := at(d.Start)
			last, _ := at(max(d.Start, d.End-1))
			deep, _ := at(err.Offset)
			lines := fmt.Sprintf("line %d", first)
			if last > first {
				lines = fmt.Sprintf("lines %d–%d", first, last)
			}
			notes = append(notes, fmt.Sprintf("The document at %s nests more than %d levels deep (at line %d); no configuration nests so deeply, and eksdoctor does not read it.",
				lines, analysis.MaxDepth, deep))
		}
	}
	return notes
}

// looksUTF16 reports whether text starts like UTF-16 without a byte order
// mark: ASCII characters each paired with a NUL byte.
func looksUTF16(text string) bool {
	n := min(len(text), 64) &^ 1
	if n < 4 {
		return false
	}
	le, be := true, true
	for i := 0; i < n; i += 2 {
		le = le && text[i] != 0 && text[i+1] == 0
		be = be && text[i] == 0 && text[i+1] != 0
	}
	return le || be
}

func badUTF8(text string) int {
	return bytes.IndexRune([]byte(text), utf8.RuneError)
}

// positions maps offsets of the redacted text to lines and columns of the
// original input, so that reports point at what the person pasted even
// where a pseudonym's length differs from the value it replaced.
type positions struct {
	orig *analysis.Source
	reps []redact.Replacement
	// redStart[i] is where reps[i]'s pseudonym starts in the redacted text.
	redStart []int
}

func newPositions(original string, red redact.Result) positions {
	p := positions{orig: analysis.NewSource(original), reps: red.Replacements}
	delta := 0
	for _, r := range red.Replacements {
		p.redStart = append(p.redStart, r.Start+delta)
		delta += len(r.Pseudonym) - (r.End - r.Start)
	}
	return p
}

// at returns the 1-based line and column in the original input of byte
// offset off of the redacted text.
func (p positions) at(off int) (line, col int) {
	i := sort.SearchInts(p.redStart, off+1) - 1
	orig := off
	if i >= 0 {
		r, start := p.reps[i], p.redStart[i]
		if off < start+len(r.Pseudonym) {
			orig = r.Start + min(off-start, r.End-r.Start)
		} else {
			orig = r.End + off - (start + len(r.Pseudonym))
		}
	}
	return p.orig.Position(orig)
}
