package main

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strings"
	"unicode"
)

// Action names are written as runs of word codes: the words of all names
// (Describe, Cluster, ...) are listed once, most used first, so that most
// codes are one byte. A third less to download than the names as text,
// once compressed. internal/iamdata decodes them.
const (
	endName      = 0xff // ends each name
	twoByteCodes = 0xf0 // a code from here on is followed by a second byte
)

// wordCodes numbers the words of action names, most used first.
type wordCodes struct {
	list  []string
	index map[string]int
}

func newWordCodes(names []string) *wordCodes {
	count := map[string]int{}
	for _, n := range names {
		for _, w := range splitWords(n) {
			count[w]++
		}
	}
	list := slices.SortedFunc(maps.Keys(count), func(a, b string) int {
		return cmp.Or(count[b]-count[a], strings.Compare(a, b))
	})
	w := &wordCodes{list: list, index: map[string]int{}}
	for i, word := range list {
		w.index[word] = i
	}
	return w
}

// splitWords cuts a name before each capital that follows a small letter
// or digit or that ends a run of capitals: ACMCertificate is ACM,
// Certificate; ListV2Things is List, V2, Things.
func splitWords(name string) []string {
	upper := func(i int) bool { return i < len(name) && unicode.IsUpper(rune(name[i])) }
	lower := func(i int) bool { return i < len(name) && unicode.IsLower(rune(name[i])) }
	var words []string
	start := 0
	for i := 1; i < len(name); i++ {
		if upper(i) && (!upper(i-1) || lower(i+1)) {
			words = append(words, name[start:i])
			start = i
		}
	}
	return append(words, name[start:])
}

// encode writes names as word codes: word i is the byte i when i is below
// twoByteCodes, else the bytes twoByteCodes + j>>8 and j&0xff, where j is
// i - twoByteCodes. Each name ends with endName.
func (w *wordCodes) encode(names []string) (string, error) {
	var b strings.Builder
	for _, n := range names {
		for _, word := range splitWords(n) {
			i := w.index[word]
			if i < twoByteCodes {
				b.WriteByte(byte(i))
				continue
			}
			j := i - twoByteCodes
			if twoByteCodes+j>>8 >= endName {
				return "", fmt.Errorf("%d words are more than two bytes can code", len(w.list))
			}
			b.WriteByte(byte(twoByteCodes + j>>8))
			b.WriteByte(byte(j))
		}
		b.WriteByte(endName)
	}
	return b.String(), nil
}
