package redact

// The keyword prefilter: one pass over the text finds every occurrence of
// every pattern's keywords (and of the stems pseudonyms are made of), and
// only those occurrences run a pattern's matcher, on a bounded window
// around them. Candidate positions come from the first four bytes (see
// quadFilter), keywords from the first two, so the pass costs about two
// table look-ups per byte whatever the number of keywords.

const (
	// maxBehind and maxAhead bound the window a matcher may read around
	// its keyword. Results do not depend on how a stream is cut into
	// chunks because no matcher reads further.
	maxBehind = 64 << 10
	maxAhead  = 64 << 10
	// maxLead bounds how far before its keyword a value may start.
	maxLead = 4 << 10
)

// keyword is one literal that triggers a pattern, or a stem to record.
type keyword struct {
	text string // lower case when fold is set
	fold bool
	pat  *pattern // nil for a stem
	stem int      // index in stems when pat is nil
}

// automaton finds keyword occurrences: a quadFilter picks the positions
// where a keyword may start, then the keywords that start with the two
// bytes there (and may go on with the third) are compared. A single-byte
// keyword is entered once per byte its pattern allows after it (see
// pattern.next).
type automaton struct {
	filter *quadFilter
	pairs  pairTable // first two bytes → index+1 in lists
	lists  [][]keyword
	// third[i] holds the bytes that may follow the pair of lists[i]: most
	// pairs that occur in text ("na" in "namespace") go no further.
	third []class
}

// pairTable maps two bytes to a small number, indexed by pairIndex.
type pairTable [1 << 14]uint16

func newAutomaton(pats []*pattern, stems []string) *automaton {
	a := &automaton{filter: newQuadFilter()}
	for _, p := range pats {
		for _, k := range p.keywords {
			a.add(keyword{text: k, fold: p.fold, pat: p}, p.next)
		}
	}
	for i, s := range stems {
		a.add(keyword{text: s, stem: i}, nil)
	}
	return a
}

// add enters k; next lists the bytes that may follow a single-byte
// keyword.
func (a *automaton) add(k keyword, next *class) {
	variants := func(b byte) []byte {
		if k.fold && 'a' <= b && b <= 'z' {
			return []byte{b, b - 'a' + 'A'}
		}
		return []byte{b}
	}
	var seconds []byte
	if len(k.text) == 1 {
		for b := 0; b < 256; b++ {
			if next[b] {
				seconds = append(seconds, byte(b))
			}
		}
	} else {
		seconds = variants(k.text[1])
	}
	var thirds, fourths []byte
	if len(k.text) > 2 {
		thirds = variants(k.text[2])
	}
	if len(k.text) > 3 {
		fourths = variants(k.text[3])
	}
	a.filter.add(variants(k.text[0]), seconds, thirds, fourths, uint64(len(a.lists)))
	for _, b0 := range variants(k.text[0]) {
		for _, b1 := range seconds {
			key := pairIndex(b0, b1)
			if a.pairs[key] == 0 {
				a.lists = append(a.lists, nil)
				a.third = append(a.third, class{})
				a.pairs[key] = uint16(len(a.lists))
			}
			ix := a.pairs[key] - 1
			a.lists[ix] = append(a.lists[ix], k)
			third := &a.third[ix]
			switch {
			case len(k.text) <= 2:
				for b := range third {
					third[b] = true
				}
			default:
				for _, b2 := range variants(k.text[2]) {
					third[b2] = true
				}
			}
		}
	}
}

// matchesAt reports whether keyword k occurs at s[i:]. A single-byte
// keyword has already been checked with what follows it.
func (k *keyword) matchesAt(s string, i int) bool {
	w := k.text
	if len(s)-i < len(w) || len(w) == 1 && s[i] != w[0] || len(w) > 1 && s[i+1]&0x80 != 0 {
		return false
	}
	for j := 0; j < len(w); j++ {
		c := s[i+j]
		if k.fold {
			c = lower(c)
		}
		if c != w[j] {
			return false
		}
	}
	return true
}

// scan runs the matchers of every keyword occurrence starting in
// [from, to) of text, whose bytes [lo, hi) are available as context.
// Keywords need a byte after them, so none starts at the text's last byte.
func (st *scanState) scan(from, to int) {
	a, s := st.auto, st.text
	a.filter.each(s, from, min(to, len(s)-1), func(i int) {
		ix := a.pairs[pairIndex(s[i], s[i+1])]
		if ix == 0 || i+2 < len(s) && !a.third[ix-1][s[i+2]] {
			return
		}
		list := a.lists[ix-1]
		for j := range list {
			if list[j].matchesAt(s, i) {
				st.dispatch(i, &list[j])
			}
		}
	})
}

// dispatch handles one keyword occurrence at i.
func (st *scanState) dispatch(i int, k *keyword) {
	if k.pat == nil {
		if st.stems != nil {
			st.stems.record(st.text, i, k.stem, st.lo, st.hi, st.startsText, st.endsText, st.clone)
		}
		return
	}
	p := k.pat
	if p.identifier && !st.opts.Identifiers || st.base+i < st.skipTo[p.index] || p.guard != nil && !p.guard(st.text, i) {
		return
	}
	h := &st.hit
	*h = hit{st: st, text: st.text, at: i, kw: k.text, p: p, lo: max(st.lo, i-maxBehind), hi: min(st.hi, i+maxAhead)}
	p.find(h)
}

// scanState is the state of one scan over a window of text.
type scanState struct {
	auto  *automaton
	opts  Options
	text  string
	base  int // absolute position of text[0]
	lo    int // context available: text[lo:hi]
	hi    int
	clone bool
	// startsText and endsText say whether lo and hi are the ends of the
	// whole input rather than of a buffer.
	startsText, endsText bool
	stems                *stemIndex
	skipTo               []int // per pattern: absolute position before which its keywords are ignored
	memo                 []int // per pattern: see hit.memo
	found                []match
	hit                  hit
}

// hit is one keyword occurrence handed to a pattern's matcher.
type hit struct {
	st   *scanState
	text string
	at   int    // where the keyword starts
	kw   string // the keyword, lower case for patterns that fold case
	p    *pattern
	// lo and hi bound what the matcher may read.
	lo, hi int
}

// emit reports the value text[start:end] with the pattern's kind and
// format.
func (h *hit) emit(start, end int) { h.emitAs(start, end, h.p.kind, h.p.format) }

// emitAs reports a value with a kind and format of its own.
func (h *hit) emitAs(start, end int, kind string, f *format) {
	if start < h.lo || end > h.hi || start >= end || !atBoundary(h.text, start, end) {
		return
	}
	v := h.text[start:end]
	if keptEverywhere(v) {
		return
	}
	st := h.st
	st.found = append(st.found, match{
		start: st.base + start, end: st.base + end, value: v, kind: kind, format: f,
		identifier: h.p.identifier, priority: h.p.index, kept: pseudonym(v),
	})
}

// memo returns a position the pattern may keep between its keyword
// occurrences, absolute in the input, zero at first: what it learnt
// about the text so far, so as not to read it again.
func (h *hit) memo() *int { return &h.st.memo[h.p.index] }

// skipTo makes the pattern ignore its keywords before end: it has
// already looked at them.
func (h *hit) skipTo(end int) {
	if abs := h.st.base + end; abs > h.st.skipTo[h.p.index] {
		h.st.skipTo[h.p.index] = abs
	}
}
