package redact

import "strings"

// stems are fixed strings that every pseudonym contains (but those of
// formats whose pattern consumes every token of their shape, see
// format.stemless). The keyword pass records where each stem already
// occurs in the input, with a little text around it, so that checking
// whether a candidate pseudonym occurs in the input costs a look at those
// few places rather than a search of the whole text.
var stems = []string{
	"REDACTED", "redacted", // textual secrets, e-mail addresses, names
	"DEFACED", "defaced", // hexadecimal values
	"100000",                        // account ids and other numbers
	"10.254.", "198.18.", "198.19.", // IPv4 addresses
	"2001:db8:ffff::",         // IPv6 addresses
	"ip-10-254-", "ec2-198-1", // EC2 host names
	"1000-0000-", // account ids written with dashes
}

const (
	stemBefore = 24  // bytes kept before a stem occurrence
	stemAfter  = 160 // bytes kept from a stem occurrence on
	// maxStemBytes caps what the recorded occurrences may hold; past it,
	// further occurrences are not recorded (see stemIndex.full).
	maxStemBytes = 64 << 20
)

// stemIndex is where the stems occur in the input.
type stemIndex struct {
	stems []string
	occ   [][]stemOccurrence
	bytes int
	// full is set once the cap was reached.
	full bool
}

// stemOccurrence is the text around one occurrence of a stem.
type stemOccurrence struct {
	before, after string
	// startsText and endsText say whether before and after reach the
	// start and the end of the input.
	startsText, endsText bool
}

// record notes the stem at s[i:]; s[lo:hi] is the text available, which
// is the start (the end) of the input when startsText (endsText).
func (x *stemIndex) record(s string, i, stem, lo, hi int, startsText, endsText, clone bool) {
	if x.occ == nil {
		x.occ = make([][]stemOccurrence, len(x.stems))
	}
	if x.bytes > maxStemBytes {
		x.full = true
		return
	}
	b, a := max(lo, i-stemBefore), min(hi, i+stemAfter)
	o := stemOccurrence{before: s[b:i], after: s[i:a], startsText: startsText && b == lo, endsText: endsText && a == hi}
	if clone {
		o.before, o.after = strings.Clone(o.before), strings.Clone(o.after)
	}
	x.occ[stem] = append(x.occ[stem], o)
	x.bytes += a - b
}

// occurs reports whether p may occur in the input as a value of its own
// (see atBoundary): it compares p with the recorded text around the
// occurrences of the first stem p contains. Where the recorded text is
// too short to decide, it says yes, which only costs a pseudonym. ok is
// false when p contains no stem.
func (x *stemIndex) occurs(p string) (found, ok bool) {
	for si, stem := range x.stems {
		k := strings.Index(p, stem)
		if k < 0 {
			continue
		}
		if x.occ == nil {
			return false, true
		}
		for _, o := range x.occ[si] {
			if o.matches(p, k) {
				return true, true
			}
		}
		return false, true
	}
	return false, false
}

// matches reports whether p, whose stem is at p[k:], may stand at this
// occurrence.
func (o *stemOccurrence) matches(p string, k int) bool {
	head, tail := p[:k], p[k:]
	if len(head) > len(o.before) {
		if o.startsText || !strings.HasSuffix(head, o.before) {
			return false
		}
	} else {
		if !strings.HasSuffix(o.before, head) {
			return false
		}
		if j := len(o.before) - len(head); wordBefore(o.before, j) {
			return false
		}
	}
	if len(tail) > len(o.after) {
		return !o.endsText && strings.HasPrefix(tail, o.after)
	}
	if !strings.HasPrefix(o.after, tail) {
		return false
	}
	return !(len(tail) < len(o.after) && alnum[o.after[len(tail)]])
}
