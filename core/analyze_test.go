package core

import (
	"encoding/json"
	"io/fs"
	"os"
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
	} {
		if got, err := ParseOptions(in); err != nil || got != want {
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
