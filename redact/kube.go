package redact

import "strings"

// Kubernetes: kubeconfig credentials and the values of Secrets, in YAML,
// in JSON and in the JSON that kubectl keeps in the
// last-applied-configuration annotation.

var kubePatterns = []*pattern{
	secretDataYAML,
	secretDataJSON,
	secretDataEmbeddedJSON,
	kubeconfigData("kubeconfig-certificate-authority-data", "certificate-authority-data"),
	kubeconfigData("kubeconfig-client-certificate-data", "client-certificate-data"),
	kubeconfigData("kubeconfig-client-key-data", "client-key-data"),
}

var secretDataYAML = &pattern{
	kind:     "k8s-secret-data",
	keywords: []string{"data:", "stringData:"},
	find:     findSecretDataYAML,
	format:   pemFormat,
	matches: []string{
		"apiVersion: v1\ndata:\n  password: «aHVudGVyMi1wcm9k»\n  username: «YXBwLXVzZXI=»\nkind: Secret\nmetadata:\n  name: db\n",
		"kind: Secret\nmetadata:\n  name: db\nstringData:\n  DB_PASSWORD: «Kq8#zP2m»\n  config.yaml: |\n    «user: app\n    pass: x9y8z7»\ntype: Opaque\n",
		"items:\n- apiVersion: v1\n  data:\n    token: «ZXlKaGJHY2lPaUpTVXpJMU5pSXNJbXRwWkNJNklp»\n  kind: Secret\n",
	},
	decoys: []string{
		"apiVersion: v1\nkind: ConfigMap\ndata:\n  mapRoles: |\n    - rolearn: x\n",
		"kind: Secret\n---\ndata:\n  key: dmFsdWU=\n",
		"kind: Secret\ndata:\n  password: {{ .Values.password | b64enc }}\n",
	},
}

var secretDataJSON = &pattern{
	kind:     "k8s-secret-data",
	keywords: []string{`"data"`, `"stringData"`},
	find:     findSecretDataJSON,
	format:   pemFormat,
	matches: []string{
		`{"apiVersion": "v1", "data": {"password": "«aHVudGVyMi1wcm9k»"}, "kind": "Secret"}`,
		`{"kind":"Secret","metadata":{"name":"x"},"stringData":{"API_KEY":"«k9Zx2mQ4»"}}`,
	},
	decoys: []string{
		`{"kind": "ConfigMap", "data": {"mapRoles": "- rolearn: x"}}`,
		`{"data": {"password": "x"}}`,
	},
}

// secretDataEmbeddedJSON is secretDataJSON for JSON inside a JSON string,
// such as the last-applied-configuration annotation in kubectl's JSON
// output.
var secretDataEmbeddedJSON = &pattern{
	kind:     "k8s-secret-data",
	keywords: []string{`\"data\"`, `\"stringData\"`},
	find:     findSecretDataJSON,
	format:   pemFormat,
	matches: []string{
		`"last-applied-configuration": "{\"apiVersion\":\"v1\",\"stringData\":{\"password\":\"«minio123-prod»\"},\"kind\":\"Secret\"}\n"`,
	},
	decoys: []string{`"last-applied-configuration": "{\"kind\":\"ConfigMap\",\"data\":{\"a\":\"b\"}}"`},
}

// kubeconfigData is a kubeconfig's base64 certificate or key data.
func kubeconfigData(kind, key string) *pattern {
	return &pattern{
		kind:     kind,
		keywords: []string{key},
		find: func(h *hit) {
			if h.at > h.lo && alnum[h.text[h.at-1]] {
				return
			}
			v, ok := valueAfter(h, h.at, h.at+len(h.kw))
			if ok && v.end-v.start >= 16 && !isPlaceholder(h.text[v.start:v.end]) {
				h.emit(v.start, v.end)
			}
		},
		format:  pemFormat,
		matches: []string{"    " + key + ": «LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUM»", `"` + key + `": "«QUJDREVGR0hJSktMTU5PUA==»"`},
		decoys:  []string{"    " + key + ": ${" + strings.ToUpper(strings.ReplaceAll(key, "-", "_")) + "}"},
	}
}

// findSecretDataYAML finds the values under a YAML data: or stringData:
// key when a sibling key says kind: Secret.
func findSecretDataYAML(h *hit) {
	s := h.text
	if !atLineStart(s, h.at, h.lo) {
		return
	}
	ls := lineStart(s, h.at, h.lo)
	after := h.at + len(h.kw)
	le := lineEnd(s, after, min(h.hi, after+256))
	if rest := strings.TrimSpace(s[after:le]); rest != "" && rest[0] != '#' {
		return
	}
	col := h.at - ls
	var spans [][2]int
	end := yamlEntries(s, le, col, h.hi, func(start, end int) {
		spans = append(spans, [2]int{start, end})
	})
	h.skipTo(end)
	if len(spans) == 0 || !yamlSiblingIs(s, ls, end, col, h.lo, h.hi, "kind", "Secret") {
		return
	}
	for _, sp := range spans {
		if !isPlaceholder(s[sp[0]:sp[1]]) {
			h.emit(sp[0], sp[1])
		}
	}
}

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

// findSecretDataJSON finds the string values of a JSON "data" or
// "stringData" object whose object says "kind": "Secret", also in JSON
// embedded in a JSON string (\"data\").
func findSecretDataJSON(h *hit) {
	j := jsonText{s: h.text, lo: h.lo, hi: h.hi, esc: h.kw[0] == '\\'}
	_, _, next, ok := j.str(h.at)
	if !ok {
		return
	}
	i := j.ws(next)
	if i >= h.hi || h.text[i] != ':' {
		return
	}
	i = j.ws(i + 1)
	var spans [][2]int
	end, ok := j.object(i, 0, func(_, _, vs, ve int, str bool) {
		if str {
			spans = append(spans, [2]int{vs, ve})
		}
	})
	if !ok || !j.siblingIs(h.at, end, "kind", "Secret", h.memo(), h.st.base) {
		return
	}
	for _, sp := range spans {
		if !isPlaceholder(h.text[sp[0]:sp[1]]) {
			h.emit(sp[0], sp[1])
		}
	}
	h.skipTo(end)
}

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
