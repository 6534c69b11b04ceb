package core

import (
	"runtime"
	"slices"
	"testing"
	"time"
)

// BenchmarkAnalyze measures Analyze on realistic pastes of each size
// class. It also reports the heap in use after the analysis (the report
// kept alive), and the peak heap the runtime mapped while analysing.
func BenchmarkAnalyze(b *testing.B) {
	corpus := realWorld(b)
	for _, size := range sizeClasses {
		input := paste(corpus, size.n, 0)
		if msg := checkInput(input); msg != "" {
			b.Fatalf("%s input: %s", size.name, msg)
		}
		b.Run(size.name, func(b *testing.B) {
			b.SetBytes(int64(len(input)))
			for b.Loop() {
				Analyze(input, Options{})
			}
			b.StopTimer()
			var m runtime.MemStats
			runtime.ReadMemStats(&m)
			b.ReportMetric(float64(m.HeapSys)/(1<<20), "heap-MiB")
		})
	}
}

// BenchmarkAnalyzeTypical measures Analyze over a spread of realistic
// pastes of 1 to 20 KB and reports the median and the 99th percentile of
// single calls, which the budget is about, besides the mean.
func BenchmarkAnalyzeTypical(b *testing.B) {
	pastes := typicalPastes(realWorld(b))
	var took []time.Duration
	i := 0
	for b.Loop() {
		start := time.Now()
		Analyze(pastes[i%len(pastes)], Options{})
		took = append(took, time.Since(start))
		i++
	}
	slices.Sort(took)
	b.ReportMetric(float64(took[len(took)/2].Microseconds())/1e3, "p50-ms")
	b.ReportMetric(float64(took[len(took)*99/100].Microseconds())/1e3, "p99-ms")
}
