package analysis

import (
	yaml "go.yaml.in/yaml/v3"
)

// TextMap is where a parsed node tree lives: the whole text, or text
// embedded in a string value. It converts the tree's positions to offsets
// of the whole text and turns replacements into edits of the whole text.
type TextMap interface {
	Source() *Source
	Offset(i int) int
	Edit(start, end int, text string) Edit
}

// WholeText is the TextMap of nodes parsed from the whole text.
type WholeText struct{ Src *Source }

func (w WholeText) Source() *Source              { return w.Src }
func (w WholeText) Offset(i int) int             { return i }
func (w WholeText) Edit(s, e int, t string) Edit { return Edit{s, e, t} }

// ReadOnly is the TextMap of values read from text that no edit may
// change (a command's output, a provider default, a computed key): an
// edit of them is out of range, so Apply refuses any fix that holds one.
type ReadOnly struct{ Src *Source }

func (r ReadOnly) Source() *Source            { return r.Src }
func (r ReadOnly) Offset(i int) int           { return i }
func (r ReadOnly) Edit(int, int, string) Edit { return Edit{-1, -1, ""} }

func (e *Embedded) Source() *Source {
	if e.src == nil {
		e.src = NewSource(e.Value)
	}
	return e.src
}

// Scalar is a scalar value and where it is written in the whole text.
type Scalar struct {
	Value string
	// Start and End are the value's byte range in the whole text, quotes
	// excluded.
	Start, End int
	Node       *yaml.Node

	At             TextMap
	AtStart, AtEnd int // the value's range in at's text
}

// Locate returns the scalar node n of a tree living in at.
func Locate(at TextMap, n *yaml.Node) Scalar {
	src := at.Source()
	start, end := src.ScalarSpan(n)
	if n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0 && end-start >= 2 {
		start, end = start+1, end-1
	}
	return Scalar{Value: n.Value, Start: at.Offset(start), End: at.Offset(end), Node: n, At: at, AtStart: start, AtEnd: end}
}

// Replace returns the edit that writes value in place of the scalar,
// keeping its quotes. An empty value right after its key's colon gets the
// space YAML needs there.
func (s Scalar) Replace(value string) Edit {
	if text := s.At.Source().Text; s.AtStart == s.AtEnd && s.AtStart > 0 && s.AtStart <= len(text) && text[s.AtStart-1] == ':' {
		value = " " + value
	}
	return s.At.Edit(s.AtStart, s.AtEnd, value)
}

// Text returns the scalar's value, or "" for a nil scalar.
func (s *Scalar) Text() string {
	if s == nil {
		return ""
	}
	return s.Value
}
