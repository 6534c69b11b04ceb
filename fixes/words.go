package fixes

import (
	"strconv"
	"strings"

	"github.com/eksdoctor/eksdoctor/internal/textdist"
)

// Small helpers for the words of the messages rules write, shared by
// every family.

// plural formats a count with its noun.
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}

// quoteList joins values for a message: "a", "a and b", "a, b and c".
func quoteList(values []string) string {
	switch len(values) {
	case 0:
		return ""
	case 1:
		return values[0]
	}
	return strings.Join(values[:len(values)-1], ", ") + " and " + values[len(values)-1]
}

// firstNonEmpty returns the first non-empty value.
func firstNonEmpty(values ...string) string {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return ""
}

// closestOf returns the candidate equal to s without case, else the only
// one within two edits of it, else "".
func closestOf(s string, candidates []string) string {
	best, bestDist, ties := "", 3, 0
	for _, c := range candidates {
		if strings.EqualFold(c, s) {
			return c
		}
		switch d := textdist.Distance(s, c, 4); {
		case d < bestDist:
			best, bestDist, ties = c, d, 1
		case d == bestDist:
			ties++
		}
	}
	if ties != 1 {
		return ""
	}
	return best
}

// capitalize returns s with its first letter upper case, unless its first
// word is an identifier (an ARN, a group, a file name).
func capitalize(s string) string {
	word, _, _ := strings.Cut(s, " ")
	if s == "" || s[0] < 'a' || s[0] > 'z' || strings.ContainsAny(word, ":/.0123456789") {
		return s // an ARN, a group or a file name keeps its case
	}
	return string(s[0]-'a'+'A') + s[1:]
}
