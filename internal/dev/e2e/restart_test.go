//go:build !js

package e2e

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// countWorkers counts the workers the page starts in window.__workers.
const countWorkers = `(() => {
window.__workers = 0;
const Native = window.Worker;
window.Worker = class extends Native {
  constructor(...args) { super(...args); window.__workers++; }
};
})();`

// crashHook counts the workers the page starts and makes the worker die,
// as a wasm that ran out of memory does (its Go program exits), when asked
// to analyse text holding crashMarker.
const crashHook = countWorkers + `(() => {
const Native = Object.getPrototypeOf(window.Worker);
const onmessage = Object.getOwnPropertyDescriptor(Native.prototype, "onmessage");
Object.defineProperty(Native.prototype, "onmessage", {
  configurable: true,
  get() { return onmessage.get.call(this); },
  set(fn) { this.__deliver = (data) => fn({ data }); onmessage.set.call(this, fn); },
});
const post = Native.prototype.postMessage;
Native.prototype.postMessage = function (msg, ...rest) {
  if (msg && msg.fn === "analyze" && String(msg.args && msg.args[0]).includes("` + crashMarker + `")) {
    setTimeout(() => this.__deliver({ type: "exited" }), 0);
    return;
  }
  return post.call(this, msg, ...rest);
};
})();`

const crashMarker = "eksdoctor-test-crash"

// TestWorkerRestarts kills the worker in the middle of an analysis and
// checks that the page says so, starts a new worker, and analyses the
// next paste with it.
func TestWorkerRestarts(t *testing.T) {
	s := newSite(t)
	ctx, _ := s.tab(t, desktop)
	var workers int
	var r result
	run(t, ctx,
		addScript(crashHook),
		chromedp.Navigate(s.url+"/"),
		waitReady(),
		paste("error: You must be logged in to the server (Unauthorized) "+crashMarker+"\n"),
		readResult(&r),
		chromedp.Evaluate(`window.__workers`, &workers),
	)
	if !r.Error || !strings.Contains(r.Status, "started again") {
		t.Errorf("after the worker died the page should say it was started again, status %q (error %v)", r.Status, r.Error)
	}
	if workers != 2 {
		t.Errorf("the page should have started a second worker, started %d", workers)
	}
	checkAnswersNext(t, ctx)
}

// throwHook runs in the worker. When analyze (or the light module's
// analyzeUnlessLeftOut) is asked about text holding throwMarker, the call
// throws what a call overflowing the JavaScript stack inside the wasm
// threw before the depth limit. No input is left that does so, and a
// call made from the edge of the stack overflows in JavaScript before it
// reaches the wasm, so the module's function is wrapped to throw instead.
const throwHook = `(() => {
let api;
Object.defineProperty(self, "eksdoctor", {
  configurable: true,
  get: () => api,
  set(v) {
    api = v;
    for (const fn of ["analyze", "analyzeUnlessLeftOut"]) {
      const real = v && v[fn];
      if (real) v[fn] = (...args) => {
        if (String(args[0]).includes("` + throwMarker + `")) throw new RangeError("Maximum call stack size exceeded");
        return real(...args);
      };
    }
  },
});
})();`

const throwMarker = "eksdoctor-test-throw"

// TestWorkerRestartsAfterAThrow makes a call throw out of the wasm and
// checks that the worker reports it cannot go on, that the page says
// why, and that a new worker answers the next paste.
func TestWorkerRestartsAfterAThrow(t *testing.T) {
	s := newSiteWithWorkerHook(t, throwHook)
	ctx, _ := s.tab(t, desktop)
	var workers int
	var r result
	run(t, ctx,
		addScript(countWorkers),
		chromedp.Navigate(s.url+"/"),
		waitReady(),
		paste("error: You must be logged in to the server (Unauthorized) "+throwMarker+"\n"),
		readResult(&r),
		chromedp.Evaluate(`window.__workers`, &workers),
	)
	if !r.Error || !strings.Contains(r.Status, "RangeError") || !strings.Contains(r.Status, "started again") {
		t.Errorf("after a call threw, the page should say the engine broke down and was started again, status %q (error %v)", r.Status, r.Error)
	}
	if workers != 2 {
		t.Errorf("the page should have started a second worker, started %d", workers)
	}
	checkAnswersNext(t, ctx)
}

// checkAnswersNext checks that the page, after its worker was started
// again, analyses the next paste.
func checkAnswersNext(t *testing.T, ctx context.Context) {
	t.Helper()
	var r result
	run(t, ctx,
		act(chromedp.Evaluate(`location.hash = "#example=aws-auth-masters"`, nil)),
		readResult(&r),
	)
	if r.Error || len(filter(r.Findings, func(f finding) bool { return f.Rule == "AUTH002" })) == 0 {
		t.Errorf("the new worker should analyse the next paste: status %q, findings %+v", r.Status, r.Findings)
	}
}
