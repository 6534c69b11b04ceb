//go:build !js

package e2e

import (
	"bytes"
	"compress/flate"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/eksdoctor/eksdoctor/internal/pastes"
	"github.com/eksdoctor/eksdoctor/internal/webserve"
)

// The benchmarks here measure the built site (dist/) in headless
// Chromium, each cold run in a browser of its own, so that no cache holds
// the module or its compiled code: the time from navigation to the first
// result on the real page; the start-up of the WebAssembly module and its
// first analysis; analyses through the JavaScript API with the linear
// memory they leave. The last two run the module on the main thread of a
// harness page (testdata/bench), where its memory can be read; the page
// runs it in a worker. The first paste after start-up, and analyses as a
// page that embeds eksdoctor sees them, go through eksdoctor.js and its
// worker (testdata/bench/paste.html).

// benchSite serves dist/ at /, and the harness page at /bench/ with the
// site's module and wasm_exec.js under fixed names and the benchmark
// inputs at /bench/input/NAME.
type benchSite struct {
	url    string
	inputs map[string]string
}

func newBenchSite(b testing.TB) *benchSite {
	b.Helper()
	m := readMeta(b)
	corpus, err := pastes.Load("../../../testdata/realworld")
	if err != nil {
		b.Fatal(err)
	}
	s := &benchSite{inputs: map[string]string{}}
	for i, text := range corpus.Typical() {
		s.inputs[fmt.Sprintf("typical-%02d", i)] = text
	}
	s.inputs["first"] = s.inputs["typical-03"] // 10 KB, with Terraform
	light := corpus.Without("terraform")
	s.inputs["first-light"] = light.Paste(10<<10, 3)
	for i, text := range light.Typical() {
		s.inputs[fmt.Sprintf("light-%02d", i)] = text
	}
	for _, size := range pastes.Sizes {
		s.inputs[size.Name] = corpus.Paste(size.Bytes, 0)
	}
	site := webserve.Handler(os.DirFS(dist))
	mux := http.NewServeMux()
	mux.HandleFunc("/bench/input/{name}", func(w http.ResponseWriter, r *http.Request) {
		text, ok := s.inputs[r.PathValue("name")]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Write([]byte(text))
	})
	// The harness runs the full module: the pastes mix in Terraform, which
	// the page's worker hands to it (site/worker.js).
	exec := slices.IndexFunc(m.FirstVisit, func(f string) bool { return strings.HasPrefix(f, "wasm_exec.") })
	if exec < 0 {
		b.Fatalf("%s lists no wasm_exec.js", meta)
	}
	for fixed, name := range map[string]string{"eksdoctor.wasm": m.WasmFull, "wasm_exec.js": m.FirstVisit[exec]} {
		mux.HandleFunc("/bench/"+fixed, func(w http.ResponseWriter, r *http.Request) {
			r.URL.Path = "/" + name
			site.ServeHTTP(w, r)
		})
	}
	mux.Handle("/bench/", http.StripPrefix("/bench/", webserve.Handler(os.DirFS("testdata/bench"))))
	mux.Handle("/", site)
	srv := httptest.NewServer(mux)
	b.Cleanup(srv.Close)
	s.url = srv.URL
	return s
}

// coldRun starts a browser of its own, runs fn in its tab (outside the
// benchmark's timer) and closes it.
func coldRun(b *testing.B, fn func(ctx context.Context) error) {
	b.StopTimer()
	defer b.StartTimer()
	ctx := newBrowser(b, 2*time.Minute)
	defer chromedp.Cancel(ctx)
	if err := chromedp.Run(ctx, page.BringToFront()); err != nil {
		b.Fatal(err)
	}
	if err := fn(ctx); err != nil {
		b.Fatal(err)
	}
}

// coldPage opens url in a browser of its own (coldRun) and decodes into
// out the value of the JavaScript expression, a promise, once resolved.
func coldPage(b *testing.B, url, expr string, out any) {
	coldRun(b, func(ctx context.Context) error {
		if err := chromedp.Run(ctx, chromedp.Navigate(url)); err != nil {
			return err
		}
		return evaluate(ctx, expr, out)
	})
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

// firstResult resolves, on the page, to the time since navigation at the
// frame after the first result was rendered: the results panel counts its
// renders and is no longer busy.
const firstResult = `window.firstResult = new Promise((resolve) => {
  new MutationObserver((_, observer) => {
    const r = document.getElementById("results");
    if (r && Number(r.dataset.renders || 0) > 0 && r.getAttribute("aria-busy") === "false") {
      observer.disconnect();
      requestAnimationFrame(() => resolve(performance.now()));
    }
  }).observe(document, { subtree: true, attributes: true, attributeFilter: ["data-renders", "aria-busy"] });
});`

// shareLink is the link the page's Share button makes for text.
func shareLink(origin, text string) string {
	var packed bytes.Buffer
	w, _ := flate.NewWriter(&packed, flate.BestCompression) // the level is valid
	w.Write([]byte(text))
	w.Close()
	return origin + "/#z=" + base64.RawURLEncoding.EncodeToString(packed.Bytes())
}

// BenchmarkFirstResult opens a share link of a 10 KB paste on the real
// page, cold, and reports the median time from navigation to the first
// result on screen: of a paste the light module analyses, and of one
// with Terraform, for which the worker fetches the full module too.
func BenchmarkFirstResult(b *testing.B) {
	s := newBenchSite(b)
	b.Run("light", func(b *testing.B) { benchmarkFirstResult(b, shareLink(s.url, s.inputs["first-light"])) })
	b.Run("terraform", func(b *testing.B) { benchmarkFirstResult(b, shareLink(s.url, s.inputs["first"])) })
}

func benchmarkFirstResult(b *testing.B, link string) {
	var took []float64
	for b.Loop() {
		coldRun(b, func(ctx context.Context) error {
			var ms float64
			var findings int
			err := chromedp.Run(ctx, chromedp.ActionFunc(func(ctx context.Context) error {
				_, err := page.AddScriptToEvaluateOnNewDocument(firstResult).Do(ctx)
				return err
			}), chromedp.Navigate(link),
				chromedp.Evaluate("window.firstResult", &ms, awaitPromise),
				chromedp.Evaluate(`document.querySelectorAll("#results .finding").length`, &findings))
			if err == nil && findings == 0 {
				err = fmt.Errorf("the page shows no finding for the shared paste")
			}
			took = append(took, ms)
			return err
		})
	}
	b.ReportMetric(median(took), "first-result-ms")
	b.ReportMetric(median(took)*1e6, "ns/op")
}

// BenchmarkStartup loads the harness cold and reports the medians of:
// fetching, compiling and instantiating the module; running it until the
// API is there; and the first analysis, of a 10 KB paste. ns/op is the
// median of their sum.
func BenchmarkStartup(b *testing.B) {
	s := newBenchSite(b)
	var instantiate, init, first, total []float64
	for b.Loop() {
		var got struct{ InstantiateMs, InitMs, FirstAnalyzeMs float64 }
		coldPage(b, s.url+"/bench/", "window.started", &got)
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

// BenchmarkFirstPaste loads eksdoctor cold as a page that embeds it does,
// through eksdoctor.js and its worker, and reports the median time of the
// first analysis of a 10 KB paste that comes a second after it is ready
// (testdata/bench/paste.js), which is what a person who pastes waits for;
// and the time until it was ready. BenchmarkStartup is the module's cold
// start without the worker's warm-up, which a share link meets.
func BenchmarkFirstPaste(b *testing.B) {
	s := newBenchSite(b)
	var ready, first []float64
	for b.Loop() {
		var got struct{ ReadyMs, FirstAnalyzeMs float64 }
		coldPage(b, s.url+"/bench/paste.html", "window.firstPaste", &got)
		ready = append(ready, got.ReadyMs)
		first = append(first, got.FirstAnalyzeMs)
	}
	b.ReportMetric(median(ready), "ready-ms")
	b.ReportMetric(median(first), "first-analyze-ms")
	b.ReportMetric(median(first)*1e6, "ns/op")
}

// BenchmarkAnalyzeInPage times eksdoctor.analyze called from JavaScript,
// as the worker calls it, with the strings crossing the boundary (the
// page decodes the report; that is not timed): typical pastes (one op is
// a round over all of them; it reports the median and 99th percentile of
// single calls), and each size class. Like the Go benchmarks it first
// analyses the typical pastes pastes.WarmUpRounds times, and each input
// once more before its op. It reports the linear memory after the op.
func BenchmarkAnalyzeInPage(b *testing.B) {
	s := newBenchSite(b)
	h := openHarness(b, s.url+"/bench/", "window.started")
	typical := s.names("typical-")
	h.warmUp(b, typical, pastes.WarmUpRounds)
	b.Run("typical", func(b *testing.B) { h.rounds(b, typical, 0) })
	for _, size := range pastes.Sizes {
		b.Run(size.Name, func(b *testing.B) { h.rounds(b, []string{size.Name}, len(s.inputs[size.Name])) })
	}
}

// BenchmarkAnalyzeInWorker times typical pastes without Terraform as a
// page that embeds eksdoctor analyses them (testdata/bench/paste.js):
// through eksdoctor.js and its worker, which asks the light module
// whether the paste needs the full one and has it analysed, and with the
// report decoded. It warms up as BenchmarkAnalyzeInPage does and reports
// the median and 99th percentile of single calls.
func BenchmarkAnalyzeInWorker(b *testing.B) {
	s := newBenchSite(b)
	h := openHarness(b, s.url+"/bench/paste.html", "window.firstPaste")
	light := s.names("light-")
	h.warmUp(b, light, pastes.WarmUpRounds)
	h.rounds(b, light, 0)
}

// names lists, sorted, the names of the inputs that start with prefix.
func (s *benchSite) names(prefix string) []string {
	var names []string
	for name := range s.inputs {
		if strings.HasPrefix(name, prefix) {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	return names
}

// harness is a harness page whose window.analyzeAll(names, rounds)
// resolves to {times, memoryBytes}: the time of each call, and the linear
// memory after the last when the page can read it.
type harness struct{ ctx context.Context }

// openHarness opens the harness page at url in a browser of its own and
// waits for the promise ready.
func openHarness(b *testing.B, url, ready string) *harness {
	ctx := newBrowser(b, 10*time.Minute)
	var started struct{}
	if err := chromedp.Run(ctx, page.BringToFront(), chromedp.Navigate(url)); err != nil {
		b.Fatal(err)
	}
	if err := evaluate(ctx, ready, &started); err != nil {
		b.Fatal(err)
	}
	return &harness{ctx}
}

// warmUp analyses the inputs rounds times, untimed, so that the engine
// has compiled the hot code with its optimising tier: the cold start is
// BenchmarkStartup's and BenchmarkFirstPaste's. It fails b, the benchmark
// whose goroutine calls it.
func (h *harness) warmUp(b *testing.B, names []string, rounds int) {
	list, _ := json.Marshal(names)
	var warm struct{}
	if err := evaluate(h.ctx, fmt.Sprintf("window.analyzeAll(%s, %d).then(() => ({}))", list, rounds), &warm); err != nil {
		b.Fatal(err)
	}
}

// rounds analyses the inputs once, untimed, then once per op, and reports
// the time per op, the linear memory after the last when the page can
// read it, and for several inputs the median and 99th percentile of
// single calls. bytes, when not 0, is the size of one op's input.
func (h *harness) rounds(b *testing.B, names []string, bytes int) {
	var times []float64
	var memory int
	list, _ := json.Marshal(names)
	h.warmUp(b, names, 1)
	for b.Loop() {
		var got struct {
			Times       []float64
			MemoryBytes int
		}
		if err := evaluate(h.ctx, fmt.Sprintf("window.analyzeAll(%s, 1)", list), &got); err != nil {
			b.Fatal(err)
		}
		times, memory = append(times, got.Times...), got.MemoryBytes
	}
	b.SetBytes(int64(bytes))
	b.ReportMetric(sum(times)/float64(b.N)*1e6, "ns/op")
	if memory > 0 {
		b.ReportMetric(float64(memory)/(1<<20), "linear-MiB")
	}
	if len(names) > 1 {
		slices.Sort(times)
		b.ReportMetric(median(times), "p50-ms")
		b.ReportMetric(times[len(times)*99/100], "p99-ms")
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
