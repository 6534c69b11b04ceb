// Package redact finds secrets and identifiers in pasted text and replaces
// them with consistent, format-preserving pseudonyms, so that the text can
// be analysed and shared without revealing them. It imports only the
// standard library.
//
// The kinds of values are patterns, as data (patterns.go and the files it
// lists): keywords, a matcher that reads a bounded window around each of
// their occurrences, a pseudonym format, and examples that the tests
// check. Redaction is linear in the text: one keyword pass (scan.go,
// prefilter.go) runs the matchers, one more pass finds the other
// occurrences of what they found (finder.go), and pseudonyms are checked
// against the input through the stems they contain (stems.go). Redact
// works on a string; Stream and RedactReader work on text of any size in
// bounded memory (stream.go).
package redact

import "strings"

// Options choose what is redacted beyond secrets and account identifiers.
type Options struct {
	// Identifiers also replaces names people choose, such as IAM role and
	// user names and EKS cluster names. Off by default, because rules read
	// those names.
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
// identification, keep the value's format, and never occur in text
// itself. Once a pattern identifies a value, every other occurrence of it
// is replaced too.
func Redact(text string, opts Options) Result {
	s := newSession(opts)
	s.whole = text
	s.res.reset()
	s.scan(text, 0, 0, len(text), 0, len(text), true, true, true)
	s.settle(len(text), true, true)
	s.allocate()
	var res Result
	var b strings.Builder
	b.Grow(len(text) + len(text)/64)
	s.write(text, 0, len(text), func(piece string, m *match, pseudonym string) {
		if m != nil {
			res.Replacements = append(res.Replacements, Replacement{
				Start: m.start, End: m.end, Kind: m.kind, Original: m.value, Pseudonym: pseudonym,
			})
			piece = pseudonym
		}
		b.WriteString(piece)
	})
	res.Text = b.String()
	return res
}

// Restore puts the original values back into text, a redacted or edited
// form of original: it redacts original again to learn which pseudonym
// stands for what. Pseudonyms of every option are restored, so it does
// not matter which options produced text.
func Restore(original, text string) string {
	return restore(original, text, func(string) bool { return true })
}

// RestoreIdentifiers is Restore for text to show rather than to save: it
// puts back the values that only say who or where (account ids, role,
// user and cluster names, hosts, addresses) and leaves the pseudonyms of
// everything else, the secrets that grant access, in place.
func RestoreIdentifiers(original, text string) string {
	return restore(original, text, Identifying)
}

// identifyingKinds are the kinds of values that name an account, a
// principal, a cluster or a host and grant nothing. Every other kind is a
// secret, so that a kind added later stays masked until it is listed here.
var identifyingKinds = map[string]bool{
	"aws-account-id": true, "aws-unique-id": true, "iam-role-name": true, "iam-user-name": true,
	"eks-cluster-name": true, "eks-cluster-endpoint": true, "eks-oidc-id": true,
	"ec2-private-dns": true, "ec2-public-dns": true, "ec2-instance-id": true, "email": true, "ip-address": true,
}

// Identifying reports whether values of kind (a Replacement's Kind) only
// identify, as opposed to secrets: keys, tokens, passwords, private keys
// and Secret data.
func Identifying(kind string) bool { return identifyingKinds[kind] }

// restore is Restore for the values whose kind keep accepts.
func restore(original, text string, keep func(kind string) bool) string {
	res := Redact(original, Options{Identifiers: true})
	var f finder
	for i, r := range res.Replacements {
		if keep(r.Kind) {
			f.add(r.Pseudonym, int32(i))
		}
	}
	if f.empty() {
		return text
	}
	var b strings.Builder
	b.Grow(len(text))
	pos := 0
	f.find(text, 0, len(text), func(start, end int, ref int32) {
		b.WriteString(text[pos:start])
		b.WriteString(res.Replacements[ref].Original)
		pos = end
	})
	b.WriteString(text[pos:])
	return b.String()
}
