//go:build js && wasm

package main

import (
	"encoding/json"
	"strings"
	"syscall/js"
	"testing"

	"github.com/eksdoctor/eksdoctor/core"
)

// TestPanicBecomesAnErrorReport calls an exported function that panics,
// as JavaScript would, and checks that it answers with an error report and
// that the program still serves the next call.
func TestPanicBecomesAnErrorReport(t *testing.T) {
	boom := export("boom()", 0, 0, func([]string) string { panic("boom") })
	defer boom.Release()
	var rep core.Report
	if err := json.Unmarshal([]byte(boom.Invoke().String()), &rep); err != nil || !strings.Contains(rep.Error, "internal error") {
		t.Fatalf("boom() = %+v (%v), want an internal error report", rep, err)
	}
	analyzeFn := export("analyze(text[, optionsJSON])", 1, 2, analyzer(false))
	defer analyzeFn.Release()
	out := analyzeFn.Invoke("error: You must be logged in to the server (Unauthorized)\n").String()
	if err := json.Unmarshal([]byte(out), &rep); err != nil || rep.Error != "" || len(rep.Documents) != 1 {
		t.Fatalf("analyze after a panic = %s", out)
	}
}

// TestAnalyzeUnlessLeftOut checks that in a build that leaves no kind out
// (site/node-check.mjs checks the light one) analyzeUnlessLeftOut answers
// as analyze does, options included.
func TestAnalyzeUnlessLeftOut(t *testing.T) {
	text := "resource \"aws_iam_role\" \"nodes\" {\n  name = \"nodes\"\n}\n"
	for _, args := range [][]string{{text}, {text, `{"redact": false}`}, {text, "{not json"}} {
		if got, want := analyzer(true)(args), analyzer(false)(args); got != want {
			t.Errorf("analyzeUnlessLeftOut%q = %s, want %s", args, got, want)
		}
	}
}

// TestBadArguments checks that wrong argument counts and types answer
// with an error report instead of a panic.
func TestBadArguments(t *testing.T) {
	fn := export("restore(original, text)", 2, 2, func(a []string) string { return core.Restore(a[0], a[1]) })
	defer fn.Release()
	for _, args := range [][]any{{}, {"a"}, {"a", 1}, {"a", "b", "c"}, {js.Null(), "b"}} {
		var rep core.Report
		if err := json.Unmarshal([]byte(fn.Invoke(args...).String()), &rep); err != nil || rep.Error == "" {
			t.Errorf("restore%v did not answer with an error report", args)
		}
	}
}

// TestLoneSurrogates checks that a string with half of a UTF-16 surrogate
// pair alone, which Go would turn into U+FFFD, is refused with where it
// is, and that whole pairs round-trip.
func TestLoneSurrogates(t *testing.T) {
	fn := export("restore(original, text)", 2, 2, func(a []string) string { return core.Restore(a[0], a[1]) })
	defer fn.Release()
	units := func(us ...any) js.Value { return js.Global().Get("String").Call("fromCharCode", us...) }
	for _, c := range []struct {
		text js.Value
		want string
	}{
		{units('a', '\n', 'b', 'c', 0xD83D), "at line 2, column 3"},
		{units(0xDE00, 'x'), "at line 1, column 1"},
		{units('\n', 0xD83D, 0xDE00, 0xDE00), "at line 2, column 2"}, // a pair, then a low half alone
	} {
		var rep core.Report
		out := fn.Invoke("x", c.text).String()
		if err := json.Unmarshal([]byte(out), &rep); err != nil || !strings.Contains(rep.Error, "argument 2 holds half of a UTF-16 surrogate pair alone "+c.want) {
			t.Errorf("restore with a lone surrogate = %s; want an error %s", out, c.want)
		}
	}
	pair := units('k', ':', ' ', 0xD83D, 0xDE00)
	if out := fn.Invoke(pair, pair); !out.Equal(pair) {
		t.Errorf("restore of a surrogate pair = %q", out.String())
	}
}
