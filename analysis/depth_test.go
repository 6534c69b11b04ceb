package analysis

import (
	"fmt"
	"strings"
	"testing"
)

// nest returns open n times, then middle, then close n times.
func nest(open, middle, close string, n int) string {
	return strings.Repeat(open, n) + middle + strings.Repeat(close, n)
}

// hclTemplate nests n string templates: "${"${"x"}"}".
func hclTemplate(n int) string {
	t := `"x"`
	for range n {
		t = `"${` + t + `}"`
	}
	return t
}

// yamlIndented nests n block mappings by indentation, one per line.
func yamlIndented(n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "%sa:\n", strings.Repeat(" ", i))
	}
	return b.String() + strings.Repeat(" ", n) + "b: 1\n"
}

// TestDeepAt checks every shape of nesting at MaxDepth, which parses, and
// one level past it, which does not, at the level that passes it.
func TestDeepAt(t *testing.T) {
	for _, c := range []struct {
		name   string
		format Format
		text   func(levels int) string
	}{
		{"json arrays", FormatJSON, func(n int) string { return nest("[", "", "]", n) }},
		{"json objects", FormatJSON, func(n int) string { return nest(`{"a": `, "1", "}", n) }},
		{"json brackets in strings", FormatJSON, func(n int) string { return nest(`["]]", `, `"[["`, "]", n) }},
		{"yaml flow", FormatYAML, func(n int) string { return "a: " + nest("[", "", "]", n-1) + "\n" }},
		{"yaml flow maps", FormatYAML, func(n int) string { return "a: " + nest("{a: ", "1", "}", n-1) + "\n" }},
		{"yaml block sequences", FormatYAML, func(n int) string { return strings.Repeat("- ", n-1) + "x\n" }},
		{"yaml block mappings", FormatYAML, func(n int) string { return yamlIndented(n - 1) }},
		{"yaml closers in strings", FormatYAML, func(n int) string { return "a: " + nest(`["]]", '}', `, "1", "]", n-1) + "\n" }},
		{"yaml flow over lines", FormatYAML, func(n int) string { return "a:\n" + nest("  [\n", "1\n", "]\n", n-2) }},            // the line of the first [ counts too
		{"yaml in a block scalar", FormatYAML, func(n int) string { return "mapRoles: |\n  " + nest("[", "", "]", n-2) + "\n" }}, // the line of the first [ counts too
		{"json as yaml", FormatYAML, func(n int) string { return nest("{\n  \"a\": ", "1", "\n}", n) }},
		{"hcl parentheses", FormatHCL, func(n int) string { return "x = " + nest("(", "1", ")", n) + "\n" }},
		{"hcl tuples", FormatHCL, func(n int) string { return "x = " + nest("[", "1", "]", n) + "\n" }},
		{"hcl blocks", FormatHCL, func(n int) string { return nest("a {\n", "", "}\n", n) }},
		{"hcl templates", FormatHCL, func(n int) string { return "x = " + hclTemplate((n-1)/2) + "\n" }},
		{"hcl heredocs", FormatHCL, func(n int) string { return "x = " + nest("<<EOT\n${", "1", "}\nEOT\n", (n+1)/2) }},
		{"hcl unary operators", FormatHCL, func(n int) string { return "x = " + strings.Repeat("!", n) + "true\n" }},
		{"hcl conditionals", FormatHCL, func(n int) string { return "x = (" + strings.Repeat("a ? 1 :\n", n-1) + "2)\n" }},
		{"hcl directives", FormatHCL, func(n int) string { return `x = "` + nest("%{if a}", "x", "%{endif}", n-2) + "\"\n" }},
	} {
		if at := DeepAt(c.text(MaxDepth), c.format); at >= 0 {
			t.Errorf("%s: %d levels deep: too deep at %d", c.name, MaxDepth, at)
		}
		if at := DeepAt(c.text(MaxDepth+1), c.format); at < 0 {
			t.Errorf("%s: %d levels deep: not too deep", c.name, MaxDepth+1)
		}
	}
}

// TestDeepAtText checks that what only looks like nesting, in strings,
// comments, block scalars and identifiers, is not counted, at any length.
func TestDeepAtText(t *testing.T) {
	many := 3 * MaxDepth
	for _, c := range []struct {
		name, text string
		format     Format
	}{
		{"json strings", strings.Repeat(`{"a": "[{(${", "b": "x"}`+"\n", many), FormatJSON},
		{"yaml strings", strings.Repeat(`a: "[{" `+"\n"+`b: '[{''{'`+"\n", many), FormatYAML},
		{"yaml plain scalars", strings.Repeat("a: b [c {d\n- x [y\n", many), FormatYAML},
		{"yaml comments", strings.Repeat("a: 1 # [[{{\n# [[[\n", many), FormatYAML},
		{"yaml block scalars", "script: |\n" + strings.Repeat("  echo \"[{(\"; case $x in a) ;;\n", many), FormatYAML},
		{"yaml flow lists", strings.Repeat("groups: [system:masters, {a: b}]\n", many), FormatYAML},
		{"hcl strings", strings.Repeat(`x = "[{(${a}"`+"\n", many), FormatHCL},
		{"hcl comments", strings.Repeat("# [[((\n// {{\n/* [[ */\n", many), FormatHCL},
		{"hcl heredocs", "x = <<EOT\n" + strings.Repeat("[{(\n", many) + "EOT\n", FormatHCL},
		{"hcl identifiers", "x = [" + strings.Repeat("module.eks-node-group-role.arn,\n", many) + "]\n", FormatHCL},
		{"hcl binary operators", "x = (" + strings.Repeat("a * b + ", many) + "c)\n", FormatHCL},
		{"text", strings.Repeat("[", many), FormatText},
	} {
		if at := DeepAt(c.text, c.format); at >= 0 {
			t.Errorf("%s: too deep at %d", c.name, at)
		}
	}
}

// TestDeepAtTricks checks nesting that strings and indentation try to
// hide from the count.
func TestDeepAtTricks(t *testing.T) {
	deep := MaxDepth + 1
	for _, c := range []struct {
		name, text string
		format     Format
	}{
		{"closers in a yaml string", "a: " + strings.Repeat("[", deep/2) + `"` + strings.Repeat("]", deep) + `", ` + strings.Repeat("[", deep/2+1), FormatYAML},
		{"quote inside a yaml plain scalar", `[a "b, ` + strings.Repeat("[", deep), FormatYAML},
		{"yaml string over lines", "a: " + strings.Repeat("[", deep/2) + "\"x\n" + strings.Repeat("]", deep) + "\", " + strings.Repeat("[", deep/2+1), FormatYAML},
		{"yaml continued plain scalar", "- - a\n  - " + strings.Repeat("[", deep) + "\n", FormatYAML},
		{"hcl string in a template", `x = "${"}"}" + ` + strings.Repeat("(", deep), FormatHCL},
		{"hcl comment marks in a string", `x = "#" + ` + strings.Repeat("(", deep), FormatHCL},
	} {
		if at := DeepAt(c.text, c.format); at < 0 {
			t.Errorf("%s: not too deep", c.name)
		}
	}
}

// TestDeepAtAllocs checks that a small document costs no allocation
// (but for the text of a block scalar): every parse of one scans it
// first.
func TestDeepAtAllocs(t *testing.T) {
	text := "apiVersion: v1\nkind: ConfigMap\ndata:\n  mapRoles:\n    - rolearn: x\n      groups: [a, b]\n"
	for _, f := range []Format{FormatJSON, FormatYAML, FormatHCL} {
		if n := testing.AllocsPerRun(10, func() { DeepAt(text, f) }); n > 0 {
			t.Errorf("%s: %.0f allocations", f, n)
		}
	}
}
