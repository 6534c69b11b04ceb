package fixes

import (
	"strings"
	"unicode/utf8"
)

// Wildcard matching for StringLike, ArnLike and actions, with policy
// variables.

// arnMatch compares an ARN pattern with an ARN component by component, as
// ArnEquals and ArnLike do: each of the six colon-separated parts may
// hold wildcards.
func arnMatch(pattern globPattern, arn string) bool {
	pp, ap := pattern.split(':', 6), strings.SplitN(arn, ":", 6)
	if len(pp) != 6 || len(ap) != 6 {
		return false
	}
	for i := range pp {
		if !pp[i].match(ap[i]) {
			return false
		}
	}
	return true
}

// globPattern is a policy value after variable expansion: its runes and
// which of them are literal (a * or ? written as ${*} or ${?}, or coming
// from a variable's value, is not a wildcard); literal is nil when none is.
type globPattern struct {
	runes   []rune
	literal []bool
}

// text returns the pattern as plain text, for the Equals operators.
func (g globPattern) text() string { return string(g.runes) }

// split cuts the pattern at sep into at most n parts.
func (g globPattern) split(sep rune, n int) []globPattern {
	var out []globPattern
	start := 0
	for i, r := range g.runes {
		if r == sep && !g.literal[i] && len(out) < n-1 {
			out = append(out, globPattern{g.runes[start:i], g.literal[start:i]})
			start = i + 1
		}
	}
	return append(out, globPattern{g.runes[start:], g.literal[start:]})
}

// match reports whether s matches the pattern: * is any run of characters
// (none included), ? exactly one, case-sensitive. It walks s by byte
// offsets, a character at a time.
func (g globPattern) match(s string) bool {
	p, i := 0, 0
	star, mark := -1, 0
	wild := func(p int, w rune) bool { return g.runes[p] == w && (g.literal == nil || !g.literal[p]) }
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case p < len(g.runes) && wild(p, '*'):
			star, mark = p, i
			p++
		case p < len(g.runes) && (g.runes[p] == r || wild(p, '?')):
			p++
			i += size
		case star >= 0:
			_, skip := utf8.DecodeRuneInString(s[mark:])
			p, mark = star+1, mark+skip
			i = mark
		default:
			return false
		}
	}
	for p < len(g.runes) && wild(p, '*') {
		p++
	}
	return p == len(g.runes)
}

// expandVariables replaces the policy variables of a value (${aws:username},
// ${*}, ${?}, ${$}) with their values from ctx. ok is false when a
// variable names a key the request does not carry, or one with several
// values: such a value matches nothing.
func expandVariables(v string, ctx map[string][]string) (globPattern, bool) {
	var g globPattern
	add := func(s string, literal bool) {
		for _, r := range s {
			g.runes = append(g.runes, r)
			g.literal = append(g.literal, literal)
		}
	}
	for {
		i := strings.Index(v, "${")
		if i < 0 {
			add(v, false)
			return g, true
		}
		j := strings.IndexByte(v[i:], '}')
		if j < 0 {
			add(v, false)
			return g, true
		}
		add(v[:i], false)
		name := strings.TrimSpace(v[i+2 : i+j])
		switch name {
		case "*", "?", "$":
			add(name, true)
		default:
			vals := ctx[strings.ToLower(name)]
			if len(vals) != 1 {
				return g, false
			}
			add(vals[0], true)
		}
		v = v[i+j+1:]
	}
}

// glob reports whether s matches an IAM wildcard pattern (* and ?),
// case-sensitively, as StringLike does.
func glob(pattern, s string) bool {
	var buf [64]rune // most patterns fit, and need no allocation
	g := globPattern{runes: buf[:0]}
	for _, r := range pattern {
		g.runes = append(g.runes, r)
	}
	return g.match(s)
}

// actionMatches reports whether an action pattern of a policy (with * and
// ?) covers action; action names are not case-sensitive.
func actionMatches(pattern, action string) bool {
	return glob(strings.ToLower(pattern), strings.ToLower(action))
}
