package core

import (
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/eksdoctor/eksdoctor/internal/pastes"
)

// realWorld reads the corpus the benchmark pastes are made of.
func realWorld(tb testing.TB) pastes.Corpus {
	c, err := pastes.Load("../testdata/realworld")
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

// warmUp analyses the typical pastes pastes.WarmUpRounds times.
func warmUp(typical []string) {
	for range pastes.WarmUpRounds {
		for _, text := range typical {
			Analyze(text, Options{})
		}
	}
}

// BenchmarkAnalyze measures Analyze on a realistic paste of each size
// class, after a warm-up and one analysis of that paste, and reports the
// memory the Go heap took from the system by then (it only grows, so after
// the 5 MB class it is the peak).
func BenchmarkAnalyze(b *testing.B) {
	corpus := realWorld(b)
	warmUp(corpus.Typical())
	for _, size := range pastes.Sizes {
		input := corpus.Paste(size.Bytes, 0)
		if msg := checkInput(input); msg != "" {
			b.Fatalf("%s input: %s", size.Name, msg)
		}
		b.Run(size.Name, func(b *testing.B) {
			b.SetBytes(int64(len(input)))
			Analyze(input, Options{})
			for b.Loop() {
				Analyze(input, Options{})
			}
			var m runtime.MemStats
			runtime.ReadMemStats(&m)
			b.ReportMetric(float64(m.HeapSys)/(1<<20), "heap-MiB")
		})
	}
}

// BenchmarkAnalyzeTypical measures Analyze over a spread of realistic
// pastes of 1 to 20 KB, after a warm-up, and reports the median and the
// 99th percentile of single calls, which the budget is about.
func BenchmarkAnalyzeTypical(b *testing.B) {
	inputs := realWorld(b).Typical()
	warmUp(inputs)
	var took []time.Duration
	for i := 0; b.Loop(); i++ {
		start := time.Now()
		Analyze(inputs[i%len(inputs)], Options{})
		took = append(took, time.Since(start))
	}
	slices.Sort(took)
	b.ReportMetric(float64(took[len(took)/2].Microseconds())/1e3, "p50-ms")
	b.ReportMetric(float64(took[len(took)*99/100].Microseconds())/1e3, "p99-ms")
}
