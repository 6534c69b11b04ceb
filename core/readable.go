package core

import "strings"

// readable returns text with what markdown wraps around pasted text
// blanked out, byte for byte, so that every offset still points at the
// same place: the > of blockquotes (a kubeconfig quoted in an issue), the
// backticks of inline code around a JSON value that spans lines or a line
// of its own, the ** of an error written in bold, and the ^^^^ people put
// under a value to point at it. The documents are read from it; fixes
// are still spliced into the text as it was.
func readable(text string) string {
	if !strings.Contains(text, ">") && !strings.Contains(text, "`") && !strings.Contains(text, "**") && !strings.Contains(text, "^^^") {
		return text
	}
	var b []byte // a copy, made at the first change
	set := func(i int, c byte) {
		if b == nil {
			b = []byte(text)
		}
		b[i] = c
	}
	inlineJSON := false
	for start := 0; start < len(text); {
		end := strings.IndexByte(text[start:], '\n')
		if end < 0 {
			end = len(text)
		} else {
			end += start
		}
		line := text[start:end]
		// Blockquote markers: "> ", nested ">> ", up to three spaces first.
		i := 0
		for j := 0; j < len(line); {
			for j < len(line) && j-i < 3 && line[j] == ' ' {
				j++
			}
			if j >= len(line) || line[j] != '>' {
				break
			}
			set(start+j, ' ')
			j++
			i = j
		}
		rest := line[i:]
		bodyStart := start + i + len(rest) - len(strings.TrimLeft(rest, " \t"))
		bodyEnd := start + len(strings.TrimRight(line, " \t\r"))
		body := text[bodyStart:max(bodyStart, bodyEnd)]
		closes := strings.HasSuffix(body, "}`") || strings.HasSuffix(body, "]`")
		switch {
		case len(body) >= 3 && strings.Trim(body, "^ ") == "":
			// ^^^^ under a value, pointing at it
			for k := bodyStart; k < bodyEnd; k++ {
				set(k, ' ')
			}
		case strings.HasPrefix(body, "`{") || strings.HasPrefix(body, "`["):
			// `{ … }` inline code holding a JSON value, on one line or several
			set(bodyStart, ' ')
			if closes {
				set(bodyEnd-1, ' ')
			}
			inlineJSON = !closes
		case inlineJSON && closes:
			set(bodyEnd-1, ' ')
			inlineJSON = false
		case inlineCode(body) > 0:
			// `error text` or ````error text````: inline code on a line of its own
			n := inlineCode(body)
			for k := range n {
				set(bodyStart+k, ' ')
				set(bodyEnd-1-k, ' ')
			}
		case len(body) > 4 && strings.HasPrefix(body, "**") && strings.HasSuffix(body, "**") && body[2] != '*':
			// **Error: …** in bold
			for _, k := range []int{bodyStart, bodyStart + 1, bodyEnd - 2, bodyEnd - 1} {
				set(k, ' ')
			}
		}
		start = end + 1
	}
	if b == nil {
		return text
	}
	return string(b)
}

// inlineCode returns how many backticks open and close a line that is one
// piece of inline code (`…`, or ````…```` which markdown renders the
// same), or 0.
func inlineCode(body string) int {
	n := len(body) - len(strings.TrimLeft(body, "`"))
	if n == 0 || len(body) <= 2*n || !strings.HasSuffix(body, strings.Repeat("`", n)) || strings.HasSuffix(body, strings.Repeat("`", n+1)) {
		return 0
	}
	if strings.Contains(body[n:len(body)-n], strings.Repeat("`", n)) {
		return 0
	}
	return n
}
