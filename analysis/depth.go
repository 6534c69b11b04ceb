package analysis

import "fmt"

// MaxDepth is how deeply a document may nest before anything parses it:
// brackets, braces and parentheses, HCL templates, template directives
// and chains of unary and conditional operators, YAML blocks by
// indentation. Real configurations nest fewer than 50 levels. The parsers
// recurse at least once per level, and in WebAssembly Go's calls run on
// the JavaScript engine's stack, which the HCL parser overflowed from
// about 1,500 levels in Node (YAML from about 7,700, JSON from 13,000);
// natively a deep enough HCL expression is a fatal stack overflow. 256
// leaves a wide margin below both.
//
// Every parse of a document, and of a value embedded in one (aws-auth's
// mapRoles, a policy in a Terraform string), is preceded by DeepAt, so
// the recursive walks of YAML nodes and HCL expressions in this module
// are bounded by MaxDepth too.
const MaxDepth = 256

// DepthError is why a text nesting more than MaxDepth levels was not
// parsed.
type DepthError struct {
	// Offset is where the text passes MaxDepth, in the whole text.
	Offset int
}

func (e *DepthError) Error() string {
	return fmt.Sprintf("nested more than %d levels deep", MaxDepth)
}

// DeepAt returns the offset in text, written in format, at which its
// nesting passes MaxDepth, or -1. It is one pass over the text that
// follows the format's strings and comments as its parser does, closely
// enough never to count less than the parser nests: where it cannot
// tell, it counts a bracket that may be text. Text of FormatText is never
// parsed and is never too deep.
func DeepAt(text string, format Format) int {
	switch format {
	case FormatJSON:
		return jsonDeepAt(text)
	case FormatYAML:
		y := yamlDepth{text: text, textAbove: -2, scalar: -1}
		return y.deepAt()
	case FormatHCL:
		return hclDeepAt(text)
	}
	return -1
}

// CheckDepth returns a *DepthError when the text [start, end) of the
// whole text s, written in format, is too deep to parse.
func (s *Source) CheckDepth(start, end int, format Format) error {
	if at := DeepAt(s.Text[start:end], format); at >= 0 {
		return &DepthError{Offset: start + at}
	}
	return nil
}

// jsonDeepAt is DeepAt for JSON: brackets outside strings.
func jsonDeepAt(text string) int {
	depth := 0
	for i := 0; i < len(text); i++ {
		switch text[i] {
		case '"':
			i += QuotedLen(text[i:], '"') - 1
		case '[', '{':
			if depth++; depth > MaxDepth {
				return i
			}
		case ']', '}':
			depth = max(depth-1, 0)
		}
	}
	return -1
}
