//go:build !js

package e2e

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// hostile is markup that must show as text wherever it lands. Executed,
// it would open a dialog; parsed as HTML, it would make nodes that
// hostileScan finds.
const hostile = `<img src=x onerror=alert('hook')><script>alert('hook')</script></textarea>"'><a href="javascript:alert('a')">x</a>`

// hook runs in the page before its own scripts. It stands between the page
// and its worker: it makes every rule's doc, title and references hostile,
// adds a hostile next step and generated file to every report, and answers
// canI and simulateTrust itself (announcing them, should the wasm lack
// them) with a hostile result, recording their calls in window.__toolCalls.
var hook = `(() => {
const hostile = ` + jsString(hostile) + `;
window.__toolCalls = [];
const fakeTools = ["canI", "simulateTrust"];
const rewrite = (data) => {
  if (data.type === "ready") return { ...data, functions: [...new Set([...data.functions, ...fakeTools])] };
  if (typeof data.result !== "string") return data;
  if (data.result.startsWith('[{"id"')) {
    const rules = JSON.parse(data.result).map((r) => ({ ...r, title: hostile, doc: hostile + "\n\n" + hostile,
      references: ["javascript:alert('ref')", "https://example.com/\"><img src=x onerror=alert('ref')>", hostile] }));
    return { ...data, result: JSON.stringify(rules) };
  }
  if (data.result.startsWith('{"schema"')) {
    const r = JSON.parse(data.result);
    if (!r.error) {
      r.next.push({ title: hostile, detail: hostile, command: hostile });
      r.artifacts.push({ title: hostile, filename: "../<img src=x onerror=alert(1)>.yaml", content: hostile });
    }
    return { ...data, result: JSON.stringify(r) };
  }
  return data;
};
const onmessage = Object.getOwnPropertyDescriptor(Worker.prototype, "onmessage");
Object.defineProperty(Worker.prototype, "onmessage", {
  configurable: true,
  get() { return onmessage.get.call(this); },
  set(fn) {
    this.__deliver = (data) => fn({ data });
    onmessage.set.call(this, (e) => fn({ data: rewrite(e.data) }));
  },
});
const post = Worker.prototype.postMessage;
Worker.prototype.postMessage = function (msg, ...rest) {
  if (msg && fakeTools.includes(msg.fn)) {
    window.__toolCalls.push(msg);
    setTimeout(() => this.__deliver({ id: msg.id, result: JSON.stringify({ allowed: false, reason: hostile }) }), 0);
    return;
  }
  return post.call(this, msg, ...rest);
};
})();`

// hostileScan lists what hostile text would have made had it been parsed
// as HTML anywhere in the document or its shadow roots: elements that run
// or load things, event handler attributes, javascript: URLs.
const hostileScan = `(() => {
const roots = [document];
const bad = [];
for (let i = 0; i < roots.length; i++) {
  for (const el of roots[i].querySelectorAll("*")) {
    if (el.shadowRoot) roots.push(el.shadowRoot);
    const tag = el.localName;
    if (["img", "svg", "iframe", "object", "embed", "frame", "math"].includes(tag)) bad.push("<" + tag + ">");
    if (tag === "script" && !el.src) bad.push("inline <script>");
    if (tag === "script" && el.src && !el.src.startsWith(location.origin + "/")) bad.push("<script src=" + el.src + ">");
    for (const a of el.attributes) {
      if (/^on/i.test(a.name)) bad.push("<" + tag + " " + a.name + ">");
      if (/^\s*javascript:/i.test(a.value)) bad.push("<" + tag + " " + a.name + "=javascript:…>");
    }
  }
}
return bad;
})()`

// TestHostileInput pastes markup and script into the page, with the
// worker's answers made hostile too, and checks that everything renders as
// text: in the findings, the rule docs, the diff, the redacted view, next
// steps, generated files, the tool forms, the share link and the page it
// opens. The tab's recorder fails the test on any dialog or error.
func TestHostileInput(t *testing.T) {
	s := newSite(t)
	input, err := os.ReadFile("testdata/hostile.md")
	if err != nil {
		t.Fatal(err)
	}

	ctx, _ := s.tab(t, desktop)
	dir := t.TempDir()
	downloads := watchDownloads(t, ctx, dir)
	var link string
	var calls []struct {
		Fn   string   `json:"fn"`
		Args []string `json:"args"`
	}
	run(t, ctx,
		addScript(hook),
		chromedp.Navigate(s.url+"/"),
		waitReady(),
		paste(string(input)),
	)
	checkRendersAsText(t, ctx, "the pasted page")

	run(t, ctx,
		chromedp.SetValue("#tool-canI-who", "developer:jane", chromedp.ByID),
		chromedp.SetValue("#tool-canI-verb", "get", chromedp.ByID),
		click("#tool-canI button[type=submit]"),
		chromedp.SetValue("#tool-simulateTrust-request", `{"sub": "system:serviceaccount:a:b"}`, chromedp.ByID),
		click("#tool-simulateTrust button[type=submit]"),
		chromedp.Poll(`[...document.querySelectorAll("#tools .tool-answer")].filter((p) => p.textContent.includes("onerror")).length === 2`, nil,
			chromedp.WithPollingTimeout(10*time.Second)),
		chromedp.Evaluate(`window.__toolCalls`, &calls),
	)
	if len(calls) != 2 || calls[0].Fn != "canI" || calls[1].Fn != "simulateTrust" {
		t.Fatalf("the tool forms should call canI and simulateTrust once each, got %+v", calls)
	}
	for i, want := range []string{`"verb":"get"`, `{"sub":"system:serviceaccount:a:b"}`} {
		if c := calls[i]; len(c.Args) != 2 || c.Args[0] != string(input) || !strings.Contains(c.Args[1], want) {
			t.Errorf("%s should get the pasted text and a request with %s, got %q", c.Fn, want, c.Args)
		}
	}
	checkRendersAsText(t, ctx, "the page with tool results")

	run(t, ctx,
		click(`#artifacts .artifact:last-child button[aria-label^="Download"]`),
	)
	name, content := downloads.wait(t, ctx)
	if strings.ContainsAny(name, `/\<>`) || !strings.HasSuffix(name, ".yaml") || content != hostile {
		t.Errorf("a generated file should download under a safe name with its content: %q %q", name, content)
	}

	run(t, ctx, clearClipboard(), click("#share"),
		chromedp.Poll(`document.getElementById("share-note").textContent !== ""`, nil),
		clipboard(&link))
	if shared := decodeShare(t, link); !strings.Contains(shared, `<script>alert("title")</script>`) {
		t.Errorf("the share link should carry the (redacted) text as it is: %q", shared)
	}

	ctx2, _ := s.tab(t, desktop)
	run(t, ctx2,
		addScript(hook),
		chromedp.Navigate(link),
		waitReady(),
		chromedp.Poll(`Number(document.getElementById("results").dataset.renders || 0) > 0 &&
			document.getElementById("results").getAttribute("aria-busy") === "false"`, nil, chromedp.WithPollingTimeout(30*time.Second)),
	)
	checkRendersAsText(t, ctx2, "the page a share link opened")
}

// checkRendersAsText opens every disclosure, then fails t if the page made
// nodes from hostile text or does not show that text where it belongs.
func checkRendersAsText(t *testing.T, ctx context.Context, where string) {
	t.Helper()
	var bad []string
	var shown map[string]bool
	run(t, ctx,
		chromedp.Evaluate(`for (const d of document.querySelectorAll("details")) d.open = true`, nil),
		chromedp.Evaluate(hostileScan, &bad),
		chromedp.Evaluate(js(`
const has = (e, s) => !!e && e.textContent.includes(s);
const tools = [...document.querySelectorAll("#tools .tool-answer")].filter((p) => p.textContent !== "");
return {
  "finding's document title": has($("findings"), "(Unauthorized) <img src=x onerror=al"),
  "rule doc": has(document.querySelector("#results .explain-body p"), "<script>alert('hook')</script>"),
  "rule reference": [...document.querySelectorAll("#results .refs li")].some((li) => li.textContent === "javascript:alert('ref')"),
  "diff": has($("diff"), "<script>alert('u')</script>"),
  "redacted view": has($("redacted"), "</textarea><img src=x onerror=alert(\"img\")>"),
  "next step": has($("next"), "<script>alert('hook')</script>"),
  "generated file": has($("artifacts"), "<img src=x onerror=alert('hook')>"),
  "editor": has(editorRoot().querySelector(".cm-content"), "<svg onload=alert(\"svg\")>"),
  "tool results": tools.length === 0 || tools.every((p) => has(p, "onerror=alert('hook')")),
};`), &shown, awaitPromise),
	)
	for _, b := range bad {
		t.Errorf("%s: hostile text became a node or attribute: %s", where, b)
	}
	for place, ok := range shown {
		if !ok {
			t.Errorf("%s: the %s does not show the hostile text as text", where, place)
		}
	}
}

// addScript runs source in every document the tab loads, before its scripts.
func addScript(source string) chromedp.Action {
	return chromedp.ActionFunc(func(ctx context.Context) error {
		_, err := page.AddScriptToEvaluateOnNewDocument(source).Do(ctx)
		return err
	})
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`, "<", `\x3c`)
	return `"` + r.Replace(s) + `"`
}
