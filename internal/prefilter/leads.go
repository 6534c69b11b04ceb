package prefilter

import (
	"regexp/syntax"
	"unicode"
	"unicode/utf8"
)

// byteSet is a set of bytes.
type byteSet [256]bool

// leads returns the bytes that every match of re begins with when re
// matches only at the start of the text and never matches the empty
// string, or nil. An anchored expression tried on a line that starts
// with another byte is then rejected without running it.
func leads(re *syntax.Regexp) *byteSet {
	if !anchored(re) {
		return nil
	}
	set := &byteSet{}
	if mayBeEmpty := first(re, set); mayBeEmpty {
		return nil
	}
	return set
}

// anchored reports whether re matches only at the start of the text.
func anchored(re *syntax.Regexp) bool {
	switch re.Op {
	case syntax.OpBeginText:
		return true
	case syntax.OpCapture, syntax.OpConcat:
		return anchored(re.Sub[0])
	case syntax.OpAlternate:
		for _, sub := range re.Sub {
			if !anchored(sub) {
				return false
			}
		}
		return true
	}
	return false
}

// first adds to set every byte that a match of re can begin with, and
// reports whether re can match the empty string, in which case the match
// can begin with whatever follows re.
func first(re *syntax.Regexp, set *byteSet) (mayBeEmpty bool) {
	switch re.Op {
	case syntax.OpLiteral:
		addRune(set, re.Rune[0], re.Flags&syntax.FoldCase != 0)
		return false
	case syntax.OpCharClass:
		for i := 0; i+1 < len(re.Rune); i += 2 {
			for r := re.Rune[i]; r <= re.Rune[i+1] && r < utf8.RuneSelf; r++ {
				set[r] = true
			}
			if re.Rune[i+1] >= utf8.RuneSelf {
				addNonASCII(set)
			}
		}
		return false
	case syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		for b := range set {
			set[b] = true
		}
		return false
	case syntax.OpCapture, syntax.OpPlus:
		return first(re.Sub[0], set)
	case syntax.OpStar, syntax.OpQuest:
		first(re.Sub[0], set)
		return true
	case syntax.OpRepeat:
		return first(re.Sub[0], set) || re.Min == 0
	case syntax.OpConcat:
		for _, sub := range re.Sub {
			if !first(sub, set) {
				return false
			}
		}
		return true
	case syntax.OpAlternate:
		mayBeEmpty = false
		for _, sub := range re.Sub {
			mayBeEmpty = first(sub, set) || mayBeEmpty
		}
		return mayBeEmpty
	case syntax.OpNoMatch:
		return false
	}
	// The empty match and the assertions (^, $, \b) consume nothing.
	return true
}

// addRune adds the first byte of r and, with fold, of every rune of its
// case orbit (which can leave ASCII: k, K and the Kelvin sign).
func addRune(set *byteSet, r rune, fold bool) {
	for f := r; ; {
		if f < utf8.RuneSelf {
			set[f] = true
		} else {
			addNonASCII(set)
		}
		if f = unicode.SimpleFold(f); !fold || f == r {
			return
		}
	}
}

// addNonASCII adds every byte that is not ASCII: the first bytes of
// non-ASCII characters, and the bytes of invalid UTF-8, which an
// expression reads as U+FFFD.
func addNonASCII(set *byteSet) {
	for b := utf8.RuneSelf; b < len(set); b++ {
		set[b] = true
	}
}
