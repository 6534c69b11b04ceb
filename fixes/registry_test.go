package fixes

import (
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/eksdoctor/eksdoctor/analysis"
)

var ruleID = regexp.MustCompile(`^(AUTH|AE|RBAC|IRSA|PODID|IAM|TF|KCFG|ERR)\d{3}$`)

// TestRegistry lints the rules as data: IDs well-formed, unique and
// sorted; titles short, lower-case, without a period; docs that end with
// a period; authoritative references; kinds from the contract.
func TestRegistry(t *testing.T) {
	for i, r := range All {
		if !ruleID.MatchString(r.ID) {
			t.Errorf("%s: ID is not a family prefix and three digits", r.ID)
		}
		if i > 0 && All[i-1].ID >= r.ID {
			t.Errorf("%s: All is not sorted by ID, or the ID repeats (after %s)", r.ID, All[i-1].ID)
		}
		if r.Title == "" || len(r.Title) > 70 || strings.HasSuffix(r.Title, ".") || unicode.IsUpper([]rune(r.Title)[0]) {
			t.Errorf("%s: title %q should be a short lower-case phrase without a period", r.ID, r.Title)
		}
		if !strings.HasSuffix(r.Doc, ".") || len(r.Doc) < 80 {
			t.Errorf("%s: doc should explain why and how to fix, ending with a period", r.ID)
		}
		if r.Severity.Rank() < 0 {
			t.Errorf("%s: unknown severity %q", r.ID, r.Severity)
		}
		if len(r.Refs) == 0 {
			t.Errorf("%s: no references", r.ID)
		}
		for _, ref := range r.Refs {
			if !strings.HasPrefix(ref, "https://") {
				t.Errorf("%s: reference %q is not an https URL", r.ID, ref)
			}
		}
		if len(r.Kinds) == 0 || r.Run == nil {
			t.Errorf("%s: no kinds or no run function", r.ID)
		}
		for _, k := range r.Kinds {
			if !slices.Contains(analysis.AllKinds, k) {
				t.Errorf("%s: unknown kind %q", r.ID, k)
			}
		}
		if RuleByID(r.ID) != r {
			t.Errorf("RuleByID(%s) does not find it", r.ID)
		}
	}
}
