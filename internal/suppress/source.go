package suppress

import "strings"

// source is a file's text read line by line, enough to find comments and
// the extent of the item or block that starts on a line, in YAML, HCL and
// JSON alike.
type source struct {
	lines []line
}

// line is one line of a source.
type line struct {
	text string
	// indent counts the leading spaces and tabs.
	indent int
	// comment is where the line's comment starts (its # or //), or -1.
	comment int
	// code is true when the line holds more than blanks and a comment.
	code bool
	// opens is how many brackets ({ and [) the line opens, net, outside
	// strings and comments; negative when it closes more than it opens.
	opens int
}

// newSource splits text into lines; slash says whether // starts a
// comment, as # always does.
func newSource(text string, slash bool) source {
	raw := strings.Split(text, "\n")
	lines := make([]line, len(raw))
	for i, s := range raw {
		s = strings.TrimSuffix(s, "\r")
		l := line{text: s, indent: len(s) - len(strings.TrimLeft(s, " \t"))}
		l.comment, l.opens = scanLine(s, slash)
		l.code = l.codeText() != ""
		lines[i] = l
	}
	return source{lines}
}

// scanLine returns where s's comment starts (-1 without one) and how many
// brackets s opens, net, before it. A comment starts with # or, when slash
// is set, //, at the start of the line or after a blank; a string starts
// with a quote at the start of a token and ends at the same quote, but
// for a double quote after a backslash and two single quotes.
func scanLine(s string, slash bool) (comment, opens int) {
	var quote byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		if quote != 0 {
			switch {
			case c == '\\' && quote == '"', c == '\'' && quote == '\'' && i+1 < len(s) && s[i+1] == '\'':
				i++ // an escape, or '' in a single-quoted YAML string
			case c == quote:
				quote = 0
			}
			continue
		}
		afterBlank := i == 0 || s[i-1] == ' ' || s[i-1] == '\t'
		switch {
		case afterBlank && (c == '#' || slash && strings.HasPrefix(s[i:], "//")):
			return i, opens
		case (c == '"' || c == '\'') && (i == 0 || strings.IndexByte(" \t:=,([{", s[i-1]) >= 0):
			quote = c
		case c == '{' || c == '[':
			opens++
		case c == '}' || c == ']':
			opens--
		}
	}
	return -1, opens
}

// nextCode returns the index of the first line from i on that holds code,
// or -1.
func (src source) nextCode(i int) int {
	for ; i < len(src.lines); i++ {
		if src.lines[i].code {
			return i
		}
	}
	return -1
}

// blockEnd returns the index of the last line of the item or block that
// starts on line i: to the bracket that closes the ones line i opens (a
// Terraform block, a JSON object or array, a YAML flow collection), else
// the following lines indented deeper than line i (a YAML mapping entry or
// list item), and for a key with no value on its line, the list items
// that follow at its own indentation too.
func (src source) blockEnd(i int) int {
	if end, ok := src.bracketEnd(i); ok {
		return end
	}
	first := src.lines[i]
	code := first.codeText()
	key := !isItem(code) && strings.HasSuffix(code, ":")
	end := i
	for j := i + 1; j < len(src.lines); j++ {
		l := src.lines[j]
		switch {
		case !l.code:
		case l.indent > first.indent, key && l.indent == first.indent && isItem(l.codeText()):
			end = j
		default:
			return end
		}
	}
	return end
}

// bracketEnd returns the index of the line that closes the brackets line
// i opens; ok is false when line i opens none or they are never closed.
func (src source) bracketEnd(i int) (end int, ok bool) {
	depth := src.lines[i].opens
	if depth <= 0 {
		return 0, false
	}
	for j := i + 1; j < len(src.lines); j++ {
		if depth += src.lines[j].opens; depth <= 0 {
			return j, true
		}
	}
	return 0, false
}

// codeText returns the line without its indentation and comment.
func (l line) codeText() string {
	end := len(l.text)
	if l.comment >= 0 {
		end = l.comment
	}
	return strings.TrimSpace(l.text[:end])
}

// isItem reports whether code is a YAML list item.
func isItem(code string) bool {
	return code == "-" || strings.HasPrefix(code, "- ")
}
