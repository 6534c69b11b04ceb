package core

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/eksdoctor/eksdoctor/analysis"
	"github.com/eksdoctor/eksdoctor/fixes"
	"github.com/eksdoctor/eksdoctor/redact"
)

var update = flag.Bool("update", false, "rewrite the golden expectations: the want and fixed sections of testdata/rules/*/*.txtar, and docs/rules.md")

// TestRuleCases runs the golden cases in testdata/rules/<RULE>/*.txtar.
// Each case holds an input; its rule alone runs on it and must report
// exactly the findings in "want" and produce the text in "fixed" (empty
// when nothing is fixable). Every rule needs a case where it fires and one
// where it must not; a directory without a rule is an error. Every case
// input also goes through the whole analysis to check the properties.
func TestRuleCases(t *testing.T) {
	dirs, err := os.ReadDir("../testdata/rules")
	if err != nil {
		t.Fatal(err)
	}
	fires, quiet := map[string]bool{}, map[string]bool{}
	for _, dir := range dirs {
		rule := fixes.RuleByID(dir.Name())
		if rule == nil {
			t.Errorf("testdata/rules/%s: no rule has this ID", dir.Name())
			continue
		}
		files, _ := filepath.Glob(filepath.Join("../testdata/rules", dir.Name(), "*.txtar"))
		for _, file := range files {
			if runCase(t, file, rule) {
				fires[rule.ID] = true
			} else {
				quiet[rule.ID] = true
			}
		}
	}
	for _, r := range fixes.All {
		if !fires[r.ID] {
			t.Errorf("%s has no case in testdata/rules/%s where it fires", r.ID, r.ID)
		}
		if !quiet[r.ID] {
			t.Errorf("%s has no case in testdata/rules/%s where it must not fire", r.ID, r.ID)
		}
	}
}

// runCase checks one golden case and reports whether its rule fired.
func runCase(t *testing.T, file string, rule *analysis.Rule) bool {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	ar := txtar.Parse(data)
	input := section(ar, "input")
	if input == "" {
		t.Errorf("%s: no input section", file)
		return false
	}
	rep := analyze(input, Options{Harden: true}, []*analysis.Rule{rule})
	if rep.Error != "" {
		t.Errorf("%s: %s", file, rep.Error)
	}
	gotWant, gotFixed := formatFindings(rep.Findings), rep.Fixed
	// next and artifacts are checked in the cases that have the section.
	optional := map[string]string{"next": formatNext(rep.Next), "artifacts": formatArtifacts(rep.Artifacts)}
	if *update {
		setSection(ar, "want", gotWant)
		setSection(ar, "fixed", gotFixed)
		for name, got := range optional {
			if hasSection(ar, name) {
				setSection(ar, name, got)
			}
		}
		if err := os.WriteFile(file, txtar.Format(ar), 0o644); err != nil {
			t.Fatal(err)
		}
	} else {
		if want := section(ar, "want"); gotWant != want {
			t.Errorf("%s: findings differ (run with -update to accept)\ngot:\n%s\nwant:\n%s", file, gotWant, want)
		}
		if want := section(ar, "fixed"); gotFixed != want {
			t.Errorf("%s: fixed text differs (run with -update to accept)\n%s", file,
				analysis.Unified("want", "got", want, gotFixed))
		}
		for name, got := range optional {
			if want := section(ar, name); hasSection(ar, name) && got != want {
				t.Errorf("%s: %s differ (run with -update to accept)\n%s", file, name, analysis.Unified("want", "got", want, got))
			}
		}
	}
	checkProperties(t, file, input)
	checkFixSpans(t, file, input, rule)
	return len(rep.Findings) > 0
}

// checkFixSpans checks that every finding of rule on input whose fix
// rewrites or removes text points at what it changes: its range meets one
// of the fix's edits, so the report's line is the line to change. A fix
// that only inserts (what is missing, with the layout around it) may
// point at what lacks it; a finding about an error points at the error,
// whose cause the fix changes; and the rules of apartRules point at the
// problem, apart from the change.
func checkFixSpans(t *testing.T, name, input string, rule *analysis.Rule) {
	t.Helper()
	if apartRules[rule.ID] {
		return
	}
	in := inputOf(redact.Redact(input, redact.Options{}).Text)
	rewrites := func(e analysis.Edit) bool { return strings.TrimSpace(in.Src.Text[e.Start:e.End]) != "" }
	for _, f := range analysis.Run(in, []*analysis.Rule{rule}).Findings {
		if f.Fix == nil || f.Document >= 0 && in.Docs[f.Document].Kind == analysis.KindErrorText ||
			!slices.ContainsFunc(f.Fix.Edits, rewrites) ||
			slices.ContainsFunc(f.Fix.Edits, func(e analysis.Edit) bool { return e.Start <= f.End && f.Start <= e.End }) {
			continue
		}
		t.Errorf("%s: %s's finding at line %d is not where its fix changes the text (%v): %s", name, f.Rule,
			in.Src.LineOf(f.Start), f.Fix.Edits, f.Message)
	}
}

// formatFindings renders findings one per line for a golden file.
func formatFindings(found []Finding) string {
	var b strings.Builder
	for _, f := range found {
		fmt.Fprintf(&b, "%d:%d %s %s", f.Line, f.Column, f.Severity, f.Message)
		switch {
		case f.Fix.Kind == "harden":
			fmt.Fprintf(&b, " [harden: %s]", f.Fix.Summary)
		case f.Fixable:
			fmt.Fprintf(&b, " [fix: %s]", f.Fix.Summary)
		}
		b.WriteString("\n")
	}
	return b.String()
}

// formatNext renders next steps for a golden file.
func formatNext(steps []Step) string {
	var b strings.Builder
	for _, s := range steps {
		fmt.Fprintf(&b, "%s: %s\n", s.Title, s.Detail)
		if s.Command != "" {
			fmt.Fprintf(&b, "  $ %s\n", s.Command)
		}
	}
	return b.String()
}

// formatArtifacts renders generated files for a golden file.
func formatArtifacts(files []Artifact) string {
	var b strings.Builder
	for _, a := range files {
		fmt.Fprintf(&b, "== %s (%s)\n%s", a.Filename, a.Title, a.Content)
	}
	return b.String()
}

func hasSection(ar *txtar.Archive, name string) bool {
	for _, f := range ar.Files {
		if f.Name == name {
			return true
		}
	}
	return false
}

func section(ar *txtar.Archive, name string) string {
	for _, f := range ar.Files {
		if f.Name == name {
			return string(f.Data)
		}
	}
	return ""
}

func setSection(ar *txtar.Archive, name, data string) {
	for i, f := range ar.Files {
		if f.Name == name {
			ar.Files[i].Data = []byte(data)
			return
		}
	}
	ar.Files = append(ar.Files, txtar.File{Name: name, Data: []byte(data)})
}

// checkProperties checks what must hold for every input: the analysis is
// deterministic, the redacted text restores to the input, no redacted
// value appears anywhere in the report, applying the repairs leaves no
// repair to make and applying every fix leaves nothing fixable, and no
// repair takes access away.
func checkProperties(t *testing.T, name, input string) {
	t.Helper()
	rep := Analyze(input, Options{})
	first, second := reportJSON(t, rep), reportJSON(t, Analyze(input, Options{}))
	if !bytes.Equal(first, second) {
		t.Errorf("%s: two analyses of the same input differ", name)
	}
	if back := Restore(input, rep.Redacted); back != input {
		t.Errorf("%s: Restore(input, redacted) does not give the input back:\n%s", name,
			analysis.Unified("input", "restored", input, back))
	}
	for _, r := range redact.Redact(input, redact.Options{}).Replacements {
		escaped, _ := json.Marshal(r.Original)
		if bytes.Contains(first, []byte(r.Original)) || bytes.Contains(first, escaped[1:len(escaped)-1]) {
			t.Errorf("%s: the report contains the redacted %s %q", name, r.Kind, r.Original)
		}
	}
	checkConverges(t, name, rep.Fixed, Options{})
	checkConverges(t, name, Analyze(input, Options{Harden: true}).Fixed, Options{Harden: true})
	checkKeepsAccess(t, name, rep.Redacted, rep.Fixed)
	checkFixEdits(t, name, input, Analyze(input, Options{Harden: true}))
}

// checkFixEdits checks that the applied fixes' edits, at their positions
// in the input and with real values, turn the input into the real fixed
// text: what a caller that edits the person's file in place (SARIF fixes)
// relies on.
func checkFixEdits(t *testing.T, name, input string, rep Report) {
	t.Helper()
	if rep.Fixed == "" {
		return
	}
	src := analysis.NewSource(input)
	var edits []analysis.Edit
	for _, f := range rep.Findings {
		for _, e := range f.Fix.Edits {
			edit := analysis.Replace(src.Offset(e.Line, e.Column), src.Offset(e.EndLine, e.EndColumn), Restore(input, e.Text))
			if f.Fix.Applied && !slices.Contains(edits, edit) { // fixes may share an edit, made once
				edits = append(edits, edit)
			}
		}
	}
	got, err := analysis.Apply(input, edits)
	if want := Restore(input, rep.Fixed); err != nil || got != want {
		t.Errorf("%s: the fixes' edits in the input give (%v):\n%s", name, err, analysis.Unified("fixed", "edits", want, got))
	}
}

// checkConverges checks that fixed, the text an analysis with opts fixed
// ("" when it fixed nothing), has nothing left that opts would fix.
func checkConverges(t *testing.T, name, fixed string, opts Options) {
	t.Helper()
	if fixed == "" {
		return
	}
	for _, f := range Analyze(fixed, opts).Findings {
		if f.Fixable && (opts.Harden || f.Fix.Kind == "repair") {
			t.Errorf("%s: after applying the fixes (harden %v), %s at %d:%d is still fixable: %s", name, opts.Harden, f.Rule, f.Line, f.Column, f.Message)
		}
	}
}

// apartRules are the rules whose findings point at the problem while
// their fix changes something else: IAM010 at the wildcard value that
// StringEquals compares literally (the fix changes the operator).
var apartRules = map[string]bool{"IAM010": true}

func reportJSON(t *testing.T, rep Report) []byte {
	t.Helper()
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(rep); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}
