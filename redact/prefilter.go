package redact

// quadFilter picks the positions of a text where one of a set of strings
// may start, from the four bytes there, with two table look-ups: the
// first two bytes select a set of bits in first, the next two a set in
// second, and the position passes when they share one. Each string sets
// one bit, chosen by a hash, in both tables. Strings shorter than four
// bytes (and strings that only their first bytes tell apart) use
// anyBit, which every entry of second holds. Tables keep only the low
// seven bits of a byte, so both fit a processor's first-level cache; a
// byte beyond ASCII looks like an ASCII one, which only lets more
// positions pass: callers check what they find.
//
// Passing over text without a candidate costs one branch per four bytes.
// This loop is most of the time a redaction takes.
type quadFilter struct {
	first, second pairMasks
}

type pairMasks [1 << 14]uint8

const anyBit = 0x80

func pairIndex(b0, b1 byte) uint16 { return uint16(b0&0x7f)<<7 | uint16(b1&0x7f) }

func newQuadFilter() *quadFilter {
	q := &quadFilter{}
	for i := range q.second {
		q.second[i] = anyBit
	}
	return q
}

// add enters the strings whose bytes are, one by one, in b0 to b3; nil
// for b2 and b3 means any byte. id picks the bit.
func (q *quadFilter) add(b0, b1, b2, b3 []byte, id uint64) {
	bit := uint8(anyBit)
	if b2 != nil {
		bit = 1 << ((id * 0x9E3779B97F4A7C15 >> 32) % 7)
		for _, x2 := range b2 {
			for _, x3 := range orAll(b3) {
				q.second[pairIndex(x2, x3)] |= bit
			}
		}
	}
	for _, x0 := range b0 {
		for _, x1 := range b1 {
			q.first[pairIndex(x0, x1)] |= bit
		}
	}
}

// allBytes lists every byte value.
var allBytes = func() []byte {
	b := make([]byte, 256)
	for i := range b {
		b[i] = byte(i)
	}
	return b
}()

func orAll(b []byte) []byte {
	if b == nil {
		return allBytes
	}
	return b
}

// each calls fn with every position in [from, to) of s that passes, in
// order. Bytes past the end of s read as zero.
func (q *quadFilter) each(s string, from, to int, fn func(i int)) {
	to = min(to, len(s))
	i := from
	for ; i+4 <= to && i+7 <= len(s); i += 4 {
		t := s[i : i+7]
		c0, c1, c2, c3, c4, c5, c6 := t[0], t[1], t[2], t[3], t[4], t[5], t[6]
		m0 := q.first[pairIndex(c0, c1)] & q.second[pairIndex(c2, c3)]
		m1 := q.first[pairIndex(c1, c2)] & q.second[pairIndex(c3, c4)]
		m2 := q.first[pairIndex(c2, c3)] & q.second[pairIndex(c4, c5)]
		m3 := q.first[pairIndex(c3, c4)] & q.second[pairIndex(c5, c6)]
		if m0|m1|m2|m3 == 0 {
			continue
		}
		if m0 != 0 {
			fn(i)
		}
		if m1 != 0 {
			fn(i + 1)
		}
		if m2 != 0 {
			fn(i + 2)
		}
		if m3 != 0 {
			fn(i + 3)
		}
	}
	at := func(j int) byte {
		if j < len(s) {
			return s[j]
		}
		return 0
	}
	for ; i < to; i++ {
		if q.first[pairIndex(at(i), at(i+1))]&q.second[pairIndex(at(i+2), at(i+3))] != 0 {
			fn(i)
		}
	}
}
