package core

import (
	"strings"
	"testing"
)

// sizedInput repeats a realistic mixed paste to about n bytes.
func sizedInput(b *testing.B, n int) string {
	var seeds []string
	for _, seed := range corpusSeeds(b) {
		if checkInput(seed) == "" {
			seeds = append(seeds, seed)
		}
	}
	var s strings.Builder
	for i := 0; s.Len() < n; i++ {
		seed := seeds[i%len(seeds)]
		if s.Len()+len(seed) > n && s.Len() > 0 {
			break
		}
		s.WriteString(seed)
		s.WriteString("\n---\n")
	}
	return s.String()
}

func BenchmarkAnalyze(b *testing.B) {
	for _, size := range []struct {
		name string
		n    int
	}{{"1KB", 1 << 10}, {"10KB", 10 << 10}, {"100KB", 100 << 10}, {"1MB", 1 << 20}} {
		input := sizedInput(b, size.n)
		b.Run(size.name, func(b *testing.B) {
			b.SetBytes(int64(len(input)))
			for b.Loop() {
				Analyze(input, Options{})
			}
		})
	}
}
