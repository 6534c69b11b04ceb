package analysis

import (
	"io"
	"regexp"
	"strings"
	"unicode/utf8"

	yaml "go.yaml.in/yaml/v3"
)

// ShiftLines adds delta to the line of n and every node below it, so that
// a document parsed on its own gets lines of the whole text.
func ShiftLines(n *yaml.Node, delta int) {
	if n == nil || delta == 0 {
		return
	}
	n.Line += delta
	for _, c := range n.Content {
		ShiftLines(c, delta)
	}
}

// Resolve follows a document node and aliases to the node they stand for.
func Resolve(n *yaml.Node) *yaml.Node {
	for n != nil {
		switch {
		case n.Kind == yaml.DocumentNode && len(n.Content) == 0:
			return nil
		case n.Kind == yaml.DocumentNode:
			n = n.Content[0]
		case n.Kind == yaml.AliasNode:
			n = n.Alias
		default:
			return n
		}
	}
	return nil
}

// MapEntry returns the key and value nodes of key in mapping n (the last
// one when the key is repeated, as YAML decoders keep), or nils.
func MapEntry(n *yaml.Node, key string) (k, v *yaml.Node) {
	n = Resolve(n)
	if n == nil || n.Kind != yaml.MappingNode {
		return nil, nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			k, v = n.Content[i], n.Content[i+1]
		}
	}
	return k, Resolve(v)
}

// Lookup follows a path of mapping keys from n and returns the node at its
// end, or nil.
func Lookup(n *yaml.Node, path ...string) *yaml.Node {
	for _, key := range path {
		_, n = MapEntry(n, key)
	}
	return n
}

// ScalarValue returns the value of the scalar at path below n, or "".
func ScalarValue(n *yaml.Node, path ...string) string {
	if v := Lookup(n, path...); v != nil && v.Kind == yaml.ScalarNode {
		return v.Value
	}
	return ""
}

// NodeStart returns the byte offset where node n starts.
func (s *Source) NodeStart(n *yaml.Node) int { return s.Offset(n.Line, n.Column) }

// ScalarSpan returns the byte range that scalar node n occupies, quotes
// included. For block scalars the range runs from the indicator to the end
// of the last content line.
func (s *Source) ScalarSpan(n *yaml.Node) (start, end int) {
	start = s.NodeStart(n)
	rest := s.Text[start:]
	switch {
	case n.Style&yaml.DoubleQuotedStyle != 0 && strings.HasPrefix(rest, `"`):
		return start, start + QuotedLen(rest, '"')
	case n.Style&yaml.SingleQuotedStyle != 0 && strings.HasPrefix(rest, `'`):
		return start, start + QuotedLen(rest, '\'')
	case n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0:
		if b, ok := s.blockScalar(n); ok {
			return start, b.contentEnd
		}
	case strings.HasPrefix(rest, n.Value):
		return start, start + len(n.Value)
	case n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) == 0:
		if length, ok := plainLen(rest, n.Value); ok {
			return start, start + length
		}
	}
	return start, s.LineEnd(n.Line)
}

// plainLen returns the length in text of the plain scalar value at its
// start. A plain scalar may run over several lines, which YAML folds: the
// line break, the spaces around it and the next line's indentation read
// as one space, and empty lines as line breaks.
func plainLen(text, value string) (int, bool) {
	i := 0
	for j := 0; j < len(value); {
		if value[j] != ' ' && value[j] != '\n' {
			if i == len(text) || text[i] != value[j] {
				return 0, false
			}
			i, j = i+1, j+1
			continue
		}
		from := i
		for i < len(text) && strings.IndexByte(" \t\r\n", text[i]) >= 0 {
			i++
		}
		for j < len(value) && (value[j] == ' ' || value[j] == '\n') {
			j++
		}
		if i == from {
			return 0, false
		}
	}
	return i, true
}

// QuotedLen returns the length of the quoted scalar at the start of text,
// closing quote included; an unterminated one runs to the end.
func QuotedLen(text string, quote byte) int {
	for i := 1; i < len(text); i++ {
		switch {
		case quote == '"' && text[i] == '\\':
			i++
		case text[i] == quote && quote == '\'' && i+1 < len(text) && text[i+1] == '\'':
			i++
		case text[i] == quote:
			return i + 1
		}
	}
	return len(text)
}

// ParseYAML parses the text at [start, end) of the whole text as one YAML
// document (JSON included) and returns its root node with the lines and
// columns of the whole text. A masked value YAML cannot read as written
// (*** reads as an alias) is read as the masked scalar it stands for.
func (s *Source) ParseYAML(start, end int) (*yaml.Node, error) {
	if err := s.CheckDepth(start, end, FormatYAML); err != nil {
		return nil, err
	}
	pad := strings.Repeat(" ", utf8.RuneCountInString(s.Text[s.columnStart(s.LineOf(start)):start]))
	text, masked := readableMasks(s.Text[start:end])
	var root yaml.Node
	if err := yaml.Unmarshal([]byte(pad+text), &root); err != nil {
		return nil, err
	}
	ShiftLines(&root, s.LineOf(start)-1)
	s.restoreMasks(&root, start, masked)
	return Resolve(&root), nil
}

// maskedValue matches a masked value that YAML cannot read as written: a
// run of * (an alias to YAML) or of # (a comment) standing alone where a
// value goes.
var maskedValue = regexp.MustCompile(`(?m)(?:^[ \t]*-?|[:-])[ \t]+(\*{2,}|#{3,})[ \t]*\r?$`)

// readableMasks returns text with every masked value YAML cannot read
// replaced by as many X, and the offsets in text of the values replaced.
func readableMasks(text string) (string, map[int]string) {
	if !strings.Contains(text, "**") && !strings.Contains(text, "###") {
		return text, nil
	}
	locs := maskedValue.FindAllStringSubmatchIndex(text, -1)
	if len(locs) == 0 {
		return text, nil
	}
	masked := map[int]string{}
	b := []byte(text)
	for _, loc := range locs {
		masked[loc[2]] = text[loc[2]:loc[3]]
		for i := loc[2]; i < loc[3]; i++ {
			b[i] = 'X'
		}
	}
	return string(b), masked
}

// restoreMasks gives the scalars readableMasks replaced their masked text
// back; masked holds offsets from start.
func (s *Source) restoreMasks(n *yaml.Node, start int, masked map[int]string) {
	if n == nil || len(masked) == 0 {
		return
	}
	if n.Kind == yaml.ScalarNode {
		if v, ok := masked[s.NodeStart(n)-start]; ok {
			n.Value, n.Tag = v, "!!str"
		}
	}
	for _, c := range n.Content {
		s.restoreMasks(c, start, masked)
	}
}

// UnmarshalYAML parses text, a value embedded in a document (aws-auth's
// mapRoles, a policy in a string), as one YAML document and returns its
// resolved root node: nil when it is empty or does not parse, or nests
// more than MaxDepth levels deep.
func UnmarshalYAML(text string) (*yaml.Node, error) {
	if at := DeepAt(text, FormatYAML); at >= 0 {
		return nil, &DepthError{Offset: at}
	}
	var root yaml.Node
	if err := yaml.Unmarshal([]byte(text), &root); err != nil {
		return nil, err
	}
	return Resolve(&root), nil
}

// ParseYAMLStream parses the YAML stream at [start, end), which starts at
// the beginning of a line, with one decoder for all its documents, and
// returns their root nodes (empty documents left out) with lines of the
// whole text. It stops at the first syntax error and returns the
// documents before it with the error.
func (s *Source) ParseYAMLStream(start, end int) ([]*yaml.Node, error) {
	if err := s.CheckDepth(start, end, FormatYAML); err != nil {
		return nil, err
	}
	text, masked := readableMasks(s.Text[start:end])
	dec := yaml.NewDecoder(strings.NewReader(text))
	delta := s.LineOf(start) - 1
	var roots []*yaml.Node
	for {
		var doc yaml.Node
		switch err := dec.Decode(&doc); {
		case err == io.EOF:
			return roots, nil
		case err != nil:
			return roots, err
		}
		if root := Resolve(&doc); root != nil {
			ShiftLines(root, delta)
			s.restoreMasks(root, start, masked)
			roots = append(roots, root)
		}
	}
}

// Items returns the items of a sequence node.
func Items(n *yaml.Node) []*yaml.Node {
	if n = Resolve(n); n == nil || n.Kind != yaml.SequenceNode {
		return nil
	}
	var out []*yaml.Node
	for _, c := range n.Content {
		if c = Resolve(c); c != nil {
			out = append(out, c)
		}
	}
	return out
}
