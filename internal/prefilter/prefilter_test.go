package prefilter

import (
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestNeeds(t *testing.T) {
	for expr, want := range map[string]string{
		`abc`:                   "abc",
		`^\s*kind:\s*(\w+)`:     "kind:",
		`(?:mapRoles|mapUsers)`: "Roles Users",
		`(?:clusters|contexts|current-context)\s*:`: "lusters ontexts urrent-context",
		"^ {0,3}(`{3,}|~{3,})":                      "` ~",
		`(?i:abc)`:                                  "(?i)ABC",
		`(?i)node-?instance|eks-?node`:              "(?i)INSTANCE (?i)NODE",
		`(?i)é`:                                     "",
		`a|b*`:                                      "",
		`x*`:                                        "",
	} {
		var texts []string
		for _, n := range needs(parse(expr)) {
			if n.fold {
				n.text = "(?i)" + n.text
			}
			texts = append(texts, n.text)
		}
		if got := strings.Join(texts, " "); got != want {
			t.Errorf("needs(%s) = %q, want %q", expr, got, want)
		}
	}
}

func TestLeads(t *testing.T) {
	const nonASCII = "+"
	for expr, want := range map[string]string{
		`^abc`:                    "a",
		`^(?:error|Error|fatal):`: "Eef",
		`^(?:^E|^W)\d|^F`:         "EFW",
		`^[EWF]\d{4} `:            "EFW",
		`^\s*x`:                   "\t\n\f\r x",
		`^(?:\$|PS [^>]*>)\s*k`:   "$P",
		`^(?i)k`:                  "Kk" + nonASCII,
		`^❯`:                      nonASCII,
		`^[^a]`:                   "all but a",
		`^x?y{0,2}(?:z|)w`:        "wxyz",
		`^x*`:                     "none",
		`^$`:                      "none",
		`(?m)^x`:                  "none",
		`^x|y`:                    "none",
		`x`:                       "none",
	} {
		set := leads(parse(expr))
		got := "none"
		if set != nil {
			var b strings.Builder
			for c := range utf8.RuneSelf {
				if set[c] {
					b.WriteByte(byte(c))
				}
			}
			got = b.String()
			if set[0xC3] && set[0x80] && set[0xFF] {
				got += nonASCII
			}
			if len(got) == utf8.RuneSelf-1+len(nonASCII) && !set['a'] {
				got = "all but a"
			}
		}
		if got != want {
			t.Errorf("leads(%s) = %q, want %q", expr, got, want)
		}
	}
}

// TestGuardKeepsMatches checks, on texts built around each literal and
// leading byte, that the prefilter never hides a match.
func TestGuardKeepsMatches(t *testing.T) {
	exprs := []string{`\bforbidden: User "`, `(?:a|b)c+d`, `^[EWF]\d{4} `, `x(?i:yes)z`, `(?m)^\s*kind:\s*(\w+)`, `foo`, `ba[rz]`,
		`^(?:error|fatal):`, `^(?i:kubectl)`, `^[^>]*>`, `^\s*x`, `^(?:❯|\$) k`, `(?i:karpenter|node-?group)`, `(?i:abc)|def`, `(?i:@home)`}
	texts := []string{"", "forbidden: User \"x\"", "xforbidden: User \"", "acd", "bccd", "ad", "E1234 x", "xYeSz", "a\n kind: Pod", "kind", "baz",
		"error: x", "fatal:", " error:", "KUBECTL", "\u212aubectl", "\x80>", "é>", "\t x", "❯ k", "$ k", "% k",
		"MyKarpenterRole", "\u212aarpenter", "eks-Node-Group", "nodegroup", "node_group", "xaBcx", "DEF", "def", "me@HOME", "`home"}
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
