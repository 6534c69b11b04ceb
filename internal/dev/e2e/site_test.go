//go:build !js

package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/eksdoctor/eksdoctor/internal/webserve"
)

const (
	dist = "../../../dist"
	// meta is what site/build.mjs writes beside dist: the files a first
	// visit loads and the content-hashed ones.
	meta = "../../../bin/site.json"
	// budget is the first-visit weight allowed, brotli (site/size.mjs).
	budget = 2_000_000
)

// siteMeta is the part of meta the tests read.
type siteMeta struct {
	FirstVisit []string `json:"firstVisit"`
	// WasmFull is the module the worker fetches for Terraform.
	WasmFull  string   `json:"wasmFull"`
	Immutable []string `json:"immutable"`
}

// site is the built site served over HTTP and one headless Chromium that
// the scenarios open tabs in.
type site struct {
	url     string
	meta    siteMeta
	browser context.Context
}

// newSite serves dist/ and starts Chromium for the scenarios of t.
func newSite(t *testing.T) *site { return newSiteWithWorkerHook(t, "") }

// newSiteWithWorkerHook is newSite with hook, a script, run in the worker
// before worker.js: it reaches what the page cannot, the module's API.
func newSiteWithWorkerHook(t *testing.T, hook string) *site {
	t.Helper()
	s := &site{meta: readMeta(t), browser: newBrowser(t, 10*time.Minute)}
	files := webserve.Handler(os.DirFS(dist))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := path.Base(r.URL.Path)
		if hook == "" || !strings.HasPrefix(name, "worker.") || path.Ext(name) != ".js" {
			files.ServeHTTP(w, r)
			return
		}
		worker, err := os.ReadFile(filepath.Join(dist, name))
		if err != nil {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/javascript")
		w.Write(append([]byte(hook+"\n"), worker...))
	}))
	t.Cleanup(srv.Close)
	s.url = srv.URL
	if err := chromedp.Run(s.browser, allowClipboard(s.url)); err != nil {
		t.Fatal(err)
	}
	return s
}

// viewport is a window size to emulate.
type viewport struct {
	name          string
	width, height int64
	mobile        bool
}

var (
	desktop = viewport{"desktop", 1280, 800, false}
	phone   = viewport{"phone", 390, 844, true}
)

// tab opens a new tab of the size of vp, recording what it does. When the
// test ends, it fails the test for any request beyond the site's own
// files (and those of the other origins given), any error the page or
// its worker logged, and any dialog.
func (s *site) tab(t *testing.T, vp viewport, origins ...string) (context.Context, *activity) {
	t.Helper()
	ctx, cancel := chromedp.NewContext(s.browser)
	ctx, cancelTimeout := context.WithTimeout(ctx, 2*time.Minute)
	t.Cleanup(func() { cancelTimeout(); cancel() })
	if err := chromedp.Run(ctx); err != nil {
		t.Fatalf("opening a tab: %v", err)
	}
	seen := watch(t, ctx)
	// A new tab starts hidden, where animation frames (which CodeMirror
	// and chromedp.Poll wait for) never come.
	if err := chromedp.Run(ctx, page.BringToFront(), emulate(vp)); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { seen.check(t, s.url, origins...) })
	return ctx, seen
}

// emulate sets the tab's viewport; a phone gets touch and a device scale of 2.
func emulate(vp viewport) chromedp.Action {
	if vp.mobile {
		return chromedp.EmulateViewport(vp.width, vp.height, chromedp.EmulateMobile, chromedp.EmulateScale(2))
	}
	return chromedp.EmulateViewport(vp.width, vp.height)
}

// colorScheme makes the tab's system preference light or dark.
func colorScheme(scheme string) chromedp.Action {
	return emulation.SetEmulatedMedia().WithFeatures([]*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}})
}

// allowClipboard lets pages of origin read and write the clipboard, as a
// person would allow it, so the test can read back what the page copied.
func allowClipboard(origin string) chromedp.Action {
	return chromedp.ActionFunc(func(ctx context.Context) error {
		browserCtx := cdp.WithExecutor(ctx, chromedp.FromContext(ctx).Browser)
		for _, name := range []string{"clipboard-read", "clipboard-write"} {
			err := browser.SetPermission(&browser.PermissionDescriptor{Name: name}, browser.PermissionSettingGranted).
				WithOrigin(origin).Do(browserCtx)
			if err != nil {
				return err
			}
		}
		return nil
	})
}

func awaitPromise(p *runtime.EvaluateParams) *runtime.EvaluateParams {
	return p.WithAwaitPromise(true)
}

// readMeta reads what site/build.mjs says about dist/, failing unless
// dist/ holds a built site.
func readMeta(t testing.TB) siteMeta {
	t.Helper()
	requireDist(t)
	data, err := os.ReadFile(meta)
	if err != nil {
		t.Fatalf("%v (make dist writes it)", err)
	}
	var m siteMeta
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatalf("%s: %v", meta, err)
	}
	return m
}

// requireDist stops the test unless dist/ holds a built site.
func requireDist(t testing.TB) {
	t.Helper()
	wasm, _ := filepath.Glob(filepath.Join(dist, "*.wasm"))
	if _, err := os.Stat(filepath.Join(dist, "index.html")); err != nil || len(wasm) != 1 {
		unavailable(t, fmt.Sprintf("dist/ holds no built site (want index.html and exactly one .wasm, found %d): run `make dist` first (`make test` does)", len(wasm)))
	}
}

// requiredEnv, set to 1 (make test and make bench do), makes a missing
// site or browser fail the end-to-end tests instead of skipping them, so
// that go test ./... passes on a fresh clone and make test never passes
// without them.
const requiredEnv = "EKSDOCTOR_E2E_REQUIRED"

// unavailable skips the test for why, or fails it when requiredEnv is set.
func unavailable(t testing.TB, why string) {
	t.Helper()
	if os.Getenv(requiredEnv) == "1" {
		t.Fatal(why)
	}
	t.Skip(why)
}

// js wraps a function body so it runs with the page's helpers at hand:
// $(id), editorRoot (the page editor's shadow root), renders() and idle().
func js(body string) string {
	return `(async () => {
const $ = (id) => document.getElementById(id);
const editorRoot = () => $("editor")?.shadowRoot;
` + body + `
})()`
}

// waitReady waits until the page has loaded eksdoctor and its editor.
func waitReady() chromedp.Action {
	return chromedp.Poll(`document.getElementById("version")?.textContent !== "…" &&
		!!document.getElementById("editor")?.shadowRoot?.querySelector(".cm-content")`, nil,
		chromedp.WithPollingTimeout(60*time.Second))
}

// renders reads how many results the page has rendered so far.
func renders(n *int) chromedp.Action {
	return chromedp.Evaluate(`Number(document.getElementById("results").dataset.renders || 0)`, n)
}

// waitRendered waits until the page rendered more than after results and
// has no analysis pending.
func waitRendered(after *int) chromedp.Action {
	return chromedp.ActionFunc(func(ctx context.Context) error {
		return chromedp.Poll(`(() => { const r = document.getElementById("results");
			return Number(r.dataset.renders || 0) > `+strconv.Itoa(*after)+` && r.getAttribute("aria-busy") === "false"; })()`, nil,
			chromedp.WithPollingTimeout(30*time.Second)).Do(ctx)
	})
}

// act runs actions that start an analysis and waits for its result.
func act(actions ...chromedp.Action) chromedp.Action {
	var before int
	return chromedp.Tasks{renders(&before), chromedp.Tasks(actions), waitRendered(&before)}
}

// paste types text into the page's editor as a paste would.
func paste(text string) chromedp.Action {
	return act(
		chromedp.Evaluate(js(`editorRoot().querySelector(".cm-content").focus();`), nil, awaitPromise),
		input.InsertText(text),
	)
}

// click clicks the visible element of a CSS selector, as a mouse would.
func click(selector string) chromedp.Action {
	return chromedp.Click(selector, chromedp.ByQuery, chromedp.NodeVisible)
}

// result is what the page shows for a report.
type result struct {
	Status   string    `json:"status"`
	Summary  string    `json:"summary"`
	Kinds    []string  `json:"kinds"`
	Findings []finding `json:"findings"`
	Diff     string    `json:"diff"`
	Redacted string    `json:"redacted"`
	Next     string    `json:"next"`
	Error    bool      `json:"error"`
	// Headline is the rule of the headline card, Label its heading, and
	// State "unrecognised" or "clean" when the card says why there is
	// no finding.
	Headline string `json:"headline"`
	Label    string `json:"label"`
	State    string `json:"state"`
	// Card is the headline card's text.
	Card string `json:"card"`
}

// finding is one finding as the page lists it.
type finding struct {
	Rule     string `json:"rule"`
	Line     int    `json:"line"`
	Severity string `json:"severity"`
	Text     string `json:"text"`
}

// readResult reads the page's results.
func readResult(r *result) chromedp.Action {
	return chromedp.Evaluate(js(`
const text = (id) => $(id).textContent;
return {
  status: text("status"),
  summary: text("summary"),
  kinds: [...document.querySelectorAll("#findings .kind")].map((e) => e.textContent),
  findings: [...document.querySelectorAll("#headline .finding, #findings li.finding")].map((li) => ({
    rule: li.dataset.rule, line: Number(li.dataset.line),
    severity: li.querySelector(".badge").textContent, text: li.textContent,
  })),
  diff: $("fix-section").hidden ? "" : [...$("diff").children].map((s) => s.textContent).join("\n"),
  redacted: [...$("redacted").children].map((s) => s.textContent).join("\n"),
  next: $("next-section").hidden ? "" : text("next"),
  error: $("status").classList.contains("error"),
  headline: $("headline-section").hidden ? "" : $("headline").firstChild?.dataset.rule || "",
  label: $("headline-section").hidden ? "" : $("headline-title")?.textContent || "",
  state: $("headline").firstChild?.dataset.state || "",
  card: $("headline-section").hidden ? "" : text("headline"),
};`), r, awaitPromise)
}

// clipboard reads the clipboard.
func clipboard(s *string) chromedp.Action {
	return chromedp.Evaluate(`navigator.clipboard.readText()`, s, awaitPromise)
}

// copyRedacted clicks "Copy redacted" and reads what it copied.
func copyRedacted(s *string) chromedp.Action {
	return chromedp.Tasks{
		clearClipboard(),
		click("#copy-redacted"),
		chromedp.Poll(`document.getElementById("status").textContent.includes("redacted")`, nil),
		clipboard(s),
	}
}

// clearClipboard empties the clipboard, so a later read shows a new copy.
func clearClipboard() chromedp.Action {
	return chromedp.Evaluate(`navigator.clipboard.writeText("")`, nil, awaitPromise)
}
