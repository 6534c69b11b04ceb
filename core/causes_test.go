package core

import (
	"encoding/json"
	"os"
	"testing"
)

// galleryEntry is an entry of the page's gallery manifest with the rule
// the page must show first: Cause, the first of the causes, for an
// example that holds an error; Top, the most serious finding, for one
// that holds none.
type galleryEntry struct {
	ID, File, Cause, Top string
}

// TestGalleryCauses checks that every gallery example puts the rule its
// manifest entry names first: among the causes, or as the most serious
// finding of an example without an error.
func TestGalleryCauses(t *testing.T) {
	data, err := os.ReadFile("../site/examples/manifest.json")
	if err != nil {
		t.Fatal(err)
	}
	var manifest struct{ Examples []galleryEntry }
	if err := json.Unmarshal(data, &manifest); err != nil {
		t.Fatal(err)
	}
	for _, ex := range manifest.Examples {
		rep := Analyze(galleryExample(t, ex.File), Options{})
		switch {
		case (ex.Cause == "") == (ex.Top == ""):
			t.Errorf("%s: the manifest must name either the cause or the top finding", ex.ID)
		case ex.Cause != "" && (len(rep.Causes) == 0 || rep.Findings[rep.Causes[0].Finding].Rule != ex.Cause):
			t.Errorf("%s: the first cause is not %s: %+v", ex.ID, ex.Cause, rep.Causes)
		case ex.Top != "" && len(rep.Causes) > 0:
			t.Errorf("%s: causes %+v in an example without an error", ex.ID, rep.Causes)
		case ex.Top != "" && topFinding(rep) != ex.Top:
			t.Errorf("%s: the most serious finding is %s, not %s", ex.ID, topFinding(rep), ex.Top)
		}
	}
}

// topFinding returns the rule of the first of the most serious findings.
func topFinding(rep Report) string {
	top, best := "", -1
	for _, f := range rep.Findings {
		if r, _ := SeverityRank(f.Severity); r > best {
			top, best = f.Rule, r
		}
	}
	return top
}
