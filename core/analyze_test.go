package core

import (
	"encoding/json"
	"io/fs"
	"os"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/eksdoctor/eksdoctor/analysis"

	"github.com/eksdoctor/eksdoctor/redact"
)

func TestBadInput(t *testing.T) {
	tests := []struct {
		name, input, wantError string
	}{
		{"empty", "", "empty"},
		{"whitespace", " \n\t\r\n ", "empty"},
		{"NUL bytes", "apiVersion: v1\x00\x00kind: Pod", "binary data (a NUL byte at line 1, column 15)"},
		{"PNG", "\x89PNG\r\n\x1a\nxxxx", "a PNG image"},
		{"gzip", "\x1f\x8b\x08\x00", "gzip data"},
		{"UTF-16", "\xff\xfea\x00p\x00", "UTF-16"},
		{"invalid UTF-8", "kind: Pod\nname: caf\xe9\n", "not valid UTF-8 text (an invalid byte at line 2, column 10)"},
		{"too large", strings.Repeat("a", MaxInputBytes+1), "at most 5 MiB"},
	}
	for _, tt := range tests {
		rep := Analyze(tt.input, Options{})
		if !strings.Contains(rep.Error, tt.wantError) || len(rep.Findings) != 0 {
			t.Errorf("%s: error %q, want it to mention %q", tt.name, rep.Error, tt.wantError)
		}
	}
}

func TestAwkwardButValidInput(t *testing.T) {
	for name, input := range map[string]string{
		"CRLF":         "apiVersion: v1\r\nkind: ConfigMap\r\nmetadata:\r\n  name: aws-auth\r\n  namespace: kube-system\r\ndata:\r\n  mapRoles: |\r\n    - rolearn: arn:aws:iam::210987654321:role/a/b\r\n      username: x\r\n      groups:\r\n        - system:masters\r\n",
		"tabs":         "apiVersion: v1\nkind: ConfigMap\nmetadata:\n\tname: aws-auth\n",
		"only prose":   "nothing to see here",
		"5 MiB stream": strings.Repeat("apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: a\n---\n", MaxInputBytes/60),
	} {
		rep := Analyze(input, Options{})
		if rep.Error != "" || len(rep.Documents) == 0 {
			t.Errorf("%s: error %q with %d documents", name, rep.Error, len(rep.Documents))
		}
	}
}

func TestCRLFFixKeepsLineEndings(t *testing.T) {
	input := "apiVersion: v1\r\nkind: ConfigMap\r\nmetadata:\r\n  name: aws-auth\r\n  namespace: kube-system\r\ndata:\r\n  mapRoles: |\r\n    - rolearn: arn:aws:iam::210987654321:role/team/dev\r\n      username: dev\r\n      groups:\r\n        - developers\r\n"
	rep := Analyze(input, Options{})
	if rep.Fixed == "" || strings.Count(rep.Fixed, "\r\n") != strings.Count(input, "\r\n") {
		t.Errorf("fixed text lost its CRLF line endings: %q", rep.Fixed)
	}
	var paths []Finding
	for _, f := range rep.Findings {
		if f.Rule == "AUTH001" {
			paths = append(paths, f)
		}
	}
	if len(paths) != 1 || paths[0].Line != 8 || paths[0].Column != 16 {
		t.Errorf("AUTH001 findings %+v, want one at 8:16", paths)
	}
}

// TestPositionsAcrossPseudonyms checks that a finding after a pseudonym of
// a different length still points at the original column.
func TestPositionsAcrossPseudonyms(t *testing.T) {
	input := "key AKIA2E3ABFGBQW4C7ZLM then\n"
	red := "key AKIAREDACTED00000001 then\n"
	rep := Analyze(input, Options{})
	if rep.Redacted != red {
		t.Fatalf("redacted %q", rep.Redacted)
	}
	p := newPositions(input, redactResult(input))
	if line, col := p.at(strings.Index(red, "then")); line != 1 || col != strings.Index(input, "then")+1 {
		t.Errorf("at = %d:%d", line, col)
	}
}

func TestParseOptions(t *testing.T) {
	for in, want := range map[string]Options{
		"":                           {},
		`{}`:                         {},
		`{"redact": true}`:           {},
		`{"redact": false}`:          {KeepSecrets: true},
		`{"redactIdentifiers":true}`: {RedactIdentifiers: true},
		`{"harden": true}`:           {Harden: true},
		`{"apply": []}`:              {Apply: []string{}},
		`{"apply": ["AUTH001@3:9"]}`: {Apply: []string{"AUTH001@3:9"}},
	} {
		if got, err := ParseOptions(in); err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("ParseOptions(%q) = %+v, %v; want %+v", in, got, err, want)
		}
	}
	if _, err := ParseOptions("{"); err == nil {
		t.Error("ParseOptions accepted broken JSON")
	}
}

func TestKeepSecrets(t *testing.T) {
	input := "arn:aws:iam::210987654321:role/x\n"
	if rep := Analyze(input, Options{KeepSecrets: true}); rep.Redacted != input || len(rep.Redactions) != 0 {
		t.Errorf("KeepSecrets still redacted: %q", rep.Redacted)
	}
}

// TestReportShape checks the contract's JSON: every field present, lists
// never null.
func TestReportShape(t *testing.T) {
	for _, input := range []string{"", "prose only"} {
		b, _ := json.Marshal(Analyze(input, Options{}))
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		for _, field := range []string{"schema", "documents", "findings", "redacted", "redactions", "fixed", "diff", "next", "artifacts", "error"} {
			v, ok := m[field]
			if !ok {
				t.Errorf("report of %q has no %q", input, field)
			}
			if _, isList := map[string]bool{"documents": true, "findings": true, "redactions": true, "next": true, "artifacts": true}[field]; isList && v == nil {
				t.Errorf("report of %q has null %q", input, field)
			}
		}
	}
}

// corpusSeeds returns every input of the test corpus.
func corpusSeeds(t testing.TB) []string {
	corpus.once.Do(func() {
		corpus.err = fs.WalkDir(os.DirFS("../testdata"), ".", func(path string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				b, err := os.ReadFile("../testdata/" + path)
				if err != nil {
					return err
				}
				corpus.seeds = append(corpus.seeds, string(b))
			}
			return err
		})
	})
	if corpus.err != nil {
		t.Fatal(corpus.err)
	}
	return slices.Clip(corpus.seeds)
}

// corpus holds the files of testdata, read once for every test that
// wants them: in the browser each read is a round trip to the test
// runner, and five tests read them all.
var corpus struct {
	once  sync.Once
	seeds []string
	err   error
}

// FuzzAnalyze checks that no input makes the analysis fail internally,
// that its output is valid UTF-8 and deterministic, and that the redacted
// text restores to the input.
func FuzzAnalyze(f *testing.F) {
	for _, s := range corpusSeeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, input string) {
		rep := Analyze(input, Options{})
		if strings.Contains(rep.Error, "internal error") {
			t.Fatalf("internal error on %q: %s", input, rep.Error)
		}
		if rep.Error != "" {
			return
		}
		first, _ := json.Marshal(rep)
		if again, _ := json.Marshal(Analyze(input, Options{})); string(again) != string(first) {
			t.Fatalf("two analyses of %q differ", input)
		}
		if !utf8.Valid(first) {
			t.Fatalf("report of %q is not valid UTF-8", input)
		}
		if back := Restore(input, rep.Redacted); back != input {
			t.Fatalf("Restore does not round-trip %q: %q", input, back)
		}
	})
}

func redactResult(input string) redact.Result { return redact.Redact(input, redact.Options{}) }

// TestPanickingRuleGivesAnErrorReport registers a rule that panics and
// checks that the call returns an error report and the next one works.
func TestPanickingRuleGivesAnErrorReport(t *testing.T) {
	boom := &analysis.Rule{ID: "ERR999", Kinds: []analysis.Kind{analysis.KindErrorText}, Run: func(p *analysis.Pass) {
		var m map[string]int
		m["x"]++ // a nil map write: a runtime error
	}}
	input := "error: You must be logged in to the server (Unauthorized)\n"
	rep := analyze(input, Options{}, []*analysis.Rule{boom})
	if !strings.Contains(rep.Error, "internal error") || len(rep.Findings) != 0 || rep.Documents == nil {
		t.Fatalf("a panicking rule gave %+v", rep)
	}
	if rep := Analyze(input, Options{}); rep.Error != "" || len(rep.Documents) != 1 {
		t.Errorf("the next analysis failed: %+v", rep)
	}
}

// TestApplyChosen checks that Options.Apply applies exactly the fixes of
// the findings it names, hardening included, that finding IDs do not move
// with the options, and that each changed document gets its fixed text
// alone.
func TestApplyChosen(t *testing.T) {
	data, err := os.ReadFile("../site/examples/unauthorized-sso-path.md")
	if err != nil {
		t.Fatal(err)
	}
	input := string(data)
	byDefault := Analyze(input, Options{})
	path := findingOf(t, byDefault, "AUTH001")
	if !path.Fix.Applied || byDefault.Fixed == "" {
		t.Fatalf("AUTH001's repair is not applied by default: %+v", path.Fix)
	}
	none := Analyze(input, Options{Apply: []string{}})
	if none.Fixed != "" || findingOf(t, none, "AUTH001").Fix.Applied {
		t.Errorf("an empty choice still fixed something:\n%s", none.Diff)
	}
	for _, opts := range []Options{{Harden: true}, {RedactIdentifiers: true}, {Apply: []string{}}} {
		if got := Analyze(input, opts); !reflect.DeepEqual(ids(got), ids(byDefault)) {
			t.Errorf("with %+v the finding IDs are %v, not %v", opts, ids(got), ids(byDefault))
		}
	}
	chosen := Analyze(input, Options{Apply: []string{path.ID}})
	if chosen.Fixed != byDefault.Fixed {
		t.Errorf("choosing %s fixed otherwise than the default:\n%s", path.ID, chosen.Diff)
	}
	var doc Document
	for _, d := range chosen.Documents {
		if d.Fixed != "" {
			if doc.Fixed != "" {
				t.Errorf("documents %d and %d both changed by one fix", doc.Index, d.Index)
			}
			doc = d
		}
	}
	if doc.Kind != "aws-auth" || doc.Filename != "aws-auth.yaml" || strings.Contains(doc.Fixed, "```") ||
		!strings.HasPrefix(doc.Fixed, "apiVersion: v1") || !strings.Contains(doc.Fixed, "role/AWSReservedSSO_Developer") {
		t.Errorf("the fixed ConfigMap alone is %s %q:\n%s", doc.Kind, doc.Filename, doc.Fixed)
	}

	data, err = os.ReadFile("../site/examples/aws-auth-masters.yaml")
	if err != nil {
		t.Fatal(err)
	}
	masters := Analyze(string(data), Options{})
	harden := findingOf(t, masters, "AUTH002")
	if harden.Fix.Kind != "harden" || harden.Fix.Applied || masters.Fixed != "" {
		t.Fatalf("AUTH002's hardening is applied by default: %+v", harden.Fix)
	}
	if got := Analyze(string(data), Options{Apply: []string{harden.ID}}); !findingOf(t, got, "AUTH002").Fix.Applied || got.Fixed == "" {
		t.Errorf("choosing %s did not apply its hardening", harden.ID)
	}
}

// findingOf returns the report's first finding of rule.
func findingOf(t *testing.T, rep Report, rule string) Finding {
	t.Helper()
	for _, f := range rep.Findings {
		if f.Rule == rule {
			return f
		}
	}
	t.Fatalf("no %s finding in %+v", rule, rep.Findings)
	return Finding{}
}

func ids(rep Report) []string {
	var out []string
	for _, f := range rep.Findings {
		out = append(out, f.ID)
	}
	return out
}
