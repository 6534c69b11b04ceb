// Package redact finds secrets and identifiers in pasted text and replaces
// them with consistent, format-preserving pseudonyms, so that the text can
// be analysed and shared without revealing them. It imports only the
// standard library.
package redact

import (
	"sort"
	"strings"
)

// Options choose what is redacted beyond secrets and account identifiers.
type Options struct {
	// Identifiers also replaces names people choose, such as IAM role and
	// user names. Off by default, because rules read those names.
	Identifiers bool
}

// Replacement is one redacted occurrence.
type Replacement struct {
	// Start and End are the occurrence's byte range in the original text.
	Start, End int
	// Kind names the pattern that found it, e.g. "aws-account-id".
	Kind string
	// Original is the value that was replaced. It never leaves the caller.
	Original string
	// Pseudonym is what replaced it, the same for every occurrence of the
	// same original value.
	Pseudonym string
}

// Result is a redacted text and what was replaced in it.
type Result struct {
	Text         string
	Replacements []Replacement
}

// Redact replaces every secret and identifier that opts selects. Equal
// values get equal pseudonyms; pseudonyms are allocated in order of first
// appearance, keep the value's format, and never occur in text itself.
func Redact(text string, opts Options) Result {
	matches := findAll(text, opts)
	names := newAllocator(text)
	var out strings.Builder
	out.Grow(len(text))
	last := 0
	res := Result{}
	for _, m := range matches {
		pseudonym := names.pseudonym(m.pattern, m.value)
		out.WriteString(text[last:m.start])
		out.WriteString(pseudonym)
		last = m.end
		res.Replacements = append(res.Replacements, Replacement{
			Start: m.start, End: m.end, Kind: m.pattern.kind, Original: m.value, Pseudonym: pseudonym,
		})
	}
	out.WriteString(text[last:])
	res.Text = out.String()
	return res
}

// Restore puts the original values back into text, a redacted or edited
// form of original: it redacts original again to learn which pseudonym
// stands for what. Pseudonyms of every option are restored, so it does
// not matter which options produced text.
func Restore(original, text string) string {
	res := Redact(original, Options{Identifiers: true})
	if len(res.Replacements) == 0 {
		return text
	}
	seen := map[string]bool{}
	var pairs []string
	for _, r := range res.Replacements {
		if !seen[r.Pseudonym] {
			seen[r.Pseudonym] = true
			pairs = append(pairs, r.Pseudonym, r.Original)
		}
	}
	return strings.NewReplacer(pairs...).Replace(text)
}

// match is one pattern match: the value's range in the text.
type match struct {
	start, end int
	value      string
	pattern    *pattern
}

// elsewhere finds the other occurrences of every value the patterns
// found: once a value is known to be an account ID or a key, it is
// redacted wherever it appears, even where no pattern's context says so.
func elsewhere(text string, found []match) []match {
	var more []match
	seen := map[string]bool{}
	for _, m := range found {
		if seen[m.value] {
			continue
		}
		seen[m.value] = true
		for off := 0; ; {
			i := strings.Index(text[off:], m.value)
			if i < 0 {
				break
			}
			start := off + i
			more = append(more, match{start, start + len(m.value), m.value, m.pattern})
			off = start + len(m.value)
		}
	}
	return more
}

// findAll runs every selected pattern and keeps the matches that do not
// overlap, preferring the earlier and then the longer one.
func findAll(text string, opts Options) []match {
	var all []match
	for _, p := range patterns {
		if p.identifier && !opts.Identifiers || !p.mayMatch(text) {
			continue
		}
		all = append(all, p.find(text)...)
	}
	all = append(all, elsewhere(text, all)...)
	sort.SliceStable(all, func(i, j int) bool {
		if all[i].start != all[j].start {
			return all[i].start < all[j].start
		}
		return all[i].end > all[j].end
	})
	kept := all[:0]
	end := 0
	for _, m := range all {
		if m.start >= end {
			kept = append(kept, m)
			end = m.end
		}
	}
	return kept
}
