package redact

// The keyword prefilter: one pass over the text finds every occurrence of
// every pattern's keywords (and of the stems pseudonyms are made of), and
// only those occurrences run a pattern's matcher, on a bounded window
// around them. Keywords are dispatched on their first two bytes through a
// table, so the pass costs about one table look-up per byte whatever the
// number of keywords.

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

// automaton finds keyword occurrences.
type automaton struct {
	first  class
	single [256][]keyword
	pairs  [1 << 16]uint16 // first two bytes → index+1 in lists
	lists  [][]keyword
}

func newAutomaton(pats []*pattern, stems []string) *automaton {
	a := &automaton{}
	for _, p := range pats {
		for _, k := range p.keywords {
			a.add(keyword{text: k, fold: p.fold, pat: p})
		}
	}
	for i, s := range stems {
		a.add(keyword{text: s, stem: i})
	}
	return a
}

func (a *automaton) add(k keyword) {
	variants := func(b byte) []byte {
		if k.fold && 'a' <= b && b <= 'z' {
			return []byte{b, b - 'a' + 'A'}
		}
		return []byte{b}
	}
	for _, b0 := range variants(k.text[0]) {
		a.first[b0] = true
		if len(k.text) == 1 {
			a.single[b0] = append(a.single[b0], k)
			continue
		}
		for _, b1 := range variants(k.text[1]) {
			key := uint16(b0)<<8 | uint16(b1)
			if a.pairs[key] == 0 {
				a.lists = append(a.lists, nil)
				a.pairs[key] = uint16(len(a.lists))
			}
			a.lists[a.pairs[key]-1] = append(a.lists[a.pairs[key]-1], k)
		}
	}
}

// matchesAt reports whether keyword k occurs at s[i:].
func (k *keyword) matchesAt(s string, i int) bool {
	if k.fold {
		return hasPrefixFold(s, i, k.text)
	}
	return len(s)-i >= len(k.text) && s[i:i+len(k.text)] == k.text
}

// scan runs the matchers of every keyword occurrence starting in
// [from, to) of text, whose bytes [lo, hi) are available as context.
func (st *scanState) scan(from, to int) {
	a, s := st.auto, st.text
	for i := from; i < to; i++ {
		c := s[i]
		if !a.first[c] {
			continue
		}
		for j := range a.single[c] {
			st.dispatch(i, &a.single[c][j])
		}
		if i+1 >= len(s) {
			break
		}
		if ix := a.pairs[uint16(c)<<8|uint16(s[i+1])]; ix != 0 {
			list := a.lists[ix-1]
			for j := range list {
				if list[j].matchesAt(s, i) {
					st.dispatch(i, &list[j])
				}
			}
		}
	}
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
	if p.identifier && !st.opts.Identifiers || st.base+i < st.skipTo[p.index] {
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
		identifier: h.p.identifier, priority: h.p.index,
	})
}

// skipTo makes the pattern ignore its keywords before end: it has
// already looked at them.
func (h *hit) skipTo(end int) {
	if abs := h.st.base + end; abs > h.st.skipTo[h.p.index] {
		h.st.skipTo[h.p.index] = abs
	}
}
