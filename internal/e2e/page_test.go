//go:build !js

package e2e

import (
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/eksdoctor/eksdoctor/internal/webserve"
)

const dist = "../../dist"

// realAccount is the account id in the sample; the page must only show
// its pseudonym, and the copied config must have it back.
const realAccount = "483920175521"

// TestPage pastes an aws-auth ConfigMap that maps a developer role to
// system:masters into the built page and checks the finding, the diff, the
// copied fix with real values, and that nothing went beyond the page's own
// files.
func TestPage(t *testing.T) {
	requireDist(t)
	sample, err := os.ReadFile("testdata/aws-auth-masters.yaml")
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(webserve.Handler(os.DirFS(dist)))
	defer srv.Close()

	ctx := newBrowser(t, 2*time.Minute)
	seen := watch(t, ctx)
	var version, findings, diff, status, copied string
	var screenshot []byte
	err = chromedp.Run(ctx,
		allowClipboard(srv.URL),
		chromedp.Navigate(srv.URL+"/"),
		chromedp.WaitEnabled("#input", chromedp.ByID),
		chromedp.Text("#version", &version, chromedp.ByID),
		chromedp.Focus("#input", chromedp.ByID),
		input.InsertText(string(sample)), // what pasting does
		chromedp.WaitVisible("#findings .sev-high", chromedp.ByQuery),
		chromedp.Text("#findings", &findings, chromedp.ByID),
		chromedp.WaitVisible("#diff", chromedp.ByID),
		chromedp.Text("#diff", &diff, chromedp.ByID),
		chromedp.FullScreenshot(&screenshot, 100),
		chromedp.Click("#copy", chromedp.ByID),
		chromedp.WaitVisible(`//*[@id="status"][contains(., "Copied")]`, chromedp.BySearch),
		chromedp.Text("#status", &status, chromedp.ByID),
		chromedp.Evaluate(`navigator.clipboard.readText()`, &copied, awaitPromise),
	)
	if err != nil {
		t.Fatalf("driving the page: %v", err)
	}
	waitForWorker(t, ctx, seen)
	saveScreenshot(t, screenshot)

	if version == "" || version == "…" {
		t.Errorf("the page shows no version: %q", version)
	}
	for _, want := range []string{"AUTH002", "system:masters", "line 16, column 11"} {
		if !strings.Contains(findings, want) {
			t.Errorf("the findings do not mention %q:\n%s", want, findings)
		}
	}
	if !strings.Contains(diff, "-        - system:masters") || strings.Contains(diff, realAccount) {
		t.Errorf("the diff should remove system:masters and show no real account id:\n%s", diff)
	}
	if strings.Contains(copied, "system:masters") || !strings.Contains(copied, "arn:aws:iam::"+realAccount+":role/developer") ||
		strings.Count(copied, "\n") != strings.Count(string(sample), "\n") {
		t.Errorf("the copied config should be the fixed input with its real values:\n%s", copied)
	}

	paths := seen.check(t, srv.URL)
	for _, want := range []string{"/", "/app.js", "/eksdoctor.js", "/worker.js", "/wasm_exec.js", "/eksdoctor.wasm"} {
		if !slices.Contains(paths, want) {
			t.Errorf("no request for %s was seen (the log is incomplete?); requests: %v", want, paths)
		}
	}
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

// requireDist fails unless dist/ holds a built site.
func requireDist(t *testing.T) {
	t.Helper()
	wasm, _ := filepath.Glob(filepath.Join(dist, "*.wasm"))
	if _, err := os.Stat(filepath.Join(dist, "index.html")); err != nil || len(wasm) != 1 {
		t.Fatalf("dist/ holds no built site (want index.html and exactly one .wasm, found %d): run `make dist` first (`make test` does)", len(wasm))
	}
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

// saveScreenshot keeps the page's screenshot; run go test with -artifacts
// to look at it.
func saveScreenshot(t *testing.T, png []byte) {
	t.Helper()
	path := filepath.Join(t.ArtifactDir(), "page.png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Error(err)
	}
	t.Logf("screenshot: %s", path)
}
