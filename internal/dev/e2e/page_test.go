//go:build !js

package e2e

import (
	"bytes"
	"compress/flate"
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// realAccount is the account id in the samples; the page must only show
// its pseudonym, and what it copies or downloads must have it back.
const realAccount = "483920175521"

// example is what a gallery example must show. Kinds are the kinds of
// its documents; Rules are rules that must fire (the example's point).
// Every example names at least one rule once its family has landed.
type example struct {
	Kinds []string
	Rules []string
}

var examples = map[string]example{
	"kubectl-logs-403":      {Kinds: []string{"error-text", "k8s-role", "k8s-rolebinding"}, Rules: []string{"RBAC001"}},
	"unauthorized-sso-path": {Kinds: []string{"caller-identity", "error-text", "aws-auth"}, Rules: []string{"AUTH001", "ERR001"}},
	"irsa-node-role":        {Kinds: []string{"error-text", "k8s-serviceaccount", "k8s-workload"}, Rules: []string{"IRSA015"}},
	"aws-auth-masters":      {Kinds: []string{"aws-auth"}, Rules: []string{"AUTH002"}},
	"access-entries":        {Kinds: []string{"error-text", "access-entries", "access-entries"}, Rules: []string{"ERR024"}},
	"rbac-nodes-proxy":      {Kinds: []string{"k8s-clusterrole", "k8s-clusterrolebinding"}, Rules: []string{"RBAC020"}},
	"irsa-trust-policy":     {Kinds: []string{"iam-trust-policy", "k8s-serviceaccount", "error-text"}, Rules: []string{"IRSA013"}},
	"pod-identity":          {Kinds: []string{"iam-trust-policy", "error-text", "k8s-serviceaccount"}, Rules: []string{"PODID001"}},
	"kubeconfig-v1alpha1":   {Kinds: []string{"kubeconfig"}, Rules: []string{"KCFG001"}},
	"terraform-nodes":       {Kinds: []string{"terraform"}, Rules: []string{"TF003", "TF004"}}, // from the full module
	"errors":                {Kinds: []string{"error-text"}, Rules: []string{"ERR014", "ERR001"}},
}

// TestPage drives the built page in headless Chromium, one scenario per
// subtest, each in its own tab; every scenario fails on a request beyond
// the page's own files, a logged error or a dialog.
func TestPage(t *testing.T) {
	s := newSite(t)
	sample, err := os.ReadFile("testdata/aws-auth-masters.yaml")
	if err != nil {
		t.Fatal(err)
	}

	t.Run("paste", func(t *testing.T) {
		ctx, seen := s.tab(t, desktop)
		var version string
		var r result
		run(t, ctx,
			chromedp.Navigate(s.url+"/"),
			waitReady(),
			chromedp.Text("#version", &version, chromedp.ByID),
			paste(string(sample)),
			readResult(&r),
		)
		waitForWorker(t, ctx, seen)
		if version == "" || version == "…" {
			t.Errorf("the page shows no version: %q", version)
		}
		masters := filter(r.Findings, func(f finding) bool { return f.Rule == "AUTH002" })
		if len(masters) != 1 || masters[0].Line != 16 || masters[0].Severity != "high" || !strings.Contains(masters[0].Text, "line 16:11") {
			t.Errorf("want one high AUTH002 finding at line 16:11, got %+v", r.Findings)
		}
		var noteShown bool
		run(t, ctx, chromedp.Evaluate(`!document.getElementById("harden-note").hidden`, &noteShown))
		if strings.Contains(r.Diff, "system:masters") || !noteShown {
			t.Errorf("by default the fix holds repairs only, and the page says the hardening waits for the box (note shown %v):\n%s", noteShown, r.Diff)
		}
		var hardened, preview result
		run(t, ctx, harden(), readResult(&hardened), act(click("#share-preview")), readResult(&preview))
		if !strings.Contains(hardened.Diff, "-        - system:masters") || !strings.Contains(hardened.Diff, "+kind: ClusterRoleBinding") ||
			!strings.Contains(hardened.Diff, realAccount) || strings.Contains(hardened.Diff, "100000000001") {
			t.Errorf("with hardening, the diff should bind the new group, remove system:masters and show the real account id:\n%s", hardened.Diff)
		}
		if strings.Contains(preview.Diff, realAccount) || !strings.Contains(preview.Diff, "arn:aws:iam::100000000001:role/developer") ||
			strings.Contains(preview.Card, realAccount) {
			t.Errorf("showing stand-ins, the card and the diff should hold no real account id:\n%s\n%s", preview.Card, preview.Diff)
		}
		if strings.Contains(r.Redacted, realAccount) || !strings.Contains(r.Redacted, "arn:aws:iam::100000000001:role/developer") {
			t.Errorf("the redacted view should show the stand-in, not the account id:\n%s", r.Redacted)
		}
		paths := seen.check(t, s.url)
		for _, want := range []string{"/", "/examples/manifest.json"} {
			if !slices.Contains(paths, want) {
				t.Errorf("no request for %s was seen (is the log complete?); requests: %v", want, paths)
			}
		}
		for _, f := range s.meta.FirstVisit {
			if f != "index.html" && f != "examples/manifest.json" && !slices.Contains(paths, "/"+f) {
				t.Errorf("no request for %s was seen (is the log complete?); requests: %v", f, paths)
			}
		}
	})

	t.Run("examples", func(t *testing.T) {
		ctx, seen := s.tab(t, desktop)
		leads := galleryLeads(t)
		var ids []string
		run(t, ctx, chromedp.Navigate(s.url+"/"), waitReady(),
			chromedp.Evaluate(`[...document.querySelectorAll("#gallery button")].map((b) => b.dataset.example)`, &ids))
		for id := range examples {
			if !slices.Contains(ids, id) {
				t.Errorf("the gallery has no example %q", id)
			}
		}
		for _, id := range ids {
			want, ok := examples[id]
			if !ok {
				t.Errorf("example %q has no expectations in this test: add them to examples", id)
				continue
			}
			var r result
			var pressed string
			run(t, ctx,
				act(click(`#gallery button[data-example="`+id+`"]`)),
				readResult(&r),
				chromedp.AttributeValue(`#gallery button[data-example="`+id+`"]`, "aria-pressed", &pressed, nil, chromedp.ByQuery))
			if r.Error {
				t.Errorf("%s: the page shows an error: %s", id, r.Status)
			}
			if !slices.Equal(slices.Sorted(slices.Values(r.Kinds)), slices.Sorted(slices.Values(want.Kinds))) {
				t.Errorf("%s: document kinds %v, want %v", id, r.Kinds, want.Kinds)
			}
			for _, rule := range want.Rules {
				if !slices.ContainsFunc(r.Findings, func(f finding) bool { return f.Rule == rule }) {
					t.Errorf("%s: no %s finding; findings: %+v", id, rule, r.Findings)
				}
			}
			if pressed != "true" {
				t.Errorf("%s: the example's button is not marked pressed", id)
			}
			lead := leads[id]
			if label := map[bool]string{true: "Most likely cause", false: "Most serious finding"}[lead.Cause != ""]; r.Headline != lead.Cause+lead.Top || r.Label != label {
				t.Errorf("%s: the headline card shows %s under %q, want %s%s under %q", id, r.Headline, r.Label, lead.Cause, lead.Top, label)
			}
			t.Logf("%s: %s", id, r.Summary)
		}
		waitForWorker(t, ctx, seen)
		if paths := seen.check(t, s.url); !slices.Contains(paths, "/"+s.meta.WasmFull) {
			t.Errorf("the Terraform example should have loaded the full module %s; requests: %v", s.meta.WasmFull, paths)
		}
	})

	t.Run("jump", func(t *testing.T) {
		ctx, _ := s.tab(t, desktop)
		var r result
		var line, selected string
		var focused bool
		run(t, ctx,
			chromedp.Navigate(s.url+"/#example=aws-auth-masters"),
			waitReady(),
			chromedp.Poll(`document.querySelectorAll("#results .finding[data-rule=AUTH002]").length === 2`, nil, chromedp.WithPollingTimeout(30*time.Second)),
			readResult(&r),
			chromedp.Evaluate(`document.querySelectorAll("#results .finding[data-rule=AUTH002] .where")[1].click()`, nil),
			chromedp.Evaluate(js(`return editorRoot().querySelector(".cm-activeLineGutter").textContent;`), &line, awaitPromise),
			chromedp.Evaluate(js(`return editorRoot().getSelection().toString();`), &selected, awaitPromise),
			chromedp.Evaluate(js(`return editorRoot().activeElement?.classList.contains("cm-content") === true;`), &focused, awaitPromise),
		)
		masters := filter(r.Findings, func(f finding) bool { return f.Rule == "AUTH002" })
		if len(masters) != 2 {
			t.Fatalf("want 2 AUTH002 findings, got %+v", r.Findings)
		}
		if want := masters[1].Line; line != strconv.Itoa(want) {
			t.Errorf("after clicking the finding of line %d, the editor's current line is %q", want, line)
		}
		if selected != "system:masters" || !focused {
			t.Errorf("the editor should be focused with the finding's range selected; selected %q, focused %v", selected, focused)
		}
		var markers int
		run(t, ctx, chromedp.Evaluate(js(`return editorRoot().querySelectorAll(".cm-marker.sev-high").length;`), &markers, awaitPromise))
		if markers != 2 {
			t.Errorf("the editor's gutter should mark the 2 finding lines, found %d markers", markers)
		}
	})

	t.Run("copy-download", func(t *testing.T) {
		ctx, _ := s.tab(t, desktop)
		dir := t.TempDir()
		downloads := watchDownloads(t, ctx, dir)
		var copied, redacted, status string
		run(t, ctx,
			chromedp.Navigate(s.url+"/"),
			waitReady(),
			paste(string(sample)),
			harden(),
			clearClipboard(),
			click("#copy-fixed"),
			chromedp.Poll(`document.getElementById("status").textContent.startsWith("Copied")`, nil),
			clipboard(&copied),
			chromedp.Text("#status", &status, chromedp.ByID),
			click("#copy-redacted"),
			chromedp.Poll(`document.getElementById("status").textContent.includes("redacted")`, nil),
			clipboard(&redacted),
			click("#download-fixed"),
		)
		binding, configMap, _ := strings.Cut(copied, "---\n")
		if strings.Contains(copied, "system:masters") || !strings.Contains(binding, "kind: ClusterRoleBinding") ||
			!strings.Contains(configMap, "arn:aws:iam::"+realAccount+":role/developer") ||
			strings.Count(configMap, "\n") != strings.Count(string(sample), "\n") {
			t.Errorf("the copied config should be the binding, then the fixed ConfigMap with its real values:\n%s", copied)
		}
		if strings.Contains(redacted, realAccount) || !strings.Contains(redacted, "system:masters") {
			t.Errorf("copy redacted should give the input with stand-ins:\n%s", redacted)
		}
		name, content := downloads.wait(t, ctx)
		if name != "aws-auth.yaml" || content != copied {
			t.Errorf("the download should be aws-auth.yaml with the copied config; got %s:\n%s", name, content)
		}
	})

	t.Run("secrets-masked-on-screen", func(t *testing.T) {
		const secret = "q7Rk2Vx9LmP4sT8wZ1nB6cY3hJ5dF0gA2eU7iO4k"
		ctx, _ := s.tab(t, desktop)
		var r result
		var copied string
		run(t, ctx,
			chromedp.Navigate(s.url+"/"),
			waitReady(),
			paste("# aws_secret_access_key = "+secret+"\n"+string(sample)),
			harden(),
			readResult(&r),
			clearClipboard(),
			click("#copy-fixed"),
			chromedp.Poll(`document.getElementById("status").textContent.startsWith("Copied")`, nil),
			clipboard(&copied),
		)
		if strings.Contains(r.Diff, secret) || !strings.Contains(r.Diff, "aws_secret_access_key = REDACTED") || !strings.Contains(r.Diff, realAccount) {
			t.Errorf("the diff should show the account id and keep the secret masked:\n%s", r.Diff)
		}
		if !strings.Contains(copied, secret) || !strings.Contains(copied, realAccount) {
			t.Errorf("the copy should give the real values, secret included:\n%s", copied)
		}
	})

	t.Run("answer-first", func(t *testing.T) {
		ctx, _ := s.tab(t, desktop)
		var r, preview result
		var copied, status string
		run(t, ctx,
			chromedp.Navigate(s.url+"/#example=unauthorized-sso-path"),
			waitReady(),
			chromedp.Poll(`document.querySelector("#headline [data-rule]")?.dataset.rule === "AUTH001"`, nil, chromedp.WithPollingTimeout(30*time.Second)),
			readResult(&r),
			clearClipboard(),
			click("#copy-headline"),
			chromedp.Poll(`document.getElementById("status").textContent.startsWith("Copied")`, nil),
			clipboard(&copied),
			chromedp.Text("#status", &status, chromedp.ByID),
			act(click("#share-preview")),
			readResult(&preview),
		)
		if !strings.Contains(r.Card, "role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_Developer_5b7a1e9c2f3d4a61") ||
			!strings.Contains(r.Card, "Line to change") || !strings.Contains(r.Card, realAccount) || strings.Contains(r.Card, "100000000001") {
			t.Errorf("the card should name the cause with the line to change and the real account id:\n%s", r.Card)
		}
		if !strings.HasPrefix(copied, "apiVersion: v1\nkind: ConfigMap") || strings.Contains(copied, "```") || strings.Contains(copied, "Describe the bug") ||
			!strings.Contains(copied, "rolearn: arn:aws:iam::"+realAccount+":role/AWSReservedSSO_Developer_5b7a1e9c2f3d4a61") {
			t.Errorf("the card's copy should give the fixed ConfigMap alone, with the real values (%s):\n%s", status, copied)
		}
		if strings.Contains(preview.Card, realAccount) || !strings.Contains(preview.Card, "100000000001") {
			t.Errorf("showing stand-ins, the card should hold the stand-in only:\n%s", preview.Card)
		}
		first := slices.IndexFunc(r.Findings, func(f finding) bool { return f.Rule == "AUTH001" })
		info := slices.IndexFunc(r.Findings, func(f finding) bool { return f.Severity == "info" })
		if first != 0 || info < 0 || info < slices.IndexFunc(r.Findings, func(f finding) bool { return f.Rule == "ERR001" }) {
			t.Errorf("the cause should come first, the error next and the context last: %+v", r.Findings)
		}

		for _, c := range []struct{ text, state string }{
			{"Dear team, the build is green again. Thanks!\n", "unrecognised"},
			{"apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: reader\n  namespace: apps\nrules:\n- apiGroups: [\"\"]\n  resources: [\"pods\"]\n  verbs: [\"get\", \"list\"]\n", "clean"},
		} {
			var empty result
			run(t, ctx, act(chromedp.Evaluate(`document.getElementById("clear").click()`, nil)), paste(c.text), readResult(&empty))
			if empty.State != c.state || len(empty.Findings) != 0 {
				t.Errorf("%q: the card's state is %q with findings %+v, want %q", c.text, empty.State, empty.Findings, c.state)
			}
		}
	})

	t.Run("fixes-one-by-one", func(t *testing.T) {
		ctx, _ := s.tab(t, desktop)
		var before, one, none result
		var boxes, after []bool
		var copied string
		checks := func(out *[]bool) chromedp.Action {
			return chromedp.Evaluate(`[...document.querySelectorAll("input[data-fix]")].map((b) => b.checked)`, out)
		}
		run(t, ctx,
			chromedp.Navigate(s.url+"/#example=aws-auth-masters"),
			waitReady(),
			chromedp.Poll(`document.querySelectorAll("input[data-fix]").length === 2`, nil, chromedp.WithPollingTimeout(30*time.Second)),
			readResult(&before), checks(&boxes),
			act(click("input[data-fix]")),
			readResult(&one), checks(&after),
			clearClipboard(),
			click("#copy-fixed"),
			chromedp.Poll(`document.getElementById("status").textContent.startsWith("Copied")`, nil),
			clipboard(&copied),
			act(click("input[data-fix]")),
			readResult(&none),
		)
		if !slices.Equal(boxes, []bool{false, false}) || before.Diff != "" {
			t.Errorf("hardening fixes should start unticked and out of the diff: %v\n%s", boxes, before.Diff)
		}
		if !slices.Equal(after, []bool{true, false}) || !strings.Contains(one.Diff, "+kind: ClusterRoleBinding") || strings.Count(one.Diff, "-        - system:masters") != 1 {
			t.Errorf("ticking the first fix should apply it alone (boxes %v):\n%s", after, one.Diff)
		}
		// The example maps system:masters three times, and one fix is chosen.
		if strings.Count(copied, "system:masters") != 2 || !strings.Contains(copied, "kind: ClusterRoleBinding") || !strings.Contains(copied, realAccount) {
			t.Errorf("the copy should follow the choice, with real values:\n%s", copied)
		}
		if none.Diff != "" {
			t.Errorf("clearing the box should take the fix out again:\n%s", none.Diff)
		}
	})

	t.Run("share", func(t *testing.T) {
		ctx, _ := s.tab(t, desktop)
		var link, redacted string
		var before result
		run(t, ctx,
			chromedp.Navigate(s.url+"/"),
			waitReady(),
			paste(string(sample)),
			act(click("#share-preview")),
			readResult(&before),
			copyRedacted(&redacted),
			click("#share"),
			chromedp.Poll(`document.getElementById("share-note").textContent !== ""`, nil),
			clipboard(&link),
		)
		shared := decodeShare(t, link)
		if strings.Contains(link, realAccount) || strings.Contains(shared, realAccount) {
			t.Errorf("the share link carries the real account id: %s", shared)
		}
		if shared != redacted {
			t.Errorf("the share link should carry the redacted input\n got: %q\nwant: %q", shared, redacted)
		}

		ctx2, _ := s.tab(t, desktop)
		var after result
		var copied string
		run(t, ctx2,
			chromedp.Navigate(link),
			waitReady(),
			chromedp.Poll(`Number(document.getElementById("results").dataset.renders || 0) > 0 &&
				document.getElementById("results").getAttribute("aria-busy") === "false"`, nil, chromedp.WithPollingTimeout(30*time.Second)),
			readResult(&after),
			copyRedacted(&copied),
		)
		if !sameFindings(before.Findings, after.Findings) || before.Summary != after.Summary || before.Diff != after.Diff {
			t.Errorf("the shared link should open the same analysis\nbefore: %s %+v\n%s\nafter: %s %+v\n%s",
				before.Summary, before.Findings, before.Diff, after.Summary, after.Findings, after.Diff)
		}
		if copied != shared {
			t.Errorf("the shared page's text should be the shared text\n got: %q\nwant: %q", copied, shared)
		}
	})

	t.Run("theme", func(t *testing.T) {
		ctx, _ := s.tab(t, desktop)
		type look struct {
			Theme, Menu, Page, Editor, Stored string
		}
		read := func(l *look) chromedp.Action {
			return chromedp.Evaluate(js(`
const bg = (e) => getComputedStyle(e).backgroundColor;
return { theme: document.documentElement.dataset.theme || "", menu: $("theme").value, page: bg(document.body),
  editor: bg(editorRoot().querySelector(".cm-editor")), stored: localStorage.getItem("eksdoctor.theme") || "" };`), l, awaitPromise)
		}
		choose := func(v string) chromedp.Action {
			return chromedp.Evaluate(js(`const m = $("theme"); m.value = "`+v+`"; m.dispatchEvent(new Event("change", {bubbles: true}));`), nil, awaitPromise)
		}
		var sysLight, sysDark, dark, reloaded, light look
		run(t, ctx,
			colorScheme("light"),
			chromedp.Navigate(s.url+"/"), waitReady(), read(&sysLight),
			colorScheme("dark"), read(&sysDark),
			colorScheme("light"), choose("dark"), read(&dark),
			chromedp.Reload(), waitReady(), read(&reloaded),
			colorScheme("dark"), choose("light"), read(&light),
			choose("system"),
		)
		lightBG, darkBG := "rgb(245, 246, 248)", "rgb(18, 20, 25)"
		if sysLight.Page != lightBG || sysLight.Menu != "system" || sysDark.Page != darkBG {
			t.Errorf("with no choice the page should follow the system: light %+v, dark %+v", sysLight, sysDark)
		}
		if dark.Page != darkBG || dark.Theme != "dark" || dark.Stored != "dark" || dark.Editor == sysLight.Editor {
			t.Errorf("choosing dark on a light system should turn the page and the editor dark and remember it: %+v", dark)
		}
		if reloaded.Page != darkBG || reloaded.Menu != "dark" {
			t.Errorf("the dark choice should survive a reload: %+v", reloaded)
		}
		if light.Page != lightBG || light.Stored != "light" {
			t.Errorf("choosing light on a dark system should turn the page light: %+v", light)
		}
	})

	t.Run("embed", func(t *testing.T) {
		ctx, _ := s.tab(t, desktop)
		var state struct {
			Findings []string `json:"findings"`
			Diff     string   `json:"diff"`
			Open     string   `json:"open"`
			Leaked   []string `json:"leaked"`
		}
		var copied, line string
		run(t, ctx,
			chromedp.Navigate(s.url+"/docs.html"),
			chromedp.Poll(`(() => { const root = document.querySelector("eks-doctor")?.shadowRoot;
				const r = root?.querySelector(".results");
				return r && Number(r.dataset.renders || 0) > 0 && !r.hidden && root.querySelector("a.open").hash !== ""; })()`, nil,
				chromedp.WithPollingTimeout(60*time.Second)),
			chromedp.Evaluate(js(`
const root = document.querySelector("eks-doctor").shadowRoot;
const blank = document.createElement("iframe");
document.body.append(blank);
const standard = new Set(Object.getOwnPropertyNames(blank.contentWindow));
blank.remove();
return {
  findings: [...root.querySelectorAll("li.finding")].map((li) => li.dataset.rule + ":" + li.dataset.line),
  diff: root.querySelector(".diff").textContent,
  open: root.querySelector("a.open").href,
  leaked: Object.getOwnPropertyNames(window).filter((k) => !standard.has(k)),
};`), &state, awaitPromise),
			clearClipboard(),
			chromedp.Evaluate(`document.querySelector("eks-doctor").shadowRoot.querySelector(".fix button").click()`, nil),
			chromedp.Poll(`document.querySelector("eks-doctor").shadowRoot.querySelector(".status").textContent.startsWith("Copied")`, nil,
				chromedp.WithPollingTimeout(10*time.Second)),
			clipboard(&copied),
			chromedp.Evaluate(`document.querySelector("eks-doctor").shadowRoot.querySelector("li.finding[data-rule=AUTH001] .where").click()`, nil),
			chromedp.Evaluate(`document.querySelector("eks-doctor").shadowRoot.querySelector(".editor").shadowRoot.querySelector(".cm-activeLineGutter").textContent`, &line),
		)
		if !slices.Contains(state.Findings, "AUTH001:31") {
			t.Errorf("the embedded sandbox should show the AUTH001 finding on line 31, got %v", state.Findings)
		}
		if !strings.Contains(state.Diff, "+    - rolearn: arn:aws:iam::100000000001:role/AWSReservedSSO_Developer") {
			t.Errorf("the embedded sandbox should show the fix:\n%s", state.Diff)
		}
		if !strings.Contains(copied, "arn:aws:iam::"+realAccount+":role/AWSReservedSSO_Developer_5b7a1e9c2f3d4a61") {
			t.Errorf("the embedded sandbox should copy the fix with the real values:\n%s", copied)
		}
		if line != "31" {
			t.Errorf("clicking the finding in the sandbox should move its editor to line 31, got %q", line)
		}
		if u, err := url.Parse(state.Open); err != nil || u.Path != "/index.html" || !strings.HasPrefix(u.Fragment, "z=") {
			t.Errorf("the sandbox's link to the page should carry the redacted text: %s", state.Open)
		}
		if len(state.Leaked) > 0 {
			t.Errorf("the docs page has globals a blank page has not: %v", state.Leaked)
		}
	})

	t.Run("tools", func(t *testing.T) {
		ctx, _ := s.tab(t, desktop)
		var canI, trust, request, line string
		run(t, ctx,
			chromedp.Navigate(s.url+"/#example=kubectl-logs-403"),
			waitReady(),
			chromedp.WaitVisible("#tool-canI", chromedp.ByID),
			// The form is prefilled from the paste once it is analysed; wait
			// for that, so the values set below are the last word.
			chromedp.Poll(`document.getElementById("tool-canI-name").value !== ""`, nil, chromedp.WithPollingTimeout(20*time.Second)),
			chromedp.SetValue("#tool-canI-who", "developer:jane", chromedp.ByID),
			chromedp.SetValue("#tool-canI-groups", "developers", chromedp.ByID),
			chromedp.SetValue("#tool-canI-verb", "get", chromedp.ByID),
			chromedp.SetValue("#tool-canI-resource", "pods/log", chromedp.ByID),
			chromedp.SetValue("#tool-canI-namespace", "payments", chromedp.ByID),
			click("#tool-canI button[type=submit]"),
			chromedp.Poll(`document.getElementById("tool-canI-answer").textContent.length > 5`, nil, chromedp.WithPollingTimeout(10*time.Second)),
			chromedp.Evaluate(`document.getElementById("tool-canI-answer").textContent`, &canI),

			chromedp.Navigate("about:blank"),
			chromedp.Navigate(s.url+"/#example=irsa-trust-policy"),
			waitReady(),
			chromedp.Poll(`document.getElementById("tool-simulateTrust-request")?.value.includes("payments-api")`, nil,
				chromedp.WithPollingTimeout(20*time.Second)),
			chromedp.Value("#tool-simulateTrust-request", &request, chromedp.ByID),
			click("#tool-simulateTrust button[type=submit]"),
			chromedp.Poll(`document.getElementById("tool-simulateTrust-answer").textContent.length > 5`, nil, chromedp.WithPollingTimeout(10*time.Second)),
			chromedp.Evaluate(`document.getElementById("tool-simulateTrust-answer").textContent`, &trust),
			click(`#tool-simulateTrust-answer button[aria-label="Go to line 13 in the editor"]`),
			chromedp.Evaluate(js(`return editorRoot().querySelector(".cm-activeLineGutter").textContent;`), &line, awaitPromise),
		)
		if !strings.HasPrefix(canI, "no") || !strings.Contains(canI, "add pods/log") ||
			!strings.Contains(canI, "kubectl auth can-i get pods/payments-api-7d9f8b6c5-x2kqp --subresource=log -n payments --as=developer:jane") {
			t.Errorf("can-i should answer no, point at the missing pods/log and give the command:\n%s", canI)
		}
		if !strings.Contains(request, `"sub": "system:serviceaccount:payments:payments-api"`) || !strings.Contains(request, realAccount) {
			t.Errorf("the trust form should be prefilled from the paste, with its real values:\n%s", request)
		}
		if !strings.HasPrefix(trust, "implicit-deny") || !strings.Contains(trust, "system:serviceaccount:default:payments-api") {
			t.Errorf("the trust simulator should deny, naming the sub the policy wants:\n%s", trust)
		}
		if line != "13" {
			t.Errorf("a condition's line button should move the editor to line 13, got %q", line)
		}
	})

	t.Run("screenshots", func(t *testing.T) { screenshots(t, s) })

	t.Run("embed-cross-origin", func(t *testing.T) {
		// A documentation site on another origin, with a strict policy of
		// its own that lets in only eksdoctor's host.
		docs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Security-Policy", "default-src 'none'; script-src "+s.url+" 'wasm-unsafe-eval'; "+
				"connect-src "+s.url+"; worker-src blob:; style-src 'self'; img-src data:")
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			io.WriteString(w, `<!doctype html><html lang="en"><meta charset="utf-8"><title>Docs</title><link rel="icon" href="data:,">
<h1>Our runbook</h1>
<script type="module" src="`+s.url+`/embed.js"></script>
<eks-doctor example="aws-auth-masters" height="12rem"></eks-doctor>`)
		}))
		defer docs.Close()
		ctx, _ := s.tab(t, desktop, docs.URL)
		var rules []string
		run(t, ctx,
			chromedp.Navigate(docs.URL+"/"),
			chromedp.Poll(`(() => { const r = document.querySelector("eks-doctor")?.shadowRoot?.querySelector(".results");
				return r && Number(r.dataset.renders || 0) > 0 && !r.hidden; })()`, nil, chromedp.WithPollingTimeout(60*time.Second)),
			chromedp.Evaluate(`[...document.querySelector("eks-doctor").shadowRoot.querySelectorAll("li.finding")].map((li) => li.dataset.rule)`, &rules),
		)
		if !slices.Contains(rules, "AUTH002") {
			t.Errorf("the sandbox embedded from another origin should show the AUTH002 finding, got %v", rules)
		}
	})

	t.Run("weight", func(t *testing.T) {
		ctx, seen := s.tab(t, desktop)
		run(t, ctx, network.SetCacheDisabled(true), chromedp.Navigate(s.url+"/"), waitReady())
		waitForWorker(t, ctx, seen)
		total := 0
		var rows []string
		for _, p := range seen.check(t, s.url) {
			name := strings.TrimPrefix(p, "/")
			if name == "" {
				name = "index.html"
			}
			if !slices.Contains(s.meta.FirstVisit, name) {
				t.Errorf("a first visit loaded %s, which site/build.mjs does not count in the first-visit weight", name)
			}
			n := brotliSize(t, filepath.Join(dist, name))
			total += n
			rows = append(rows, name+" "+strconv.Itoa(n))
		}
		t.Logf("first visit, brotli: %d bytes (%s)", total, strings.Join(rows, ", "))
		if total > budget {
			t.Errorf("the first visit weighs %d bytes brotli, over the budget of %d", total, budget)
		}
	})
}

// run runs actions in ctx and stops the test on an error.
func run(t *testing.T, ctx context.Context, actions ...chromedp.Action) {
	t.Helper()
	if err := chromedp.Run(ctx, actions...); err != nil {
		t.Fatalf("driving the page: %v", err)
	}
}

func sameFindings(a, b []finding) bool {
	return slices.EqualFunc(a, b, func(x, y finding) bool { return x.Rule == y.Rule && x.Line == y.Line && x.Severity == y.Severity })
}

// decodeShare returns the text a share link carries.
func decodeShare(t *testing.T, link string) string {
	t.Helper()
	u, err := url.Parse(link)
	if err != nil {
		t.Fatalf("the share link %q: %v", link, err)
	}
	q, err := url.ParseQuery(u.Fragment)
	if err != nil || q.Get("z") == "" {
		t.Fatalf("the share link's fragment has no z=: %q", u.Fragment)
	}
	packed, err := base64.RawURLEncoding.DecodeString(q.Get("z"))
	if err != nil {
		t.Fatalf("the share link's data is not base64url: %v", err)
	}
	text, err := io.ReadAll(flate.NewReader(bytes.NewReader(packed)))
	if err != nil {
		t.Fatalf("the share link's data does not inflate: %v", err)
	}
	return string(text)
}

// brotliSize is the size of file's .br sibling, which make dist writes for
// every text asset and the wasm.
func brotliSize(t *testing.T, file string) int {
	t.Helper()
	info, err := os.Stat(file + ".br")
	if err != nil {
		t.Errorf("%v (make dist precompresses every asset)", err)
		return 0
	}
	return int(info.Size())
}

// downloads records the files the browser saves into a folder.
type downloads struct {
	mu    sync.Mutex
	names map[string]string // guid → suggested file name
	done  chan string       // guids of completed downloads
	dir   string
}

// watchDownloads makes the browser save downloads into dir and reports them.
func watchDownloads(t *testing.T, ctx context.Context, dir string) *downloads {
	t.Helper()
	d := &downloads{names: map[string]string{}, done: make(chan string, 4), dir: dir}
	chromedp.ListenBrowser(ctx, func(ev any) {
		switch e := ev.(type) {
		case *browser.EventDownloadWillBegin:
			d.mu.Lock()
			d.names[e.GUID] = e.SuggestedFilename
			d.mu.Unlock()
		case *browser.EventDownloadProgress:
			if e.State == browser.DownloadProgressStateCompleted {
				d.done <- e.GUID
			}
		}
	})
	err := chromedp.Run(ctx, chromedp.ActionFunc(func(ctx context.Context) error {
		return browser.SetDownloadBehavior(browser.SetDownloadBehaviorBehaviorAllowAndName).
			WithDownloadPath(dir).WithEventsEnabled(true).
			Do(cdp.WithExecutor(ctx, chromedp.FromContext(ctx).Browser))
	}))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// wait returns the name and content of the next completed download.
func (d *downloads) wait(t *testing.T, ctx context.Context) (name, content string) {
	t.Helper()
	select {
	case guid := <-d.done:
		data, err := os.ReadFile(filepath.Join(d.dir, guid))
		if err != nil {
			t.Fatal(err)
		}
		d.mu.Lock()
		defer d.mu.Unlock()
		return d.names[guid], string(data)
	case <-ctx.Done():
		t.Fatal("no download completed")
	case <-time.After(20 * time.Second):
		t.Fatal("no download completed in 20s")
	}
	return "", ""
}

// waitForWorker fails unless the page started a worker that was attached.
func waitForWorker(t *testing.T, ctx context.Context, seen *activity) {
	t.Helper()
	select {
	case err := <-seen.workers:
		if err != nil {
			t.Fatal(err)
		}
	case <-ctx.Done():
		t.Fatal("the page started no worker")
	}
}

// harden ticks "Tick every hardening fix" and waits for the analysis it
// starts to render.
func harden() chromedp.Action {
	return act(click("#harden"))
}

// galleryLead is what a gallery example must put in its headline card,
// as site/examples/manifest.json says: the first cause, or the top
// finding of an example without an error.
type galleryLead struct{ ID, Cause, Top string }

func galleryLeads(t *testing.T) map[string]galleryLead {
	t.Helper()
	data, err := os.ReadFile("../../../site/examples/manifest.json")
	if err != nil {
		t.Fatal(err)
	}
	var manifest struct{ Examples []galleryLead }
	if err := json.Unmarshal(data, &manifest); err != nil {
		t.Fatal(err)
	}
	out := map[string]galleryLead{}
	for _, e := range manifest.Examples {
		out[e.ID] = e
	}
	return out
}
