package redact

import "strings"

// allocator hands out pseudonyms: one per distinct value, from a counter
// per format, skipping any pseudonym already given, already in the input
// or that contains the value (198.18.0.1 for 8.18.0.1). The same value gets the same pseudonym whichever pattern found
// it, so an OIDC provider id and a cluster endpoint that share their 32
// hexadecimal digits stay equal.
type allocator struct {
	sess  *session
	given map[string]string // original → pseudonym
	used  map[string]bool
	count map[string]int
	// nesting counts the tokens being opened (see redactNested).
	nesting int
}

func newAllocator(s *session) *allocator {
	return &allocator{sess: s, given: map[string]string{}, used: map[string]bool{}, count: map[string]int{}}
}

// format makes the pseudonyms of one shape of value.
type format struct {
	// name keys the counter; formats that share a name share numbers.
	name string
	// counter, if set, refines the counter's key for a value, so that
	// pseudonyms of each look are numbered from 1.
	counter func(v string) string
	// make returns the n-th pseudonym (n from 1) for the value v, or ""
	// when v cannot take this shape.
	make func(a *allocator, n int, v string) string
	// derived formats build the pseudonym from other allocations (an EC2
	// host name from its IP address) and ignore n.
	derived bool
	// stemless formats make pseudonyms that contain no stem: their
	// pattern replaces every token of their shape, so the input cannot
	// keep one that equals a pseudonym.
	stemless bool
}

// name returns v's pseudonym, allocating it in format f if v has none.
func (a *allocator) name(f *format, v string) string {
	if p, ok := a.given[v]; ok {
		return p
	}
	for tries := 0; ; tries++ {
		n := 0
		if !f.derived {
			key := f.name
			if f.counter != nil {
				key += "/" + f.counter(v)
			}
			a.count[key]++
			n = a.count[key]
		}
		p := f.make(a, n, v)
		// A value that fill cannot change at all (blanks and escapes)
		// stays inside its pseudonym: give up that rule for it.
		if p != "" && !a.used[p] && !(tries < 16 && strings.Contains(p, v)) && !a.inInput(p, tries) {
			a.given[v], a.used[p] = p, true
			return p
		}
		if f.derived || p == "" {
			f = fillFormat
		}
	}
}

// inInput reports whether p may already occur in the input. A pseudonym
// without a stem (TestFormatsHaveStems keeps them to stemless formats and
// counters beyond a million) is taken to be new. The stem index answers
// "maybe" for long pseudonyms that differ from text around a stem only
// beyond what it recorded, as in text that was redacted before; after a
// few such answers the whole input decides exactly, and a stream, which
// has no whole input, takes the pseudonym, so the search always ends.
func (a *allocator) inInput(p string, tries int) bool {
	found, _ := a.sess.stems.occurs(p)
	switch {
	case !found || tries < uncertainTries:
		return found
	case a.sess.whole != "":
		return strings.Contains(a.sess.whole, p)
	}
	return tries < 2*uncertainTries
}

// uncertainTries is how many pseudonyms the stem index may reject before
// the allocator checks the whole input.
const uncertainTries = 8
