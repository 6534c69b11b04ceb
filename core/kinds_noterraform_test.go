//go:build noterraform

package core

import (
	"reflect"
	"slices"
	"strings"
	"testing"
)

func TestKindsLeftOutTerraform(t *testing.T) {
	if got, want := KindsLeftOut(), []string{"terraform"}; !slices.Equal(got, want) {
		t.Errorf("KindsLeftOut() = %q, want %q", got, want)
	}
}

// TestKindsLeftOutRulesListed checks that the rules left out are still
// listed and documented.
func TestKindsLeftOutRulesListed(t *testing.T) {
	var tf []string
	for _, r := range Rules() {
		if strings.HasPrefix(r.ID, "TF") {
			tf = append(tf, r.ID)
		}
	}
	want := []string{"TF001", "TF002", "TF003", "TF004", "TF005", "TF006", "TF007", "TF008", "TF009", "TF010", "TF011", "TF012", "TF013", "TF014", "TF015"}
	if !slices.Equal(tf, want) {
		t.Errorf("Rules() lists %q, want %q", tf, want)
	}
}

// TestKindsLeftOutAnalyze checks that a Terraform paste is split and
// listed but that nothing analyses its Terraform document.
func TestKindsLeftOutAnalyze(t *testing.T) {
	rep := Analyze(terraformIssue, Options{})
	if rep.Error != "" || len(rep.Documents) == 0 || rep.Documents[0].Kind != "terraform" {
		t.Fatalf("error %q, documents %+v; want a terraform document first", rep.Error, rep.Documents)
	}
	for _, f := range rep.Findings {
		if strings.HasPrefix(f.Rule, "TF") || f.Document == rep.Documents[0].Index {
			t.Errorf("finding %s on the terraform document: %s", f.Rule, f.Message)
		}
	}
}

// TestKindsLeftOutHolds checks that this build asks for the full one
// for Terraform, and only for Terraform.
func TestKindsLeftOutHolds(t *testing.T) {
	if !HoldsLeftOut(terraformIssue) {
		t.Error("HoldsLeftOut(terraformIssue) = false, want true")
	}
	if rep, ok := AnalyzeUnlessLeftOut(terraformIssue, Options{}); ok || !reflect.DeepEqual(rep, Report{}) {
		t.Errorf("AnalyzeUnlessLeftOut(terraformIssue) = %+v, %v; want no report, false", rep, ok)
	}
	yaml := terraformIssue[strings.Index(terraformIssue, "apiVersion"):]
	if HoldsLeftOut(yaml) {
		t.Errorf("HoldsLeftOut(%q) = true, want false", yaml)
	}
	for _, text := range []string{yaml, ""} {
		if rep, ok := AnalyzeUnlessLeftOut(text, Options{}); !ok || !reflect.DeepEqual(rep, Analyze(text, Options{})) {
			t.Errorf("AnalyzeUnlessLeftOut(%q) = %+v, %v; want Analyze's report, true", text, rep, ok)
		}
	}
}
