// Package prefilter puts regular expressions behind a substring search.
// Go's regexp runs an unanchored or multi-line expression as an automaton
// over every position of the text, and even an anchored one costs a
// machine per call; over every line of a paste that made the line
// classifiers and the error catalogue the largest cost of an analysis.
// The types here answer exactly as their expressions do, but first look
// for literals that every match holds (in any case, under (?i)), and most
// text has none of them.
package prefilter

import (
	"regexp"
	"regexp/syntax"
	"slices"
	"strings"
	"unicode/utf8"
)

// Regexp is a regular expression behind a prefilter: text that holds
// none of the literals every match holds one of cannot match, nor, when
// the expression is anchored at the start of the text, text that begins
// with a byte no match begins with. The methods of regexp.Regexp that it
// does not redefine run unfiltered.
type Regexp struct {
	*regexp.Regexp
	needs []need   // none when the expression has no such literal
	leads *byteSet // nil unless the expression is anchored
}

// need is a literal that a match holds.
type need struct {
	text string
	fold bool // in any case; text is then ASCII
}

// in reports whether s holds the literal.
func (n need) in(s string) bool {
	if n.fold {
		return containsFold(s, n.text)
	}
	return strings.Contains(s, n.text)
}

// containsFold reports whether s holds sub, which is ASCII, in any case.
// It answers true for s that is not ASCII, where a case fold can change a
// character's length (k and the Kelvin sign).
func containsFold(s, sub string) bool {
	if !isASCII(s) || sub == "" {
		return true
	}
	lower, upper := sub[0]|0x20, sub[0]&^0x20 // a letter in either case; another byte is one of the two
	for i := 0; i+len(sub) <= len(s); i++ {
		if c := s[i]; (c == lower || c == upper) && strings.EqualFold(s[i:i+len(sub)], sub) {
			return true
		}
	}
	return false
}

// MustCompile compiles expr, which must be valid, with its prefilter.
func MustCompile(expr string) *Regexp {
	return guard(regexp.MustCompile(expr), parse(expr))
}

// guard puts re, whose syntax is syn, behind its prefilter.
func guard(re *regexp.Regexp, syn *syntax.Regexp) *Regexp {
	return &Regexp{re, needs(syn), leads(syn)}
}

// Possible reports whether s can hold a match: it begins with a byte that
// a match of an anchored expression can begin with, and it holds one of
// the literals every match holds.
func (r *Regexp) Possible(s string) bool {
	if r.leads != nil && (s == "" || !r.leads[s[0]]) {
		return false
	}
	return len(r.needs) == 0 || slices.ContainsFunc(r.needs, func(n need) bool { return n.in(s) })
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
		if lit, ok := literal(re); ok && !lit.fold {
			out = append(out, &Regexp{needs: []need{lit}}) // the search is the match
			continue
		}
		out = append(out, guard(regexp.MustCompile(a), re))
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

// literal returns the text re matches when that is one string, in any
// case under (?i) when it is ASCII.
func literal(re *syntax.Regexp) (need, bool) {
	if re.Op != syntax.OpLiteral {
		return need{}, false
	}
	lit := need{string(re.Rune), re.Flags&syntax.FoldCase != 0}
	if lit.fold && !isASCII(lit.text) {
		return need{}, false
	}
	return lit, true
}

// isASCII reports whether every byte of s is ASCII.
func isASCII(s string) bool {
	for i := range len(s) {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// needs returns literals of which every match of re holds at least one,
// as long as can be found, or nil when there are none.
func needs(re *syntax.Regexp) []need {
	if lit, ok := literal(re); ok {
		return []need{lit}
	}
	switch re.Op {
	case syntax.OpCapture, syntax.OpPlus:
		return needs(re.Sub[0])
	case syntax.OpRepeat:
		if re.Min > 0 {
			return needs(re.Sub[0])
		}
	case syntax.OpConcat:
		var best []need
		for _, sub := range re.Sub {
			if n := needs(sub); shortest(n) > shortest(best) {
				best = n
			}
		}
		return best
	case syntax.OpAlternate:
		var all []need
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
func shortest(lits []need) int {
	if len(lits) == 0 {
		return 0
	}
	n := len(lits[0].text)
	for _, l := range lits[1:] {
		n = min(n, len(l.text))
	}
	return n
}
