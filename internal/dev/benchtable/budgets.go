package main

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"math"
	"strings"
	"text/tabwriter"
)

// judge checks every budget of the performance issue.
func (r *Results) judge() {
	ceiling := func(name string, measured Figure, limit float64, unit string) {
		r.Budgets = append(r.Budgets, BudgetResult{Name: name, Measured: measured, Limit: limit, Unit: unit, Met: float64(measured) <= limit})
	}
	floor := func(name string, measured Figure, limit float64, unit string) {
		r.Budgets = append(r.Budgets, BudgetResult{Name: name, Measured: measured, Limit: limit, AtLeast: true, Unit: unit,
			Met: float64(measured) >= limit})
	}
	ceiling("analyze, typical paste (≤ 20 KB), browser, median", r.Typical.Page.P50, 4, "ms")
	ceiling("analyze, typical paste (≤ 20 KB), browser, 99th percentile", r.Typical.Page.P99, 16, "ms")
	worst := Figure(0)
	for _, c := range r.Analyze {
		worst = max(worst, c.Ratio)
	}
	ceiling("browser / native, worst size class", worst, 4, "×")
	ceiling("growth: time per byte at 1 MB / at 10 KB, native", r.growth(func(c SizeClass) Figure { return c.NativeMs }), 2, "×")
	ceiling("growth: time per byte at 1 MB / at 10 KB, browser", r.growth(func(c SizeClass) Figure { return c.BrowserMs }), 2, "×")
	ceiling("5 MB paste, browser", r.sizeClass("5MB").PageMs, 3000, "ms")
	ceiling("5 MB paste, browser, linear memory", r.Memory.BrowserLinear, 256, "MiB")
	floor("redaction, native", r.Redaction.Native, 50, "MB/s")
	floor("redaction, browser", r.Redaction.Browser, 15, "MB/s")
	ceiling("first analyze after start-up (a paste, 1 s after ready)", r.Startup.FirstPaste, 50, "ms")
	ceiling("navigation → first result, cold, median", r.FirstShown, 400, "ms")
	ceiling("first-visit weight, brotli", Figure(r.Weight.FirstVisitBrotli)/1e6, 2.0, "MB")
	for _, b := range r.Budgets {
		if !b.Met && !b.Measured.missing() {
			r.Missed++
		}
	}
}

func (r *Results) sizeClass(name string) SizeClass {
	for _, c := range r.Analyze {
		if c.Name == name {
			return c
		}
	}
	return SizeClass{NativeMs: nan, BrowserMs: nan, PageMs: nan}
}

// growth is the time per byte at 1 MB over that at 10 KB.
func (r *Results) growth(ms func(SizeClass) Figure) Figure {
	return (ms(r.sizeClass("1MB")) / (1 << 20)) / (ms(r.sizeClass("10KB")) / (10 << 10))
}

// print writes the table: the figures, then the budgets.
func (r *Results) print(w io.Writer) {
	t := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(t, "analyze\tnative ms\tbrowser ms\tbrowser/native\tbrowser via JS API ms\t")
	for _, c := range r.Analyze {
		fmt.Fprintf(t, "%s\t%s\t%s\t%s\t%s\t\n", c.Name, num(c.NativeMs), num(c.BrowserMs), num(c.Ratio), num(c.PageMs))
	}
	for _, p := range []struct {
		name string
		p    Percentiles
	}{{"typical ≤ 20 KB, native", r.Typical.Native}, {"typical, browser", r.Typical.Browser}, {"typical, browser via JS API", r.Typical.Page},
		{"typical without Terraform, via the worker", r.Typical.Worker}} {
		fmt.Fprintf(t, "%s\tmedian %s\tp99 %s\t\t\t\n", p.name, num(p.p.P50), num(p.p.P99))
	}
	t.Flush()
	fmt.Fprintln(w)
	t = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(t, "redaction\t%s MB/s native\t%s MB/s browser\n", num(r.Redaction.Native), num(r.Redaction.Browser))
	fmt.Fprintf(t, "cold start in Chromium, bare module\t%s ms instantiate\t%s ms init\t%s ms first analyze, cold\n",
		num(r.Startup.Instantiate), num(r.Startup.Init), num(r.Startup.FirstAnalyze))
	fmt.Fprintf(t, "start-up as a page embeds it\t%s ms to ready\t%s ms first analysis of a paste 1 s later\t\n",
		num(r.Startup.Ready), num(r.Startup.FirstPaste))
	fmt.Fprintf(t, "navigation → first result\t%s ms\t%s ms with Terraform (the full module too)\n", num(r.FirstShown), num(r.FirstShownTerraform))
	fmt.Fprintf(t, "peak memory, 5 MB paste\t%s MiB Go heap native\t%s MiB Go heap browser\t%s MiB linear memory\n",
		num(r.Memory.NativeHeap), num(r.Memory.BrowserHeap), num(r.Memory.BrowserLinear))
	var rest File
	for _, f := range r.Weight.Files {
		if strings.HasSuffix(f.Name, ".wasm") {
			fmt.Fprintf(t, "weight %s\t%d raw\t%d gzip\t%d brotli\n", f.Name, f.Raw, f.Gzip, f.Brotli)
			continue
		}
		rest = File{Name: rest.Name, Raw: rest.Raw + f.Raw, Gzip: rest.Gzip + f.Gzip, Brotli: rest.Brotli + f.Brotli}
	}
	fmt.Fprintf(t, "weight of the %d other files\t%d raw\t%d gzip\t%d brotli\n", len(r.Weight.Files)-1, rest.Raw, rest.Gzip, rest.Brotli)
	fmt.Fprintf(t, "first visit\t\t%d gzip\t%d brotli\n", r.Weight.FirstVisitGzip, r.Weight.FirstVisitBrotli)
	full := r.Weight.Full
	fmt.Fprintf(t, "later, for Terraform: %s\t%d raw\t%d gzip\t%d brotli\n", full.Name, full.Raw, full.Gzip, full.Brotli)
	t.Flush()
	fmt.Fprintln(w)
	t = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(t, "budget\tmeasured\tlimit\t")
	for _, b := range r.Budgets {
		verdict, op := "met", "≤"
		if b.AtLeast {
			op = "≥"
		}
		switch {
		case b.Measured.missing():
			verdict = "not measured"
		case !b.Met:
			verdict = "MISSED"
		}
		fmt.Fprintf(t, "%s\t%s %s\t%s %s %s\t%s\n", b.Name, num(b.Measured), b.Unit, op, num(Figure(b.Limit)), b.Unit, verdict)
	}
	t.Flush()
}

func (f Figure) missing() bool { return math.IsNaN(float64(f)) || math.IsInf(float64(f), 0) }

// num formats a figure with three significant digits, or "—" when it was
// not measured.
func num(v Figure) string {
	switch {
	case v.missing():
		return "—"
	case v >= 100:
		return fmt.Sprintf("%.0f", v)
	case v >= 10:
		return fmt.Sprintf("%.1f", v)
	}
	return fmt.Sprintf("%.2f", v)
}

// gzipSize is the size of data compressed as internal/dev/precompress does.
func gzipSize(data []byte) int {
	var b bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&b, gzip.BestCompression) // the level is valid
	write(zw, data)
	return b.Len()
}
