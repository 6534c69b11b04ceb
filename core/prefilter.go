package core

import (
	"regexp"
	"regexp/syntax"
	"slices"
	"strings"
)

// Go's regexp runs an unanchored or multi-line expression as an
// automaton over every position of the text, and even an anchored one
// costs a machine per call; over every line of a paste that made the
// classifiers the largest cost of an analysis. The types here answer
// exactly as the expressions do, but first look for literals that every
// match holds, with a substring search, and most text has none of them.

// guarded is a regular expression behind a prefilter: text that holds
// none of needs (any one of them, when there are several) cannot match.
type guarded struct {
	*regexp.Regexp
	needs []string
}

// guard compiles expr, which must be valid, with its prefilter.
func guard(expr string) guarded {
	return guarded{regexp.MustCompile(expr), needs(parse(expr))}
}

// possible reports whether s holds one of the literals every match holds.
func (g guarded) possible(s string) bool {
	return len(g.needs) == 0 || slices.ContainsFunc(g.needs, func(n string) bool { return strings.Contains(s, n) })
}

// MatchString is regexp.MatchString.
func (g guarded) MatchString(s string) bool { return g.possible(s) && g.Regexp.MatchString(s) }

// FindString is regexp.FindString.
func (g guarded) FindString(s string) string {
	if !g.possible(s) {
		return ""
	}
	return g.Regexp.FindString(s)
}

// FindStringSubmatch is regexp.FindStringSubmatch.
func (g guarded) FindStringSubmatch(s string) []string {
	if !g.possible(s) {
		return nil
	}
	return g.Regexp.FindStringSubmatch(s)
}

// FindAllString is regexp.FindAllString.
func (g guarded) FindAllString(s string, n int) []string {
	if !g.possible(s) {
		return nil
	}
	return g.Regexp.FindAllString(s, n)
}

// alternation matches the same texts as its alternatives joined with |,
// but tries them one at a time, each behind its own prefilter: a long
// alternation is one large automaton, while most of its alternatives
// are plain words.
type alternation []guarded

// newAlternation compiles the alternatives, which must be valid.
func newAlternation(alternatives ...string) alternation {
	var out alternation
	for _, a := range alternatives {
		re := parse(a)
		if lit, ok := literal(re); ok {
			out = append(out, guarded{needs: []string{lit}}) // the search is the match
			continue
		}
		out = append(out, guarded{regexp.MustCompile(a), needs(re)})
	}
	return out
}

// MatchString reports whether any alternative matches somewhere in s.
func (alts alternation) MatchString(s string) bool {
	for _, a := range alts {
		if a.possible(s) && (a.Regexp == nil || a.Regexp.MatchString(s)) {
			return true
		}
	}
	return false
}

func parse(expr string) *syntax.Regexp {
	re, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		panic("regular expression " + expr + ": " + err.Error())
	}
	return re.Simplify()
}

// literal returns the text re matches when that is one case-sensitive
// string.
func literal(re *syntax.Regexp) (string, bool) {
	if re.Op == syntax.OpLiteral && re.Flags&syntax.FoldCase == 0 {
		return string(re.Rune), true
	}
	return "", false
}

// needs returns literals of which every match of re holds at least one,
// as long as can be found, or nil when there are none.
func needs(re *syntax.Regexp) []string {
	if lit, ok := literal(re); ok {
		return []string{lit}
	}
	switch re.Op {
	case syntax.OpCapture, syntax.OpPlus:
		return needs(re.Sub[0])
	case syntax.OpRepeat:
		if re.Min > 0 {
			return needs(re.Sub[0])
		}
	case syntax.OpConcat:
		var best []string
		for _, sub := range re.Sub {
			if n := needs(sub); shortest(n) > shortest(best) {
				best = n
			}
		}
		return best
	case syntax.OpAlternate:
		var all []string
		for _, sub := range re.Sub {
			n := needs(sub)
			if n == nil {
				return nil
			}
			all = append(all, n...)
		}
		return all
	}
	return nil
}

// shortest is the length of the shortest literal, 0 for none.
func shortest(lits []string) int {
	if len(lits) == 0 {
		return 0
	}
	n := len(lits[0])
	for _, l := range lits[1:] {
		n = min(n, len(l))
	}
	return n
}
