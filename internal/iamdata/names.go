package iamdata

import (
	"strings"
	"sync"
)

// A service's action names are written in the table as runs of word
// codes, each name ending in endName: a code below twoByteCodes is the
// index of a word in words; a code c from twoByteCodes on is followed by
// a byte b, and the two stand for the index twoByteCodes + (c-twoByteCodes)<<8 + b.

var (
	wordsOnce sync.Once
	wordList  []string // words, split on first use
)

// decodedNames holds each service's action names once decoded.
var decodedNames [len(services)]struct {
	once  sync.Once
	names []string
}

// actionNames are the action names of services[svc], sorted by lower case.
func actionNames(svc int) []string {
	d := &decodedNames[svc]
	d.once.Do(func() { d.names = decodeNames(services[svc].actions) })
	return d.names
}

func decodeNames(codes string) []string {
	wordsOnce.Do(func() { wordList = strings.Split(words, " ") })
	var names []string
	var name strings.Builder
	for i := 0; i < len(codes); i++ {
		switch c := int(codes[i]); {
		case c == endName:
			names = append(names, name.String())
			name.Reset()
		case c >= twoByteCodes:
			i++
			name.WriteString(wordList[twoByteCodes+(c-twoByteCodes)<<8+int(codes[i])])
		default:
			name.WriteString(wordList[c])
		}
	}
	return names
}

// compareFold compares a and b as strings.Compare does their lower-case
// forms, for the ASCII names of the table.
func compareFold(a, b string) int {
	for i := 0; i < len(a) && i < len(b); i++ {
		if ca, cb := lower(a[i]), lower(b[i]); ca != cb {
			return int(ca) - int(cb)
		}
	}
	return len(a) - len(b)
}

func lower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}
