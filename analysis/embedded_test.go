package analysis

import (
	"strings"
	"testing"

	yaml "go.yaml.in/yaml/v3"
)

// embeddedOf returns the Embedded of the value of key in a YAML text.
func embeddedOf(t *testing.T, text, key string) (*Source, *Embedded) {
	t.Helper()
	src := NewSource(text)
	root, err := src.ParseYAML(0, len(text))
	if err != nil {
		t.Fatal(err)
	}
	e, ok := src.EmbeddedScalar(Lookup(root, "data", key))
	if !ok {
		t.Fatalf("no embedded text for %s", key)
	}
	return src, e
}

func TestEmbeddedBlockScalar(t *testing.T) {
	text := "data:\n  mapRoles: |\n    - rolearn: arn:a\n      groups:\n\n        - g1\n  other: x\n"
	src, e := embeddedOf(t, text, "mapRoles")
	if want := "- rolearn: arn:a\n  groups:\n\n    - g1\n"; e.Value != want {
		t.Fatalf("Value = %q, want %q", e.Value, want)
	}
	i := strings.Index(e.Value, "arn:a")
	if got := text[e.Offset(i) : e.Offset(i)+5]; got != "arn:a" {
		t.Errorf("Offset maps %q", got)
	}
	tests := []struct {
		name       string
		start, end int
		text, want string
	}{
		{"replace a value", i, i + 5, "arn:b", strings.Replace(text, "arn:a", "arn:b", 1)},
		{"insert a line inside", strings.Index(e.Value, "  groups"), strings.Index(e.Value, "  groups"),
			"  username: u\n", strings.Replace(text, "      groups", "      username: u\n      groups", 1)},
		{"delete a value", i, i + 5, "", strings.Replace(text, "arn:a", "", 1)},
		{"append an entry at the end", len(e.Value), len(e.Value), "- rolearn: arn:c\n",
			strings.Replace(text, "  other", "    - rolearn: arn:c\n  other", 1)},
	}
	for _, tt := range tests {
		got, err := Apply(src.Text, []Edit{e.Edit(tt.start, tt.end, tt.text)})
		if err != nil || got != tt.want {
			t.Errorf("%s: got %q (err %v), want %q", tt.name, got, err, tt.want)
		}
	}
}

func TestEmbeddedTaggedBlock(t *testing.T) {
	text := "data:\n  policy: !Sub |\n    {\"Resource\": \"${Arn}\"}\n  other: x\n"
	src, e := embeddedOf(t, text, "policy")
	if e.Value != "{\"Resource\": \"${Arn}\"}\n" {
		t.Fatalf("Value = %q", e.Value)
	}
	i := strings.Index(e.Value, "${Arn}")
	got, _ := Apply(src.Text, []Edit{e.Edit(i, i+6, "*")})
	if want := strings.Replace(text, "${Arn}", "*", 1); got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestEmbeddedCRLFBlock(t *testing.T) {
	text := "data:\r\n  mapRoles: |\r\n    - a\r\n    - b\r\n"
	src, e := embeddedOf(t, text, "mapRoles")
	if e.Value != "- a\n- b\n" {
		t.Fatalf("Value = %q", e.Value)
	}
	got, _ := Apply(src.Text, []Edit{e.Edit(4, 4, "- c\n")})
	if want := "data:\r\n  mapRoles: |\r\n    - a\r\n    - c\r\n    - b\r\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestEmbeddedJSONString(t *testing.T) {
	text := `{"data": {"mapRoles": "- rolearn: arn:a\n  groups: [\"g\u00e9\"]\n"}}`
	src := NewSource(text)
	e, ok := src.EmbeddedJSONString(strings.Index(text, `"- rolearn`))
	if !ok || e.Value != "- rolearn: arn:a\n  groups: [\"gé\"]\n" {
		t.Fatalf("Value = %q (ok %v)", e.Value, ok)
	}
	i := strings.Index(e.Value, "  groups")
	got, _ := Apply(text, []Edit{e.Edit(i, i, "  username: \"x\"\n")})
	if want := strings.Replace(text, `\n  groups`, `\n  username: \"x\"\n  groups`, 1); got != want {
		t.Errorf("got %s, want %s", got, want)
	}
	var root yaml.Node
	if err := yaml.Unmarshal([]byte(got), &root); err != nil {
		t.Errorf("edited JSON does not parse: %v", err)
	}
}

func TestEmbeddedSingleQuoted(t *testing.T) {
	text := "data:\n  mapRoles: '[{\"rolearn\":\"arn:aws:iam::111122223333:role/it''s\",\"username\":\"a\"}]'\n"
	src, e := embeddedOf(t, text, "mapRoles")
	if want := `[{"rolearn":"arn:aws:iam::111122223333:role/it's","username":"a"}]`; e.Value != want {
		t.Fatalf("Value = %q, want %q", e.Value, want)
	}
	i := strings.Index(e.Value, "it's")
	if got := src.Text[e.Offset(i):e.Offset(i+len("it's"))]; got != "it''s" {
		t.Errorf("it's maps to %q", got)
	}
	fixed, err := Apply(src.Text, []Edit{e.Edit(i, i+len("it's"), "o'k")})
	if err != nil || !strings.Contains(fixed, "role/o''k\"") {
		t.Errorf("edit gave %q (%v)", fixed, err)
	}
}

func TestEmbeddedHeredoc(t *testing.T) {
	for _, tt := range []struct {
		name, text, value, edited string
		open, close               int
	}{
		{"indented <<-", "  data = {\n    mapRoles = <<-EOT\n      - rolearn: arn:a\n        groups:\n          - g1\n    EOT\n  }\n",
			"- rolearn: arn:a\n  groups:\n    - g1\n",
			"  data = {\n    mapRoles = <<-EOT\n      - rolearn: arn:b\n        groups:\n          - g1\n      - rolearn: arn:c\n    EOT\n  }\n", 2, 6},
		{"plain <<", "mapRoles = <<YAML\n- rolearn: arn:a\n  groups: [g1]\nYAML\n", "- rolearn: arn:a\n  groups: [g1]\n",
			"mapRoles = <<YAML\n- rolearn: arn:b\n  groups: [g1]\n- rolearn: arn:c\nYAML\n", 1, 4},
	} {
		e, ok := NewSource(tt.text).EmbeddedHeredoc(tt.open, tt.close)
		if !ok || e.Value != tt.value {
			t.Errorf("%s: Value = %q (%v), want %q", tt.name, e.Value, ok, tt.value)
			continue
		}
		i := strings.Index(e.Value, "arn:a")
		got, err := Apply(tt.text, []Edit{e.Edit(i, i+5, "arn:b"), e.Edit(len(e.Value), len(e.Value), "- rolearn: arn:c\n")})
		if err != nil || got != tt.edited {
			t.Errorf("%s: edits gave %q (%v), want %q", tt.name, got, err, tt.edited)
		}
	}
	if _, ok := NewSource("x = <<EOT\nEOT\n").EmbeddedHeredoc(1, 2); ok {
		t.Error("an empty heredoc has no text")
	}
}
