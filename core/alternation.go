package core

import (
	"regexp"
	"regexp/syntax"
	"strings"
)

// alternation matches the same texts as the regular expression that
// joins its alternatives with |, but tries them one at a time behind a
// cheap test: an alternative that is a plain literal is a substring
// search, and one that needs a literal somewhere runs its regular
// expression only on text that holds it. Go's regexp runs a long
// alternation as one automaton over every position of the text, which
// made the line classifiers the largest cost of an analysis.
type alternation []alternative

// alternative is one branch: the literal it cannot match without, and
// the expression to confirm with (nil when the literal is all of it).
type alternative struct {
	need string
	re   *regexp.Regexp
}

// newAlternation compiles the alternatives, which must be valid.
func newAlternation(alternatives ...string) alternation {
	var out alternation
	for _, a := range alternatives {
		re, err := syntax.Parse(a, syntax.Perl)
		if err != nil {
			panic("alternative " + a + ": " + err.Error())
		}
		re = re.Simplify()
		if isLiteral(re) {
			out = append(out, alternative{need: string(re.Rune)})
			continue
		}
		out = append(out, alternative{need: neededLiteral(re), re: regexp.MustCompile(a)})
	}
	return out
}

// MatchString reports whether any alternative matches somewhere in s.
func (alts alternation) MatchString(s string) bool {
	for _, a := range alts {
		if strings.Contains(s, a.need) && (a.re == nil || a.re.MatchString(s)) {
			return true
		}
	}
	return false
}

func isLiteral(re *syntax.Regexp) bool {
	return re.Op == syntax.OpLiteral && re.Flags&syntax.FoldCase == 0
}

// neededLiteral returns the longest case-sensitive literal that every
// match of re holds, or "".
func neededLiteral(re *syntax.Regexp) string {
	for re.Op == syntax.OpCapture {
		re = re.Sub[0]
	}
	if isLiteral(re) {
		return string(re.Rune)
	}
	best := ""
	if re.Op == syntax.OpConcat {
		for _, sub := range re.Sub {
			if lit := neededLiteral(sub); len(lit) > len(best) {
				best = lit
			}
		}
	}
	return best
}
