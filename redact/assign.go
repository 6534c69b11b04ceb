package redact

import "strings"

// Assignments: a key and its value in the syntaxes people paste. YAML
// (key: value), JSON ("key": "value"), JSON inside a JSON string
// (\"key\":\"value\"), env and INI files (KEY=value), HCL (key =
// "value"), connection strings (Password=x;), command-line flags
// (--key value, --key=value) and XML (<key>value</key>).

// keyAround returns the key that holds position i: the run of letters,
// digits, '_', '.' and '-' around it.
func keyAround(h *hit, i int) (start, end int) {
	return runStart(h.text, i, h.lo, keyChars), runEnd(h.text, i, h.hi, keyChars)
}

// normalizeKey appends to dst the last 64 bytes of key in lower case
// without '_', '-' and '.', so that AWS_SECRET_ACCESS_KEY,
// secretAccessKey and secret-access-key compare equal. Callers pass a
// buffer on their stack: matchers run on every keyword and must not
// allocate.
func normalizeKey(dst []byte, key string) []byte {
	if len(key) > 64 {
		key = key[len(key)-64:]
	}
	for i := 0; i < len(key); i++ {
		if c := key[i]; !separators[c] {
			dst = append(dst, lower(c))
		}
	}
	return dst
}

// hasAnySuffix reports whether key ends with one of suffixes.
func hasAnySuffix(key []byte, suffixes []string) bool {
	for _, x := range suffixes {
		if len(key) >= len(x) && string(key[len(key)-len(x):]) == x {
			return true
		}
	}
	return false
}

// value is a value found after a key.
type value struct {
	start, end int
	quoted     bool
	// yaml marks an unquoted key followed by ':', a YAML mapping entry.
	yaml bool
}

// unquotedEnd are the bytes that end an unquoted value in env, HCL,
// connection-string and flag syntax.
var unquotedEnd = newClass(" \t\r\n,;\"'`)}]<&|\\")

// maxValueLen bounds the values matchers read.
const maxValueLen = 16 << 10

// valueAfter reads the separator and the value after the key
// text[keyStart:keyEnd]. ok is false when no value follows on the line.
// The pattern then skips its keywords inside the value, so that a long
// line is read once.
func valueAfter(h *hit, keyStart, keyEnd int) (v value, ok bool) {
	v, ok = readValue(h, keyStart, keyEnd)
	if ok {
		h.skipTo(v.end)
	}
	return v, ok
}

func readValue(h *hit, keyStart, keyEnd int) (v value, ok bool) {
	s, i, hi := h.text, keyEnd, min(h.hi, keyEnd+maxValueLen)
	quote := ""
	if keyStart > h.lo {
		switch s[keyStart-1] {
		case '"':
			quote = `"`
			if keyStart-1 > h.lo && s[keyStart-2] == '\\' {
				quote = `\"`
			}
		case '\'':
			quote = "'"
		case '<':
			if i < hi && s[i] == '>' {
				end := runEndNot(s, i+1, hi, xmlTextEnd)
				return value{start: i + 1, end: end}, end > i+1 && end < hi && s[end] == '<'
			}
			return value{}, false
		}
	}
	if quote != "" {
		if !strings.HasPrefix(s[i:hi], quote) {
			return value{}, false
		}
		i += len(quote)
	}
	flag := s[keyStart] == '-'
	j := skip(s, i, hi, blank)
	switch {
	case j < hi && s[j] == ':' && (j+1 >= hi || s[j+1] != ':'):
		v.yaml = quote == "" && !flag
		j++
		if j < hi && s[j] == '=' {
			j++
			v.yaml = false
		}
	case j < hi && s[j] == '=':
		j++
		if j < hi && s[j] == '>' {
			j++
		}
	case flag && j > i:
	default:
		return value{}, false
	}
	j = skip(s, j, hi, blank)
	if j >= hi {
		return value{}, false
	}
	switch {
	case strings.HasPrefix(s[j:hi], `\"`):
		end := j + 2
		for end+1 < hi && s[end] != '\n' && !(s[end] == '\\' && s[end+1] == '"') {
			end++
		}
		return value{start: j + 2, end: end, quoted: true}, end > j+2 && end+1 < hi && s[end] == '\\'
	case s[j] == '"' || s[j] == '\'' || s[j] == '`':
		end := closingQuote(s, j, hi)
		return value{start: j + 1, end: end, quoted: true}, end > j+1
	case v.yaml:
		end := lineEnd(s, j, hi)
		if c := strings.Index(s[j:end], " #"); c >= 0 {
			end = j + c
		}
		for end > j && space[s[end-1]] {
			end--
		}
		v.start, v.end = j, end
		return v, end > j && s[j] != '|' && s[j] != '>' && s[j] != '{' && s[j] != '['
	}
	end := runEndNot(s, j, hi, unquotedEnd)
	v.start, v.end = j, end
	return v, end > j
}

// closingQuote returns the position of the quote that closes the string
// opened at s[open], on the same line and before end, or -1; a backslash
// escapes a double quote.
func closingQuote(s string, open, end int) int {
	q := s[open]
	for i := open + 1; i < end; i++ {
		switch {
		case s[i] == '\n':
			return -1
		case s[i] == '\\' && q == '"':
			i++
		case s[i] == q:
			return i
		}
	}
	return -1
}

// xmlTextEnd ends the text of an XML element.
var xmlTextEnd = newClass("<\n")

// runEndNot returns the end of the run of bytes not in c starting at i.
func runEndNot(s string, i, hi int, c *class) int {
	for i < hi && !c[s[i]] {
		i++
	}
	return i
}

// placeholderWords are values that stand for a secret without being one.
var placeholderWords = map[string]bool{
	"true": true, "false": true, "null": true, "none": true, "nil": true, "yes": true, "no": true, "undefined": true,
	"changeme": true, "change-me": true, "change_me": true, "changeit": true, "password": true, "passwd": true,
	"secret": true, "token": true, "redacted": true, "hidden": true, "masked": true, "placeholder": true,
	"example": true, "sample": true, "dummy": true, "test": true, "string": true, "required": true, "optional": true,
	"sensitive": true, "value": true, "default": true, "empty": true, "todo": true, "tbd": true, "fixme": true,
}

// isPlaceholder reports whether v is a template variable, a reference to
// a secret kept elsewhere, a path or URL, a boolean, a masked value or a
// word that stands for a secret, rather than a secret. Long values (keys,
// certificates) are only checked for how they start.
func isPlaceholder(v string) bool {
	if v == "" || sameByte(v) {
		return true
	}
	if len(v) <= 16 {
		var buf [16]byte
		for i := 0; i < len(v); i++ {
			buf[i] = lower(v[i])
		}
		if placeholderWords[string(buf[:len(v)])] {
			return true
		}
	}
	for _, p := range placeholderPrefixes {
		if hasPrefixFold(v, 0, p) {
			return true
		}
	}
	return len(v) <= 256 && (strings.Contains(v, "{{") || strings.Contains(v, "${") || strings.Contains(v, "$(") ||
		containsFold(v, "example") || containsFold(v, "xxxx") || strings.Contains(v, "****"))
}

// placeholderPrefixes start templates, references and masked values.
var placeholderPrefixes = []string{"$", "%", "@", "/", "~/", "./", "<", "{", "[", "arn:", "http://", "https://", "file:",
	"vault:", "ssm:", "secretsmanager:", "ref+", "enc[", "sha256:", "your", "replace", "insert", "enter", "xxx", "***", "…", "...",
	"var.", "local.", "module.", "data.", "each.", "self."}

// containsFold reports whether s contains the lower-case ASCII word w in
// any case.
func containsFold(s, w string) bool {
	for i := 0; i+len(w) <= len(s); i++ {
		if lower(s[i]) == w[0] && hasPrefixFold(s, i, w) {
			return true
		}
	}
	return false
}

// sameByte reports whether v repeats one byte.
func sameByte(v string) bool {
	for i := 1; i < len(v); i++ {
		if v[i] != v[0] {
			return false
		}
	}
	return true
}

// looksRandom reports whether v has the entropy of a generated secret
// rather than of a name, a word or a sentence: no blanks, letters and
// digits interleave (or all three of upper case, lower case and digits
// occur) and the bytes vary.
// Names with a version or a year (app-tls-2024, db-creds-v2) and
// camelCase words do not qualify.
func looksRandom(v string) bool {
	if len(v) < 8 || strings.ContainsAny(v, " \t") {
		return false
	}
	var upper, lowerCase, digit bool
	switches := 0
	for i := 0; i < len(v); i++ {
		c := v[i]
		upper = upper || 'A' <= c && c <= 'Z'
		lowerCase = lowerCase || 'a' <= c && c <= 'z'
		digit = digit || digits[c]
		if i > 0 && alnum[c] && alnum[v[i-1]] && digits[c] != digits[v[i-1]] {
			switches++
		}
	}
	return (switches >= 2 || upper && lowerCase && digit) && entropy(v[:min(len(v), 256)]) >= 3.0
}
