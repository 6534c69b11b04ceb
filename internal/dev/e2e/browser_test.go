//go:build !js

package e2e

import (
	"context"
	"fmt"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"
)

// newBrowser starts headless Chromium with one tab and returns its context.
// Background traffic of the browser itself is switched off so that the
// network log holds only what the page asks for.
func newBrowser(t testing.TB, timeout time.Duration) context.Context {
	t.Helper()
	if !haveChromium() {
		unavailable(t, "no Chromium or Chrome on PATH (make test installs Debian's chromium)")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-domain-reliability", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("no-pings", true),
		chromedp.WindowSize(1280, 900),
	)
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	t.Cleanup(cancel)
	ctx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	t.Cleanup(cancelAlloc)
	ctx, cancelTab := chromedp.NewContext(ctx)
	t.Cleanup(cancelTab)
	if err := chromedp.Run(ctx); err != nil {
		t.Fatalf("starting Chromium: %v", err)
	}
	return ctx
}

// activity records what a page and its workers did: every request they
// asked for, every error they logged or threw, and every dialog (alert,
// confirm, prompt) they opened.
type activity struct {
	mu       sync.Mutex
	requests []string
	errors   []string
	workers  chan error // one value per worker attached, nil on success
}

// watch starts recording the tab of ctx and every worker it starts. Each
// new worker is held before it runs its first line until it is attached
// and recorded too, so not even its first request goes unseen.
func watch(t *testing.T, ctx context.Context) *activity {
	t.Helper()
	a := &activity{workers: make(chan error, 8)}
	chromedp.ListenTarget(ctx, func(ev any) {
		switch e := ev.(type) {
		case *target.EventAttachedToTarget:
			if e.TargetInfo.Type == "worker" {
				go a.attachWorker(ctx, e.TargetInfo.TargetID)
			}
			return
		case *page.EventJavascriptDialogOpening:
			// Answer it, or the page would wait forever.
			go chromedp.Run(ctx, page.HandleJavaScriptDialog(false))
		}
		a.record("page", ev)
	})
	if err := chromedp.Run(ctx, target.SetAutoAttach(true, true).WithFlatten(true)); err != nil {
		t.Fatalf("asking Chromium to hold new workers: %v", err)
	}
	return a
}

func (a *activity) attachWorker(ctx context.Context, id target.ID) {
	// The worker's context ends with the tab's; cancelling it early would
	// close the worker.
	wctx, _ := chromedp.NewContext(ctx, chromedp.WithTargetID(id))
	chromedp.ListenTarget(wctx, func(ev any) { a.record("worker", ev) })
	err := chromedp.Run(wctx, runtime.RunIfWaitingForDebugger())
	if err != nil {
		err = fmt.Errorf("attaching to worker %s: %w", id, err)
	}
	a.workers <- err
}

func (a *activity) record(where string, ev any) {
	a.mu.Lock()
	defer a.mu.Unlock()
	switch e := ev.(type) {
	case *network.EventRequestWillBeSent:
		a.requests = append(a.requests, e.Request.URL)
	case *runtime.EventExceptionThrown:
		a.errors = append(a.errors, fmt.Sprintf("%s: exception: %s", where, e.ExceptionDetails.Error()))
	case *log.EventEntryAdded:
		if e.Entry.Level == log.LevelError {
			a.errors = append(a.errors, fmt.Sprintf("%s: %s: %s (%s)", where, e.Entry.Source, e.Entry.Text, e.Entry.URL))
		}
	case *runtime.EventConsoleAPICalled:
		if e.Type == runtime.APITypeError || e.Type == runtime.APITypeAssert {
			var args []string
			for _, arg := range e.Args {
				args = append(args, string(arg.Value)+arg.Description)
			}
			a.errors = append(a.errors, fmt.Sprintf("%s: console.%s: %s", where, e.Type, strings.Join(args, " ")))
		}
	case *page.EventJavascriptDialogOpening:
		a.errors = append(a.errors, fmt.Sprintf("%s: a %s dialog opened: %q", where, e.Type, e.Message))
	}
}

// check fails t for each request that left origin (or the other allowed
// origins) and each error logged. It returns the paths requested from
// origin.
func (a *activity) check(t *testing.T, origin string, allowed ...string) []string {
	t.Helper()
	a.mu.Lock()
	defer a.mu.Unlock()
	var paths []string
	for _, u := range a.requests {
		switch {
		case strings.HasPrefix(u, origin+"/"):
			paths = append(paths, strings.TrimPrefix(u, origin))
		case strings.HasPrefix(u, "blob:"), strings.HasPrefix(u, "data:"):
		case slices.ContainsFunc(allowed, func(o string) bool { return strings.HasPrefix(u, o+"/") }):
		default:
			t.Errorf("the page made a request beyond its own files: %s", u)
		}
	}
	for _, e := range a.errors {
		t.Errorf("the page logged an error: %s", e)
	}
	return paths
}

// haveChromium reports whether one of the browsers chromedp starts by
// default is on PATH.
func haveChromium() bool {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "headless-shell", "headless_shell", "chrome"} {
		if _, err := exec.LookPath(name); err == nil {
			return true
		}
	}
	return false
}
