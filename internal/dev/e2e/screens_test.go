//go:build !js

package e2e

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// screenshotDir is where the screenshots go: $EKSDOCTOR_SCREENSHOTS, or
// the test's artifact folder (kept with go test -artifacts).
func screenshotDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("EKSDOCTOR_SCREENSHOTS")
	if dir == "" {
		return t.ArtifactDir()
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// maxScreens caps the screenshots of one long page.
const maxScreens = 8

// scrolledScreenshots captures the page a screen at a time from the top,
// as a person scrolling sees it, up to maxScreens. (A full-page capture
// resizes the viewport, which changes every height given in vh.)
func scrolledScreenshots(shots *[][]byte) chromedp.Action {
	return chromedp.ActionFunc(func(ctx context.Context) error {
		*shots = nil
		for i := 0; i < maxScreens; i++ {
			var shot []byte
			var bottom bool
			err := chromedp.Run(ctx,
				chromedp.Evaluate(`scrollTo(0, `+strconv.Itoa(i)+` * Math.round(innerHeight * 0.9))`, nil),
				chromedp.Sleep(150*time.Millisecond), // the scroll's repaint
				chromedp.CaptureScreenshot(&shot),
				chromedp.Evaluate(`scrollY + innerHeight >= document.documentElement.scrollHeight - 1`, &bottom))
			if err != nil {
				return err
			}
			*shots = append(*shots, shot)
			if bottom {
				break
			}
		}
		return nil
	})
}

// runStep runs actions that begin with a navigation, once more if
// Chromium lost the execution context an evaluation was sent to: a race
// between a navigation and the next evaluation that chromedp does not
// absorb, seen once in some hundred runs. Screenshots are for people to
// look at, so a retry hides no assertion.
func runStep(t *testing.T, ctx context.Context, actions ...chromedp.Action) {
	t.Helper()
	err := chromedp.Run(ctx, actions...)
	if err != nil && strings.Contains(err.Error(), "Cannot find context with specified id") {
		t.Logf("driving the page: %v; once more", err)
		err = chromedp.Run(ctx, actions...)
	}
	if err != nil {
		t.Fatalf("driving the page: %v", err)
	}
}

// screenshots saves the main states of the page and the embedding demo,
// light and dark, at desktop and phone sizes, for people to look at.
func screenshots(t *testing.T, s *site) {
	dir := screenshotDir(t)
	t.Logf("screenshots: %s", dir)
	save := func(name string, png []byte) {
		if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
			t.Error(err)
		}
	}
	saveAll := func(name string, shots [][]byte) {
		for i, shot := range shots {
			save(fmt.Sprintf("%s-%d", name, i+1), shot)
		}
	}
	for _, vp := range []viewport{desktop, phone} {
		ctx, _ := s.tab(t, vp)
		var shot []byte
		var shots [][]byte
		for _, scheme := range []string{"light", "dark"} {
			suffix := "-" + scheme + "-" + vp.name
			runStep(t, ctx, colorScheme(scheme),
				chromedp.Navigate(s.url+"/"), waitReady(),
				chromedp.CaptureScreenshot(&shot))
			save("empty"+suffix, shot)
			runStep(t, ctx,
				chromedp.Navigate("about:blank"), // a new document, not a jump within the last one
				chromedp.Navigate(s.url+"/#example=unauthorized-sso-path"), waitReady(),
				chromedp.Poll(`document.querySelectorAll("#results .finding").length > 0`, nil, chromedp.WithPollingTimeout(30*time.Second)),
				chromedp.Evaluate(`document.querySelector("#results details.explain").open = true`, nil),
				scrolledScreenshots(&shots))
			saveAll("example"+suffix, shots)
			runStep(t, ctx,
				chromedp.Navigate(s.url+"/docs.html"),
				chromedp.Poll(`(() => { const r = document.querySelector("eks-doctor")?.shadowRoot?.querySelector(".results");
					return r && !r.hidden; })()`, nil, chromedp.WithPollingTimeout(60*time.Second)),
				scrolledScreenshots(&shots))
			saveAll("docs"+suffix, shots)
		}
	}
}
