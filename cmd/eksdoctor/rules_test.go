package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/eksdoctor/eksdoctor/core"
)

var update = flag.Bool("update", false, "rewrite examples.json from testdata/rules")

// TestExamples checks that examples.json holds, for every rule, its
// first golden case (in file name order) whose "want" section is not
// empty, and that the example fires the rule. With -update it rewrites
// the file.
func TestExamples(t *testing.T) {
	want := map[string]example{}
	for _, r := range core.Rules() {
		files, _ := filepath.Glob(filepath.Join("../../testdata/rules", r.ID, "*.txtar"))
		for _, file := range files {
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			ar := txtar.Parse(data)
			if strings.TrimSpace(sectionOf(ar, "want")) != "" {
				want[r.ID] = example{
					Case: filepath.ToSlash(strings.TrimPrefix(file, "../../")), About: strings.TrimSpace(string(ar.Comment)),
					Input: sectionOf(ar, "input"),
				}
				break
			}
		}
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", " ")
	if err := enc.Encode(want); err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile("examples.json", b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		examplesJSON = b.Bytes()
	}
	if !bytes.Equal(examplesJSON, b.Bytes()) {
		t.Fatal("examples.json is stale: run go generate ./cmd/eksdoctor (go test -run TestExamples -update)")
	}
	for id, ex := range examples() {
		if len(firing(ex.Input, id)) == 0 {
			t.Errorf("the example of %s (%s) does not fire it", id, ex.Case)
		}
	}
}

func sectionOf(ar *txtar.Archive, name string) string {
	for _, f := range ar.Files {
		if f.Name == name {
			return string(f.Data)
		}
	}
	return ""
}

func TestRulesAndExplain(t *testing.T) {
	r := runCLI(t, "", "rules")
	if r.status != exitOK || !strings.Contains(r.stdout, "AUTH002 ") || strings.Count(r.stdout, "\n") != len(core.Rules()) {
		t.Errorf("rules: status %d:\n%s", r.status, r.stdout)
	}
	r = runCLI(t, "", "rules", "--format", "json")
	var rules []core.RuleInfo
	if err := json.Unmarshal([]byte(r.stdout), &rules); err != nil || len(rules) != len(core.Rules()) {
		t.Errorf("rules --format json: %v, %d rules", err, len(rules))
	}
	if r := runCLI(t, "", "rules", "--format", "md"); r.stdout != core.RulesMarkdown() {
		t.Error("rules --format md is not the rules page")
	}
	r = runCLI(t, "", "explain", "auth002")
	for _, want := range []string{"AUTH002: ", "severity high", "References:\n  https://", "Example (testdata/rules/AUTH002/", "eksdoctor reports:\n  ", " AUTH002 arn:aws:iam::210987654321:role/"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("explain AUTH002 lacks %q:\n%s", want, r.stdout)
		}
	}
	for _, args := range [][]string{{"explain"}, {"explain", "NOPE001"}, {"rules", "--format", "xml"}, {"rules", "extra"}} {
		if r := runCLI(t, "", args...); r.status != exitError || r.stderr == "" {
			t.Errorf("%q: status %d, stderr %q", args, r.status, r.stderr)
		}
	}
}
