package main

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/eksdoctor/eksdoctor/core"
)

// rulesCmd lists the rules.
func rulesCmd(args []string, e env) int {
	fs := newFlags("rules", "[--format text|md|json]", e)
	format := fs.String("format", "text", "output `format`: text (one line per rule), md (the docs/rules.md page) or json")
	_, status, stop := parseN(fs, args, 0)
	if stop {
		return status
	}
	switch *format {
	case "text":
		for _, r := range core.Rules() {
			fmt.Fprintf(e.stdout, "%-8s %-8s %s\n", r.ID, r.Severity, r.Title)
		}
	case "md":
		io.WriteString(e.stdout, core.RulesMarkdown())
	case "json":
		encodeJSON(e.stdout, core.Rules())
	default:
		fmt.Fprintf(e.stderr, "eksdoctor rules: --format %q is not text, md or json\n", *format)
		return exitError
	}
	return exitOK
}

// example is a rule's first golden case that fires, from
// testdata/rules/RULE/*.txtar: its file, its description and its input.
type example struct {
	Case  string `json:"case"`
	About string `json:"about"`
	Input string `json:"input"`
}

// examplesJSON maps rule IDs to their examples. TestExamples checks it
// against testdata; -update rewrites it.
//
//go:generate go test -run TestExamples -update
//go:embed examples.json
var examplesJSON []byte

// examples reads examplesJSON.
func examples() map[string]example {
	var m map[string]example
	if err := json.Unmarshal(examplesJSON, &m); err != nil {
		panic(err) // TestExamples reads it
	}
	return m
}

// explain prints a rule's title, severity, doc and references, and an
// example that fires with what eksdoctor reports on it.
func explain(args []string, e env) int {
	fs := newFlags("explain", "RULE", e)
	rest, status, stop := parseN(fs, args, 1)
	if stop {
		return status
	}
	rules := core.Rules()
	i := slices.IndexFunc(rules, func(r core.RuleInfo) bool { return strings.EqualFold(r.ID, rest[0]) })
	if i < 0 {
		fmt.Fprintf(e.stderr, "eksdoctor explain: no rule %q (eksdoctor rules lists them)\n", rest[0])
		return exitError
	}
	r := rules[i]
	w := e.stdout
	fmt.Fprintf(w, "%s: %s\nseverity %s; reads %s\n\n%s\n", r.ID, r.Title, r.Severity, strings.Join(r.Kinds, ", "), r.Doc)
	if len(r.References) > 0 {
		fmt.Fprintf(w, "\nReferences:\n")
		for _, ref := range r.References {
			fmt.Fprintf(w, "  %s\n", ref)
		}
	}
	if ex, ok := examples()[r.ID]; ok {
		fmt.Fprintf(w, "\nExample (%s):\n%s\n%s\neksdoctor reports:\n", ex.Case, indent(ex.About), indent(ex.Input))
		for _, f := range firing(ex.Input, r.ID) {
			fmt.Fprintf(w, "  %d:%d: %s %s %s\n", f.Line, f.Column, f.Severity, f.Rule, f.Message)
		}
	}
	return exitOK
}

// firing returns the findings of rule on input, with its values.
func firing(input, rule string) []core.Finding {
	var out []core.Finding
	for _, f := range core.Analyze(input, core.Options{}).Findings {
		if f.Rule == rule {
			f.Message = core.RestoreIdentifiers(input, f.Message)
			out = append(out, f)
		}
	}
	return out
}

// indent indents each non-empty line of text by two spaces.
func indent(text string) string {
	lines := strings.Split(strings.TrimRight(text, "\n"), "\n")
	for i, l := range lines {
		if l != "" {
			lines[i] = "  " + l
		}
	}
	return strings.Join(lines, "\n") + "\n"
}
