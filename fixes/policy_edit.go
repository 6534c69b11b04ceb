package fixes

import (
	"strconv"
	"strings"
	"unicode/utf8"

	yaml "go.yaml.in/yaml/v3"

	"github.com/eksdoctor/eksdoctor/analysis"
)

// nodeSpan returns the byte range of node n of a tree living in at, in the
// whole text.
func nodeSpan(at analysis.TextMap, n *yaml.Node) (start, end int) {
	s, e := localSpan(at.Source(), n)
	return at.Offset(s), at.Offset(e)
}

// localSpan returns the byte range of n in src, the text its tree was
// parsed from: a scalar's quotes included, a flow collection to its
// closing bracket, a block collection to the end of its last value.
func localSpan(src *analysis.Source, n *yaml.Node) (start, end int) {
	start = src.NodeStart(n)
	switch {
	case n.Kind == yaml.ScalarNode:
		return src.ScalarSpan(n)
	case n.Style&yaml.FlowStyle != 0 || strings.HasPrefix(src.Text[start:], "{") || strings.HasPrefix(src.Text[start:], "["):
		return start, flowEnd(src.Text, start)
	case len(n.Content) > 0:
		_, end = localSpan(src, analysis.Resolve(n.Content[len(n.Content)-1]))
		return start, end
	}
	return start, src.LineEnd(n.Line)
}

// flowEnd returns the offset after the bracket that closes the flow
// collection opened at start, skipping quoted strings.
func flowEnd(text string, start int) int {
	depth := 0
	for i := start; i < len(text); i++ {
		switch c := text[i]; c {
		case '"', '\'':
			i += analysis.QuotedLen(text[i:], c) - 1
		case '{', '[':
			depth++
		case '}', ']':
			if depth--; depth == 0 {
				return i + 1
			}
		}
	}
	return len(text)
}

// straightText is the TextMap of a policy pasted with typographic quotes
// and read from a copy where each is a straight quote padded with spaces
// (straightenQuotes): offsets are the same, edits go to the original.
type straightText struct{ orig, straight *analysis.Source }

func (s straightText) Source() *analysis.Source              { return s.straight }
func (s straightText) Offset(i int) int                      { return i }
func (s straightText) Edit(a, b int, t string) analysis.Edit { return analysis.Replace(a, b, t) }

// widen extends a span of the straightened text over the typographic
// quotes the original has at its ends.
func (s straightText) widen(start, end int) (int, int) {
	if r, _ := utf8.DecodeRuneInString(s.orig.Text[max(start-2, 0):]); start >= 2 && isSmartQuote(r) {
		start -= 2
	}
	if r, _ := utf8.DecodeRuneInString(s.orig.Text[max(end-1, 0):]); end >= 1 && isSmartQuote(r) {
		end += 2
	}
	return start, end
}

// nodeEditor edits a statement parsed as a node tree (JSON or YAML).
type nodeEditor struct {
	at   analysis.TextMap
	stmt *yaml.Node
}

// span is localSpan widened, for a policy read with straightened quotes,
// over the whole typographic quotes around a string, so that edits next to
// a value never cut into one.
func (e nodeEditor) span(n *yaml.Node) (start, end int) {
	start, end = localSpan(e.at.Source(), n)
	if st, ok := e.at.(straightText); ok {
		return st.widen(start, end)
	}
	return start, end
}

// layout returns the text to copy indentation from: the original, for a
// policy read with straightened quotes (which pad with spaces).
func (e nodeEditor) layout() *analysis.Source {
	if st, ok := e.at.(straightText); ok {
		return st.orig
	}
	return e.at.Source()
}

// AddAction adds action to Action.
func (e nodeEditor) AddAction(action string) ([]analysis.Edit, bool) {
	_, v := analysis.MapEntry(e.stmt, "Action")
	items := actionItems(v)
	if items == nil {
		return nil, false
	}
	actions := make([]string, 0, len(items)+1)
	for _, it := range items {
		actions = append(actions, it.Value)
	}
	return e.SetActions(append(actions, action))
}

// actionItems returns the scalar nodes of an Action value, or nil when it
// holds anything else.
func actionItems(v *yaml.Node) []*yaml.Node {
	switch {
	case v == nil:
		return nil
	case v.Kind == yaml.ScalarNode:
		return []*yaml.Node{v}
	case v.Kind != yaml.SequenceNode || len(v.Content) == 0:
		return nil
	}
	var items []*yaml.Node
	for _, it := range v.Content {
		if it = analysis.Resolve(it); it.Kind != yaml.ScalarNode {
			return nil
		}
		items = append(items, it)
	}
	return items
}

// SetActions makes Action the list actions, which must be at least as
// long as the current one: current values are rewritten inside their
// quotes, the rest appended, and a single action becomes a list. The edits
// never touch the quotes around a value, so they combine with the JSON
// repair of IAM001.
func (e nodeEditor) SetActions(actions []string) ([]analysis.Edit, bool) {
	_, v := analysis.MapEntry(e.stmt, "Action")
	items := actionItems(v)
	if items == nil || len(actions) < len(items) {
		return nil, false
	}
	src := e.at.Source()
	var edits []analysis.Edit
	for i, it := range items {
		s := analysis.Locate(e.at, it)
		if !editable(s) {
			return nil, false
		}
		if s.Value != actions[i] {
			edits = append(edits, s.Replace(actions[i]))
		}
	}
	extra := actions[len(items):]
	if len(extra) == 0 {
		return edits, len(edits) > 0
	}
	last := items[len(items)-1]
	start, end := e.span(last)
	q := `"`
	if !e.flow(e.stmt) {
		q = quoteOf(src.Text[src.NodeStart(last):], last)
	}
	if v.Kind == yaml.ScalarNode {
		if start == 0 || src.Text[start-1] >= utf8.RuneSelf {
			return nil, false
		}
		list := ""
		for _, a := range extra {
			list += ", " + q + a + q
		}
		return append(edits, e.at.Edit(start-1, start, src.Text[start-1:start]+"["), e.at.Edit(end, end, list+"]")), true
	}
	for _, a := range extra {
		edits = append(edits, e.appendItem(v, last, end, q+a+q))
	}
	return edits, true
}

// AddCondition adds key: value under operator.
func (e nodeEditor) AddCondition(operator, key, value string) (analysis.Edit, bool) {
	_, cond := analysis.MapEntry(e.stmt, "Condition")
	if cond == nil {
		return e.addEntry(e.stmt, "Condition", nestedEntry(operator, key, value, e.flow(e.stmt)))
	}
	if _, block := analysis.MapEntry(cond, operator); block != nil {
		return e.addEntry(block, key, scalarText(value, e.flow(block)))
	}
	return e.addEntry(cond, operator, nestedEntry("", key, value, e.flow(cond)))
}

// scalarText writes a string for a JSON or YAML flow collection (quoted)
// or a YAML block (plain when that reads the same).
func scalarText(s string, flow bool) string {
	if flow {
		return quoted(s)
	}
	return analysis.YAMLScalar(s)
}

// nestedEntry renders a mapping value holding key: value (under operator
// when operator is not ""), as a placeholder layout that addEntry indents.
func nestedEntry(operator, key, value string, flow bool) []string {
	inner := scalarText(key, flow) + ": " + scalarText(value, flow)
	if operator != "" {
		if flow {
			return []string{"{", "\t" + quoted(operator) + ": {", "\t\t" + inner, "\t}", "}"}
		}
		return []string{"", "\t" + analysis.YAMLScalar(operator) + ":", "\t\t" + inner}
	}
	if flow {
		return []string{"{", "\t" + inner, "}"}
	}
	return []string{"", "\t" + inner}
}

func (e nodeEditor) flow(n *yaml.Node) bool {
	src := e.at.Source()
	return n.Style&yaml.FlowStyle != 0 || strings.HasPrefix(src.Text[src.NodeStart(n):], "{")
}

// addEntry adds key with a value to mapping m after its last entry. value
// is one line, or lines where each leading tab is one indentation step
// deeper than the new key.
func (e nodeEditor) addEntry(m *yaml.Node, key string, value any) (analysis.Edit, bool) {
	if len(m.Content) < 2 {
		return analysis.Edit{}, false
	}
	src := e.at.Source()
	lastKey := m.Content[len(m.Content)-2]
	_, lastEnd := e.span(analysis.Resolve(m.Content[len(m.Content)-1]))
	nl := src.Newline()
	indent := lineIndent(e.layout(), lastKey.Line)
	step := indentStep(e.layout(), m, lastKey)
	render := func(lines []string) string {
		var b strings.Builder
		for i, l := range lines {
			if i > 0 {
				b.WriteString(nl + indent)
			}
			tabs := len(l) - len(strings.TrimLeft(l, "\t"))
			b.WriteString(strings.Repeat(step, tabs) + l[tabs:])
		}
		return b.String()
	}
	var v string
	switch x := value.(type) {
	case string:
		v = x
	case []string:
		v = render(x)
	}
	if !e.flow(m) {
		if strings.HasPrefix(v, nl) || v == "" {
			return e.at.Edit(lastEnd, lastEnd, nl+indent+analysis.YAMLScalar(key)+":"+v), true
		}
		return e.at.Edit(lastEnd, lastEnd, nl+indent+analysis.YAMLScalar(key)+": "+v), true
	}
	if src.LineOf(src.NodeStart(m)) == lastKey.Line {
		return e.at.Edit(lastEnd, lastEnd, ", "+quoted(key)+": "+strings.ReplaceAll(v, nl+indent, " ")), true
	}
	return e.at.Edit(lastEnd, lastEnd, ","+nl+indent+quoted(key)+": "+v), true
}

// appendItem adds an item after the last item of sequence seq, which ends
// at end.
func (e nodeEditor) appendItem(seq, last *yaml.Node, end int, item string) analysis.Edit {
	src := e.at.Source()
	nl := src.Newline()
	switch {
	case !e.flow(seq):
		return e.at.Edit(end, end, nl+lineIndent(e.layout(), last.Line)+"- "+item)
	case src.LineOf(src.NodeStart(seq)) == last.Line:
		return e.at.Edit(end, end, ", "+item)
	}
	return e.at.Edit(end, end, ","+nl+lineIndent(e.layout(), last.Line)+item)
}

// indentStep guesses one indentation step from how deep key sits below
// its mapping's parent line, defaulting to two spaces.
func indentStep(src *analysis.Source, m, key *yaml.Node) string {
	outer := len(lineIndent(src, m.Line))
	if inner := len(lineIndent(src, key.Line)); key.Line != m.Line && inner > outer {
		return strings.Repeat(" ", inner-outer)
	}
	return "  "
}

// lineIndent returns the leading whitespace of a line.
func lineIndent(src *analysis.Source, line int) string {
	text := src.Line(line)
	return text[:len(text)-len(strings.TrimLeft(text, " \t"))]
}

// quoteOf returns the quote character a scalar is written with.
func quoteOf(raw string, n *yaml.Node) string {
	if n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0 && raw != "" {
		return raw[:1]
	}
	return ""
}

// quoted writes s as a double-quoted string, valid in JSON and YAML.
func quoted(s string) string { return strconv.Quote(s) }
