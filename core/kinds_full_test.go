//go:build !noterraform

package core

import (
	"reflect"
	"strings"
	"testing"
)

func TestKindsLeftOutNone(t *testing.T) {
	if got := KindsLeftOut(); got == nil || len(got) != 0 {
		t.Errorf("KindsLeftOut() = %#v, want an empty list", got)
	}
	if HoldsLeftOut(terraformIssue) {
		t.Error("HoldsLeftOut(terraformIssue) = true in the full build")
	}
	if rep, ok := AnalyzeUnlessLeftOut(terraformIssue, Options{}); !ok || !reflect.DeepEqual(rep, Analyze(terraformIssue, Options{})) {
		t.Errorf("AnalyzeUnlessLeftOut(terraformIssue) = %+v, %v in the full build; want Analyze's report, true", rep, ok)
	}
}

// TestKindsTerraformFindings checks that the full build finds what the
// noterraform build leaves out in terraformIssue.
func TestKindsTerraformFindings(t *testing.T) {
	rep := Analyze(terraformIssue, Options{})
	for _, f := range rep.Findings {
		if strings.HasPrefix(f.Rule, "TF") {
			return
		}
	}
	t.Errorf("no TF finding in %+v", rep.Findings)
}
