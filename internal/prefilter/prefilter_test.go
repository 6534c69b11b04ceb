package prefilter

import (
	"regexp"
	"strings"
	"testing"
)

func TestNeeds(t *testing.T) {
	for expr, want := range map[string]string{
		`abc`:                   "abc",
		`^\s*kind:\s*(\w+)`:     "kind:",
		`(?:mapRoles|mapUsers)`: "Roles Users",
		`(?:clusters|contexts|current-context)\s*:`: "lusters ontexts urrent-context",
		"^ {0,3}(`{3,}|~{3,})":                      "` ~",
		`(?i:abc)`:                                  "",
		`a|b*`:                                      "",
		`x*`:                                        "",
	} {
		if got := strings.Join(needs(parse(expr)), " "); got != want {
			t.Errorf("needs(%s) = %q, want %q", expr, got, want)
		}
	}
}

// TestGuardKeepsMatches checks, on texts built around each literal, that
// the prefilter never hides a match.
func TestGuardKeepsMatches(t *testing.T) {
	exprs := []string{`\bforbidden: User "`, `(?:a|b)c+d`, `^[EWF]\d{4} `, `x(?i:yes)z`, `(?m)^\s*kind:\s*(\w+)`, `foo`, `ba[rz]`}
	texts := []string{"", "forbidden: User \"x\"", "xforbidden: User \"", "acd", "bccd", "ad", "E1234 x", "xYeSz", "a\n kind: Pod", "kind", "baz"}
	alt, joined := NewAlternation(exprs...), regexp.MustCompile(strings.Join(exprs, "|"))
	for _, s := range texts {
		for _, e := range exprs {
			if g, plain := MustCompile(e), regexp.MustCompile(e); g.MatchString(s) != plain.MatchString(s) || g.FindString(s) != plain.FindString(s) {
				t.Errorf("%s on %q: guarded and plain differ", e, s)
			}
		}
		if alt.MatchString(s) != joined.MatchString(s) {
			t.Errorf("the alternation on %q differs from the joined expression", s)
		}
	}
}
