//go:build js && wasm

// Command wasm is eksdoctor's WebAssembly entry point. It sets
// globalThis.eksdoctor = {analyze, restore, rules, version} as DESIGN.md's
// contract says, plus restoreIdentifiers(original, text) (restore for
// text to show: identifiers back, secrets left masked), the offline
// can-i (canI, canIQuery), the trust
// simulator (simulateTrust, trustRequest), kinds(text) (the kinds of the
// paste's documents, without analysing them), leftOut (the document
// kinds this build does not analyse: ["terraform"] when built with
// -tags noterraform, the light module a page loads first), and for a
// page to tell when it needs the full module: holdsLeftOut(text) (true
// when the paste holds one of those kinds, which costs a small part of
// kinds(text)) and analyzeUnlessLeftOut(text[, optionsJSON]) (analyze,
// or null for such a paste, at no cost beyond the analysis). It holds no
// logic of its own: strings cross the boundary, and a panic or a bad
// argument becomes a {"schema":1,"error":"…"} report instead of ending
// the program.
package main

import (
	"encoding/json"
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"
	"syscall/js"
	"unicode/utf8"

	"github.com/eksdoctor/eksdoctor/core"
)

// maxArgLength caps every string argument, in UTF-16 code units, before it
// is copied into Go memory, which never shrinks. It leaves room above
// core.MaxInputBytes so that core reports inputs just over its limit.
const maxArgLength = 2 * core.MaxInputBytes

// The garbage collector runs on the one thread the analysis runs on. It
// collects when the heap has grown by a percentage since the last
// collection (100 by default), or near memoryLimit. A typical paste
// allocates about a megabyte over a live heap of some ten, so collecting
// at smallGCPercent saves about a sixth of the time of an analysis in the
// browser. A large paste is analysed at the default percentage, under the
// limit, and from a collected heap: the linear memory never shrinks, and
// must stay within 256 MiB after the largest paste (the default pacing
// alone let it grow past 1 GiB; without the collection first, the garbage
// of earlier analyses took it to 260 MiB).
const (
	smallGCPercent = 400
	largeInput     = 1 << 20
	memoryLimit    = 144 << 20
)

func main() {
	debug.SetGCPercent(smallGCPercent)
	debug.SetMemoryLimit(memoryLimit)
	js.Global().Set("eksdoctor", js.ValueOf(map[string]any{
		"analyze":              export("analyze(text[, optionsJSON])", 1, 2, analyzer(false)),
		"restore":              export("restore(original, text)", 2, 2, func(a []string) string { return core.Restore(a[0], a[1]) }),
		"restoreIdentifiers":   export("restoreIdentifiers(original, text)", 2, 2, func(a []string) string { return core.RestoreIdentifiers(a[0], a[1]) }),
		"rules":                export("rules()", 0, 0, func([]string) string { return marshal(core.Rules()) }),
		"canI":                 export("canI(text, queryJSON)", 2, 2, canI),
		"canIQuery":            export("canIQuery(text)", 1, 1, canIQuery),
		"simulateTrust":        export("simulateTrust(text, requestJSON)", 2, 2, simulateTrust),
		"trustRequest":         export("trustRequest(text)", 1, 1, trustRequest),
		"kinds":                export("kinds(text)", 1, 1, func(a []string) string { return marshal(core.Kinds(a[0])) }),
		"leftOut":              anys(core.KindsLeftOut()),
		"holdsLeftOut":         export("holdsLeftOut(text)", 1, 1, func(a []string) string { return marshal(core.HoldsLeftOut(a[0])) }),
		"analyzeUnlessLeftOut": export("analyzeUnlessLeftOut(text[, optionsJSON])", 1, 2, analyzer(true)),
		"version":              core.Version,
	}))
	select {}
}

// analyzer returns analyze(text[, optionsJSON]), or with unlessLeftOut
// analyzeUnlessLeftOut, which answers null for a paste that holds a kind
// this build leaves out.
func analyzer(unlessLeftOut bool) func([]string) string {
	return func(args []string) string {
		optionsJSON := ""
		if len(args) == 2 {
			optionsJSON = args[1]
		}
		opts, err := core.ParseOptions(optionsJSON)
		if err != nil {
			return errorJSON(err.Error())
		}
		if len(args[0]) >= largeInput {
			runtime.GC() // the garbage of earlier analyses, at smallGCPercent, would add to its peak
			defer debug.SetGCPercent(debug.SetGCPercent(100))
		}
		if !unlessLeftOut {
			return marshal(core.Analyze(args[0], opts))
		}
		if rep, ok := core.AnalyzeUnlessLeftOut(args[0], opts); ok {
			return marshal(rep)
		}
		return "null"
	}
}

// canI answers an offline `kubectl auth can-i` for the query in args[1]
// over the RBAC and identity mappings in the text args[0].
func canI(args []string) string {
	var q core.CanIQuery
	if err := json.Unmarshal([]byte(args[1]), &q); err != nil {
		return errorJSON("canI: the query is not valid JSON: " + err.Error())
	}
	return marshal(core.CanI(args[0], q))
}

// canIQuery derives the can-i question from the first denial in a paste:
// the JSON of the query, or null when the paste holds no denial.
func canIQuery(args []string) string {
	q, ok := core.CanIQueryFromText(args[0])
	if !ok {
		return "null"
	}
	return marshal(q)
}

// simulateTrust answers whether the request in args[1] may assume the
// role whose trust policy is in the text args[0].
func simulateTrust(args []string) string {
	var req core.TrustRequest
	if err := json.Unmarshal([]byte(args[1]), &req); err != nil {
		return errorJSON("simulateTrust: the request is not valid JSON: " + err.Error())
	}
	return marshal(core.SimulateTrust(args[0], req))
}

// trustRequest derives the simulator's request from a paste: the JSON of
// the request, or null when nothing in the paste says who asks.
func trustRequest(args []string) string {
	req, ok := core.TrustRequestFromText(args[0])
	if !ok {
		return "null"
	}
	return marshal(req)
}

// export wraps fn as a JavaScript function of lo to hi string arguments;
// trailing undefined or null arguments count as absent.
func export(usage string, lo, hi int, fn func([]string) string) js.Func {
	return js.FuncOf(func(_ js.Value, argv []js.Value) (out any) {
		defer func() {
			if r := recover(); r != nil {
				out = errorJSON(internalError(usage, r))
			}
		}()
		for len(argv) > lo && (argv[len(argv)-1].IsUndefined() || argv[len(argv)-1].IsNull()) {
			argv = argv[:len(argv)-1]
		}
		if len(argv) < lo || len(argv) > hi {
			return errorJSON(fmt.Sprintf("eksdoctor.%s takes %s, got %d.", usage, arity(lo, hi), len(argv)))
		}
		args := make([]string, len(argv))
		for i, v := range argv {
			switch {
			case v.Type() != js.TypeString:
				return errorJSON(fmt.Sprintf("eksdoctor.%s: argument %d must be a string, not %s.", usage, i+1, v.Type()))
			case length(v) > maxArgLength:
				return errorJSON(fmt.Sprintf("eksdoctor.%s: argument %d is %d characters long; eksdoctor analyses at most %d MiB.",
					usage, i+1, length(v), core.MaxInputBytes>>20))
			}
			if at := loneSurrogate(v); at != "" {
				return errorJSON(fmt.Sprintf("eksdoctor.%s: argument %d holds half of a UTF-16 surrogate pair alone %s, which is not text.", usage, i+1, at))
			}
			args[i] = v.String()
		}
		return fn(args)
	})
}

// length is the length of the JavaScript string s in UTF-16 code units,
// read without copying s (js.Value.Length works on objects only).
func length(s js.Value) int {
	return js.Global().Get("Object").Invoke(s).Length()
}

// loneSurrogates matches a UTF-16 surrogate that is not half of a pair.
var loneSurrogates = js.Global().Get("RegExp").New(`[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]`)

// loneSurrogate says where the JavaScript string s holds a lone
// surrogate ("at line 3, column 7", columns in code points), or returns
// "" when it holds none. Copying s into Go would turn it into U+FFFD, and
// restore would no longer give the text back.
func loneSurrogate(s js.Value) string {
	str := js.Global().Get("Object").Invoke(s)
	i := str.Call("search", loneSurrogates).Int()
	if i < 0 {
		return ""
	}
	before := str.Call("slice", 0, i).String()
	lineStart := strings.LastIndexByte(before, '\n') + 1
	return fmt.Sprintf("at line %d, column %d", strings.Count(before, "\n")+1, utf8.RuneCountInString(before[lineStart:])+1)
}

func arity(lo, hi int) string {
	switch {
	case hi == 0:
		return "no arguments"
	case lo == hi:
		return fmt.Sprintf("%d arguments", lo)
	}
	return fmt.Sprintf("%d or %d arguments", lo, hi)
}

// internalError describes a recovered panic without echoing arbitrary
// panic values, which could quote the input.
func internalError(usage string, r any) string {
	detail := ""
	if err, ok := r.(runtime.Error); ok {
		detail = " (" + err.Error() + ")"
	}
	return fmt.Sprintf("eksdoctor.%s hit an internal error%s; please report it.", usage, detail)
}

// anys converts ss for js.ValueOf, which takes []any, not []string.
func anys(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

func errorJSON(msg string) string { return marshal(core.ErrorReport(msg)) }

func marshal(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		b, _ = json.Marshal(core.ErrorReport("eksdoctor could not encode its answer: " + err.Error()))
	}
	return string(b)
}
