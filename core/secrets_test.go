package core

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/eksdoctor/eksdoctor/redact"
)

// TestNoSecretInReport analyses every case of the labelled secrets corpus
// (testdata/secrets) and of the classification corpus, and checks that
// no secret appears anywhere in the report's JSON (findings, messages,
// documents, redacted text, fixed text, diff, next steps): neither a
// labelled one nor any value the redactor replaced; and that the
// redacted text restores to the input.
func TestNoSecretInReport(t *testing.T) {
	inputs := map[string]string{}
	labels := map[string][]string{}
	cases, _ := filepath.Glob("../testdata/secrets/*.txtar")
	for _, file := range cases {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		ar := txtar.Parse(data)
		inputs[file] = section(ar, "input")
		for _, line := range strings.Split(section(ar, "secrets"), "\n") {
			if _, value, ok := strings.Cut(line, " "); ok {
				labels[file] = append(labels[file], value)
			}
		}
	}
	classify, _ := filepath.Glob("../testdata/classify/*")
	for _, file := range classify {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		inputs[file] = string(data)
	}
	if len(cases) == 0 || len(classify) == 0 {
		t.Fatal("no corpus")
	}
	for file, input := range inputs {
		rep := Analyze(input, Options{})
		if rep.Error != "" {
			t.Errorf("%s: %s", file, rep.Error)
			continue
		}
		report := reportJSON(t, rep)
		secrets := labels[file]
		for _, r := range redact.Redact(input, redact.Options{}).Replacements {
			secrets = append(secrets, r.Original)
		}
		for _, s := range secrets {
			escaped, _ := json.Marshal(s)
			if bytes.Contains(report, []byte(s)) || bytes.Contains(report, escaped[1:len(escaped)-1]) {
				t.Errorf("%s: the report contains the secret %q", file, s)
			}
		}
		if back := Restore(input, rep.Redacted); back != input {
			t.Errorf("%s: Restore(input, redacted) does not give the input back", file)
		}
	}
}
