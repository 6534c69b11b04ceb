//go:build !js

package e2e

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestShareRedactsAgain opens a hand-made share link: the text of a link
// the page made, with a real-looking access key pair and the real account
// id added to it. The page redacts it again: the redacted view holds the
// link's stand-ins as they were and pseudonyms for the added values, and
// the findings are those of the paste the link came from.
func TestShareRedactsAgain(t *testing.T) {
	s := newSite(t)
	sample, err := os.ReadFile("testdata/aws-auth-masters.yaml")
	if err != nil {
		t.Fatal(err)
	}
	ctx, _ := s.tab(t, desktop)
	var before result
	var redacted string
	run(t, ctx,
		chromedp.Navigate(s.url+"/"),
		waitReady(),
		paste(string(sample)),
		act(click("#share-preview")),
		readResult(&before),
		copyRedacted(&redacted),
	)

	const keyID, secretKey = "AKIA2E3ABFGBQW4C7ZLM", "9Xq2bV7mL4pR8sT1wZ3yK6nH0jF5dG2cA7eU4iO1"
	handMade := redacted + "# aws_access_key_id = " + keyID + "\n# aws_secret_access_key = " + secretKey + "\n# account " + realAccount + "\n"
	ctx2, _ := s.tab(t, desktop)
	var after result
	run(t, ctx2,
		chromedp.Navigate(shareLink(s.url, handMade)),
		waitReady(),
		chromedp.Poll(`Number(document.getElementById("results").dataset.renders || 0) > 0 &&
			document.getElementById("results").getAttribute("aria-busy") === "false"`, nil, chromedp.WithPollingTimeout(30*time.Second)),
		readResult(&after),
	)
	for _, real := range []string{keyID, secretKey, realAccount} {
		if strings.Contains(after.Redacted, real) {
			t.Errorf("the redacted view of a hand-made link shows %s:\n%s", real, after.Redacted)
		}
	}
	if !strings.HasPrefix(after.Redacted, strings.TrimSuffix(before.Redacted, "\n")) || !strings.Contains(after.Redacted, "AKIAREDACTED") {
		t.Errorf("the redacted view should keep the link's stand-ins and replace the added values\n got: %q\nwant %q and pseudonyms", after.Redacted, before.Redacted)
	}
	if !sameFindings(before.Findings, after.Findings) || before.Summary != after.Summary || before.Diff != after.Diff {
		t.Errorf("the hand-made link should open the analysis of the link it came from\nbefore: %s %+v\n%s\nafter: %s %+v\n%s",
			before.Summary, before.Findings, before.Diff, after.Summary, after.Findings, after.Diff)
	}
}
