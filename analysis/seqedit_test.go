package analysis

import (
	"strings"
	"testing"

	yaml "go.yaml.in/yaml/v3"
)

// seqOf parses text and returns the sequence at path.
func seqOf(t *testing.T, text string, path ...string) (*Source, *yaml.Node) {
	t.Helper()
	src := NewSource(text)
	root, err := src.ParseYAML(0, len(text))
	if err != nil {
		t.Fatal(err)
	}
	n := root
	for _, key := range path {
		if key == "0" {
			n = Resolve(n.Content[0])
			continue
		}
		n = Lookup(n, key)
	}
	return src, n
}

// checkEdit applies an edit that should exist and compares the result.
func checkEdit(t *testing.T, name, text string, e Edit, ok bool, want string) {
	t.Helper()
	if !ok {
		t.Errorf("%s: no edit", name)
		return
	}
	if got, err := Apply(text, []Edit{e}); err != nil || got != want {
		t.Errorf("%s: got %q (err %v), want %q", name, got, err, want)
	}
}

func TestAppendScalar(t *testing.T) {
	cases := []struct {
		name, text, value, want string
		json                    bool
	}{
		{"block", "verbs:\n  - get\n  - list\nkind: Role\n", "watch", "verbs:\n  - get\n  - list\n  - watch\nkind: Role\n", false},
		{"block at column 0 with CRLF", "verbs:\r\n- get\r\n", "list", "verbs:\r\n- get\r\n- list\r\n", false},
		{"block keeps double quotes", "verbs:\n  - \"get\"\n", "list", "verbs:\n  - \"get\"\n  - \"list\"\n", false},
		{"block quotes a star", "verbs:\n- get\n", "*", "verbs:\n- get\n- \"*\"\n", false},
		{"flow", "verbs: [\"get\", \"list\"]\n", "watch", "verbs: [\"get\", \"list\", \"watch\"]\n", false},
		{"flow plain", "verbs: [get, list] # read\n", "watch", "verbs: [get, list, watch] # read\n", false},
		{"flow empty", "verbs: []\n", "get", "verbs: [get]\n", false},
		{"single-quoted empty group", "apiGroups: ['']\n", "apps", "apiGroups: ['', 'apps']\n", false},
		{"json", "{\"verbs\": [\n  \"get\"\n]}", "list", "{\"verbs\": [\n  \"get\", \"list\"\n]}", true},
	}
	for _, c := range cases {
		src, seq := seqOf(t, c.text, "verbs")
		if c.name == "single-quoted empty group" {
			src, seq = seqOf(t, c.text, "apiGroups")
		}
		e, ok := src.AppendScalar(seq, c.value, c.json)
		checkEdit(t, c.name, c.text, e, ok, c.want)
	}
}

func TestAppendMapping(t *testing.T) {
	keys := []string{"apiGroups", "resources", "verbs"}
	values := map[string][]string{"apiGroups": {""}, "resources": {"pods/log"}, "verbs": {"get"}}
	cases := []struct {
		name, text, want string
		json             bool
	}{
		{"block rules with flow lists",
			"rules:\n  - apiGroups: [\"\"]\n    resources: [\"pods\"]\n    verbs: [\"get\"]\n",
			"rules:\n  - apiGroups: [\"\"]\n    resources: [\"pods\"]\n    verbs: [\"get\"]\n  - apiGroups: [\"\"]\n    resources: [\"pods/log\"]\n    verbs: [\"get\"]\n", false},
		{"block rules with block lists",
			"rules:\n- apiGroups:\n  - \"\"\n  resources:\n  - pods\n  verbs:\n  - get\nkind: Role\n",
			"rules:\n- apiGroups:\n  - \"\"\n  resources:\n  - pods\n  verbs:\n  - get\n- apiGroups:\n  - \"\"\n  resources:\n  - pods/log\n  verbs:\n  - get\nkind: Role\n", false},
		{"json pretty",
			"{\n  \"rules\": [\n    {\n      \"apiGroups\": [\"\"],\n      \"verbs\": [\"get\"]\n    }\n  ]\n}",
			"{\n  \"rules\": [\n    {\n      \"apiGroups\": [\"\"],\n      \"verbs\": [\"get\"]\n    },\n    {\n      \"apiGroups\": [\"\"],\n      \"resources\": [\"pods/log\"],\n      \"verbs\": [\"get\"]\n    }\n  ]\n}", true},
		{"json compact",
			`{"rules":[{"apiGroups":[""],"verbs":["get"]}]}`,
			`{"rules":[{"apiGroups":[""],"verbs":["get"]}, {"apiGroups": [""], "resources": ["pods/log"], "verbs": ["get"]}]}`, true},
	}
	for _, c := range cases {
		src, seq := seqOf(t, c.text, "rules")
		e, ok := src.AppendMapping(seq, keys, values, c.json)
		checkEdit(t, c.name, c.text, e, ok, c.want)
	}
}

func TestRemoveItems(t *testing.T) {
	cases := []struct {
		name, text string
		indexes    []int
		want       string
		ok         bool
	}{
		{"block mapping item", "subjects:\n- kind: Group\n  name: a\n- kind: Group\n  name: b\nx: 1\n", []int{1}, "subjects:\n- kind: Group\n  name: a\nx: 1\n", true},
		{"block first item", "subjects:\n  - a\n  - b\n", []int{0}, "subjects:\n  - b\n", true},
		{"block item with its comment", "subjects:\n  - a\n  # b is new\n  - b\n", []int{1}, "subjects:\n  - a\n", true},
		{"block two items", "subjects:\n  - a\n  - b\n  - c\n", []int{0, 2}, "subjects:\n  - b\n", true},
		{"flow middle", "subjects: [a, b, c]\n", []int{1}, "subjects: [a, c]\n", true},
		{"flow last", "subjects: [\"a\", \"b\"]\n", []int{1}, "subjects: [\"a\"]\n", true},
		{"flow first two", "subjects: [a, b, c]\n", []int{0, 1}, "subjects: [c]\n", true},
		{"flow last two", "subjects: [a, b, c]\n", []int{1, 2}, "subjects: [a]\n", true},
		{"flow first and last", "subjects: [a, b, c]\n", []int{0, 2}, "subjects: [b]\n", true},
		{"only item", "subjects: [a]\n", []int{0}, "", false},
		{"every item", "subjects: [a, b]\n", []int{0, 1}, "", false},
	}
	for _, c := range cases {
		src, seq := seqOf(t, c.text, "subjects")
		edits, ok := src.RemoveItems(seq, c.indexes)
		if ok != c.ok {
			t.Errorf("%s: ok %v, want %v", c.name, ok, c.ok)
			continue
		}
		if !ok {
			continue
		}
		got, err := Apply(c.text, edits)
		if err != nil || got != c.want {
			t.Errorf("%s: got %q (err %v), want %q", c.name, got, err, c.want)
		}
	}
}

func TestAppendEntry(t *testing.T) {
	cases := []struct{ name, text, want string }{
		{"block", "s:\n  kind: ServiceAccount\n  name: ci\nx: 1\n", "s:\n  kind: ServiceAccount\n  name: ci\n  namespace: build\nx: 1\n"},
		{"flow", "s: {kind: ServiceAccount, name: ci}\n", "s: {kind: ServiceAccount, name: ci, namespace: build}\n"},
		{"json pretty", "{\"s\": {\n  \"kind\": \"ServiceAccount\",\n  \"name\": \"ci\"\n}}", "{\"s\": {\n  \"kind\": \"ServiceAccount\",\n  \"name\": \"ci\",\n  \"namespace\": \"build\"\n}}"},
	}
	for _, c := range cases {
		src, m := seqOf(t, c.text, "s")
		e, ok := src.AppendEntry(m, "namespace", "build", strings.HasPrefix(c.text, "{"))
		checkEdit(t, c.name, c.text, e, ok, c.want)
	}
}
