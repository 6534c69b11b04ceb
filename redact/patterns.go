package redact

import "strings"

// pattern is one kind of value to redact, as data: the keywords that
// must occur for it to run, how to find the value around a keyword, how
// its pseudonyms look, and examples that the tests check against it.
type pattern struct {
	kind string
	// keywords prefilter the text: the matcher only runs where one of
	// them occurs. fold makes them match in any case (they are written in
	// lower case then).
	keywords []string
	fold     bool
	// find looks at one keyword occurrence and emits the values it finds.
	find func(h *hit)
	// next lists the bytes that may follow a single-byte keyword (such
	// as "." for IPv4 addresses, which must be followed by a digit), and
	// guard, if set, rejects an occurrence cheaply before find runs.
	next  *class
	guard func(s string, i int) bool
	// format makes the pseudonyms of the values found.
	format *format
	// identifier marks names redacted only with Options.Identifiers.
	identifier bool
	// matches and decoys are examples: each of matches redacts exactly
	// the values between « and » (with this pattern's kind), and none of
	// decoys redacts anything.
	matches, decoys []string
	// index is the pattern's position in patterns: where two patterns
	// find the same value, the earlier one names its kind.
	index int
}

// patterns lists every kind of value Redact replaces, the most specific
// first.
var patterns = register(
	kubePatterns, pemPatterns, tokenPatterns, awsKeyPatterns, accountPatterns,
	eksPatterns, vendorPatterns, credentialPatterns, networkPatterns, namePatterns,
)

// auto is the keyword automaton of every pattern and stem.
var auto = newAutomaton(patterns, stems)

func register(families ...[]*pattern) []*pattern {
	var all []*pattern
	for _, f := range families {
		all = append(all, f...)
	}
	for i, p := range all {
		p.index = i
	}
	return all
}

// keptEverywhere reports whether v is a placeholder that no pattern
// redacts: AWS documentation examples (AKIAIOSFODNN7EXAMPLE,
// EXAMPLED539D4633E53DE1B71EXAMPLE, …) and one byte repeated
// (000000000000, xxxxxxxx). Values already redacted are pseudonyms (see
// pseudonym).
func keptEverywhere(v string) bool {
	return strings.Contains(v, "EXAMPLE") || sameByte(v)
}
