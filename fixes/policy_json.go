package fixes

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/eksdoctor/eksdoctor/analysis"
)

// Hand-edited policy JSON breaks in a few ways that are safe to repair:
// a comma before a closing bracket, a missing comma at the end of a line,
// typographic quotes from a word processor or chat app, and closing
// brackets missing at the end. repairJSON finds them in one pass; the
// repair is offered only when the result is valid JSON.

// jsonSyntaxError returns the position (byte offset) and description of
// the first syntax error in text, or ok false when text is valid JSON.
func jsonSyntaxError(text string) (offset int, msg string, ok bool) {
	var v any
	err := json.Unmarshal([]byte(text), &v)
	if err == nil {
		return 0, "", false
	}
	var syntax *json.SyntaxError
	if !errors.As(err, &syntax) {
		return 0, err.Error(), true
	}
	off := min(max(int(syntax.Offset)-1, 0), len(text))
	msg = syntax.Error()
	switch r, _ := utf8.DecodeRuneInString(text[off:]); {
	case strings.Contains(msg, "unexpected end"):
		off = len(strings.TrimRight(text, " \t\r\n"))
	case isSmartQuote(r):
		msg = fmt.Sprintf("a typographic quote %c where JSON needs a straight \"", r)
	case r >= utf8.RuneSelf:
		msg = fmt.Sprintf("invalid character %q", r)
	}
	return off, msg, true
}

// jsonScanner walks JSON text keeping track of where values may go.
type jsonScanner struct {
	text  string
	edits []analysis.Edit
	// stack holds the open brackets; expect says what comes next:
	// 'v' a value, 'k' an object key, ':' a colon, ',' a comma or close.
	stack  []byte
	opened []int // offset of each open bracket
	expect byte
}

// repairJSON returns the edits that make text valid JSON, or ok false
// when it is valid already or a repair is not certain.
func repairJSON(text string) (edits []analysis.Edit, ok bool) {
	if json.Valid([]byte(text)) {
		return nil, false
	}
	s := &jsonScanner{text: text, expect: 'v'}
	if !s.scan() {
		return nil, false
	}
	fixed, err := analysis.Apply(text, s.edits)
	if err != nil || !json.Valid([]byte(fixed)) || len(s.edits) == 0 {
		return nil, false
	}
	return s.edits, true
}

// smartQuotes are the typographic quotes word processors and chat apps
// put around strings; IAM JSON needs straight ones.
const smartQuotes = "\u201c\u201d\u201e\u201f\u2018\u2019"

// isSmartQuote reports whether r is a typographic quote.
func isSmartQuote(r rune) bool { return strings.ContainsRune(smartQuotes, r) }

// straightenQuotes replaces each typographic quote that delimits a
// string with a straight one padded with spaces outside the string, so the
// text keeps its length and every offset.
func straightenQuotes(text string) string {
	var b strings.Builder
	inside, smart := false, false
	for i := 0; i < len(text); {
		r, n := utf8.DecodeRuneInString(text[i:])
		switch {
		case inside && r == '\\' && i+1 < len(text):
			b.WriteString(text[i : i+2])
			i += 2
			continue
		case r == '"':
			inside, smart = !inside, false
			b.WriteByte('"')
		case isSmartQuote(r) && !inside:
			inside, smart = true, true
			b.WriteString(strings.Repeat(" ", n-1) + `"`)
		case isSmartQuote(r) && (smart || closesAt(text, i+n)):
			inside = false
			b.WriteString(`"` + strings.Repeat(" ", n-1))
		default:
			b.WriteString(text[i : i+n])
		}
		i += n
	}
	return b.String()
}

// closesAt reports whether the text after a typographic quote inside a
// straight-quoted string reads as the end of the string.
func closesAt(text string, after int) bool {
	rest := strings.TrimLeft(text[after:], " \t")
	return rest == "" || strings.IndexByte(":,}]\r\n", rest[0]) >= 0
}

// scan walks the text once, recording repairs; false means a problem it
// cannot repair.
func (s *jsonScanner) scan() bool {
	t := s.text
	lastValueEnd := -1
	for i := 0; i < len(t); {
		r, size := utf8.DecodeRuneInString(t[i:])
		switch {
		case r == ' ' || r == '\t' || r == '\r' || r == '\n':
			i += size
			continue
		case r == ',':
			if s.expect != ',' {
				return false
			}
			next := s.skipSpace(i + 1)
			if next < len(t) && (t[next] == '}' || t[next] == ']') {
				s.edits = append(s.edits, analysis.Delete(i, i+1))
				i++
				continue
			}
			s.expect = map[byte]byte{'{': 'k', '[': 'v'}[s.top()]
			i++
			continue
		case r == ':':
			if s.expect != ':' {
				return false
			}
			s.expect = 'v'
			i++
			continue
		case r == '}' || r == ']':
			want := map[rune]byte{'}': '{', ']': '['}[r]
			if len(s.stack) == 0 || s.top() != want {
				return false
			}
			if closable := s.expect == ',' || (s.expect == 'k' || s.expect == 'v') && s.justOpened(i); !closable {
				return false
			}
			s.pop()
			i++
			lastValueEnd = i
			s.afterValue()
			continue
		}
		// A value or a key starts here.
		if s.expect == 'e' {
			return false
		}
		if s.expect == ',' {
			if !strings.ContainsAny(t[lastValueEnd:i], "\n") {
				return false
			}
			s.edits = append(s.edits, analysis.Insert(lastValueEnd, ","))
			s.expect = map[byte]byte{'{': 'k', '[': 'v'}[s.top()]
		}
		key := s.expect == 'k'
		end, ok := s.token(i, r, size)
		if !ok {
			return false
		}
		i, lastValueEnd = end, end
		if key {
			s.expect = ':'
		} else if r != '{' && r != '[' {
			s.afterValue()
		}
	}
	if s.expect == ':' || s.expect == 'k' || s.expect == 'v' && len(s.stack) > 0 {
		return false
	}
	s.closeAll(lastValueEnd)
	return true
}

// token reads the key or value starting at i and returns its end.
func (s *jsonScanner) token(i int, r rune, size int) (int, bool) {
	t := s.text
	switch {
	case r == '"' || isSmartQuote(r):
		return s.str(i, r, size)
	case s.expect == 'k':
		return 0, false
	case r == '{' || r == '[':
		s.stack = append(s.stack, byte(r))
		s.opened = append(s.opened, i)
		s.expect = map[rune]byte{'{': 'k', '[': 'v'}[r]
		return i + 1, true
	}
	end := i
	for end < len(t) && strings.IndexByte(" \t\r\n,:]}", t[end]) < 0 {
		end++
	}
	lit := t[i:end]
	if lit != "true" && lit != "false" && lit != "null" && !json.Valid([]byte(lit)) {
		return 0, false
	}
	return end, true
}

// str reads a string opened at i by a straight or typographic quote,
// replacing typographic delimiters with straight ones.
func (s *jsonScanner) str(i int, open rune, size int) (int, bool) {
	t := s.text
	smart := open != '"'
	if smart {
		s.edits = append(s.edits, analysis.Replace(i, i+size, `"`))
	}
	for j := i + size; j < len(t); {
		r, n := utf8.DecodeRuneInString(t[j:])
		switch {
		case r == '\\':
			j += 2
			continue
		case r == '\n':
			return 0, false
		case r == '"':
			return j + 1, true
		case isSmartQuote(r) && (smart || closesAt(s.text, j+n)):
			s.edits = append(s.edits, analysis.Replace(j, j+n, `"`))
			return j + n, true
		case r < 0x20:
			return 0, false
		}
		j += n
	}
	return 0, false
}

func (s *jsonScanner) skipSpace(i int) int {
	for i < len(s.text) && strings.IndexByte(" \t\r\n", s.text[i]) >= 0 {
		i++
	}
	return i
}

func (s *jsonScanner) top() byte {
	if len(s.stack) == 0 {
		return 0
	}
	return s.stack[len(s.stack)-1]
}

func (s *jsonScanner) pop() {
	s.stack, s.opened = s.stack[:len(s.stack)-1], s.opened[:len(s.opened)-1]
}

// justOpened reports whether the bracket closing at i closes an empty
// container.
func (s *jsonScanner) justOpened(i int) bool {
	return strings.TrimSpace(s.text[s.opened[len(s.opened)-1]+1:i]) == ""
}

func (s *jsonScanner) afterValue() {
	if len(s.stack) == 0 {
		s.expect = 'e'
		return
	}
	s.expect = ','
}

// closeAll appends the brackets still open at the end, each on its own
// line at the indentation of the line that opened it.
func (s *jsonScanner) closeAll(end int) {
	if len(s.stack) == 0 {
		return
	}
	src := analysis.NewSource(s.text)
	nl := src.Newline()
	var b strings.Builder
	for k := len(s.stack) - 1; k >= 0; k-- {
		closer := map[byte]string{'{': "}", '[': "]"}[s.stack[k]]
		b.WriteString(nl + lineIndent(src, src.LineOf(s.opened[k])) + closer)
	}
	s.edits = append(s.edits, analysis.Insert(end, b.String()))
}

// shellVariable matches a shell expansion in a JSON template.
var shellVariable = regexp.MustCompile(`\$\{?[A-Za-z_][A-Za-z0-9_]*`)

var iamMalformedJSON = &analysis.Rule{
	ID:       "IAM001",
	Title:    "policy JSON does not parse",
	Severity: analysis.High,
	Kinds:    policyKinds,
	Doc: "IAM rejects a policy that is not valid JSON (MalformedPolicyDocument), so the role or policy is not created or " +
		"keeps its old document. The finding gives the line and column of the first error. A comma before a closing " +
		"bracket, a missing comma at the end of a line, typographic quotes pasted from a document or chat, and missing " +
		"closing brackets at the end are repaired in place; anything else is left for you. A JSON file with shell " +
		"variables ($ACCOUNT_ID, ${NS:-default}) is a template: render it before checking the result.",
	Refs: []string{accessAnalyzer, "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html"},
	Run: func(p *analysis.Pass) {
		if p.Doc.Format != analysis.FormatJSON {
			return
		}
		off, msg, bad := jsonSyntaxError(p.Doc.Text)
		if !bad {
			return
		}
		at := p.Doc.Start + off
		line, col := p.Src.Position(at)
		if shellVariable.MatchString(p.Doc.Text) {
			p.Report(analysis.Finding{Severity: analysis.Info, Start: at, End: at, Message: fmt.Sprintf(
				"This policy is a shell template (it uses %s), not JSON yet: line %d column %d: %s. Check the policy the shell "+
					"renders, e.g. by pasting the output of the command that fills it in.", shellVariable.FindString(p.Doc.Text), line, col, msg)})
			return
		}
		var fix *analysis.Fix
		if edits, ok := repairJSON(p.Doc.Text); ok {
			for i := range edits {
				edits[i].Start += p.Doc.Start
				edits[i].End += p.Doc.Start
			}
			fix = &analysis.Fix{Summary: "Repair the JSON syntax", Edits: edits}
		}
		start, end := at, at
		if fix != nil { // point at the first character to change, which may come before where the parser stopped
			first := slices.MinFunc(fix.Edits, func(a, b analysis.Edit) int { return a.Start - b.Start })
			start, end = first.Start, first.End
		}
		p.Report(analysis.Finding{Start: start, End: end, Fix: fix, Message: fmt.Sprintf(
			"The policy is not valid JSON at line %d column %d: %s. IAM rejects it with MalformedPolicyDocument.", line, col, msg)})
	},
}
