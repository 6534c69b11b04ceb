package core

import (
	"os"
	"testing"
)

// TestRulesDoc fails when docs/rules.md is not what the registry renders;
// -update rewrites it.
func TestRulesDoc(t *testing.T) {
	const path = "../docs/rules.md"
	got := RulesMarkdown()
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./core -run TestRulesDoc -update)", err)
	}
	if string(want) != got {
		t.Errorf("docs/rules.md is stale: run go test ./core -run TestRulesDoc -update")
	}
}
