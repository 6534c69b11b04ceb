package redact

import (
	"slices"
	"strconv"
	"strings"
)

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
	// own recognises the format's pseudonyms (see format.owns); formats
	// whose make uses the allocator must have one.
	own func(v string) bool
}

// owns reports whether v is a pseudonym this format makes, so that text
// redacted before (a share link, a re-pasted report) keeps its pseudonyms
// as they are when it is redacted again. Without an own function, v must
// be what make gives v for the number it ends with (see numbered); derived
// and stemless formats, which need the allocator, recognise nothing
// without one. Callers check that v holds a stem first, as every such
// pseudonym does.
func (f *format) owns(v string) bool {
	switch {
	case f.own != nil:
		return f.own(v)
	case f.derived || f.stemless:
		return false
	}
	return numbered(v, func(n int) string { return f.make(nil, n, v) })
}

// numbered reports whether v is make(n) for the number n that v ends
// with, up to ownDigits digits, looking past the blanks and escapes
// that fill leaves where they are. The number follows a zero or a
// marker's letter and has no leading zero.
func numbered(v string, make func(n int) string) bool {
	digits := filled(v)
	end := strings.LastIndexFunc(digits, isDigit) + 1
	for k := 1; k <= ownDigits && k <= end && isDigit(rune(digits[end-k])); k++ {
		if digits[end-k] == '0' || end-k > 0 && '1' <= digits[end-k-1] && digits[end-k-1] <= '9' {
			continue
		}
		if n, _ := strconv.Atoi(digits[end-k : end]); make(n) == v {
			return true
		}
	}
	return false
}

// pseudonym reports whether v is a pseudonym of any format: a value one
// pattern redacted may be found by another when the text is redacted
// again (an instance id found as a session name).
func pseudonym(v string) bool {
	if strings.Contains(v, "REDACTED") {
		return true
	}
	stem := holdsStem(v)
	if stem && filledShape(v) {
		return true
	}
	for _, f := range ownFormats {
		if (stem || f.own != nil) && f.owns(v) {
			return true
		}
	}
	return false
}

// ownFormats lists every format once: those the matchers choose and the
// patterns' (set at init, as the matchers refer to it).
var ownFormats = []*format{privateIPFormat, publicIPFormat, ipv6Format, sessionNameFormat, userNameFormat, clusterNameFormat, jwtFormat}

func init() {
	for _, p := range patterns {
		if p.format != nil && !slices.Contains(ownFormats, p.format) {
			ownFormats = append(ownFormats, p.format)
		}
	}
}

// ownDigits bounds the numbers of pseudonyms recognised as such: no input
// within the size limit holds a million distinct values of one format,
// and every pseudonym numbered below a million holds a stem.
const ownDigits = 6

func isDigit(r rune) bool { return '0' <= r && r <= '9' }

// holdsStem reports whether v contains one of the stems.
func holdsStem(v string) bool {
	v = filled(v)
	for _, s := range stems {
		if strings.Contains(v, s) {
			return true
		}
	}
	return false
}

// filled returns v without the blanks and escapes that fill leaves where
// they are, so that a pseudonym's marker and number read in one piece.
func filled(v string) string {
	if !strings.ContainsAny(v, " \t\r\n\\") {
		return v
	}
	var b strings.Builder
	for _, i := range payload(v, 0, nil) {
		b.WriteByte(v[i])
	}
	return b.String()
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

// keep reserves p, a pseudonym the input already holds, for itself.
func (a *allocator) keep(p string) {
	a.given[p], a.used[p] = p, true
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
