package redact

import "strings"

// Reading YAML as text, line by line: enough to find the entries of a
// mapping and the keys beside it, without parsing the document.

// yamlLine is one line of YAML: where its key starts (its column,
// counting "- " of a list item as indentation) and the text from there.
type yamlLine struct {
	col     int
	content string
	item    bool // the line starts a list item
	blank   bool // empty or a comment
	docEnd  bool // a document separator
}

func readYAMLLine(line string) yamlLine {
	line = strings.TrimRight(line, "\r")
	ind := len(line) - len(strings.TrimLeft(line, " "))
	rest := line[ind:]
	switch {
	case rest == "" || rest[0] == '#':
		return yamlLine{blank: true}
	case strings.HasPrefix(line, "---") || strings.HasPrefix(line, "..."):
		return yamlLine{docEnd: true}
	case strings.HasPrefix(rest, "- "):
		inner := strings.TrimLeft(rest[2:], " ")
		return yamlLine{col: len(line) - len(inner), content: inner, item: true}
	}
	return yamlLine{col: ind, content: rest}
}

// maxSiblings bounds how many sibling keys (and their values) the
// sibling searches read each way: a mapping holds few keys, and a text
// of many "data:" keys in a row must not take quadratic time.
const (
	maxSiblings     = 16
	maxSiblingBytes = 32 << 10
)

// yamlSiblingIs reports whether the mapping holding the key whose line
// starts at ls at column col, and whose value ends at le, also maps key
// to want. An apiVersion key starts a Kubernetes object: the search does
// not go past one, nor past maxSiblings keys.
func yamlSiblingIs(s string, ls, le, col, lo, hi int, key, want string) bool {
	is := func(l yamlLine) bool {
		k, v, ok := strings.Cut(l.content, ":")
		v = strings.Trim(strings.TrimSpace(v), `"'`)
		return ok && k == key && v == want
	}
	objectStart := func(l yamlLine) bool { return strings.HasPrefix(l.content, "apiVersion:") }
	// Upwards, until the line that starts this mapping or a parent.
	lo, hi = max(lo, ls-maxSiblingBytes), min(hi, le+maxSiblingBytes)
	for end, n := ls, 0; end > lo && n < maxSiblings; {
		start := lineStart(s, end-1, lo)
		l := readYAMLLine(s[start : end-1])
		end = start
		switch {
		case l.blank || l.col > col:
			continue
		case l.col == col:
			n++
		}
		if l.col == col && !l.docEnd && is(l) {
			return true
		}
		if l.docEnd || l.col < col || l.item || l.col == col && objectStart(l) {
			break
		}
	}
	// Downwards, until a parent, the next list item or the next document.
	for start, n := le, 0; start < hi && n < maxSiblings; {
		end := lineEnd(s, start, hi)
		l := readYAMLLine(s[start:end])
		start = end + 1
		switch {
		case l.blank || l.col > col:
			continue
		case l.col == col:
			n++
		}
		switch {
		case l.docEnd || l.col < col || l.item || objectStart(l):
			return false
		case is(l):
			return true
		}
	}
	return false
}

// yamlEntries calls fn with the value of each entry of the mapping that
// starts on the line after le and is indented more than col: plain and
// quoted scalars, and block scalars (| and >) with their lines. It
// returns where the mapping ends.
func yamlEntries(s string, le, col, hi int, fn func(start, end int)) int {
	entryCol := -1
	start := le + 1
	for start < hi {
		end := lineEnd(s, start, hi)
		l := readYAMLLine(s[start:end])
		if l.blank {
			start = end + 1
			continue
		}
		if l.docEnd || l.col <= col || entryCol >= 0 && l.col < entryCol {
			return start
		}
		if entryCol < 0 {
			entryCol = l.col
		}
		next := end + 1
		if l.col == entryCol && !l.item {
			next = yamlEntry(s, start+l.col, end, entryCol, hi, fn)
		}
		start = next
	}
	return min(start, hi)
}

// yamlEntry reads the entry "key: value" that starts at s[i] and whose
// line ends at le; it returns where the next line to read starts.
func yamlEntry(s string, i, le, col, hi int, fn func(start, end int)) int {
	colon := strings.Index(s[i:le], ": ")
	if colon < 0 {
		if strings.HasSuffix(strings.TrimRight(s[i:le], "\r"), ":") {
			colon = len(strings.TrimRight(s[i:le], "\r")) - 1
		} else {
			return le + 1
		}
	}
	v := skip(s, i+colon+1, le, blank)
	val := strings.TrimRight(s[v:le], "\r ")
	switch {
	case val == "":
		return le + 1
	case val[0] == '|' || val[0] == '>':
		first, last, next := -1, -1, le+1
		for next < hi {
			end := lineEnd(s, next, hi)
			l := readYAMLLine(s[next:end])
			if !l.blank && l.col <= col {
				break
			}
			if !l.blank {
				if first < 0 {
					first = next + l.col
				}
				last = end
			}
			next = end + 1
		}
		if first >= 0 {
			fn(first, strings.LastIndexFunc(s[:last], func(r rune) bool { return r != '\r' })+1)
		}
		return min(next, hi)
	case val[0] == '"' || val[0] == '\'':
		if end := closingQuote(s, v, v+len(val)); end > v+1 {
			fn(v+1, end)
		}
	default:
		if c := strings.Index(val, " #"); c >= 0 {
			val = strings.TrimRight(val[:c], " ")
		}
		fn(v, v+len(val))
	}
	return le + 1
}
