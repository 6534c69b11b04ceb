package redact

import (
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// benchSize is the size of the benchmark corpus.
const benchSize = 10 << 20

var benchText string

// benchCorpus builds a 10 MB mixed corpus, the same on every run: the
// labelled secrets corpus, the classification corpus, the real-world
// corpus and the inputs of the rule cases, repeated in a fixed order. In
// each repetition the digits of every labelled secret shift, so that the
// corpus holds many distinct secrets rather than the same few again.
func benchCorpus(b *testing.B) string {
	if benchText != "" {
		return benchText
	}
	var texts []string
	var secrets []string
	for _, c := range loadCorpus(b) {
		texts = append(texts, c.input)
		for _, l := range c.secrets {
			secrets = append(secrets, l.value)
		}
	}
	var files []string
	err := filepath.WalkDir("../testdata", func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && !strings.Contains(path, "testdata/secrets") && !strings.HasSuffix(path, ".md") {
			files = append(files, path)
		}
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	sort.Strings(files)
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		texts = append(texts, string(data))
	}
	sort.Slice(secrets, func(i, j int) bool { return len(secrets[i]) > len(secrets[j]) })
	var out strings.Builder
	for round := 0; out.Len() < benchSize; round++ {
		var pairs []string
		for _, s := range secrets {
			pairs = append(pairs, s, shiftDigits(s, round))
		}
		r := strings.NewReplacer(pairs...)
		for _, t := range texts {
			out.WriteString(r.Replace(t))
			out.WriteString("\n\n")
		}
	}
	benchText = out.String()[:benchSize]
	return benchText
}

// shiftDigits adds n to every digit of s, modulo 10.
func shiftDigits(s string, n int) string {
	b := []byte(s)
	for i, c := range b {
		if '0' <= c && c <= '9' {
			b[i] = '0' + byte((int(c-'0')+n)%10)
		}
	}
	return string(b)
}

func BenchmarkRedact(b *testing.B) {
	text := benchCorpus(b)
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		Redact(text, Options{})
	}
}

func BenchmarkRedactStream(b *testing.B) {
	text := benchCorpus(b)
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := RedactReader(strings.NewReader(text), io.Discard, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
