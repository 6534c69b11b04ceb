package fixes

import (
	"regexp"
	"strings"

	yaml "go.yaml.in/yaml/v3"

	"github.com/eksdoctor/eksdoctor/analysis"
)

// Reading the table `eksctl get iamidentitymapping` prints: one row per
// mapping eksctl read from aws-auth, under the columns ARN, USERNAME,
// GROUPS and ACCOUNT (pkg/ctl/get/iamidentitymapping.go), cells aligned
// under their headings, groups joined with commas, an account mapping's
// ARN cell empty.

// identityMappingHeader is the table's header row; eksctl before 0.40
// printed no ACCOUNT column.
var identityMappingHeader = regexp.MustCompile(`^\s*ARN\s+USERNAME\s+GROUPS(?:\s+ACCOUNT)?\s*$`)

// IdentityMappingHeader reports whether line is the header row of the
// table eksctl get iamidentitymapping prints.
func IdentityMappingHeader(line string) bool {
	return strings.Contains(line, "USERNAME") && identityMappingHeader.MatchString(line)
}

// IdentityMappingRow reports whether line can be a row of that table: an
// ARN and at most three more cells, or an account id alone.
func IdentityMappingRow(line string) bool {
	f := strings.Fields(line)
	return len(f) >= 1 && len(f) <= len(identityMappingColumns) && (strings.HasPrefix(f[0], "arn:") || len(f) == 1 && isAccountCell(f[0]))
}

// isAccountCell reports whether a cell alone on its row is an account:
// digits, or a masked id.
func isAccountCell(cell string) bool {
	return strings.Trim(cell, "0123456789") == "" || !analysis.MaskOf(cell).Known()
}

// identityMappingColumns are the keys of an eksctl iamIdentityMapping
// that the table's columns hold, in order.
var identityMappingColumns = []string{"arn", "username", "groups", "account"}

// identityMappingRows reads the rows of the table that starts doc as an
// eksctl iamIdentityMappings list whose values are placed at their cells.
// A word belongs to the column whose heading starts at or before it.
func identityMappingRows(src *analysis.Source, doc *analysis.Document) *yaml.Node {
	first := src.LineOf(doc.Start)
	header := src.Line(first)
	var starts []int
	for _, span := range wordSpans(header) {
		starts = append(starts, displayColumn(header, span[0]))
	}
	list := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
	for line := first + 1; line <= src.LineOf(max(doc.End-1, doc.Start)); line++ {
		text, at := src.Line(line), src.LineStart(line)
		words := wordSpans(text)
		if len(words) > len(starts) {
			break
		}
		row := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
		col := -1
		for w, span := range words {
			col = cellColumn(starts, displayColumn(text, span[0]), col, len(words)-w)
			name := identityMappingColumns[col]
			row.Content = append(row.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: name},
				cellNode(src, name, at+span[0], text[span[0]:span[1]]))
		}
		if len(row.Content) > 0 {
			list.Content = append(list.Content, row)
		}
	}
	return list
}

// wordSpans returns where each run of characters other than blanks is
// in a line.
func wordSpans(line string) [][2]int {
	var spans [][2]int
	for i := 0; i < len(line); {
		for i < len(line) && strings.IndexByte(" \t\r", line[i]) >= 0 {
			i++
		}
		end := i
		for end < len(line) && strings.IndexByte(" \t\r", line[end]) < 0 {
			end++
		}
		if end > i {
			spans = append(spans, [2]int{i, end})
		}
		i = end
	}
	return spans
}

// cellColumn returns the column of a word shown at column i of its row:
// the next one when there are as many words left as columns, else the one
// whose heading starts nearest to it, after the previous word's
// column (prev) and leaving a column for each of the left words after
// it. Masking a value by hand shifts the cells after it, so a column is
// the nearest, not the one whose heading starts at or before the word.
func cellColumn(starts []int, i, prev, left int) int {
	best := prev + 1
	if prev+left == len(starts) {
		return best // as many words as columns: each in its own
	}
	for col := best + 1; col <= len(starts)-left; col++ {
		if distance(starts[col], i) < distance(starts[best], i) {
			best = col
		}
	}
	return best
}

// cellNode returns the node of one cell at offset off: the groups as a
// list of the names between its commas, any other cell as a string.
func cellNode(src *analysis.Source, column string, off int, cell string) *yaml.Node {
	scalar := func(off int, value string) *yaml.Node {
		n := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: value}
		n.Line, n.Column = src.Position(off)
		return n
	}
	if column != "groups" {
		return scalar(off, cell)
	}
	list := scalar(off, "")
	list.Kind, list.Tag, list.Style = yaml.SequenceNode, "!!seq", yaml.FlowStyle
	for _, g := range strings.Split(cell, ",") {
		if g != "" {
			list.Content = append(list.Content, scalar(off, g))
		}
		off += len(g) + 1
	}
	return list
}

// displayColumn returns the column at which offset i of a line shows,
// tabs stopping every eight columns.
func displayColumn(line string, i int) int {
	col := 0
	for _, c := range line[:i] {
		if c == '\t' {
			col += 8 - col%8
		} else {
			col++
		}
	}
	return col
}

// distance returns how far apart two offsets are.
func distance(a, b int) int { return max(a-b, b-a) }
