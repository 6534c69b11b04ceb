package redact

// finder finds every occurrence of a set of strings in one pass: it looks
// up the eight bytes at each position where a value may start (where a
// word starts, or after a URL escape) in a hash map, behind a bit filter
// that rejects most positions in one step. The positions to look at are
// those where the first four bytes of a value, or a URL escape, may
// start (see quadFilter). The cost is one pass whatever the number of
// values, so redacting every other occurrence of what the patterns found
// is linear in the text.
type finder struct {
	first  class
	starts *quadFilter
	filter []uint64 // 1<<filterBits bits over hashed keys
	index  map[uint64][]int32
	values []string
	refs   []int32
}

const (
	// minFindable is the length a value needs to be looked for elsewhere:
	// shorter ones would match ordinary words.
	minFindable = 8
	filterBits  = 16
)

// add makes v findable; ref comes back with each occurrence.
func (f *finder) add(v string, ref int32) {
	if len(v) < minFindable {
		return
	}
	if f.index == nil {
		f.index = map[uint64][]int32{}
		f.filter = make([]uint64, 1<<filterBits/64)
		f.starts = newQuadFilter()
		var hex []byte
		for c := 0; c < 256; c++ {
			if hexDigits[c] {
				hex = append(hex, byte(c))
			}
		}
		f.starts.add([]byte{'%'}, hex, nil, nil, 0)
	}
	k := key8(v, 0)
	for _, id := range f.index[k] {
		if f.values[id] == v {
			return
		}
	}
	f.first[v[0]] = true
	f.starts.add([]byte{v[0]}, []byte{v[1]}, []byte{v[2]}, []byte{v[3]}, k)
	h := filterHash(k)
	f.filter[h/64] |= 1 << (h % 64)
	f.index[k] = append(f.index[k], int32(len(f.values)))
	f.values = append(f.values, v)
	f.refs = append(f.refs, ref)
}

func (f *finder) empty() bool { return len(f.values) == 0 }

// find calls fn for each occurrence of a value that starts in
// [from, to) of text and stands on its own (see atBoundary), from left to
// right, without overlaps; where several values start at the same place
// the longest wins.
func (f *finder) find(text string, from, to int, fn func(start, end int, ref int32)) {
	if f.empty() {
		return
	}
	to = min(to, len(text)-minFindable+1)
	next := from // where the next occurrence may start
	try := func(i int) {
		if i >= next && i < to && (i == 0 || !wordBefore(text, i)) {
			if end := f.at(text, i, fn); end > i {
				next = end
			}
		}
	}
	f.starts.each(text, from, to, func(j int) {
		try(j)
		if text[j] == '%' && j+3 < len(text) && hexDigits[text[j+1]] && hexDigits[text[j+2]] && f.first[text[j+3]] {
			try(j + 3)
		}
	})
}

// at looks for a value that starts at text[i]; it returns where the one
// found ends, or i.
func (f *finder) at(text string, i int, fn func(start, end int, ref int32)) int {
	k := key8(text, i)
	if h := filterHash(k); f.filter[h/64]&(1<<(h%64)) == 0 {
		return i
	}
	best := -1
	for _, id := range f.index[k] {
		v := f.values[id]
		end := i + len(v)
		if end <= len(text) && (best < 0 || len(v) > len(f.values[best])) &&
			text[i:end] == v && !wordAfter(text, end) {
			best = int(id)
		}
	}
	if best < 0 {
		return i
	}
	end := i + len(f.values[best])
	fn(i, end, f.refs[best])
	return end
}

// key8 reads the eight bytes at s[i:] as a number.
func key8(s string, i int) uint64 {
	s = s[i : i+8]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

func filterHash(k uint64) uint64 { return (k * 0x9E3779B97F4A7C15) >> (64 - filterBits) }
