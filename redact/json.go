package redact

import "strings"

// Reading JSON as text: enough to walk an object's members and skip
// their values, in plain JSON and in JSON embedded in a JSON string.

// jsonText reads JSON in text[lo:hi], either as it is or embedded once
// in a JSON string, where its quotes read \" and its newlines \n.
type jsonText struct {
	s      string
	lo, hi int
	esc    bool
}

const (
	maxJSONDepth = 64
	// maxJSONLookBack bounds the search for a key before the member that
	// needs it.
	maxJSONLookBack = 16 << 10
)

func (j *jsonText) quoteAt(i int) bool {
	if j.esc {
		return i+1 < j.hi && j.s[i] == '\\' && j.s[i+1] == '"'
	}
	return i < j.hi && j.s[i] == '"'
}

// ws skips white space.
func (j *jsonText) ws(i int) int {
	for i < j.hi {
		switch c := j.s[i]; {
		case space[c]:
			i++
		case j.esc && c == '\\' && i+1 < j.hi && strings.IndexByte("ntr", j.s[i+1]) >= 0:
			i += 2
		default:
			return i
		}
	}
	return i
}

// str reads the string that opens at i: its content is s[cs:ce], next
// follows its closing quote.
func (j *jsonText) str(i int) (cs, ce, next int, ok bool) {
	if !j.quoteAt(i) {
		return 0, 0, 0, false
	}
	q := 1
	if j.esc {
		q = 2
	}
	cs = i + q
	for i = cs; i < j.hi; {
		c := j.s[i]
		switch {
		case c == '\n':
			return 0, 0, 0, false
		case j.quoteAt(i):
			return cs, i, i + q, true
		case c == '\\' && j.esc && i+2 < j.hi && j.s[i+1] == '\\' && j.s[i+2] == '\\':
			i += 4 // an escaped quote or backslash inside the embedded string
		case c == '\\':
			i += 2
		default:
			i++
		}
	}
	return 0, 0, 0, false
}

// value skips the value at i.
func (j *jsonText) value(i, depth int) (next int, ok bool) {
	if i >= j.hi {
		return 0, false
	}
	switch c := j.s[i]; {
	case j.quoteAt(i):
		_, _, next, ok = j.str(i)
		return next, ok
	case c == '{':
		return j.object(i, depth+1, nil)
	case c == '[':
		if depth >= maxJSONDepth {
			return 0, false
		}
		i = j.ws(i + 1)
		for i < j.hi && j.s[i] != ']' {
			if i, ok = j.value(i, depth+1); !ok {
				return 0, false
			}
			if i = j.ws(i); i < j.hi && j.s[i] == ',' {
				i = j.ws(i + 1)
			}
		}
		return i + 1, i < j.hi
	}
	end := runEnd(j.s, i, j.hi, jsonLiteral)
	return end, end > i
}

var jsonLiteral = newClass("a-z", "0-9", "+-.E")

// object reads the object that opens at i, calling member (if not nil)
// with the span of each key and value, and whether the value is a
// string.
func (j *jsonText) object(i, depth int, member func(ks, ke, vs, ve int, str bool)) (next int, ok bool) {
	if i >= j.hi || j.s[i] != '{' || depth > maxJSONDepth {
		return 0, false
	}
	i = j.ws(i + 1)
	for i < j.hi && j.s[i] != '}' {
		ks, ke, after, ok := j.str(i)
		if !ok {
			return 0, false
		}
		if i = j.ws(after); i >= j.hi || j.s[i] != ':' {
			return 0, false
		}
		i = j.ws(i + 1)
		vs, ve, end, isStr := j.str(i)
		if !isStr {
			if end, ok = j.value(i, depth); !ok {
				return 0, false
			}
		}
		if member != nil {
			member(ks, ke, vs, ve, isStr)
		}
		if i = j.ws(end); i < j.hi && j.s[i] == ',' {
			i = j.ws(i + 1)
		}
	}
	return i + 1, i < j.hi
}

// siblingIs reports whether the object holding the member whose key
// starts at keyStart and whose value ends at valueEnd maps key to the
// string want: among the members after it, or else among those before
// it, found by searching back for the key and reading forward from there.
// *noKey (absolute, base being the absolute position of s[0]) is where an
// earlier search back found no key before: the search does not read that
// text again.
func (j *jsonText) siblingIs(keyStart, valueEnd int, key, want string, noKey *int, base int) bool {
	is := func(ks, ke, vs, ve int, str bool) bool {
		return str && j.s[ks:ke] == key && j.s[vs:ve] == want
	}
	// After: the members that follow up to the closing brace.
	for i, n := j.ws(valueEnd), 0; i < j.hi && j.s[i] == ',' && n < maxSiblings; n++ {
		ks, ke, after, ok := j.str(j.ws(i + 1))
		if !ok {
			break
		}
		if i = j.ws(after); i >= j.hi || j.s[i] != ':' {
			break
		}
		vs, ve, end, str := j.str(j.ws(i + 1))
		if !str {
			if end, ok = j.value(j.ws(i+1), 0); !ok {
				break
			}
		}
		if is(ks, ke, vs, ve, str) {
			return true
		}
		i = j.ws(end)
	}
	// Before: the nearest earlier key, if reading on from it reaches this
	// member without leaving the object.
	quoted := `"` + key + `"`
	if j.esc {
		quoted = `\"` + key + `\"`
	}
	from := max(j.lo, keyStart-maxJSONLookBack)
	searched := max(from, *noKey-base)
	k := strings.LastIndex(j.s[searched:keyStart], quoted)
	if k < 0 {
		*noKey = base + keyStart - len(quoted)
		return false
	}
	k += searched - from
	i, first := from+k, true
	for n := 0; n < maxSiblings; n++ {
		ks, ke, after, ok := j.str(i)
		if !ok {
			return false
		}
		if i = j.ws(after); i >= j.hi || j.s[i] != ':' {
			return false
		}
		at := j.ws(i + 1)
		vs, ve, end, str := j.str(at)
		if !str {
			if end, ok = j.value(at, 0); !ok {
				return false
			}
		}
		if first && !is(ks, ke, vs, ve, str) {
			return false
		}
		first = false
		if i = j.ws(end); i >= j.hi || j.s[i] != ',' {
			return false
		}
		if i = j.ws(i + 1); i >= keyStart {
			return i == keyStart
		}
	}
	return false
}
