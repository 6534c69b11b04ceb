package suppress

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzDirectives checks that Directives never panics and that what it
// returns stays inside the text: lines in range, spans in order, rule
// IDs well formed.
func FuzzDirectives(f *testing.F) {
	examples, _ := filepath.Glob("../../site/examples/*")
	for _, name := range examples {
		if data, err := os.ReadFile(name); err == nil {
			f.Add(filepath.Base(name), string(data))
		}
	}
	for _, seed := range []string{
		"# eksdoctor:ignore AUTH002,AUTH999 reason\n- a: 1\n  b: 2\n",
		"x: 1 # eksdoctor:ignore-file AUTH021\n",
		"resource \"a\" \"b\" { // eksdoctor:ignore TF003\n  c = \"{\"\n}\n",
		"// eksdoctor:ignore TF003\n{[\n",
		"# eksdoctor:ignore\n# eksdoctor:ignroe *\n'it''s # x'\n\"a\\\"#\"\r\n",
	} {
		f.Add("f.tf", seed)
		f.Add("f.yaml", seed)
	}
	f.Fuzz(func(t *testing.T, name, text string) {
		if len(text) > 1<<16 {
			t.Skip("a directive's block is read line by line: keep the input small")
		}
		lines := strings.Count(text, "\n") + 1
		dirs, problems := Directives(name, text, known)
		for _, d := range dirs {
			if d.Line < 1 || d.Line > lines || d.From < 1 || d.From > d.To || d.To > lines || len(d.Rules) == 0 {
				t.Errorf("directive out of range of %d lines: %+v", lines, d)
			}
			for _, id := range d.Rules {
				if CheckRule(id, known) != nil {
					t.Errorf("directive with a wrong rule: %+v", d)
				}
			}
		}
		for _, p := range problems {
			if p.Line < 1 || p.Line > lines || p.Message == "" {
				t.Errorf("problem out of range of %d lines: %+v", lines, p)
			}
		}
	})
}
