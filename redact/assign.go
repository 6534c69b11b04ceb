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

// normalizeKey returns key in lower case without '_', '-' and '.', so
// that AWS_SECRET_ACCESS_KEY, secretAccessKey and secret-access-key
// compare equal.
func normalizeKey(key string) string {
	var b strings.Builder
	for i := 0; i < len(key); i++ {
		if c := key[i]; !separators[c] {
			b.WriteByte(lower(c))
		}
	}
	return b.String()
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

// valueAfter reads the separator and the value after the key
// text[keyStart:keyEnd]. ok is false when no value follows on the line.
func valueAfter(h *hit, keyStart, keyEnd int) (v value, ok bool) {
	s, i, hi := h.text, keyEnd, h.hi
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
				end := strings.IndexByte(s[i+1:lineEnd(s, i, hi)], '<')
				return value{start: i + 1, end: i + 1 + end}, end > 0
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
		end := strings.Index(s[j+2:lineEnd(s, j, hi)], `\"`)
		return value{start: j + 2, end: j + 2 + end, quoted: true}, end > 0
	case s[j] == '"' || s[j] == '\'' || s[j] == '`':
		end := closingQuote(s, j, lineEnd(s, j, hi))
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
// opened at s[open], before end, or -1; a backslash escapes a double quote.
func closingQuote(s string, open, end int) int {
	q := s[open]
	for i := open + 1; i < end; i++ {
		switch {
		case s[i] == '\\' && q == '"':
			i++
		case s[i] == q:
			return i
		}
	}
	return -1
}

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
// word that stands for a secret, rather than a secret.
func isPlaceholder(v string) bool {
	if v == "" || placeholderWords[strings.ToLower(v)] || sameByte(v) {
		return true
	}
	lv := strings.ToLower(v)
	for _, p := range []string{"$", "%", "@", "/", "~/", "./", "<", "{", "[", "arn:", "http://", "https://", "file:",
		"vault:", "ssm:", "secretsmanager:", "ref+", "enc[", "sha256:", "your", "replace", "insert", "enter", "xxx", "***", "…", "...",
		"var.", "local.", "module.", "data.", "each.", "self."} {
		if strings.HasPrefix(lv, p) {
			return true
		}
	}
	return strings.Contains(v, "{{") || strings.Contains(v, "${") || strings.Contains(v, "$(") ||
		strings.Contains(lv, "example") || strings.Contains(lv, "xxxx") || strings.Contains(v, "****")
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
	if len(v) < 8 || strings.ContainsAny(v, " \t") || entropy(v) < 3.0 {
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
	return switches >= 2 || upper && lowerCase && digit
}
