package analysis

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	yaml "go.yaml.in/yaml/v3"
)

// Embedded is text stored as a string value inside a document, like the
// YAML of an aws-auth mapRoles block scalar or of a JSON ConfigMap's
// "mapRoles" string. Rules parse Value on its own; Embedded maps positions
// in Value back to the whole text and encodes replacement text the way the
// container needs (indentation for a block, escapes for a quoted string),
// so a fix inside embedded YAML is still a surgical edit of the original.
type Embedded struct {
	// Value is the decoded string.
	Value string
	// raw[i] is the offset in the whole text where Value[i:] begins.
	raw []int
	// encode turns text into what the container holds at [start, end).
	encode func(text string, start, end int) string
	// src indexes Value, for parsers' positions.
	src *Source
}

// Offset maps a byte offset in Value to the whole text.
func (e *Embedded) Offset(i int) int { return e.raw[min(max(i, 0), len(e.Value))] }

// Edit turns a replacement of Value[start:end] with text into an edit of
// the whole text.
func (e *Embedded) Edit(start, end int, text string) Edit {
	rs, re := e.Offset(start), e.Offset(end)
	return Edit{rs, re, e.encode(text, rs, re)}
}

// LineOffset maps a 1-based line and column of Value, as a parser of the
// embedded text reports them, to an offset in the whole text.
func (e *Embedded) LineOffset(line, col int) int {
	return e.Offset(NewSource(e.Value).Offset(line, col))
}

// EmbeddedScalar returns the text of a YAML string scalar with positions:
// a literal block scalar (`|`, `|-`, `|2`…) or a one-line quoted (single
// or double) or plain scalar. Folded and multi-line flow scalars are not mapped (ok is false).
func (s *Source) EmbeddedScalar(n *yaml.Node) (e *Embedded, ok bool) {
	if n == nil || n.Kind != yaml.ScalarNode {
		return nil, false
	}
	start, end := s.ScalarSpan(n)
	switch {
	case n.Style&yaml.LiteralStyle != 0:
		return s.embeddedBlock(n)
	case n.Style&yaml.DoubleQuotedStyle != 0:
		return s.embeddedQuoted(start, end)
	case n.Style&yaml.SingleQuotedStyle != 0:
		return s.embeddedSingleQuoted(start, end)
	case n.Style == 0 && !strings.ContainsAny(s.Text[start:end], "\r\n") && s.Text[start:end] == n.Value:
		return &Embedded{Value: n.Value, raw: identityMap(start, len(n.Value)), encode: func(t string, _, _ int) string { return t }}, true
	}
	return nil, false
}

// EmbeddedJSONString returns the text of the JSON string literal that
// starts at offset start of the whole text.
func (s *Source) EmbeddedJSONString(start int) (*Embedded, bool) {
	if start >= len(s.Text) || s.Text[start] != '"' {
		return nil, false
	}
	return s.embeddedQuoted(start, start+QuotedLen(s.Text[start:], '"'))
}

func identityMap(start, n int) []int {
	raw := make([]int, n+1)
	for i := range raw {
		raw[i] = start + i
	}
	return raw
}

// embeddedQuoted decodes the double-quoted literal at [start, end) with
// JSON escapes, which YAML double-quoted strings share for everything
// people write in configuration.
func (s *Source) embeddedQuoted(start, end int) (*Embedded, bool) {
	lit := s.Text[start:end]
	if len(lit) < 2 || lit[len(lit)-1] != '"' || strings.ContainsAny(lit, "\r\n") {
		return nil, false
	}
	var value []byte
	var raw []int
	for i := 1; i < len(lit)-1; {
		at := start + i
		if lit[i] != '\\' {
			value = append(value, lit[i])
			raw = append(raw, at)
			i++
			continue
		}
		r, n, ok := unescape(lit[i:])
		if !ok {
			return nil, false
		}
		for range utf8.RuneLen(r) {
			raw = append(raw, at)
		}
		value = utf8.AppendRune(value, r)
		i += n
	}
	raw = append(raw, end-1)
	return &Embedded{Value: string(value), raw: raw, encode: func(t string, _, _ int) string { return jsonEscape(t) }}, true
}

// embeddedSingleQuoted decodes the single-quoted literal at [start, end),
// where ” stands for ': what kubectl prints for a string holding JSON,
// such as the mapRoles of an aws-auth that the CDK wrote.
func (s *Source) embeddedSingleQuoted(start, end int) (*Embedded, bool) {
	lit := s.Text[start:end]
	if len(lit) < 2 || lit[len(lit)-1] != '\'' || strings.ContainsAny(lit, "\r\n") {
		return nil, false
	}
	var value []byte
	var raw []int
	for i := 1; i < len(lit)-1; i++ {
		value = append(value, lit[i])
		raw = append(raw, start+i)
		if lit[i] == '\'' {
			i++ // the second quote of ''
		}
	}
	raw = append(raw, end-1)
	return &Embedded{Value: string(value), raw: raw, encode: func(t string, _, _ int) string { return strings.ReplaceAll(t, "'", "''") }}, true
}

// unescape decodes the escape sequence at the start of s.
func unescape(s string) (r rune, n int, ok bool) {
	if len(s) < 2 {
		return 0, 0, false
	}
	if r, ok := map[byte]rune{'"': '"', '\\': '\\', '/': '/', 'b': '\b', 'f': '\f', 'n': '\n', 'r': '\r', 't': '\t'}[s[1]]; ok {
		return r, 2, true
	}
	if s[1] != 'u' || len(s) < 6 {
		return 0, 0, false
	}
	u, err := strconv.ParseUint(s[2:6], 16, 16)
	if err != nil {
		return 0, 0, false
	}
	r = rune(u)
	if utf16.IsSurrogate(r) && len(s) >= 12 && s[6] == '\\' && s[7] == 'u' {
		if lo, err := strconv.ParseUint(s[8:12], 16, 16); err == nil {
			return utf16.DecodeRune(r, rune(lo)), 12, true
		}
	}
	return r, 6, true
}

func jsonEscape(text string) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.Encode(text) // a string always encodes
	out := strings.TrimSuffix(b.String(), "\n")
	return out[1 : len(out)-1]
}

// blockScalar is the layout of a YAML block scalar in the text.
type blockScalar struct {
	indent              int // the content's indentation, in spaces
	firstLine, lastLine int // the content lines, blank ones at the end excluded
	contentEnd          int // the end of the last content line
	strip               bool
}

// blockScalar finds where the content of the block scalar n lies: from the
// line after its indicator to the last line indented at least as deep as
// the content.
func (s *Source) blockScalar(n *yaml.Node) (blockScalar, bool) {
	b := blockScalar{firstLine: n.Line + 1, lastLine: n.Line}
	header := s.Text[s.NodeStart(n):s.LineEnd(n.Line)]
	if i := strings.Index(header, " #"); i >= 0 {
		header = header[:i]
	}
	header = strings.TrimSpace(header)
	if tag, rest, ok := strings.Cut(header, " "); ok && strings.HasPrefix(tag, "!") {
		header = strings.TrimSpace(rest) // a tagged block scalar: PolicyDocument: !Sub |
	}
	if header == "" || (header[0] != '|' && header[0] != '>') {
		return b, false
	}
	for _, c := range header[1:] {
		switch {
		case c == '-':
			b.strip = true
		case c >= '1' && c <= '9':
			b.indent = IndentOf(s.Line(n.Line)) + int(c-'0')
		}
	}
	for line := n.Line + 1; line <= s.Lines(); line++ {
		text := s.Line(line)
		if strings.TrimSpace(text) == "" {
			continue
		}
		if b.indent == 0 {
			b.indent = IndentOf(text)
		}
		if IndentOf(text) < b.indent || b.indent == 0 {
			break
		}
		b.lastLine = line
	}
	b.contentEnd = s.LineEnd(b.lastLine)
	return b, b.lastLine > n.Line
}

func IndentOf(line string) int { return len(line) - len(strings.TrimLeft(line, " ")) }

// embeddedBlock decodes a literal block scalar line by line, keeping the
// offset of every byte.
func (s *Source) embeddedBlock(n *yaml.Node) (*Embedded, bool) {
	b, ok := s.blockScalar(n)
	if !ok {
		return nil, false
	}
	return s.embeddedLines(b), true
}

// EmbeddedHeredoc returns the text of a Terraform heredoc whose opening
// (<<EOT or <<-EOT) is on line open and whose closing marker is on line
// close: the lines between them, each with its line break, with the
// indentation of the least indented line removed for <<-. ok is false
// when there are no lines between them.
func (s *Source) EmbeddedHeredoc(open, close int) (e *Embedded, ok bool) {
	if close <= open+1 || close > s.Lines() {
		return nil, false
	}
	b := blockScalar{firstLine: open + 1, lastLine: close - 1, contentEnd: s.LineEnd(close - 1)}
	if strings.Contains(s.Line(open), "<<-") {
		b.indent = -1
		for line := b.firstLine; line <= b.lastLine; line++ {
			if text := s.Line(line); strings.TrimSpace(text) != "" && (b.indent < 0 || IndentOf(text) < b.indent) {
				b.indent = IndentOf(text)
			}
		}
		b.indent = max(b.indent, 0)
	}
	return s.embeddedLines(b), true
}

// embeddedLines decodes the lines of b, each without b.indent spaces,
// keeping the offset of every byte; its encoder indents new lines so.
func (s *Source) embeddedLines(b blockScalar) *Embedded {
	var value []byte
	var raw []int
	for line := b.firstLine; line <= b.lastLine; line++ {
		start, end := s.LineStart(line), s.LineEnd(line)
		from := min(start+b.indent, end)
		value = append(value, s.Text[from:end]...)
		for i := from; i < end; i++ {
			raw = append(raw, i)
		}
		if line < b.lastLine || !b.strip {
			value = append(value, '\n')
			raw = append(raw, end)
		}
	}
	if b.strip {
		raw = append(raw, b.contentEnd)
	} else {
		raw = append(raw, s.LineStart(b.lastLine+1))
	}
	indent := strings.Repeat(" ", b.indent)
	newline := s.Newline()
	encode := func(text string, start, end int) string {
		var out strings.Builder
		lines := strings.SplitAfter(text, "\n")
		for i, l := range lines {
			atLineStart := i > 0 || start == 0 || s.Text[start-1] == '\n'
			last := i == len(lines)-1
			switch {
			case last && l == "":
				if i > 0 && end < len(s.Text) && end > 0 && s.Text[end-1] != '\n' {
					out.WriteString(indent)
				}
				continue
			case atLineStart && l != "\n":
				out.WriteString(indent)
			}
			out.WriteString(strings.Replace(l, "\n", newline, 1))
		}
		return out.String()
	}
	return &Embedded{Value: string(value), raw: raw, encode: encode}
}
