package core

import (
	"os"
	"testing"
)

// TestRulesDoc fails when docs/rules.md is not what the registry renders;
// -update rewrites it.
func TestRulesDoc(t *testing.T) {
	checkGenerated(t, "../docs/rules.md", RulesMarkdown(), "TestRulesDoc")
}

// checkGenerated fails when the file at path does not hold got, the text
// the test named test renders; with -update it writes got there instead.
func checkGenerated(t *testing.T, path, got, test string) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./core -run %s -update)", err, test)
	}
	if string(want) != got {
		t.Errorf("%s is stale: run go test ./core -run %s -update", path, test)
	}
}
