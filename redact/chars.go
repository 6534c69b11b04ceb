package redact

import "math"

// class is a set of bytes, looked up in one step.
type class [256]bool

// newClass builds a class from lists of bytes, where "a-z" stands for a
// range.
func newClass(specs ...string) *class {
	var c class
	for _, s := range specs {
		for i := 0; i < len(s); i++ {
			if i+2 < len(s) && s[i+1] == '-' {
				for b := int(s[i]); b <= int(s[i+2]); b++ {
					c[b] = true
				}
				i += 2
				continue
			}
			c[s[i]] = true
		}
	}
	return &c
}

var (
	alnum      = newClass("a-z", "A-Z", "0-9")
	digits     = newClass("0-9")
	hexDigits  = newClass("0-9", "a-f", "A-F")
	upperAlnum = newClass("A-Z", "0-9")
	lowerAlnum = newClass("a-z", "0-9")
	base64Std  = newClass("a-z", "A-Z", "0-9", "+/")
	base64Any  = newClass("a-z", "A-Z", "0-9", "+/=_-")
	base64URL  = newClass("a-z", "A-Z", "0-9", "_-")
	keyChars   = newClass("a-z", "A-Z", "0-9", "_.-")
	blank      = newClass(" \t")
	space      = newClass(" \t\r\n")
	// separators are the bytes that tokens of a known format use between
	// their parts; pseudonyms keep them.
	separators = newClass("-._")
)

// runEnd returns the end of the run of bytes of c that starts at i,
// stopping at hi.
func runEnd(s string, i, hi int, c *class) int {
	for i < hi && c[s[i]] {
		i++
	}
	return i
}

// runStart returns the start of the run of bytes of c that ends at i,
// stopping at lo.
func runStart(s string, i, lo int, c *class) int {
	for i > lo && c[s[i-1]] {
		i--
	}
	return i
}

// wordBefore reports whether the byte before i continues an alphanumeric
// word, so that a value starting at i would start inside a word. A
// URL escape (%2F) ends a word.
func wordBefore(s string, i int) bool {
	return i > 0 && alnum[s[i-1]] && !(i >= 3 && s[i-3] == '%' && hexDigits[s[i-2]])
}

// wordAfter reports whether the byte at i continues an alphanumeric word.
func wordAfter(s string, i int) bool { return i < len(s) && alnum[s[i]] }

// atBoundary reports whether s[start:end] stands on its own: the bytes
// around it do not continue a word. Values and their pseudonyms always
// do, so that finding a pseudonym again never depends on what it
// replaced.
func atBoundary(s string, start, end int) bool {
	return !wordBefore(s, start) && !wordAfter(s, end)
}

// lower returns the ASCII lower case of b.
func lower(b byte) byte {
	if 'A' <= b && b <= 'Z' {
		return b + 'a' - 'A'
	}
	return b
}

// hasPrefixFold reports whether s[i:] starts with the lower-case ASCII
// word w in any case.
func hasPrefixFold(s string, i int, w string) bool {
	if len(s)-i < len(w) {
		return false
	}
	for j := 0; j < len(w); j++ {
		if lower(s[i+j]) != w[j] {
			return false
		}
	}
	return true
}

// lineStart returns the start of the line holding i, not before lo.
func lineStart(s string, i, lo int) int {
	for i > lo && s[i-1] != '\n' {
		i--
	}
	return i
}

// atLineStart reports whether only blanks and list dashes stand between
// the start of its line and i, such as before a YAML key.
func atLineStart(s string, i, lo int) bool {
	j := i
	for j > lo && (s[j-1] == ' ' || s[j-1] == '-') {
		j--
	}
	return j == lo || s[j-1] == '\n'
}

// lineEnd returns the end of the line holding i (the position of its
// newline), not after hi.
func lineEnd(s string, i, hi int) int {
	for i < hi && s[i] != '\n' {
		i++
	}
	return i
}

// skip returns the first position from i whose byte is not in c.
func skip(s string, i, hi int, c *class) int { return runEnd(s, i, hi, c) }

// entropy returns the Shannon entropy of s in bits per byte.
func entropy(s string) float64 {
	if s == "" {
		return 0
	}
	var counts [256]int
	for i := 0; i < len(s); i++ {
		counts[s[i]]++
	}
	n := float64(len(s))
	h := 0.0
	for _, c := range counts {
		if c > 0 {
			p := float64(c) / n
			h -= p * math.Log2(p)
		}
	}
	return h
}
