package analysis

import (
	"strings"

	yaml "go.yaml.in/yaml/v3"
)

// Surgical edits of YAML and JSON sequences: append an item, remove one.
// The new text copies what the sequence already does (block or flow
// style, indentation, quoting, line breaks), so a fix reads as if the
// person had typed it.

// NodeEnd returns the offset just past node n: the end of a scalar, the
// closing bracket of a flow collection, the end of the last item of a
// block collection.
func (s *Source) NodeEnd(n *yaml.Node) int {
	n = Resolve(n)
	switch {
	case n == nil:
		return 0
	case n.Kind == yaml.ScalarNode:
		_, end := s.ScalarSpan(n)
		return end
	case n.Style&yaml.FlowStyle != 0 || s.flowOpens(n):
		from := s.NodeStart(n) + 1
		if len(n.Content) > 0 {
			from = s.NodeEnd(n.Content[len(n.Content)-1])
		}
		return s.closingBracket(from)
	case len(n.Content) > 0:
		return s.NodeEnd(n.Content[len(n.Content)-1])
	}
	return s.NodeStart(n)
}

// flowOpens reports whether a collection starts with a bracket (JSON
// parsed as YAML marks some collections flow only by their text).
func (s *Source) flowOpens(n *yaml.Node) bool {
	start := s.NodeStart(n)
	return start < len(s.Text) && (s.Text[start] == '[' || s.Text[start] == '{')
}

// closingBracket returns the offset after the first closing bracket at or
// after from, skipping separators and comments.
func (s *Source) closingBracket(from int) int {
	for i := from; i < len(s.Text); i++ {
		switch s.Text[i] {
		case ']', '}':
			return i + 1
		case '#':
			for i < len(s.Text) && s.Text[i] != '\n' {
				i++
			}
		}
	}
	return len(s.Text)
}

// isFlow reports whether a collection is written in flow style ([…], {…}).
func (s *Source) isFlow(n *yaml.Node) bool { return n.Style&yaml.FlowStyle != 0 || s.flowOpens(n) }

// blockItemIndent returns the text before the dash of a block sequence
// item and the text between the dash and the item ("  ", " "), or ok
// false when the dash does not start its line.
func (s *Source) blockItemIndent(item *yaml.Node) (indent, gap string, ok bool) {
	start := s.NodeStart(item)
	lineStart := s.LineStart(s.LineOf(start))
	before := s.Text[lineStart:start]
	dash := strings.LastIndex(before, "-")
	if dash < 0 || strings.TrimSpace(before[:dash]) != "" || strings.TrimSpace(before[dash+1:]) != "" {
		return "", "", false
	}
	return before[:dash], before[dash+1:], true
}

// ScalarStyle renders a string value the way a neighbouring scalar is
// written: in its quotes, or plain when that is safe YAML.
func ScalarStyle(neighbour *yaml.Node, value string, json bool) string {
	switch {
	case json || neighbour != nil && neighbour.Style&yaml.DoubleQuotedStyle != 0:
		return jsonQuote(value)
	case neighbour != nil && neighbour.Style&yaml.SingleQuotedStyle != 0:
		return "'" + strings.ReplaceAll(value, "'", "''") + "'"
	}
	return YAMLScalar(value)
}

func jsonQuote(v string) string { return `"` + jsonEscape(v) + `"` }

// AppendScalar returns the edit that appends a string to a sequence of
// strings, in the style of its items.
func (s *Source) AppendScalar(seq *yaml.Node, value string, json bool) (Edit, bool) {
	if seq == nil || seq.Kind != yaml.SequenceNode {
		return Edit{}, false
	}
	var last *yaml.Node
	if len(seq.Content) > 0 {
		last = seq.Content[len(seq.Content)-1]
	}
	text := ScalarStyle(last, value, json)
	switch {
	case s.isFlow(seq) && last == nil:
		return Insert(s.NodeStart(seq)+1, text), true
	case s.isFlow(seq):
		return Insert(s.NodeEnd(last), ", "+text), true
	case last == nil:
		return Edit{}, false
	}
	indent, gap, ok := s.blockItemIndent(last)
	if !ok {
		return Edit{}, false
	}
	at := s.LineEnd(s.LineOf(max(s.NodeEnd(last)-1, s.NodeStart(last))))
	return Insert(at, s.Newline()+indent+"-"+gap+text), true
}

// AppendMapping returns the edit that appends a mapping of string lists
// (keys in the given order) to a sequence of mappings, such as a rule to
// a role's rules, in the style of the sequence's last item.
func (s *Source) AppendMapping(seq *yaml.Node, keys []string, values map[string][]string, json bool) (Edit, bool) {
	if seq == nil || seq.Kind != yaml.SequenceNode || len(seq.Content) == 0 {
		return Edit{}, false
	}
	last := Resolve(seq.Content[len(seq.Content)-1])
	if last.Kind != yaml.MappingNode || len(last.Content) < 2 {
		return Edit{}, false
	}
	nl := s.Newline()
	keyStart := s.NodeStart(last.Content[0])
	keyIndent := strings.Repeat(" ", keyStart-s.LineStart(s.LineOf(keyStart)))
	lastKey, lastValue := last.Content[0], Resolve(last.Content[1])
	flowLists := lastValue == nil || lastValue.Kind != yaml.SequenceNode || s.isFlow(lastValue)
	// like returns the list of the last item a new list should look like:
	// the one under the same key, or the first.
	like := func(key string) *yaml.Node {
		for _, k := range []string{key, "resources", "verbs"} {
			if n := Lookup(last, k); n != nil && n.Kind == yaml.SequenceNode && len(n.Content) > 0 {
				return n
			}
		}
		return lastValue
	}
	if s.isFlow(seq) {
		lines := make([]string, len(keys))
		for i, k := range keys {
			lines[i] = ScalarStyle(lastKey, k, json) + ": " + FlowList(like(k), values[k], json)
		}
		body := "{" + strings.Join(lines, ", ") + "}"
		if s.LineOf(s.NodeStart(last)) != s.LineOf(keyStart) || s.LineOf(s.NodeEnd(last)) != s.LineOf(keyStart) {
			outer := strings.Repeat(" ", s.NodeStart(last)-s.LineStart(s.LineOf(s.NodeStart(last))))
			body = "{" + nl + keyIndent + strings.Join(lines, ","+nl+keyIndent) + nl + outer + "}"
			return Insert(s.NodeEnd(last), ","+nl+outer+body), true
		}
		return Insert(s.NodeEnd(last), ", "+body), true
	}
	indent, gap, ok := s.blockItemIndent(last)
	if !ok {
		return Edit{}, false
	}
	var b strings.Builder
	for i, k := range keys {
		if i == 0 {
			b.WriteString(nl + indent + "-" + gap)
		} else {
			b.WriteString(nl + keyIndent)
		}
		b.WriteString(k + ":")
		if flowLists {
			b.WriteString(" " + FlowList(like(k), values[k], false))
			continue
		}
		first := like(k).Content[0]
		itemIndent, itemGap, _ := s.blockItemIndent(lastValue.Content[0])
		for _, v := range values[k] {
			b.WriteString(nl + itemIndent + "-" + itemGap + ScalarStyle(first, v, false))
		}
	}
	at := s.LineEnd(s.LineOf(max(s.NodeEnd(last)-1, s.NodeStart(last))))
	return Insert(at, b.String()), true
}

// FlowList renders values as a flow list, quoted like the first item of
// a neighbouring list.
func FlowList(neighbour *yaml.Node, values []string, json bool) string {
	var like *yaml.Node
	if neighbour != nil && neighbour.Kind == yaml.SequenceNode && len(neighbour.Content) > 0 {
		like = neighbour.Content[0]
	}
	quoted := make([]string, len(values))
	for i, v := range values {
		quoted[i] = ScalarStyle(like, v, json)
	}
	return "[" + strings.Join(quoted, ", ") + "]"
}

// RemoveItems returns the edits that remove the items at the given
// indexes of a sequence: their whole lines (and the comment lines right
// above them) in a block sequence, the items and their commas in a flow
// one. ok is false when every item would go,
// which would leave an empty list, or when an item shares its lines with
// other content.
func (s *Source) RemoveItems(seq *yaml.Node, indexes []int) ([]Edit, bool) {
	if seq == nil || seq.Kind != yaml.SequenceNode || len(indexes) == 0 || len(indexes) >= len(seq.Content) {
		return nil, false
	}
	gone := map[int]bool{}
	for _, i := range indexes {
		if i < 0 || i >= len(seq.Content) {
			return nil, false
		}
		gone[i] = true
	}
	var edits []Edit
	items := seq.Content
	if s.isFlow(seq) {
		for a := 0; a < len(items); a++ {
			if !gone[a] {
				continue
			}
			b := a
			for b+1 < len(items) && gone[b+1] {
				b++
			}
			if b+1 < len(items) {
				edits = append(edits, Delete(s.itemStart(items[a]), s.itemStart(items[b+1])))
			} else {
				edits = append(edits, Delete(s.NodeEnd(items[a-1]), s.NodeEnd(items[b])))
			}
			a = b
		}
		return edits, true
	}
	for i, item := range items {
		if !gone[i] {
			continue
		}
		if _, _, ok := s.blockItemIndent(item); !ok {
			return nil, false
		}
		first := s.LineOf(s.NodeStart(item))
		last := s.LineOf(max(s.NodeEnd(item)-1, s.NodeStart(item)))
		for first > 1 && strings.HasPrefix(strings.TrimSpace(s.Line(first-1)), "#") && (i == 0 || s.LineOf(s.NodeEnd(items[i-1])) < first-1) {
			first-- // the comments right above an item are about it
		}
		edits = append(edits, Delete(s.LineStart(first), s.LineStart(last+1)))
	}
	return edits, true
}

// itemStart returns where a flow item starts, its opening quote included.
func (s *Source) itemStart(n *yaml.Node) int {
	if n.Kind == yaml.ScalarNode {
		start, _ := s.ScalarSpan(n)
		return start
	}
	return s.NodeStart(n)
}

// AppendEntry returns the edit that adds key: value to a mapping, after
// its last entry and in its style.
func (s *Source) AppendEntry(m *yaml.Node, key, value string, json bool) (Edit, bool) {
	m = Resolve(m)
	if m == nil || m.Kind != yaml.MappingNode || len(m.Content) < 2 {
		return Edit{}, false
	}
	lastKey, lastValue := m.Content[len(m.Content)-2], m.Content[len(m.Content)-1]
	entry := ScalarStyle(lastKey, key, json) + ": " + ScalarStyle(lastValue, value, json)
	keyStart := s.NodeStart(lastKey)
	keyIndent := strings.Repeat(" ", keyStart-s.LineStart(s.LineOf(keyStart)))
	end := s.NodeEnd(lastValue)
	switch {
	case s.isFlow(m) && s.LineOf(s.NodeStart(m)) == s.LineOf(end):
		return Insert(end, ", "+entry), true
	case s.isFlow(m):
		return Insert(end, ","+s.Newline()+keyIndent+entry), true
	}
	return Insert(s.LineEnd(s.LineOf(max(end-1, keyStart))), s.Newline()+keyIndent+entry), true
}

// Span returns the byte range a finding about node n should point at: a
// scalar's value, or the first line of a collection.
func (s *Source) Span(n *yaml.Node) (start, end int) {
	n = Resolve(n)
	if n == nil {
		return 0, 0
	}
	if n.Kind == yaml.ScalarNode {
		sc := Locate(WholeText{s}, n)
		return sc.Start, sc.End
	}
	start = s.NodeStart(n)
	return start, max(start, min(s.LineEnd(s.LineOf(start)), s.NodeEnd(n)))
}
