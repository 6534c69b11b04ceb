// Package prefilter puts regular expressions behind a substring search.
// Go's regexp runs an unanchored or multi-line expression as an automaton
// over every position of the text, and even an anchored one costs a
// machine per call; over every line of a paste that made the line
// classifiers and the error catalogue the largest cost of an analysis.
// The types here answer exactly as their expressions do, but first look
// for literals that every match holds, and most text has none of them.
package prefilter

import (
	"regexp"
	"regexp/syntax"
	"slices"
	"strings"
)

// Regexp is a regular expression behind a prefilter: text that holds none
// of Needs (any one of them, when there are several) cannot match. The
// methods of regexp.Regexp that it does not redefine run unfiltered.
type Regexp struct {
	*regexp.Regexp
	// Needs are literals of which every match holds one; none when the
	// expression has no such literal.
	Needs []string
}

// MustCompile compiles expr, which must be valid, with its prefilter.
func MustCompile(expr string) *Regexp {
	return &Regexp{regexp.MustCompile(expr), needs(parse(expr))}
}

// Possible reports whether s holds one of the literals every match holds.
func (r *Regexp) Possible(s string) bool {
	return len(r.Needs) == 0 || slices.ContainsFunc(r.Needs, func(n string) bool { return strings.Contains(s, n) })
}

// MatchString is regexp.MatchString.
func (r *Regexp) MatchString(s string) bool { return r.Possible(s) && r.Regexp.MatchString(s) }

// FindString is regexp.FindString.
func (r *Regexp) FindString(s string) string {
	if !r.Possible(s) {
		return ""
	}
	return r.Regexp.FindString(s)
}

// FindStringSubmatch is regexp.FindStringSubmatch.
func (r *Regexp) FindStringSubmatch(s string) []string {
	if !r.Possible(s) {
		return nil
	}
	return r.Regexp.FindStringSubmatch(s)
}

// FindStringSubmatchIndex is regexp.FindStringSubmatchIndex.
func (r *Regexp) FindStringSubmatchIndex(s string) []int {
	if !r.Possible(s) {
		return nil
	}
	return r.Regexp.FindStringSubmatchIndex(s)
}

// FindAllString is regexp.FindAllString.
func (r *Regexp) FindAllString(s string, n int) []string {
	if !r.Possible(s) {
		return nil
	}
	return r.Regexp.FindAllString(s, n)
}

// Alternation matches the same texts as its alternatives joined with |,
// but tries them one at a time, each behind its own prefilter: a long
// alternation is one large automaton, while most of its alternatives are
// plain words, which a substring search settles alone.
type Alternation []*Regexp

// NewAlternation compiles the alternatives, which must be valid.
func NewAlternation(alternatives ...string) Alternation {
	var out Alternation
	for _, a := range alternatives {
		re := parse(a)
		if lit, ok := literal(re); ok {
			out = append(out, &Regexp{Needs: []string{lit}}) // the search is the match
			continue
		}
		out = append(out, &Regexp{regexp.MustCompile(a), needs(re)})
	}
	return out
}

// MatchString reports whether any alternative matches somewhere in s.
func (alts Alternation) MatchString(s string) bool {
	for _, a := range alts {
		if a.Possible(s) && (a.Regexp == nil || a.Regexp.MatchString(s)) {
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
