package fixes

import (
	"testing"

	yaml "go.yaml.in/yaml/v3"

	"github.com/eksdoctor/eksdoctor/analysis"
)

// editorOf returns the editor of the first statement of the policy text
// (JSON or YAML), and the text.
func editorOf(t *testing.T, text string, format analysis.Format) StatementEditor {
	t.Helper()
	src := analysis.NewSource(text)
	doc := &analysis.Document{Kind: analysis.KindTrustPolicy, Format: format, End: len(text), Text: text}
	if format == analysis.FormatYAML {
		root, err := src.ParseYAML(0, len(text))
		if err != nil {
			t.Fatal(err)
		}
		doc.YAML = root
	}
	set := policiesOf(&analysis.Pass{Input: &analysis.Input{Src: src, Docs: []*analysis.Document{doc}}}, doc)
	if len(set.Policies) == 0 || len(set.Policies[0].Statements) == 0 {
		t.Fatalf("no statement in %q", text)
	}
	return set.Policies[0].Statements[0].Editor
}

// TestStatementEditor checks the structural edits on the layouts people
// paste: each result must be the exact text given, and parse.
func TestStatementEditor(t *testing.T) {
	cases := []struct {
		name   string
		format analysis.Format
		in     string
		edit   func(StatementEditor) ([]analysis.Edit, bool)
		want   string
	}{
		{"add to a single action", analysis.FormatJSON, `{"Statement": {"Effect": "Allow", "Action": "sts:AssumeRole"}}`,
			addAction("sts:TagSession"), `{"Statement": {"Effect": "Allow", "Action": ["sts:AssumeRole", "sts:TagSession"]}}`},
		{"add to a one-line list", analysis.FormatJSON, `{"Statement": {"Action": ["sts:AssumeRole"], "Effect": "Allow"}}`,
			addAction("sts:TagSession"), `{"Statement": {"Action": ["sts:AssumeRole", "sts:TagSession"], "Effect": "Allow"}}`},
		{"add to a multi-line list", analysis.FormatJSON, "{\"Statement\": {\"Action\": [\n    \"a:B\",\n    \"a:C\"\n  ]}}",
			addAction("a:D"), "{\"Statement\": {\"Action\": [\n    \"a:B\",\n    \"a:C\",\n    \"a:D\"\n  ]}}"},
		{"add to a YAML block list", analysis.FormatYAML, "Statement:\n  - Effect: Allow\n    Action:\n      - 'sts:AssumeRole'\n",
			addAction("sts:TagSession"), "Statement:\n  - Effect: Allow\n    Action:\n      - 'sts:AssumeRole'\n      - 'sts:TagSession'\n"},
		{"add to a YAML plain scalar", analysis.FormatYAML, "Statement:\n  - Effect: Allow\n    Action: sts:AssumeRole\n",
			addAction("sts:TagSession"), "Statement:\n  - Effect: Allow\n    Action: [sts:AssumeRole, sts:TagSession]\n"},
		{"set actions rewrites in place and appends", analysis.FormatJSON, `{"Statement": {"Action": "sts:AssumeRoleWithWebIdentity"}}`,
			func(e StatementEditor) ([]analysis.Edit, bool) {
				return e.SetActions([]string{"sts:AssumeRole", "sts:TagSession"})
			},
			`{"Statement": {"Action": ["sts:AssumeRole", "sts:TagSession"]}}`},
		{"set actions cannot drop an action", analysis.FormatJSON, `{"Statement": {"Action": ["a:B", "a:C"]}}`,
			func(e StatementEditor) ([]analysis.Edit, bool) { return e.SetActions([]string{"a:B"}) }, ""},
		{"condition under an existing operator", analysis.FormatJSON, "{\"Statement\": [{\n    \"Action\": \"x:Y\",\n    \"Condition\": {\n        \"StringEquals\": {\n            \"k:a\": \"1\"\n        }\n    }\n}]}",
			addCondition, "{\"Statement\": [{\n    \"Action\": \"x:Y\",\n    \"Condition\": {\n        \"StringEquals\": {\n            \"k:a\": \"1\",\n            \"k:b\": \"2\"\n        }\n    }\n}]}"},
		{"condition with a new operator", analysis.FormatJSON, "{\"Statement\": [{\n  \"Action\": \"x:Y\",\n  \"Condition\": {\n    \"StringLike\": {\"k:a\": \"1*\"}\n  }\n}]}",
			addCondition, "{\"Statement\": [{\n  \"Action\": \"x:Y\",\n  \"Condition\": {\n    \"StringLike\": {\"k:a\": \"1*\"},\n    \"StringEquals\": {\n      \"k:b\": \"2\"\n    }\n  }\n}]}"},
		{"condition where there is none", analysis.FormatJSON, "{\n  \"Statement\": [\n    {\n      \"Effect\": \"Allow\",\n      \"Action\": \"x:Y\"\n    }\n  ]\n}",
			addCondition, "{\n  \"Statement\": [\n    {\n      \"Effect\": \"Allow\",\n      \"Action\": \"x:Y\",\n      \"Condition\": {\n        \"StringEquals\": {\n          \"k:b\": \"2\"\n        }\n      }\n    }\n  ]\n}"},
		{"condition on one line", analysis.FormatJSON, `{"Statement": {"Action": "x:Y", "Condition": {"StringEquals": {"k:a": "1"}}}}`,
			addCondition, `{"Statement": {"Action": "x:Y", "Condition": {"StringEquals": {"k:a": "1", "k:b": "2"}}}}`},
		{"condition in YAML", analysis.FormatYAML, "Statement:\n  - Action: x:Y\n    Condition:\n      StringEquals:\n        k:a: \"1\"\n",
			addCondition, "Statement:\n  - Action: x:Y\n    Condition:\n      StringEquals:\n        k:a: \"1\"\n        k:b: \"2\"\n"},
		{"YAML condition where there is none", analysis.FormatYAML, "Statement:\n  - Effect: Allow\n    Action: x:Y\n",
			addCondition, "Statement:\n  - Effect: Allow\n    Action: x:Y\n    Condition:\n      StringEquals:\n        k:b: \"2\"\n"},
	}
	for _, c := range cases {
		edits, ok := c.edit(editorOf(t, c.in, c.format))
		if c.want == "" {
			if ok {
				t.Errorf("%s: edited, want no edit", c.name)
			}
			continue
		}
		got, err := analysis.Apply(c.in, edits)
		if !ok || err != nil || got != c.want {
			t.Errorf("%s: got %q (ok %v, err %v), want %q", c.name, got, ok, err, c.want)
			continue
		}
		var n yaml.Node
		if err := yaml.Unmarshal([]byte(got), &n); err != nil {
			t.Errorf("%s: the result does not parse: %v", c.name, err)
		}
	}
}

func addAction(action string) func(StatementEditor) ([]analysis.Edit, bool) {
	return func(e StatementEditor) ([]analysis.Edit, bool) { return e.AddAction(action) }
}

func addCondition(e StatementEditor) ([]analysis.Edit, bool) {
	edit, ok := e.AddCondition("StringEquals", "k:b", "2")
	return []analysis.Edit{edit}, ok
}
