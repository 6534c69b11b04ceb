//go:build !js

package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/eksdoctor/eksdoctor/internal/pastes"
	"github.com/eksdoctor/eksdoctor/internal/webserve"
)

// The benchmarks here measure the built site (dist/) in headless
// Chromium: the start-up of the WebAssembly module and its first
// analysis, cold, and analyses through the JavaScript API with the
// linear memory they leave. They run the module on the main thread of a
// harness page (testdata/bench), where its memory can be read; the page
// itself runs it in a worker.

// harness serves dist/ at / and the harness page at /bench/, with the
// benchmark inputs at /bench/input/NAME.
func harness(b *testing.B) (url string, inputs map[string]string) {
	b.Helper()
	if wasm, _ := filepath.Glob(filepath.Join(dist, "*.wasm")); len(wasm) != 1 {
		b.Fatalf("dist/ holds no built site: run `make dist` first")
	}
	corpus, err := pastes.Load("../../testdata/realworld")
	if err != nil {
		b.Fatal(err)
	}
	typical := corpus.Typical()
	inputs = map[string]string{"first": typical[3]}
	for i, text := range typical {
		inputs[fmt.Sprintf("typical-%d", i)] = text
	}
	for _, size := range pastes.Sizes {
		inputs[size.Name] = corpus.Paste(size.Bytes, 0)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/bench/input/{name}", func(w http.ResponseWriter, r *http.Request) {
		text, ok := inputs[r.PathValue("name")]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Write([]byte(text))
	})
	mux.Handle("/bench/", http.StripPrefix("/bench/", webserve.Handler(os.DirFS("testdata/bench"))))
	mux.Handle("/", webserve.Handler(os.DirFS(dist)))
	srv := httptest.NewServer(mux)
	b.Cleanup(srv.Close)
	return srv.URL + "/bench/", inputs
}

// startBrowser starts headless Chromium for the rest of a benchmark.
func startBrowser(b *testing.B) context.Context {
	b.Helper()
	ctx, cancel := newBrowserContext(b)
	b.Cleanup(cancel)
	return ctx
}

// newBrowserContext starts headless Chromium, with a new profile, and
// returns the context of its tab and the function that ends it.
func newBrowserContext(b *testing.B) (context.Context, context.CancelFunc) {
	b.Helper()
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), chromedp.DefaultExecAllocatorOptions[:]...)
	ctx, cancelTab := chromedp.NewContext(actx)
	cancel := func() { cancelTab(); cancelAlloc() }
	if err := chromedp.Run(ctx); err != nil {
		cancel()
		b.Fatalf("starting Chromium: %v", err)
	}
	return ctx, cancel
}

// evaluate runs the JavaScript expression, awaiting the promise it gives,
// in the tab of ctx and decodes its value into out.
func evaluate(ctx context.Context, expr string, out any) error {
	var raw json.RawMessage
	if err := chromedp.Run(ctx, chromedp.Evaluate(expr, &raw, awaitPromise)); err != nil {
		return err
	}
	return json.Unmarshal(raw, out)
}

// BenchmarkStartup loads the harness in a new browser each time, so that
// no cache holds the module or its compiled code, and reports the medians
// of: fetching, compiling and instantiating the module; running it until
// the API is there; and the first analysis of a 10 KB paste. ns/op is the
// median of their sum.
func BenchmarkStartup(b *testing.B) {
	url, _ := harness(b)
	var instantiate, init, first, total []float64
	for b.Loop() {
		b.StopTimer()
		ctx, cancel := newBrowserContext(b)
		var got struct{ InstantiateMs, InitMs, FirstAnalyzeMs float64 }
		err := chromedp.Run(ctx, chromedp.Navigate(url))
		if err == nil {
			err = evaluate(ctx, "window.started", &got)
		}
		cancel()
		b.StartTimer()
		if err != nil {
			b.Fatal(err)
		}
		instantiate = append(instantiate, got.InstantiateMs)
		init = append(init, got.InitMs)
		first = append(first, got.FirstAnalyzeMs)
		total = append(total, got.InstantiateMs+got.InitMs+got.FirstAnalyzeMs)
	}
	b.ReportMetric(median(instantiate), "instantiate-ms")
	b.ReportMetric(median(init), "init-ms")
	b.ReportMetric(median(first), "first-analyze-ms")
	b.ReportMetric(median(total)*1e6, "ns/op")
}

// BenchmarkAnalyzeInPage calls eksdoctor.analyze from JavaScript, as the
// worker does, with the strings crossing the boundary and the report
// decoded: typical pastes (one op is a round over all of them; it reports
// the median and 99th percentile of single calls), and each size class.
// It reports the linear memory after the op.
func BenchmarkAnalyzeInPage(b *testing.B) {
	url, inputs := harness(b)
	ctx := startBrowser(b)
	if err := chromedp.Run(ctx, chromedp.Navigate(url)); err != nil {
		b.Fatal(err)
	}
	var started struct{}
	if err := evaluate(ctx, "window.started", &started); err != nil {
		b.Fatal(err)
	}
	var typical []string
	for name := range inputs {
		if strings.HasPrefix(name, "typical-") {
			typical = append(typical, name)
		}
	}
	slices.Sort(typical)
	run := func(b *testing.B, names []string, bytes int) {
		var times []float64
		var memory int
		for b.Loop() {
			var got struct {
				Times       []float64
				MemoryBytes int
			}
			list, _ := json.Marshal(names)
			if err := evaluate(ctx, fmt.Sprintf("window.analyzeAll(%s, 1)", list), &got); err != nil {
				b.Fatal(err)
			}
			times, memory = append(times, got.Times...), got.MemoryBytes
		}
		b.SetBytes(int64(bytes))
		b.ReportMetric(sum(times)/float64(b.N)*1e6, "ns/op")
		b.ReportMetric(float64(memory)/(1<<20), "linear-MiB")
		if len(names) > 1 {
			slices.Sort(times)
			b.ReportMetric(median(times), "p50-ms")
			b.ReportMetric(times[len(times)*99/100], "p99-ms")
		}
	}
	b.Run("typical", func(b *testing.B) { run(b, typical, 0) })
	for _, size := range pastes.Sizes {
		b.Run(size.Name, func(b *testing.B) { run(b, []string{size.Name}, len(inputs[size.Name])) })
	}
}

func median(xs []float64) float64 {
	s := slices.Sorted(slices.Values(xs))
	return s[len(s)/2]
}

func sum(xs []float64) float64 {
	total := 0.0
	for _, x := range xs {
		total += x
	}
	return total
}
