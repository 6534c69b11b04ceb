package fixes

import (
	yaml "go.yaml.in/yaml/v3"
)

// textMap is where a parsed node tree lives: the whole text, or text
// embedded in a string value. It converts the tree's positions to offsets
// of the whole text and turns replacements into edits of the whole text.
type textMap interface {
	source() *Source
	offset(i int) int
	edit(start, end int, text string) Edit
}

// wholeText is the textMap of nodes parsed from the whole text.
type wholeText struct{ src *Source }

func (w wholeText) source() *Source              { return w.src }
func (w wholeText) offset(i int) int             { return i }
func (w wholeText) edit(s, e int, t string) Edit { return Edit{s, e, t} }

func (e *Embedded) source() *Source {
	if e.src == nil {
		e.src = NewSource(e.Value)
	}
	return e.src
}
func (e *Embedded) offset(i int) int                  { return e.Offset(i) }
func (e *Embedded) edit(s, end int, text string) Edit { return e.Edit(s, end, text) }

// Scalar is a scalar value and where it is written in the whole text.
type Scalar struct {
	Value string
	// Start and End are the value's byte range in the whole text, quotes
	// excluded.
	Start, End int
	Node       *yaml.Node

	at         textMap
	start, end int // the value's range in at's text
}

// locate returns the scalar node n of a tree living in at.
func locate(at textMap, n *yaml.Node) Scalar {
	src := at.source()
	start, end := src.ScalarSpan(n)
	if n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0 && end-start >= 2 {
		start, end = start+1, end-1
	}
	return Scalar{Value: n.Value, Start: at.offset(start), End: at.offset(end), Node: n, at: at, start: start, end: end}
}

// Replace returns the edit that writes value in place of the scalar,
// keeping its quotes. An empty value right after its key's colon gets the
// space YAML needs there.
func (s Scalar) Replace(value string) Edit {
	if text := s.at.source().Text; s.start == s.end && s.start > 0 && s.start <= len(text) && text[s.start-1] == ':' {
		value = " " + value
	}
	return s.at.edit(s.start, s.end, value)
}
