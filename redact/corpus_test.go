package redact

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// The labelled secrets corpus, testdata/secrets/*.txtar: realistic pastes
// in an "input" section, the secrets they hold in a "secrets" section
// (one per line: kind, a space, the value) and values that must stay in
// a "decoys" section (one per line).

type corpusCase struct {
	name    string
	input   string
	secrets []label
	decoys  []string
}

type label struct{ kind, value string }

// loadCorpus reads every case of the labelled corpus.
func loadCorpus(tb testing.TB) []corpusCase {
	files, err := filepath.Glob("../testdata/secrets/*.txtar")
	if err != nil || len(files) == 0 {
		tb.Fatalf("no labelled corpus: %v", err)
	}
	sort.Strings(files)
	var cases []corpusCase
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			tb.Fatal(err)
		}
		sections := parseSections(string(data))
		c := corpusCase{name: filepath.Base(f), input: sections["input"]}
		for _, line := range lines(sections["secrets"]) {
			kind, value, _ := strings.Cut(line, " ")
			c.secrets = append(c.secrets, label{kind, value})
		}
		c.decoys = lines(sections["decoys"])
		cases = append(cases, c)
	}
	return cases
}

// parseSections splits a txtar archive into its named sections.
func parseSections(data string) map[string]string {
	out := map[string]string{}
	name := ""
	var body strings.Builder
	for _, line := range strings.SplitAfter(data, "\n") {
		if strings.HasPrefix(line, "-- ") && strings.HasSuffix(strings.TrimRight(line, "\n"), " --") {
			if name != "" {
				out[name] = body.String()
			}
			name = strings.TrimSuffix(strings.TrimPrefix(strings.TrimRight(line, "\n"), "-- "), " --")
			body.Reset()
			continue
		}
		if name != "" {
			body.WriteString(line)
		}
	}
	if name != "" {
		out[name] = body.String()
	}
	return out
}

// lines returns the non-empty lines of s, without trailing blanks.
func lines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimRight(l, " \t\r"); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// TestCorpus checks the labelled corpus: every labelled secret is
// replaced wherever it occurs (recall 100 %), by a replacement of its
// kind; every decoy stays as often as it occurs; Restore gives the input
// back; and streaming gives what Redact gives.
func TestCorpus(t *testing.T) {
	total, decoys := 0, 0
	perKind := map[string]int{}
	for _, c := range loadCorpus(t) {
		res := Redact(c.input, Options{})
		for _, l := range c.secrets {
			total++
			perKind[l.kind]++
			if !strings.Contains(c.input, l.value) {
				t.Errorf("%s: labelled %s %q does not occur in the input", c.name, l.kind, l.value)
				continue
			}
			if strings.Contains(res.Text, l.value) {
				t.Errorf("%s: %s %q is still in the redacted text", c.name, l.kind, l.value)
			}
			if !replacedAs(res, c.input, l) {
				t.Errorf("%s: %s %q was not replaced as %s (kinds: %v)", c.name, l.kind, l.value, l.kind, kindsOver(res, c.input, l.value))
			}
		}
		for _, d := range c.decoys {
			decoys++
			if in, out := strings.Count(c.input, d), strings.Count(res.Text, d); in == 0 || out != in {
				t.Errorf("%s: decoy %q occurs %d times in the input and %d times in the redacted text", c.name, d, in, out)
			}
		}
		if back := Restore(c.input, res.Text); back != c.input {
			t.Errorf("%s: Restore does not give the input back", c.name)
		}
	}
	t.Logf("%d labelled secrets, %d decoys; per kind: %v", total, decoys, perKind)
}

// replacedAs reports whether a replacement of l's kind covers an
// occurrence of l's value.
func replacedAs(res Result, input string, l label) bool {
	for _, r := range res.Replacements {
		if r.Kind == l.kind && strings.Contains(input[r.Start:r.End], l.value) {
			return true
		}
	}
	return false
}

func kindsOver(res Result, input, value string) []string {
	var out []string
	for _, r := range res.Replacements {
		if strings.Contains(input[r.Start:r.End], value) || strings.Contains(value, input[r.Start:r.End]) {
			out = append(out, r.Kind)
		}
	}
	return out
}
