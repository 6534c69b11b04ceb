package core

import "strings"

// The line classifiers ask of nearly every line whether it starts with a
// YAML key. yamlKeyEnd answers what the regular expression
//
//	^(?:-\s+)?(?:"[^"]*"|'[^']*'|[^\s:#{\[][^:#]*?)\s*:(?:\s|$)
//
// would, and simpleKeyEnd what the same expression with the plain key
// narrowed to [A-Za-z0-9_.$@/{}-]+ would, without a regexp machine per
// line (yamlkey_test.go holds both expressions and checks the two agree).

// yamlKeyEnd returns the length of the key that starts line (a list
// item's dash, the key, its colon and one blank after it), or 0.
func yamlKeyEnd(line string) int { return keyEnd(line, plainKeyEnd) }

// simpleKeyEnd is yamlKeyEnd for keys of letters, digits and _.$@/{}-.
func simpleKeyEnd(line string) int { return keyEnd(line, simplePlainKeyEnd) }

// keyEnd tries the key after a list item's dash and then at the start of
// the line, as the expression's backtracking does; plain reads an
// unquoted key.
func keyEnd(line string, plain func(line string, at int) int) int {
	if strings.HasPrefix(line, "-") {
		at := 1
		for at < len(line) && isBlank(line[at]) {
			at++
		}
		if at > 1 {
			if end := keyAt(line, at, plain); end > 0 {
				return end
			}
		}
	}
	return keyAt(line, 0, plain)
}

// keyAt returns the end of the key at offset at: a quoted one, else a
// plain one, or 0.
func keyAt(line string, at int, plain func(line string, at int) int) int {
	if at >= len(line) {
		return 0
	}
	if q := line[at]; q == '"' || q == '\'' {
		if n := strings.IndexByte(line[at+1:], q); n >= 0 {
			if end := colonAfter(line, at+1+n+1); end > 0 {
				return end
			}
		}
	}
	return plain(line, at)
}

// plainKeyEnd reads [^\s:#{\[][^:#]*? up to the first colon or #, which
// must be a colon ending the key.
func plainKeyEnd(line string, at int) int {
	if strings.IndexByte(" \t\n\f\r:#{[", line[at]) >= 0 {
		return 0
	}
	n := strings.IndexAny(line[at+1:], ":#")
	if n < 0 || line[at+1+n] != ':' {
		return 0
	}
	return colonEnd(line, at+1+n)
}

// simplePlainKeyEnd reads [A-Za-z0-9_.$@/{}-]+, then the colon.
func simplePlainKeyEnd(line string, at int) int {
	end := at
	for end < len(line) && simpleKeyByte(line[end]) {
		end++
	}
	if end == at {
		return 0
	}
	return colonAfter(line, end)
}

// colonAfter returns the end of \s*:(?:\s|$) at offset at, or 0.
func colonAfter(line string, at int) int {
	for at < len(line) && isBlank(line[at]) {
		at++
	}
	if at < len(line) && line[at] == ':' {
		return colonEnd(line, at)
	}
	return 0
}

// colonEnd returns the end of the key whose colon is at offset colon: past
// one blank after it, or the end of the line; 0 when something else
// follows it.
func colonEnd(line string, colon int) int {
	switch {
	case colon+1 == len(line):
		return colon + 1
	case isBlank(line[colon+1]):
		return colon + 2
	}
	return 0
}

// isBlank is \s of Go's regular expressions.
func isBlank(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r' }

func simpleKeyByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("_.$@/{}-", c) >= 0
}
