package core

import (
	"regexp"
	"strings"

	"github.com/eksdoctor/eksdoctor/analysis"
	"github.com/eksdoctor/eksdoctor/fixes"

	"github.com/eksdoctor/eksdoctor/internal/prefilter"
)

// Splitting turns a paste into documents. File headers come first (what
// head and tail print between several files, and what the page writes
// between files opened together); then markdown code fences (a whole
// GitHub issue); the text inside a fence, or a paste without fences, is
// then cut into blocks by what each line starts: JSON values,
// Terraform blocks, YAML streams, `kubectl auth whoami` tables, and runs
// of commands and error lines. Every block keeps its byte range in the
// whole text, so every line number refers to the input.

// block is a run of the text of one format, before classification.
type block struct {
	start, end int
	format     analysis.Format
	// table is the kind of a table a command printed (kubectl auth
	// whoami, eksctl get iamidentitymapping), or "".
	table analysis.Kind
	// prose marks text that is neither structured nor error output.
	prose bool
}

// region is a part of the text to cut into blocks: a fence's content,
// the prose around fences, or the whole unfenced paste.
type region struct {
	start, end int
	// prose is markdown text outside fences: only recognised documents
	// are kept from it.
	prose bool
}

// file is the text under a file header, named after it, or the text
// before the first header (a paste without headers is all of it).
type file struct {
	start, end int
	// name is the file's name, or "" before the first header.
	name string
}

// fileHeader is the line head and tail print before each of several
// files: "==> aws-auth.yaml <==".
var fileHeader = prefilter.MustCompile(`^==> (.+) <==\s*$`)

// splitFiles splits the text at file headers. The header lines belong to
// no file, so that they are not read as part of a document.
func splitFiles(src *analysis.Source) []file {
	out := []file{{}}
	for line := 1; line <= src.Lines(); line++ {
		if m := fileHeader.FindStringSubmatch(src.Line(line)); m != nil {
			out[len(out)-1].end = src.LineStart(line)
			out = append(out, file{start: src.LineStart(line + 1), name: strings.TrimSpace(m[1])})
		}
	}
	out[len(out)-1].end = len(src.Text)
	return out
}

var fenceLine = prefilter.MustCompile("^ {0,3}(`{3,}|~{3,})")

// regions splits the text [start, end) at markdown code fences. A fence
// that is never closed runs to the end.
func regions(src *analysis.Source, start, end int) []region {
	var out []region
	proseStart, fence, fenceStart := start, "", 0
	for line := src.LineOf(start); src.LineStart(line) < end; line++ {
		text := src.Line(line)
		m := fenceLine.FindStringSubmatch(text)
		switch {
		case fence == "" && m != nil:
			out = appendRegion(out, region{proseStart, src.LineStart(line), true})
			fence, fenceStart = m[1], src.LineStart(line+1)
		case fence != "" && m != nil && m[1][0] == fence[0] && len(m[1]) >= len(fence) &&
			strings.TrimSpace(text[len(m[0]):]) == "":
			out = appendRegion(out, region{fenceStart, src.LineStart(line), false})
			fence, proseStart = "", src.LineStart(line+1)
		}
	}
	if fence != "" {
		return appendRegion(out, region{fenceStart, end, false})
	}
	if len(out) == 0 {
		return []region{{start, end, false}}
	}
	return appendRegion(out, region{proseStart, end, true})
}

func appendRegion(out []region, r region) []region {
	if r.end > r.start {
		out = append(out, r)
	}
	return out
}

// cutter cuts one region into blocks.
type cutter struct {
	src    *analysis.Source
	end    int
	blocks []block
}

// cutBlocks cuts the text [start, end) into blocks.
func cutBlocks(src *analysis.Source, start, end int) []block {
	c := &cutter{src: src, end: end}
	for pos := start; pos < end; {
		text := src.Text[pos:min(src.LineEnd(src.LineOf(pos)), end)]
		trimmed := strings.TrimSpace(text)
		switch {
		case trimmed == "":
			pos = c.nextLine(pos)
		case isJSONStart(trimmed):
			pos = c.add(block{start: pos + strings.Index(text, trimmed[:1]), format: analysis.FormatJSON}, scanJSON)
		case hclHeader.MatchString(text):
			pos = c.add(block{start: pos, format: analysis.FormatHCL}, c.scanHCL)
		case tableKind(text) == analysis.KindAWSAuth:
			pos = c.add(block{start: pos, format: analysis.FormatText, table: analysis.KindAWSAuth}, c.scanMappingRows)
		case tableKind(text) != "":
			pos = c.add(block{start: pos, format: analysis.FormatText, table: tableKind(text)}, c.scanParagraph)
		case isSignalStart(trimmed):
			pos = c.add(block{start: pos, format: analysis.FormatText}, c.scanErrorRun)
		case startsYAML(trimmed) && !c.commentsOverProse(pos):
			pos = c.add(block{start: pos, format: analysis.FormatYAML}, c.scanYAML)
		case c.paragraphHasSignal(pos):
			pos = c.add(block{start: pos, format: analysis.FormatText}, c.scanErrorRun)
		default:
			pos = c.add(block{start: pos, format: analysis.FormatText, prose: true}, c.scanParagraph)
		}
	}
	return c.blocks
}

// add completes b with the end that scan finds from its start, records it
// (joining consecutive prose) and returns where to continue.
func (c *cutter) add(b block, scan func(text string, start, limit int) int) int {
	b.end = scan(c.src.Text, b.start, c.end)
	if b.end <= b.start {
		b.end = c.nextLine(b.start)
	}
	if n := len(c.blocks); n > 0 && b.prose && c.blocks[n-1].prose {
		c.blocks[n-1].end = b.end
	} else {
		c.blocks = append(c.blocks, b)
	}
	return b.end
}

// nextLine returns the start of the line after the one holding pos.
func (c *cutter) nextLine(pos int) int {
	return min(c.src.LineStart(c.src.LineOf(pos)+1), c.end)
}

// isJSONStart reports whether a line starts a JSON object or array (and
// not, say, a "[INFO]" log line).
func isJSONStart(trimmed string) bool {
	return trimmed != "" && (trimmed[0] == '{' || trimmed[0] == '[') &&
		(len(trimmed) == 1 || strings.ContainsAny(trimmed[1:2], "\"{[]} \t"))
}

// scanJSON returns the end of the JSON value that starts at start: the
// byte after its closing bracket, or limit when it never closes.
func scanJSON(text string, start, limit int) int {
	depth, inString := 0, false
	for i := start; i < limit; i++ {
		c := text[i]
		switch {
		case inString && c == '\\':
			i++
		case c == '"':
			inString = !inString
		case inString:
		case c == '{' || c == '[':
			depth++
		case c == '}' || c == ']':
			if depth--; depth == 0 {
				return i + 1
			}
		}
	}
	return limit
}

var (
	hclHeader = prefilter.MustCompile(`^\s*(?:(?:resource|data|module|variable|output|locals|provider|terraform|moved|import|check|removed)(?:\s+(?:"[^"]*"|[A-Za-z_][\w-]*))*\s*\{|` +
		`(?:` + strings.Join(fixes.EKSModuleInputs, "|") + `)\s*=\s*[\[{])`)
	hclContinuedBy = regexp.MustCompile(`^\s*(#|//|/\*|\*|[A-Za-z_][A-Za-z0-9_-]*\s*=|}|$)`)
	whoamiHeader   = prefilter.MustCompile(`^\s*ATTRIBUTE\s+VALUE\s*$`)
	// authEntryLine is the ARN of an aws-auth entry, which starts one
	// inside prose or output: an excerpt of mapRoles or mapUsers.
	authEntryLine = prefilter.MustCompile(`^(?:- )?\s*"?(?:rolearn|userarn)"?\s*:\s*"?arn:`)
)

// tableKind returns the kind of the table whose header row line is: a
// caller identity (kubectl auth whoami) or aws-auth mappings (eksctl get
// iamidentitymapping); "" for any other line.
func tableKind(line string) analysis.Kind {
	switch {
	case whoamiHeader.MatchString(line):
		return analysis.KindCallerIdentity
	case fixes.IdentityMappingHeader(line):
		return analysis.KindAWSAuth
	}
	return ""
}

// isYAMLLine reports whether a line can continue a YAML document.
func isYAMLLine(trimmed string) bool {
	return trimmed == "---" || strings.HasPrefix(trimmed, "--- ") || strings.HasPrefix(trimmed, "#") ||
		strings.HasPrefix(trimmed, "- ") || trimmed == "-" || trimmed == "..." || yamlKeyEnd(head(trimmed)) > 0
}

// startsYAML reports whether a line can start a YAML document: like
// isYAMLLine, but a key with spaces ("Here is my config:") is prose, and
// so is "Error: caused by: …", whose plain value cannot hold ": ".
func startsYAML(trimmed string) bool {
	return plainYAMLLine(trimmed) && (yamlKeyEnd(head(trimmed)) == 0 || simpleKeyEnd(head(trimmed)) > 0)
}

// plainYAMLLine is isYAMLLine for a line that YAML can parse: a plain
// (unquoted) value cannot hold ": ", so "Error: caused by: …" is prose.
func plainYAMLLine(trimmed string) bool {
	if item, ok := strings.CutPrefix(trimmed, "- "); ok {
		if item = strings.TrimSpace(item); item != "" && (item[0] == '{' || item[0] == '[') {
			return true // a flow collection as a list item: - {kind: User, name: a}
		}
	}
	key := yamlKeyEnd(head(trimmed))
	if key == 0 {
		return isYAMLLine(trimmed)
	}
	value := strings.TrimSpace(trimmed[key:])
	return value == "" || strings.ContainsAny(value[:1], "\"'{[|>&*!#") || !strings.Contains(value, ": ")
}

// yamlParagraph reports whether the paragraph at line looks like YAML:
// every line a YAML line, and some indented under the first.
func (c *cutter) yamlParagraph(line int) bool {
	first := c.src.Line(line)
	if !startsYAML(strings.TrimSpace(first)) {
		return false
	}
	nested := false
	for l := line + 1; c.src.LineStart(l) < c.end; l++ {
		text := c.src.Line(l)
		trimmed := strings.TrimSpace(text)
		if trimmed == "" {
			break
		}
		if indentOf(text) > indentOf(first) {
			nested = true
		} else if !plainYAMLLine(trimmed) {
			return false
		}
	}
	return nested
}

// scanHCL returns the end of a run of Terraform blocks and the
// attributes and comments between them.
func (c *cutter) scanHCL(text string, start, limit int) int {
	end := scanHCLBlock(text, start, limit)
	for line := c.src.LineOf(end) + 1; c.src.LineStart(line) < limit; line++ {
		next := c.src.Line(line)
		switch {
		case hclHeader.MatchString(next):
			end = scanHCLBlock(text, c.src.LineStart(line), limit)
			line = c.src.LineOf(end)
		case hclContinuedBy.MatchString(next):
			if strings.TrimSpace(next) != "" {
				end = c.src.LineEnd(line)
			}
		default:
			return c.nextLine(end)
		}
	}
	return c.nextLine(end)
}

// scanHCLBlock returns the end of the brace-delimited block that starts
// on the line at start, skipping strings, comments and heredocs.
func scanHCLBlock(text string, start, limit int) int {
	depth := 0
	for i := start; i < limit; i++ {
		switch c := text[i]; {
		case c == '"':
			i = scanHCLString(text, i, limit)
		case c == '#' || c == '/' && i+1 < limit && text[i+1] == '/':
			i += strings.IndexByte(text[i:limit]+"\n", '\n')
		case c == '/' && i+1 < limit && text[i+1] == '*':
			i += strings.Index(text[i:limit]+"*/", "*/") + 1
		case c == '<' && strings.HasPrefix(text[i:limit], "<<"):
			i = skipHeredoc(text, i, limit)
		case c == '{':
			depth++
		case c == '}':
			if depth--; depth == 0 {
				return i + 1
			}
		}
	}
	return limit
}

// scanHCLString returns the offset of the closing quote of the string
// opened at i.
func scanHCLString(text string, i, limit int) int {
	for i++; i < limit; i++ {
		if text[i] == '\\' {
			i++
		} else if text[i] == '"' {
			return i
		}
	}
	return limit
}

var heredoc = prefilter.MustCompile(`^<<-?([A-Za-z_][A-Za-z0-9_]*)`)

// skipHeredoc returns the offset of the end of the heredoc opened at i.
func skipHeredoc(text string, i, limit int) int {
	m := heredoc.FindStringSubmatch(text[i:limit])
	if m == nil {
		return i + 1
	}
	for pos := i; pos < limit; {
		nl := strings.IndexByte(text[pos:limit], '\n')
		if nl < 0 {
			return limit
		}
		pos += nl + 1
		lineEnd := strings.IndexByte(text[pos:limit]+"\n", '\n')
		if strings.TrimSpace(text[pos:pos+lineEnd]) == m[1] {
			return pos + lineEnd
		}
	}
	return limit
}

// scanParagraph returns the end of the paragraph at start: the start of
// the first blank line.
func (c *cutter) scanParagraph(_ string, start, limit int) int {
	for line := c.src.LineOf(start); c.src.LineStart(line) < limit; line++ {
		text := c.src.Line(line)
		trimmed := strings.TrimSpace(text)
		switch {
		case trimmed == "":
			return c.src.LineStart(line)
		case line > c.src.LineOf(start) && (isJSONStart(trimmed) || hclHeader.MatchString(text) || tableKind(text) != "" || authEntryLine.MatchString(trimmed) ||
			(isLabel(c.src.Line(line-1)) || indentOf(text) > indentOf(c.src.Line(line-1))) && c.yamlParagraph(line)):
			// what prose introduces: after a label ("kubeconfig settings:",
			// "trust-policy.json"), or indented under it
			return c.src.LineStart(line)
		}
	}
	return limit
}

// scanMappingRows returns the end of the rows of eksctl's table of
// identity mappings, whose header is the line at start.
func (c *cutter) scanMappingRows(_ string, start, limit int) int {
	line := c.src.LineOf(start) + 1
	for c.src.LineStart(line) < limit && fixes.IdentityMappingRow(c.src.Line(line)) {
		line++
	}
	return min(c.src.LineStart(line), limit)
}

// commentsOverProse reports whether the line at pos starts with "#" and
// the first line after it that is not blank or another "#" line is not
// YAML: a markdown heading ("### What happened?") over prose, not YAML
// comments.
func (c *cutter) commentsOverProse(pos int) bool {
	line := c.src.LineOf(pos)
	if !strings.HasPrefix(strings.TrimSpace(c.src.Line(line)), "#") {
		return false
	}
	next, ok := c.afterComments(line)
	return !ok || !startsYAML(strings.TrimSpace(next))
}

// afterComments returns the first line after line that is neither blank
// nor a "#" line, or false when the text ends first.
func (c *cutter) afterComments(line int) (string, bool) {
	for l := line + 1; c.src.LineStart(l) < c.end; l++ {
		if text := c.src.Line(l); strings.TrimSpace(text) != "" && !strings.HasPrefix(strings.TrimSpace(text), "#") {
			return text, true
		}
	}
	return "", false
}

// isLabel reports whether a line of prose names what follows it: it ends
// with a colon, or is a file name ("trust-policy.json").
func isLabel(line string) bool {
	t := strings.TrimSpace(line)
	return strings.HasSuffix(t, ":") || !strings.Contains(t, " ") && (strings.HasSuffix(t, ".json") ||
		strings.HasSuffix(t, ".yaml") || strings.HasSuffix(t, ".yml"))
}

// paragraphHasSignal reports whether the paragraph starting at pos holds
// an error line or a command before anything structured starts.
func (c *cutter) paragraphHasSignal(pos int) bool {
	end := c.end
	for line := c.src.LineOf(pos); c.src.LineStart(line) < c.end; line++ {
		text := c.src.Line(line)
		trimmed := strings.TrimSpace(text)
		if trimmed == "" || line > c.src.LineOf(pos) && startsStructure(text, trimmed) {
			end = c.src.LineStart(line)
			break
		}
		if isSignal(text) {
			return true
		}
	}
	_, known := fixes.KnownErrorLine(c.src.Text[pos:max(pos, end)])
	return known
}

// startsStructure reports whether a line begins a JSON value, a Terraform
// block or a YAML document, which end a run of error output.
func startsStructure(text, trimmed string) bool {
	return isJSONStart(trimmed) || hclHeader.MatchString(text) || tableKind(text) != "" || authEntryLine.MatchString(trimmed) ||
		trimmed == "---" || strings.HasPrefix(trimmed, "apiVersion:") || strings.HasPrefix(trimmed, "kind:")
}

// scanErrorRun returns the end of a run of error output and commands:
// it goes on across blank lines, since output has paragraphs too, and
// stops before anything structured or a paragraph of YAML.
func (c *cutter) scanErrorRun(_ string, start, limit int) int {
	end := start
	afterCommand := false
	for line := c.src.LineOf(start); c.src.LineStart(line) < limit; line++ {
		text := c.src.Line(line)
		trimmed := strings.TrimSpace(text)
		switch {
		case line > c.src.LineOf(start) && (startsStructure(text, trimmed) || afterCommand && c.yamlOutput(line, limit)):
			return c.src.LineStart(line)
		case trimmed == "":
			next := line + 1
			for c.src.LineStart(next) < limit && strings.TrimSpace(c.src.Line(next)) == "" {
				next++
			}
			if c.src.LineStart(next) >= limit || startsStructure(c.src.Line(next), strings.TrimSpace(c.src.Line(next))) ||
				c.yamlParagraph(next) {
				return min(max(end, start), limit)
			}
			line = next - 1
		default:
			end = c.src.LineStart(line + 1)
		}
		afterCommand = trimmed != "" && isSignalStart(trimmed) && !hasErrorSignature(head(trimmed))
	}
	return min(max(end, start), limit)
}

// yamlOutput reports whether the lines from line on, up to a blank line
// or the next command, are YAML that a command printed: kubectl get -o
// yaml, or a grep of it (mapRoles entries, a users: section).
func (c *cutter) yamlOutput(line, limit int) bool {
	first := strings.TrimSpace(c.src.Line(line))
	if !startsYAML(first) || yamlKeyEnd(head(strings.TrimPrefix(first, "- "))) == 0 {
		return false
	}
	lines := 0
	for l := line; c.src.LineStart(l) < limit; l++ {
		trimmed := strings.TrimSpace(c.src.Line(l))
		if trimmed == "" || isSignalStart(trimmed) {
			break
		}
		if indentOf(c.src.Line(l)) <= indentOf(c.src.Line(line)) && !plainYAMLLine(trimmed) {
			return false
		}
		lines++
	}
	return lines >= 2
}

// scanYAML returns the end of a YAML stream: lines indented at least as
// deep as its first line, and keys, list items, comments and document
// markers at that depth; an error line or a command ends it.
func (c *cutter) scanYAML(_ string, start, limit int) int {
	first := c.src.LineOf(start)
	base := indentOf(c.src.Line(first))
	end := c.nextLine(start)
	open := oddQuotes(c.src.Line(first))
	for line := first + 1; c.src.LineStart(line) < limit; line++ {
		text := c.src.Line(line)
		trimmed := strings.TrimSpace(text)
		switch {
		case open:
			// the rest of a quoted string that a line break cut
		case trimmed == "":
			continue
		case indentOf(text) > base && !fenceLine.MatchString(text):
		case indentOf(text) == base && closesFlow(trimmed):
			// the brace or bracket that closes a JSON-style value
		case strings.HasPrefix(trimmed, "#") && c.commentsInYAML(line, base):
			// comments the document goes on after, even one that quotes a
			// command ("# $ kubectl get nodes")
		case indentOf(text) < base || isSignalStart(trimmed) || !plainYAMLLine(trimmed):
			return end
		}
		open = open != oddQuotes(text)
		end = c.nextLine(c.src.LineStart(line))
	}
	return end
}

// commentsInYAML reports whether the "#" lines from line on are followed
// by a YAML line indented at least base: comments inside a document, not
// a root shell prompt after it ("# eksctl create cluster -f x.yaml").
func (c *cutter) commentsInYAML(line, base int) bool {
	next, ok := c.afterComments(line)
	return ok && indentOf(next) >= base && plainYAMLLine(strings.TrimSpace(next)) && !isSignalStart(strings.TrimSpace(next))
}

// closesFlow reports whether a line only closes flow collections: "}",
// "]," and the like.
func closesFlow(trimmed string) bool {
	return trimmed != "" && strings.Trim(trimmed, "}], ") == ""
}

// oddQuotes reports whether a line leaves a double-quoted string open: it
// holds an odd number of unescaped double quotes.
func oddQuotes(line string) bool {
	odd := false
	for i := 0; i < len(line); i++ {
		switch line[i] {
		case '\\':
			i++
		case '"':
			odd = !odd
		}
	}
	return odd
}

func indentOf(line string) int { return len(line) - len(strings.TrimLeft(line, " \t")) }

// yamlDocuments cuts a YAML stream at its `---` and `...` markers.
func yamlDocuments(src *analysis.Source, b block) [][2]int {
	var out [][2]int
	docStart := b.start
	flush := func(end int) {
		if hasContent(src, docStart, end) {
			out = append(out, [2]int{docStart, end})
		}
	}
	for line := src.LineOf(b.start); src.LineStart(line) < b.end; line++ {
		trimmed := strings.TrimSpace(src.Line(line))
		if trimmed == "---" || strings.HasPrefix(trimmed, "--- ") || trimmed == "..." {
			flush(src.LineStart(line))
			docStart = src.LineStart(line + 1)
			if strings.HasPrefix(trimmed, "--- ") {
				docStart = src.LineStart(line) + strings.Index(src.Line(line), "---") + 4
			}
		}
	}
	flush(b.end)
	return out
}

// hasContent reports whether [start, end) holds more than blank lines
// and comments.
func hasContent(src *analysis.Source, start, end int) bool {
	for _, line := range strings.Split(src.Text[start:end], "\n") {
		if t := strings.TrimSpace(line); t != "" && !strings.HasPrefix(t, "#") {
			return true
		}
	}
	return false
}
