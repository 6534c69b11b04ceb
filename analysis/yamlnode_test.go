package analysis

import (
	"testing"

	"go.yaml.in/yaml/v3"
)

// TestScalarSpan checks the span of a mapping's value in the text, for
// each scalar style, plain scalars folded over several lines included.
func TestScalarSpan(t *testing.T) {
	for _, c := range []struct{ text, want string }{
		{"k: value\n", "value"},
		{"k: \"quoted \\\" value\"\n", "\"quoted \\\" value\""},
		{"k: 'it''s'\n", "'it''s'"},
		{"k: |\n  line one\n  line two\nnext: 1\n", "|\n  line one\n  line two"},
		{"k: 0\n   0\n", "0\n   0"},
		{"k: first  \n    second\n\n    third\nnext: 1\n", "first  \n    second\n\n    third"},
		{"k: a b # comment\n", "a b"},
	} {
		src := NewSource(c.text)
		root, err := src.ParseYAML(0, len(c.text))
		if err != nil {
			t.Fatalf("%q: %v", c.text, err)
		}
		if root.Kind == yaml.DocumentNode {
			root = root.Content[0]
		}
		if root.Kind != yaml.MappingNode || len(root.Content) < 2 {
			t.Fatalf("%q: no mapping value", c.text)
		}
		start, end := src.ScalarSpan(root.Content[1])
		if got := c.text[start:end]; got != c.want {
			t.Errorf("%q: span %q, want %q", c.text, got, c.want)
		}
	}
}
