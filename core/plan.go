package core

import (
	"regexp"
	"strings"

	"github.com/eksdoctor/eksdoctor/analysis"
)

// People paste `terraform plan` output as often as the configuration: it
// shows each resource that changes as configuration, with a marker before
// each line that changes (+ create, - destroy, ~ update, -/+ and +/-
// replace, <= read), "old -> new" for a changed value, (known after apply)
// and (sensitive value) for values it cannot show, and inside a changed
// heredoc a marker before each of its lines. afterPlans rewrites each such
// resource, byte for byte, as the configuration that applying the plan
// leaves, so that the Terraform rules read it at its place in the paste.

// planResource is the first line of a resource or data source in a plan.
var planResource = regexp.MustCompile(`^\s*(?:[~+-]|-/\+|\+/-|<=) (?:resource|data) "[^"]+" "[^"]+" \{\s*(?:#.*)?$`)

// planMarkers are the markers a plan puts before a line, longest first.
var planMarkers = []string{"-/+ ", "+/- ", "<= ", "~ ", "+ ", "- "}

// unknownValue is what a plan writes for a value it cannot show.
var unknownValue = regexp.MustCompile(`\((?:known after apply|sensitive value|sensitive)\)`)

// afterPlans returns text with every resource of a Terraform plan in it
// written as the configuration the plan leaves: markers and removed lines
// blanked, of "old -> new" only new kept, an unknown value written as a
// name (known_after_apply), <<~ heredocs as <<- (HCL's indented form).
// Every offset still points at the same place.
func afterPlans(text string) string {
	var p *planView
	keywords := []planKeyword{{word: ` resource "`}, {word: ` data "`}}
	for from := 0; from < len(text); {
		at := nextKeyword(text, from, keywords)
		if at < 0 {
			break
		}
		start := strings.LastIndexByte(text[:at], '\n') + 1
		end := strings.IndexByte(text[at:], '\n')
		if end < 0 {
			end = len(text)
		} else {
			end += at
		}
		from = end + 1
		if !planResource.MatchString(strings.TrimSuffix(text[start:end], "\r")) {
			continue
		}
		if p == nil {
			p = &planView{src: analysis.NewSource(text)}
		}
		from = p.src.LineEnd(p.resource(p.src.LineOf(start))) + 1
	}
	if p == nil || p.out == nil {
		return text
	}
	return string(p.out)
}

// planKeyword is a keyword that can start a plan's resource (a plan
// writes it after a marker and a space), and where it next is.
type planKeyword struct {
	word string
	// next is its first place at or after the last search's start, -1
	// when there is none, or 0 before the first search.
	next  int
	found bool
}

// nextKeyword returns where the first of the keywords is at or after
// from, or -1. Each keyword is searched again only once the search has
// passed it, so that finding them all stays linear in the text.
func nextKeyword(text string, from int, keywords []planKeyword) int {
	at := -1
	for i := range keywords {
		k := &keywords[i]
		if !k.found || k.next >= 0 && k.next < from {
			k.found, k.next = true, strings.Index(text[from:], k.word)
			if k.next >= 0 {
				k.next += from
			}
		}
		if k.next >= 0 && (at < 0 || k.next < at) {
			at = k.next
		}
	}
	return at
}

// planView rewrites the lines (1-based) of plans in a copy of the text,
// made at the first change.
type planView struct {
	src *analysis.Source
	out []byte
}

func (p *planView) line(i int) string { return p.src.Line(i) }

// blank overwrites bytes [from, to) of line i with spaces.
func (p *planView) blank(i, from, to int) {
	p.write(i, from, strings.Repeat(" ", to-from))
}

// write overwrites line i from byte from with s.
func (p *planView) write(i, from int, s string) {
	if p.out == nil {
		p.out = []byte(p.src.Text)
	}
	copy(p.out[p.src.LineStart(i)+from:], s)
}

// marker returns the plan marker that starts line i and where it is, or
// "" when the line has none.
func (p *planView) marker(i int) (marker string, at int) {
	text := p.line(i)
	at = len(text) - len(strings.TrimLeft(text, " "))
	for _, m := range planMarkers {
		if strings.HasPrefix(text[at:], m) || strings.TrimSpace(m) == text[at:] {
			return strings.TrimSpace(m), at
		}
	}
	return "", at
}

// resource rewrites the resource whose first line is i and returns its
// last line.
func (p *planView) resource(i int) int {
	depth := 0
	for ; i <= p.src.Lines(); i++ {
		marker, at := p.marker(i)
		if marker == "-" {
			last := p.removed(i)
			for j := i; j <= last; j++ {
				p.blank(j, 0, len(p.line(j)))
			}
			i = last
			continue
		}
		if marker != "" {
			p.blank(i, at, at+len(marker))
		}
		text := p.line(i)
		p.keepNew(i, text)
		for _, loc := range unknownValue.FindAllStringIndex(text, -1) {
			p.write(i, loc[0], " "+strings.ReplaceAll(text[loc[0]+1:loc[1]-1], " ", "_")+" ")
		}
		if h := strings.Index(text, "<<~"); h >= 0 {
			p.write(i, h, "<<-")
		}
		if delim, ok := heredocOpens(text); ok {
			i = p.heredoc(i, delim, marker == "~")
			continue
		}
		if depth += bracketDepth(text); depth <= 0 {
			return i
		}
	}
	return p.src.Lines()
}

// removed returns the last line of what the line i removes: itself, or
// the block, list or heredoc it opens.
func (p *planView) removed(i int) int {
	if delim, ok := heredocOpens(p.line(i)); ok {
		return p.heredocEnd(i, delim)
	}
	depth := bracketDepth(p.line(i))
	for j := i + 1; depth > 0 && j <= p.src.Lines(); j++ {
		if depth += bracketDepth(p.line(j)); depth <= 0 {
			return j
		}
	}
	return i
}

// keepNew blanks the old value and the arrow of "old -> new" on line i.
func (p *planView) keepNew(i int, text string) {
	arrow := indexOutsideStrings(text, " -> ")
	if arrow < 0 {
		return
	}
	from := len(text) - len(strings.TrimLeft(text, " "))
	if eq := indexOutsideStrings(text, " = "); eq >= 0 && eq < arrow {
		from = eq + len(" = ")
	}
	p.blank(i, from, arrow+len(" -> "))
}

// heredoc rewrites the content of the heredoc line i opens and returns
// its closing line. A changed heredoc has a marker before each line, two
// columns right of its closing delimiter: removed lines are blanked.
func (p *planView) heredoc(i int, delim string, changed bool) int {
	end := p.heredocEnd(i, delim)
	if !changed {
		return end
	}
	col := len(p.line(end)) - len(strings.TrimLeft(p.line(end), " ")) + 2
	for j := i + 1; j < end; j++ {
		text := p.line(j)
		if len(text) <= col || len(text) > col+1 && text[col+1] != ' ' {
			continue
		}
		switch text[col] {
		case '-':
			p.blank(j, 0, len(text))
		case '+':
			p.blank(j, col, col+1)
		}
	}
	return end
}

// heredocEnd returns the line that closes the heredoc line i opens, or
// the last line when none does.
func (p *planView) heredocEnd(i int, delim string) int {
	for j := i + 1; j <= p.src.Lines(); j++ {
		if strings.TrimSpace(p.line(j)) == delim {
			return j
		}
	}
	return p.src.Lines()
}

// heredocOpens returns the delimiter of the heredoc a line opens.
func heredocOpens(text string) (string, bool) {
	h := strings.LastIndex(text, "<<")
	if h < 0 {
		return "", false
	}
	delim := strings.TrimLeft(text[h+2:], "-~")
	delim = strings.TrimSpace(delim)
	if delim == "" || strings.IndexFunc(delim, func(r rune) bool {
		return !(r == '_' || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9')
	}) >= 0 {
		return "", false
	}
	return delim, true
}

// bracketDepth returns how many more brackets a line opens than closes,
// outside strings and comments.
func bracketDepth(text string) int {
	depth := 0
	for i := 0; i < len(text); i++ {
		switch c := text[i]; c {
		case '"':
			i = closingQuote(text, i)
		case '#':
			return depth
		case '{', '[', '(':
			depth++
		case '}', ']', ')':
			depth--
		}
	}
	return depth
}

// indexOutsideStrings returns the index of the first sep in text that is
// not inside a quoted string, or -1.
func indexOutsideStrings(text, sep string) int {
	for i := 0; i < len(text); i++ {
		if text[i] == '"' {
			i = closingQuote(text, i)
			continue
		}
		if strings.HasPrefix(text[i:], sep) {
			return i
		}
	}
	return -1
}

// closingQuote returns the index of the quote that closes the string
// opening at i, or the end of the text.
func closingQuote(text string, i int) int {
	for j := i + 1; j < len(text); j++ {
		switch text[j] {
		case '\\':
			j++
		case '"':
			return j
		}
	}
	return len(text)
}
