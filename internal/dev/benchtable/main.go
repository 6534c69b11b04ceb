// Command benchtable turns the benchmark runs of `make bench` into one
// table of eksdoctor's performance figures, each beside its budget (the
// performance issue), and writes them as JSON:
//
//	go run ./internal/dev/benchtable [-dir .bench] [-dist dist] [-meta bin/site.json]
//
// It reads DIR/native.txt and DIR/browser.txt (`go test -bench` of ./core
// and ./redact, natively and in headless Chromium), DIR/page.txt (the
// benchmarks of ./internal/dev/e2e) and the files of the built site in DIST
// that META lists as a first visit's, prints the table and writes
// DIR/results.json. It exits 1 when a budget is missed.
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/andybalholm/brotli"
	"github.com/eksdoctor/eksdoctor/internal/pastes"
)

func main() {
	dir := flag.String("dir", ".bench", "the folder of the benchmark outputs and of results.json")
	dist := flag.String("dist", "dist", "the built site")
	meta := flag.String("meta", "bin/site.json", "what site/build.mjs says a first visit loads")
	flag.Parse()
	res, err := collect(*dir, *dist, *meta)
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchtable:", err)
		os.Exit(2)
	}
	res.print(os.Stdout)
	b, _ := json.MarshalIndent(res, "", "  ")
	if err := os.WriteFile(filepath.Join(*dir, "results.json"), append(b, '\n'), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "benchtable:", err)
		os.Exit(2)
	}
	if res.Missed > 0 {
		os.Exit(1)
	}
}

// benchmarks maps a benchmark's name (without the GOMAXPROCS suffix) to
// its values by unit.
type benchmarks map[string]map[string]float64

// readBenchmarks reads the benchmark lines of `go test -bench` output:
// the name, the iterations, then value and unit pairs.
func readBenchmarks(name string) (benchmarks, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	out := benchmarks{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 4 || !strings.HasPrefix(fields[0], "Benchmark") || len(fields)%2 != 0 {
			continue
		}
		if _, err := strconv.Atoi(fields[1]); err != nil {
			continue
		}
		values := map[string]float64{}
		for i := 2; i+1 < len(fields); i += 2 {
			if v, err := strconv.ParseFloat(fields[i], 64); err == nil {
				values[fields[i+1]] = v
			}
		}
		out[trimProcs(fields[0])] = values
	}
	return out, sc.Err()
}

// trimProcs drops the -GOMAXPROCS suffix of a benchmark name.
func trimProcs(name string) string {
	if i := strings.LastIndexByte(name, '-'); i > 0 {
		if _, err := strconv.Atoi(name[i+1:]); err == nil {
			return name[:i]
		}
	}
	return name
}

// get returns a value, or NaN when the run did not measure it.
func (b benchmarks) get(name, unit string) Figure {
	if v, ok := b[name][unit]; ok {
		return Figure(v)
	}
	return nan
}

// Figure is a measured value; NaN when it was not measured (null in JSON).
type Figure float64

var nan = Figure(math.NaN())

// MarshalJSON writes null for a figure that was not measured.
func (f Figure) MarshalJSON() ([]byte, error) {
	if f.missing() {
		return []byte("null"), nil
	}
	return json.Marshal(float64(f))
}

// Results are the figures of one `make bench`.
type Results struct {
	Analyze    []SizeClass `json:"analyze"`
	Typical    Typical     `json:"typical"`
	Redaction  Pair        `json:"redactionMBps"`
	Startup    Startup     `json:"startup"`
	FirstShown Figure      `json:"navigationToFirstResultMs"`
	// FirstShownTerraform is FirstShown for a paste with Terraform, for
	// which the page fetches the full module too.
	FirstShownTerraform Figure         `json:"navigationToFirstResultTerraformMs"`
	Weight              Weight         `json:"weight"`
	Memory              Memory         `json:"memory"`
	Budgets             []BudgetResult `json:"budgets"`
	Missed              int            `json:"missed"`
}

// SizeClass is Analyze on a paste of one size class.
type SizeClass struct {
	Name      string `json:"name"`
	NativeMs  Figure `json:"nativeMs"`
	BrowserMs Figure `json:"browserMs"`
	Ratio     Figure `json:"ratio"`
	// PageMs is the time through the JavaScript API (strings crossing
	// the boundary, the report decoded).
	PageMs Figure `json:"pageMs"`
}

// Typical is Analyze over realistic pastes of 1 to 20 KB.
type Typical struct {
	Native  Percentiles `json:"native"`
	Browser Percentiles `json:"browser"`
	Page    Percentiles `json:"page"`
	// Worker is such pastes without Terraform analysed as a page does,
	// through eksdoctor.js and the worker's light module.
	Worker Percentiles `json:"worker"`
}

// Percentiles are the median and 99th percentile of single calls, in ms.
type Percentiles struct {
	P50 Figure `json:"p50"`
	P99 Figure `json:"p99"`
}

// Pair is a figure natively and in the browser.
type Pair struct {
	Native  Figure `json:"native"`
	Browser Figure `json:"browser"`
}

// Startup is a cold start in Chromium, in ms: of the bare module, whose
// first analysis compiles what it runs (as a share link's does), and of
// eksdoctor as a page embeds it, whose worker warms up while idle.
type Startup struct {
	Instantiate  Figure `json:"instantiateMs"`
	Init         Figure `json:"initMs"`
	FirstAnalyze Figure `json:"firstAnalyzeMs"`
	// Ready is how long eksdoctor.js took to start its worker, and
	// FirstPaste the first analysis of a paste a second later.
	Ready      Figure `json:"readyMs"`
	FirstPaste Figure `json:"firstPasteMs"`
}

// Weight is what the site weighs, in bytes.
type Weight struct {
	Files            []File `json:"files"`
	FirstVisitBrotli int    `json:"firstVisitBrotli"`
	FirstVisitGzip   int    `json:"firstVisitGzip"`
	// Full is the module the worker fetches only for a paste with
	// Terraform (site/worker.js).
	Full File `json:"full"`
}

// File is one file the site serves.
type File struct {
	Name   string `json:"name"`
	Raw    int    `json:"raw"`
	Gzip   int    `json:"gzip"`
	Brotli int    `json:"brotli"`
}

// Memory is the peak memory of the 5 MB paste, in MiB.
type Memory struct {
	NativeHeap    Figure `json:"nativeHeapMiB"`
	BrowserHeap   Figure `json:"browserHeapMiB"`
	BrowserLinear Figure `json:"browserLinearMiB"`
}

// BudgetResult is one budget of the performance issue and the figure.
type BudgetResult struct {
	Name     string  `json:"name"`
	Measured Figure  `json:"measured"`
	Limit    float64 `json:"limit"`
	// AtLeast is true for a floor (throughput), false for a ceiling.
	AtLeast bool   `json:"atLeast"`
	Unit    string `json:"unit"`
	// Met is whether the figure keeps to the budget; false too when it
	// was not measured.
	Met bool `json:"met"`
}

func collect(dir, dist, meta string) (*Results, error) {
	native, err := readBenchmarks(filepath.Join(dir, "native.txt"))
	if err != nil {
		return nil, err
	}
	browser, err := readBenchmarks(filepath.Join(dir, "browser.txt"))
	if err != nil {
		return nil, err
	}
	page, err := readBenchmarks(filepath.Join(dir, "page.txt"))
	if err != nil {
		return nil, err
	}
	r := &Results{}
	for _, size := range pastes.Sizes {
		name := "BenchmarkAnalyze/" + size.Name
		c := SizeClass{Name: size.Name, NativeMs: native.get(name, "ns/op") / 1e6, BrowserMs: browser.get(name, "ns/op") / 1e6,
			PageMs: page.get("BenchmarkAnalyzeInPage/"+size.Name, "ns/op") / 1e6}
		c.Ratio = c.BrowserMs / c.NativeMs
		r.Analyze = append(r.Analyze, c)
	}
	percentiles := func(b benchmarks, name string) Percentiles {
		return Percentiles{b.get(name, "p50-ms"), b.get(name, "p99-ms")}
	}
	r.Typical = Typical{percentiles(native, "BenchmarkAnalyzeTypical"), percentiles(browser, "BenchmarkAnalyzeTypical"),
		percentiles(page, "BenchmarkAnalyzeInPage/typical"), percentiles(page, "BenchmarkAnalyzeInWorker")}
	r.Redaction = Pair{native.get("BenchmarkRedact", "MB/s"), browser.get("BenchmarkRedact", "MB/s")}
	r.Startup = Startup{page.get("BenchmarkStartup", "instantiate-ms"), page.get("BenchmarkStartup", "init-ms"),
		page.get("BenchmarkStartup", "first-analyze-ms"), page.get("BenchmarkFirstPaste", "ready-ms"),
		page.get("BenchmarkFirstPaste", "first-analyze-ms")}
	r.FirstShown = page.get("BenchmarkFirstResult/light", "first-result-ms")
	r.FirstShownTerraform = page.get("BenchmarkFirstResult/terraform", "first-result-ms")
	r.Memory = Memory{native.get("BenchmarkAnalyze/5MB", "heap-MiB"), browser.get("BenchmarkAnalyze/5MB", "heap-MiB"),
		page.get("BenchmarkAnalyzeInPage/5MB", "linear-MiB")}
	if r.Weight, err = weigh(dist, meta); err != nil {
		return nil, err
	}
	r.judge()
	return r, nil
}

// weigh measures the files a first visit downloads, as the meta file of
// site/build.mjs lists them.
func weigh(dist, meta string) (Weight, error) {
	var w Weight
	data, err := os.ReadFile(meta)
	if err != nil {
		return w, fmt.Errorf("%v (make dist writes it)", err)
	}
	var m struct {
		FirstVisit []string `json:"firstVisit"`
		WasmFull   string   `json:"wasmFull"`
	}
	if err := json.Unmarshal(data, &m); err != nil {
		return w, fmt.Errorf("%s: %v", meta, err)
	}
	for _, name := range m.FirstVisit {
		f, err := weighFile(dist, name)
		if err != nil {
			return w, err
		}
		w.Files = append(w.Files, f)
		w.FirstVisitBrotli += f.Brotli
		w.FirstVisitGzip += f.Gzip
	}
	slices.SortFunc(w.Files, func(a, b File) int { return b.Brotli - a.Brotli })
	w.Full, err = weighFile(dist, m.WasmFull)
	return w, err
}

// weighFile measures one file of dist, compressed as it is served.
func weighFile(dist, name string) (File, error) {
	data, err := os.ReadFile(filepath.Join(dist, name))
	if err != nil {
		return File{}, err
	}
	f := File{Name: name, Raw: len(data), Gzip: sibling(dist, name, ".gz"), Brotli: sibling(dist, name, ".br")}
	if f.Brotli < 0 {
		f.Brotli = compressedSize(data)
	}
	if f.Gzip < 0 {
		f.Gzip = gzipSize(data)
	}
	return f, nil
}

// sibling returns the size of the precompressed sibling of a file, or -1.
func sibling(dist, name, ext string) int {
	info, err := os.Stat(filepath.Join(dist, name+ext))
	if err != nil {
		return -1
	}
	return int(info.Size())
}

// compressedSize is the size of data compressed as internal/dev/precompress does.
func compressedSize(data []byte) int {
	var b bytes.Buffer
	w := brotli.NewWriterOptions(&b, brotli.WriterOptions{Quality: brotli.BestCompression, LGWin: 24})
	write(w, data)
	return b.Len()
}

func write(w io.WriteCloser, data []byte) {
	w.Write(data) // a bytes.Buffer does not fail
	w.Close()
}
