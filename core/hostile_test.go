package core

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"testing"
	"time"
)

// generatedHostile builds the hostile inputs too large to keep as files.
var generatedHostile = map[string]func() string{
	"gen:empty":            func() string { return "" },
	"gen:5mib-single-line": func() string { return strings.Repeat("a", MaxInputBytes-1) },
	"gen:at-size-limit":    func() string { return strings.Repeat("error: Unauthorized\n", MaxInputBytes/20) },
	"gen:just-over-limit":  func() string { return strings.Repeat("a", MaxInputBytes+1) },
	"gen:deep-yaml-flow":   func() string { return "a: " + strings.Repeat("[", 10000) + strings.Repeat("]", 10000) + "\n" },
	"gen:deep-yaml-block":  func() string { return strings.Repeat("- ", 10000) + "x\n" },
	"gen:deep-json":        func() string { return strings.Repeat(`{"a":`, 10000) + "1" + strings.Repeat("}", 10000) },
	"gen:deep-json-arrays": func() string { return strings.Repeat("[", 10000) + strings.Repeat("]", 10000) },
	"gen:deep-hcl": func() string {
		return "locals {\n  x = " + strings.Repeat("{ y = ", 10000) + "1" + strings.Repeat(" }", 10000) + "\n}\n"
	},
	"gen:yaml-stream-100k": func() string { return strings.Repeat("---\na: 1\n", 100000) },
	"gen:serviceaccount-60k": func() string {
		return strings.Repeat("apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: a\n---\n", 60000)
	},
	"gen:json-values-500k": func() string { return strings.Repeat("{}", 500000) },
	"gen:fences-50k":       func() string { return strings.Repeat("```\nerror: x\n", 50000) },
	"gen:unclosed-hcl-50k": func() string { return strings.Repeat("resource \"a\" \"b\" {\n", 50000) },
	"gen:4mib-yaml-string": func() string { return `a: "` + strings.Repeat("x", 4<<20) + "\"\n" },
}

// TestHostileInputs runs every hostile input of testdata/hostile (files,
// and the generated ones above) and checks the outcome recorded for it in
// testdata/hostile/outcomes.txt: an error that mentions the given words,
// or a report with the given document kinds. Each must finish without an
// internal error, allocate a bounded multiple of its size, and, when it
// is analysed, restore from its redacted form.
func TestHostileInputs(t *testing.T) {
	if runtime.GOOS == "js" {
		t.Skip("the megabyte inputs take minutes in a browser; they run natively")
	}
	inputs := map[string]func() string{}
	for name, gen := range generatedHostile {
		inputs[name] = gen
	}
	files, _ := filepath.Glob("../testdata/hostile/*")
	for _, f := range files {
		if filepath.Base(f) != "outcomes.txt" {
			inputs[filepath.Base(f)] = func() string { b, _ := os.ReadFile(f); return string(b) }
		}
	}
	want := readOutcomes(t)
	got := map[string]string{}
	for name, gen := range inputs {
		input := gen()
		rep, alloc := measured(t, name, input)
		got[name] = outcome(rep)
		if limit := 128*uint64(len(input)) + 64<<20; alloc > limit {
			t.Errorf("%s: allocated %d MiB for %d bytes", name, alloc>>20, len(input))
		}
		if rep.Error == "" && Restore(input, rep.Redacted) != input {
			t.Errorf("%s: Restore does not round-trip", name)
		}
		if !*update && want[name] != got[name] {
			t.Errorf("%s: outcome %q, want %q", name, got[name], want[name])
		}
	}
	for name := range want {
		if inputs[name] == nil {
			t.Errorf("outcomes.txt lists %s, which is not an input", name)
		}
	}
	if *update {
		writeOutcomes(t, got)
	}
}

// TestTruncatedRealWorld cuts every real-world file at several points
// and checks that each piece gets a sensible report.
func TestTruncatedRealWorld(t *testing.T) {
	files, _ := filepath.Glob("../testdata/realworld/*/*")
	seed := uint32(1)
	for _, f := range files {
		text, _ := os.ReadFile(f)
		for range 4 {
			seed = seed*1664525 + 1013904223
			cut := strings.ToValidUTF8(string(text[:int(seed>>8)%(len(text)+1)]), "")
			rep := Analyze(cut, Options{})
			if strings.Contains(rep.Error, "internal error") {
				t.Errorf("%s cut at %d: %s", f, len(cut), rep.Error)
			}
			if rep.Error == "" && Restore(cut, rep.Redacted) != cut {
				t.Errorf("%s cut at %d: Restore does not round-trip", f, len(cut))
			}
		}
	}
}

// measured analyses input, failing the test instead of hanging, and
// returns the report and the bytes allocated.
func measured(t *testing.T, name, input string) (Report, uint64) {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	done := make(chan Report, 1)
	go func() { done <- Analyze(input, Options{}) }()
	select {
	case rep := <-done:
		runtime.ReadMemStats(&after)
		if strings.Contains(rep.Error, "internal error") {
			t.Errorf("%s: %s", name, rep.Error)
		}
		return rep, after.TotalAlloc - before.TotalAlloc
	case <-time.After(2 * time.Minute):
		t.Fatalf("%s: no report after two minutes", name)
	}
	return Report{}, 0
}

// outcome summarises a report: its error or its document kinds.
func outcome(rep Report) string {
	if rep.Error != "" {
		return "error: " + rep.Error
	}
	kinds := map[string]int{}
	for _, d := range rep.Documents {
		kinds[d.Kind]++
	}
	var parts []string
	for k, n := range kinds {
		parts = append(parts, fmt.Sprintf("%s×%d", k, n))
	}
	sort.Strings(parts)
	return "report: " + strings.Join(parts, " ")
}

const outcomesFile = "../testdata/hostile/outcomes.txt"

func readOutcomes(t *testing.T) map[string]string {
	b, err := os.ReadFile(outcomesFile)
	if err != nil && !*update {
		t.Fatal(err)
	}
	out := map[string]string{}
	for line := range strings.Lines(string(b)) {
		name, result, ok := strings.Cut(strings.TrimSpace(line), "\t")
		if ok && !strings.HasPrefix(name, "#") {
			out[name] = result
		}
	}
	return out
}

func writeOutcomes(t *testing.T, got map[string]string) {
	var names []string
	for name := range got {
		names = append(names, name)
	}
	sort.Strings(names)
	var b strings.Builder
	b.WriteString("# The outcome of every hostile input (files here, and gen: inputs built by core/hostile_test.go).\n")
	b.WriteString("# Rewritten by go test ./core -run TestHostileInputs -update; review the diff.\n")
	for _, name := range names {
		fmt.Fprintf(&b, "%s\t%s\n", name, got[name])
	}
	if err := os.WriteFile(outcomesFile, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}
