package fixes

import (
	"testing"

	"github.com/eksdoctor/eksdoctor/analysis"
)

// TestRepairJSON checks the repairs of hand-edited policy JSON: each
// broken input must come out as the exact text given, and inputs that are
// valid or not safely repairable get no repair.
func TestRepairJSON(t *testing.T) {
	cases := []struct {
		name, in, want string // want "" means no repair
	}{
		{"trailing comma in object", "{\n  \"a\": 1,\n}", "{\n  \"a\": 1\n}"},
		{"trailing comma in array", `{"a": ["x", "y",]}`, `{"a": ["x", "y"]}`},
		{"two trailing commas", "{\"a\": [1,],\n \"b\": {\"c\": 2,},}", "{\"a\": [1],\n \"b\": {\"c\": 2}}"},
		{"missing comma at line end", "{\n  \"a\": \"x\"\n  \"b\": \"y\"\n}", "{\n  \"a\": \"x\",\n  \"b\": \"y\"\n}"},
		{"missing comma after object", "[\n {\"a\": 1}\n {\"b\": 2}\n]", "[\n {\"a\": 1},\n {\"b\": 2}\n]"},
		{"smart double quotes", "{\u201cEffect\u201d: \u201cAllow\u201d}", `{"Effect": "Allow"}`},
		{"smart closing quote in straight string", "{\"Effect\u201d: \"Allow\"}", `{"Effect": "Allow"}`},
		{"smart single quotes", "{\u2018Effect\u2019: \u2018Allow\u2019}", `{"Effect": "Allow"}`},
		{"smart quote inside text kept", "{\"Sid\": \"it\u2019s fine\",}", "{\"Sid\": \"it\u2019s fine\"}"},
		{"missing closing braces", "{\n  \"Statement\": [\n    {\n      \"Effect\": \"Allow\"\n    }", "{\n  \"Statement\": [\n    {\n      \"Effect\": \"Allow\"\n    }\n  ]\n}"},
		{"valid", `{"a": 1}`, ""},
		{"missing comma on one line is ambiguous", `{"a": 1 "b": 2}`, ""},
		{"missing colon", `{"a" 1}`, ""},
		{"unquoted key", `{a: 1}`, ""},
		{"stray closing bracket", `{"a": 1}}`, ""},
		{"single-quoted straight", `{'a': 1}`, ""},
		{"shell default inside string", `{"a": "x${NS:-"default"}y"}`, ""},
	}
	for _, c := range cases {
		edits, ok := repairJSON(c.in)
		if c.want == "" {
			if ok {
				got, _ := analysis.Apply(c.in, edits)
				t.Errorf("%s: repaired to %q, want no repair", c.name, got)
			}
			continue
		}
		if !ok {
			t.Errorf("%s: no repair, want %q", c.name, c.want)
			continue
		}
		if got, err := analysis.Apply(c.in, edits); err != nil || got != c.want {
			t.Errorf("%s: repaired to %q (%v), want %q", c.name, got, err, c.want)
		}
	}
}
