package core

import (
	"runtime"
	"strings"
	"sync"
	"testing"
)

// work is what an analysis allocated per byte of its input: how many
// objects, and how many bytes.
type work struct{ objects, bytes float64 }

func workPerByte(input string) work {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	Analyze(input, Options{})
	runtime.ReadMemStats(&after)
	n := float64(len(input))
	return work{float64(after.Mallocs-before.Mallocs) / n, float64(after.TotalAlloc-before.TotalAlloc) / n}
}

// TestLinearGrowth guards against quadratic paths by counting work, not
// time: the allocations per input byte of a realistic 64 KB paste
// repeated twice (128 KB) and sixteen times (1 MB) must stay flat. A path
// that does work for each pair of documents, findings or fixes makes them
// grow with the input: matching each denial against each mapping
// compiled a regexp per pair (objects ×1.2 here), and splicing the whole
// text once per fix copied it once per fix (bytes ×8).
func TestLinearGrowth(t *testing.T) {
	corpus := realWorld(t)
	Analyze(corpus.Paste(10<<10, 0), Options{}) // what is built once per program
	unit := corpus.Paste(64<<10, 0)
	small, large := workPerByte(strings.Repeat(unit, 2)), workPerByte(strings.Repeat(unit, 16))
	t.Logf("per byte: %.3f objects and %.1f bytes at %d bytes; %.3f and %.1f at %d bytes",
		small.objects, small.bytes, 2*len(unit), large.objects, large.bytes, 16*len(unit))
	if large.objects > 1.1*small.objects || large.bytes > 1.15*small.bytes {
		t.Errorf("allocations per byte grow with the input: %.3f objects and %.1f bytes per byte at %d bytes, %.3f and %.1f at %d bytes",
			small.objects, small.bytes, 2*len(unit), large.objects, large.bytes, 16*len(unit))
	}
}

// TestConcurrentAnalyses runs analyses at once, as a Go program may: what
// is computed once and shared between them (the default RBAC policy, the
// aggregation of its ClusterRoles, compiled templates) must be read-only,
// so each report equals the one of a lone analysis. Run it with -race.
func TestConcurrentAnalyses(t *testing.T) {
	inputs := realWorld(t).Typical()[:12]
	want := make([]string, len(inputs))
	for i, in := range inputs {
		want[i] = string(reportJSON(t, Analyze(in, Options{})))
	}
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for i, in := range inputs {
				if got := string(reportJSON(t, Analyze(in, Options{}))); got != want[i] {
					t.Errorf("input %d: a concurrent analysis differs from a lone one", i)
				}
			}
		})
	}
	wg.Wait()
}
