package analysis

import "strings"

// yamlDepth is DeepAt's state for YAML, which nests two ways: flow
// collections by brackets, block collections by indentation (and by
// "- " and "? " on one line: - - - x). It follows the scanner of
// go-yaml closely enough to agree with it on what is a quoted string, a
// plain scalar, a comment or the text of a block scalar. The text of a
// block scalar is read as YAML too, at the depth of its key, since it may
// be some (aws-auth's mapRoles).
type yamlDepth struct {
	text       string
	start, end int // the line being read
	base       int // levels open around the text: those of a block scalar's key
	flow       int // flow collections open
	// indents[:blocks] are the columns of the block collections open.
	indents [MaxDepth]int
	blocks  int
	quote   byte // the quote of a string that runs on from an earlier line
	plain   bool // a plain scalar runs on in flow context
	// text is the column that a block scalar's or a plain scalar's
	// continued lines are indented beyond (and blank lines); -2 for none.
	textAbove int
	// scalar is where the text of the block scalar being read starts, or
	// -1; scalarBase the levels open at its key. A block scalar in one
	// is not read again: what parses it checks it.
	scalar, scalarBase int
	embedded           bool
}

// deepAt returns the offset where the text nests more than MaxDepth
// levels, or -1.
func (y *yamlDepth) deepAt() int {
	for ; y.start < len(y.text); y.start = y.end {
		y.end = y.start + len(lineAt(y.text[y.start:]))
		if at := y.line(strings.TrimRight(y.text[y.start:y.end], "\r\n")); at >= 0 {
			return at
		}
	}
	return y.endScalar()
}

// line reads one line, and returns where the nesting passes MaxDepth in
// it, or in the block scalar it ends, or -1.
func (y *yamlDepth) line(line string) int {
	indent := IndentOf(line)
	body := line[indent:]
	if y.quote == 0 && indent == 0 && (hasMarker(body, "---") || hasMarker(body, "...")) {
		if at := y.endScalar(); at >= 0 {
			return at
		}
		y.flow, y.blocks, y.plain, y.textAbove = 0, 0, false, -2
		return y.scan(line, 3, -1)
	}
	if y.quote != 0 || y.flow > 0 {
		return y.scan(line, 0, -1)
	}
	if y.textAbove > -2 && (strings.TrimSpace(body) == "" || indent > y.textAbove) {
		return -1
	}
	if at := y.endScalar(); at >= 0 {
		return at
	}
	y.textAbove = -2
	if body == "" || body[0] == '#' {
		return -1
	}
	for y.blocks > 0 && y.indents[y.blocks-1] >= indent {
		y.blocks--
	}
	parent := -1
	if y.blocks > 0 {
		parent = y.indents[y.blocks-1]
	}
	if (indent > 0 || body[0] != '[' && body[0] != '{') && !y.push(indent) { // a flow at the top level is no block
		return y.start + indent
	}
	pos := indent
	for pos < len(line) && strings.IndexByte("-?:", line[pos]) >= 0 && blankAt(line, pos+1) {
		parent = pos
		for pos++; pos < len(line) && (line[pos] == ' ' || line[pos] == '\t'); pos++ {
		}
		if pos < len(line) && !y.push(pos) {
			return y.start + pos
		}
	}
	return y.scan(line, pos, parent)
}

// push opens a block collection at column col; it is false when that
// nests more than MaxDepth levels, and the collection is not recorded.
func (y *yamlDepth) push(col int) bool {
	if y.base+y.flow+y.blocks+1 > MaxDepth {
		return false
	}
	y.indents[y.blocks] = col
	y.blocks++
	return true
}

// endScalar reads the text of the block scalar that the line being read
// ends, if any, as YAML nested in its key.
func (y *yamlDepth) endScalar() int {
	if y.scalar < 0 {
		return -1
	}
	text := yamlDepth{text: y.text[:y.start], start: y.scalar, base: y.scalarBase, textAbove: -2, scalar: -1, embedded: true}
	y.scalar = -1
	return text.deepAt()
}

// scan reads line from pos, where a node whose block parent is at column
// parent may start, and returns where the nesting passes MaxDepth, or -1.
func (y *yamlDepth) scan(line string, pos, parent int) int {
	atNode, afterSpace, key := true, true, pos
	for i := pos; i < len(line); i++ {
		c := line[i]
		switch {
		case y.quote != 0:
			switch {
			case y.quote == '"' && c == '\\':
				i++
			case c == '\'' && y.quote == '\'' && i+1 < len(line) && line[i+1] == '\'':
				i++
			case c == y.quote:
				y.quote, atNode = 0, false
			}
			continue
		case c == ' ' || c == '\t':
			afterSpace = true
			continue
		case c == '#' && afterSpace:
			y.plain = false
			return y.endLine(parent)
		}
		afterSpace = false
		if y.plain {
			if !(y.flow > 0 && strings.IndexByte(",?[]{}", c) >= 0 || c == ':' && blankAt(line, i+1)) {
				continue
			}
			y.plain = false
		}
		switch {
		case c == '[' || c == '{':
			if y.flow++; y.base+y.flow+y.blocks > MaxDepth {
				return y.start + i
			}
			atNode = true
		case c == ']' || c == '}':
			y.flow, atNode = max(y.flow-1, 0), false
		case c == ',':
			atNode = true
		case c == ':' && (y.flow > 0 || blankAt(line, i+1)):
			atNode, parent = true, key
		case (c == '-' || c == '?') && blankAt(line, i+1):
			atNode, parent = true, i
		case !atNode:
		case c == '"' || c == '\'':
			y.quote, key, atNode = c, i, false
		case c == '&' || c == '!' || c == '*':
			for i+1 < len(line) && line[i+1] != ' ' && line[i+1] != '\t' && (y.flow == 0 || strings.IndexByte(",[]{}", line[i+1]) < 0) {
				i++
			}
			atNode = c != '*'
		case (c == '|' || c == '>') && y.flow == 0:
			y.textAbove = parent
			if !y.embedded {
				y.scalar, y.scalarBase = y.end, y.base+y.blocks
			}
			return -1
		default:
			y.plain, key, atNode = true, i, false
		}
	}
	return y.endLine(parent)
}

// endLine ends a line: a plain scalar in block context runs on to the
// lines indented beyond its parent.
func (y *yamlDepth) endLine(parent int) int {
	if y.plain && y.flow == 0 {
		y.plain, y.textAbove = false, parent
	}
	return -1
}

// blankAt reports whether line has a blank or its end at i.
func blankAt(line string, i int) bool { return i >= len(line) || line[i] == ' ' || line[i] == '\t' }

// hasMarker reports whether line starts with the document marker m.
func hasMarker(line, m string) bool { return strings.HasPrefix(line, m) && blankAt(line, len(m)) }
