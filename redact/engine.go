package redact

import (
	"sort"
	"strings"
)

// A redaction runs in two steps over the same text, whole or in chunks:
// learning finds what the patterns identify (and where the stems of
// pseudonyms already occur) and then allocates the pseudonyms in order of
// identification; writing replaces every occurrence of what was learnt.
// Matches come in four tiers, each losing to the ones before where they
// overlap: pattern matches of secrets, other occurrences of those
// secrets, pattern matches of identifiers, other occurrences of those.

// match is one value found in the text.
type match struct {
	start, end int // absolute positions
	value      string
	kind       string
	format     *format
	identifier bool
	priority   int  // the pattern's position in the table: lower wins a tie
	elsewhere  bool // found as another occurrence of a known value
	// kept marks a pseudonym from an earlier redaction: it stays as it
	// is, and wins over what overlaps it as the value it stands for did.
	kept bool
}

// valueRef is a value learnt from a pattern match: how to name it and
// what found it first.
type valueRef struct {
	value      string
	kind       string
	format     *format
	identifier bool
	kept       bool
}

// session is the state of one redaction.
type session struct {
	opts Options
	// whole is the entire input when one call redacts all of it (not a
	// stream), so that a pseudonym the stem index cannot rule out can be
	// looked up exactly.
	whole string
	alloc *allocator
	stems stemIndex
	clone bool // values outlive the text they were found in (streams)
	// learnt secrets and identifiers, each in order of first
	// identification, and the finders of their other occurrences
	secrets, names learnt
	known          map[string]bool
	res            resolver
}

// learnt is a list of values to name and find again.
type learnt struct {
	order     []valueRef
	allocated int // how far allocation has got through order
	finder    finder
}

func newSession(opts Options) *session {
	s := &session{opts: opts, known: map[string]bool{}}
	s.stems.stems = stems
	s.alloc = newAllocator(s)
	return s
}

// resolver keeps the pattern matches of a pass that are not settled yet
// and the ones settled but not yet written.
type resolver struct {
	skipTo  []int
	memo    []int // per pattern, for its matcher (see hit.memo)
	pending []match
	lastEnd [2]int // end of the last kept match per tier (secret, identifier)
	// recent are the secrets settled lately, which an identifier settled
	// later may still overlap.
	recent  []match
	settled []match // settled matches not yet written (when writing)
	done    int     // absolute position written so far
}

func (r *resolver) reset() {
	*r = resolver{skipTo: make([]int, len(patterns)), memo: make([]int, len(patterns))}
}

// scan finds the pattern matches whose keyword starts in [from, to) of
// text, an excerpt starting at absolute position base; text[lo:hi] is
// available as context.
func (s *session) scan(text string, base, from, to, lo, hi int, startsText, endsText, recordStems bool) {
	st := scanState{
		auto: auto, opts: s.opts, text: text, base: base, lo: lo, hi: hi, clone: s.clone,
		startsText: startsText, endsText: endsText, skipTo: s.res.skipTo, memo: s.res.memo, found: s.res.pending,
	}
	if recordStems {
		st.stems = &s.stems
	}
	st.scan(from, to)
	s.res.pending = st.found
}

// settle decides the pattern matches that start before upTo: no match
// found later can start before it. A secret wins over any identifier and
// over later secrets it overlaps; an earlier, longer or higher-priority
// match wins a tie. An identifier is only settled once it ends by upTo,
// when every secret that could overlap it is known. Settled values are
// learnt when learn is set and kept for writing when keep is set.
func (s *session) settle(upTo int, learn, keep bool) {
	r := &s.res
	sort.Slice(r.pending, func(i, j int) bool {
		a, b := &r.pending[i], &r.pending[j]
		if a.start != b.start {
			return a.start < b.start
		}
		if a.end != b.end {
			return a.end > b.end
		}
		return a.priority < b.priority
	})
	rest := r.pending[:0:0]
	var now, names []match
	deferNames := false
	for _, m := range r.pending {
		switch {
		case m.start >= upTo || m.identifier && (deferNames || m.end > upTo):
			deferNames = deferNames || m.identifier
			rest = append(rest, m)
		case m.identifier:
			names = append(names, m)
		case m.start >= r.lastEnd[0]:
			r.recent = append(r.recent, m)
			r.lastEnd[0] = m.end
			now = append(now, m)
		}
	}
	for _, m := range names {
		if m.start >= r.lastEnd[1] && !overlapsAny(r.recent, m.start, m.end) {
			r.lastEnd[1] = m.end
			now = append(now, m)
		}
	}
	r.pending = rest
	// Identifiers still pending end after upTo and start at most maxAhead
	// before it, so older secrets cannot overlap them.
	drop := 0
	for drop < len(r.recent) && r.recent[drop].end <= upTo-2*maxAhead {
		drop++
	}
	r.recent = append(r.recent[:0], r.recent[drop:]...)
	sort.SliceStable(now, func(i, j int) bool { return now[i].start < now[j].start })
	for _, m := range now {
		if s.clone {
			m.value = strings.Clone(m.value)
		}
		if learn {
			s.learn(m)
		}
		if keep {
			r.settled = append(r.settled, m)
		}
	}
}

// learn records a settled match's value.
func (s *session) learn(m match) {
	if s.known[m.value] {
		return
	}
	s.known[m.value] = true
	l := &s.secrets
	if m.identifier {
		l = &s.names
	}
	l.order = append(l.order, valueRef{value: m.value, kind: m.kind, format: m.format, identifier: m.identifier, kept: m.kept})
}

// allocate names every value learnt since the last call, secrets before
// identifiers so that the pseudonyms of secrets do not depend on
// Options.Identifiers, and makes them findable elsewhere.
func (s *session) allocate() {
	for _, l := range []*learnt{&s.secrets, &s.names} {
		for ; l.allocated < len(l.order); l.allocated++ {
			v := &l.order[l.allocated]
			if v.kept {
				s.alloc.keep(v.value)
			} else {
				s.alloc.name(v.format, v.value)
			}
			l.finder.add(v.value, int32(l.allocated))
		}
	}
}

// overlapsAny reports whether [start, end) overlaps a match of ms, which
// are sorted by start and do not overlap each other.
func overlapsAny(ms []match, start, end int) bool {
	i := sort.Search(len(ms), func(i int) bool { return ms[i].end > start })
	return i < len(ms) && ms[i].start < end
}

// write emits text for the absolute range [r.done, upTo) with every
// settled match and every other occurrence of a known value replaced.
// text is an excerpt starting at absolute position base that holds at
// least maxAhead bytes beyond upTo unless it ends the input. A match
// other than a secret's pattern match that does not end by upTo is left
// for the next call, as a secret found later could still overlap it.
// emit receives the pieces; it returns where writing stopped.
func (s *session) write(text string, base, upTo int, emit func(piece string, m *match, pseudonym string)) {
	r := &s.res
	from, to := r.done-base, upTo-base
	for _, m := range r.pending {
		// An identifier not settled yet may start before upTo.
		to = min(to, max(from, m.start-base))
	}
	var secretsHere, namesHere []match
	for _, m := range r.settled {
		if m.identifier {
			namesHere = append(namesHere, m)
		} else {
			secretsHere = append(secretsHere, m)
		}
	}
	sort.Slice(namesHere, func(i, j int) bool { return namesHere[i].start < namesHere[j].start })
	all := secretsHere
	all = s.addOccurrences(all, &s.secrets, text, base, from, to)
	all = s.addNames(all, namesHere)
	all = s.addOccurrences(all, &s.names, text, base, from, to)
	pos := from
	var keep []match
	for i, m := range all {
		start, end := m.start-base, m.end-base
		if start >= to {
			keep = append(keep, all[i:]...)
			break
		}
		if end > to && (m.elsewhere || m.identifier) {
			// Decided with the next chunk, when what follows is known.
			to = start
			for _, k := range all[i:] {
				if !k.elsewhere {
					keep = append(keep, k)
				}
			}
			break
		}
		emit(text[pos:start], nil, "")
		if m.kept {
			emit(text[start:end], nil, "")
		} else {
			emit(text[start:end], &all[i], s.alloc.given[m.value])
		}
		pos = end
	}
	if pos < to {
		emit(text[pos:to], nil, "")
		pos = to
	}
	r.done = base + pos
	settled := keep[:0]
	for _, m := range keep {
		if !m.elsewhere {
			settled = append(settled, m)
		}
	}
	r.settled = settled
}

// addOccurrences adds to ms (sorted, not overlapping) the occurrences of
// l's values that start in [from, to) of text and overlap none of ms.
func (s *session) addOccurrences(ms []match, l *learnt, text string, base, from, to int) []match {
	if l.finder.empty() {
		return ms
	}
	var found []match
	l.finder.find(text, from, to, func(start, end int, ref int32) {
		abs := base + start
		if overlapsAny(ms, abs, base+end) || len(found) > 0 && found[len(found)-1].end > abs {
			return
		}
		v := &l.order[ref]
		found = append(found, match{start: abs, end: base + end, value: v.value, kind: v.kind, format: v.format,
			identifier: v.identifier, elsewhere: true, kept: v.kept})
	})
	return mergeSorted(ms, found)
}

// addNames adds the identifier pattern matches that overlap none of ms.
func (s *session) addNames(ms, names []match) []match {
	var kept []match
	for _, m := range names {
		if !overlapsAny(ms, m.start, m.end) {
			kept = append(kept, m)
		}
	}
	return mergeSorted(ms, kept)
}

// mergeSorted merges two slices of matches sorted by start.
func mergeSorted(a, b []match) []match {
	if len(b) == 0 {
		return a
	}
	out := make([]match, 0, len(a)+len(b))
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		if a[i].start <= b[j].start {
			out = append(out, a[i])
			i++
		} else {
			out = append(out, b[j])
			j++
		}
	}
	out = append(out, a[i:]...)
	return append(out, b[j:]...)
}
