package analysis

import "strings"

// hclFrame is a context HCL nests: a bracket, brace or parenthesis, an
// interpolation or directive (code up to its closing brace), a quoted
// string or a heredoc (templates).
type hclFrame struct {
	open byte // ( [ { for brackets, $ for ${ and %{, " for a string, < for a heredoc; 0 for the top level
	// ops counts what nests within the frame without brackets: in code,
	// the unary and conditional operators of the current element (-!x,
	// a ? b : c ? d : e), which the parser recurses into one by one; in a
	// template, the %{if} and %{for} directives left open.
	ops    int
	marker string // a heredoc's closing line
}

// hclDeepAt is DeepAt for HCL. It follows the lexer of hclsyntax: strings
// and heredocs are templates whose ${…} and %{…} hold code again, and
// comments run to the end of their line or to */.
func hclDeepAt(text string) int {
	var buf [MaxDepth + 2]hclFrame
	frames := buf[:1]
	depth := 0 // frames beyond the top level plus their ops
	push := func(f hclFrame) bool {
		frames = append(frames, f)
		depth++
		return depth > MaxDepth
	}
	op := func(n int) bool {
		top := &frames[len(frames)-1]
		n = max(n, -top.ops)
		top.ops += n
		depth += n
		return depth > MaxDepth
	}
	ident := false // inside an identifier, where - is a letter
	for i := 0; i < len(text); i++ {
		c, top := text[i], frames[len(frames)-1]
		rest := text[i:]
		if top.open == '"' || top.open == '<' {
			switch {
			case top.open == '<' && (i == 0 || text[i-1] == '\n') && strings.TrimSpace(lineAt(rest)) == top.marker:
				i += len(lineAt(rest)) - 1
				frames, depth = frames[:len(frames)-1], depth-1-top.ops
			case top.open == '"' && c == '\\':
				i++
			case top.open == '"' && c == '"':
				frames, depth = frames[:len(frames)-1], depth-1-top.ops
			case strings.HasPrefix(rest, "$${") || strings.HasPrefix(rest, "%%{"):
				i += 2
			case strings.HasPrefix(rest, "${") || strings.HasPrefix(rest, "%{"):
				switch word := strings.TrimLeft(rest[2:], "~ \t"); {
				case c == '%' && (hasWord(word, "if") || hasWord(word, "for")):
					if op(1) {
						return i
					}
				case c == '%' && (hasWord(word, "endif") || hasWord(word, "endfor")):
					op(-1)
				}
				if push(hclFrame{open: '$'}) {
					return i
				}
				i++
			}
			continue
		}
		wasIdent := ident
		ident = isIdentStart(c) || wasIdent && (isDigit(c) || c == '-')
		switch {
		case c == '"':
			if push(hclFrame{open: '"'}) {
				return i
			}
		case c == '#' || strings.HasPrefix(rest, "//"):
			i += len(lineAt(rest)) - 1
		case strings.HasPrefix(rest, "/*"):
			i += strings.Index(rest+"*/", "*/") + 1
		case strings.HasPrefix(rest, "<<"):
			if m := heredocStart(rest); m != "" {
				i += len(lineAt(rest)) - 1
				if push(hclFrame{open: '<', marker: m}) {
					return i
				}
			}
		case c == '(' || c == '[' || c == '{':
			if push(hclFrame{open: c}) {
				return i
			}
		case c == ')' || c == ']' || c == '}':
			if len(frames) > 1 {
				frames, depth = frames[:len(frames)-1], depth-1-top.ops
			}
		case c == ',' || c == '\n' && (top.open == 0 || top.open == '{'):
			op(-top.ops)
		case c == '!' || c == '?' || c == '-' && !wasIdent:
			if op(1) {
				return i
			}
		}
	}
	return -1
}

// heredocStart returns the marker of the heredoc that text opens
// (<<EOT or <<-EOT, then the end of the line), or "".
func heredocStart(text string) string {
	line := strings.TrimRight(lineAt(text), "\r\n")
	m := strings.TrimPrefix(strings.TrimPrefix(line, "<<"), "-")
	if m == "" || !isIdentStart(m[0]) || strings.IndexFunc(m, func(r rune) bool {
		return !(r < 128 && (isIdentStart(byte(r)) || isDigit(byte(r)) || r == '-'))
	}) >= 0 {
		return ""
	}
	return m
}

// lineAt returns text up to and including its first newline.
func lineAt(text string) string {
	if nl := strings.IndexByte(text, '\n'); nl >= 0 {
		return text[:nl+1]
	}
	return text
}

// hasWord reports whether text starts with the word w.
func hasWord(text, w string) bool {
	return strings.HasPrefix(text, w) && (len(text) == len(w) || !isIdentStart(text[len(w)]) && !isDigit(text[len(w)]))
}

func isIdentStart(c byte) bool { return c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

func isDigit(c byte) bool { return '0' <= c && c <= '9' }
