//go:build !noterraform

package fixes

import (
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/eksdoctor/eksdoctor/analysis"
)

// Terraform fixes are byte-range edits at the ranges hclsyntax reports:
// a value replaced in place, an attribute or block inserted after the
// last item of a body with the indentation and `=` alignment of its
// neighbours, a resource inserted after another. Nothing is re-rendered.

// replaceExpr returns the edit that writes text in place of e.
func replaceExpr(e hclsyntax.Expression, text string) analysis.Edit {
	r := e.Range()
	return analysis.Replace(r.Start.Byte, r.End.Byte, text)
}

// indentAt returns the leading whitespace of the line holding off.
func (m *tfModule) indentAt(off int) string {
	line := m.src.Line(m.src.LineOf(off))
	return line[:len(line)-len(strings.TrimLeft(line, " \t"))]
}

// bodyItems returns the ranges of a body's attributes and blocks, in
// text order.
func bodyItems(body *hclsyntax.Body) []hcl.Range {
	var out []hcl.Range
	for _, a := range sortedAttrs(body) {
		out = append(out, a.SrcRange)
	}
	for _, b := range body.Blocks {
		out = append(out, b.Range())
	}
	slices.SortFunc(out, func(a, b hcl.Range) int { return a.Start.Byte - b.Start.Byte })
	return out
}

// itemIndent is the indentation of a body's items: that of its first
// item, or one level (two spaces) deeper than the block.
func (m *tfModule) itemIndent(block *hclsyntax.Block) string {
	if items := bodyItems(block.Body); len(items) > 0 {
		return m.indentAt(items[0].Start.Byte)
	}
	return m.indentAt(block.TypeRange.Start.Byte) + "  "
}

// insertLines returns the edit that adds lines (already indented) to a
// block's body: after its last attribute, or after its last item when
// asBlock, or into an empty body.
func (m *tfModule) insertLines(block *hclsyntax.Block, lines []string, asBlock bool) analysis.Edit {
	nl := m.src.Newline()
	text := strings.Join(lines, nl)
	open, close := block.OpenBraceRange, block.CloseBraceRange
	items := bodyItems(block.Body)
	if len(items) == 0 {
		outer := m.indentAt(block.TypeRange.Start.Byte)
		return analysis.Replace(open.End.Byte, close.Start.Byte, nl+text+nl+outer)
	}
	after := items[len(items)-1]
	if !asBlock {
		attrs := sortedAttrs(block.Body)
		if len(attrs) == 0 {
			return analysis.Insert(m.src.LineEnd(m.src.LineOf(open.End.Byte)), nl+text)
		}
		after = attrs[len(attrs)-1].SrcRange
	}
	sep := nl
	if asBlock || m.src.LineOf(after.Start.Byte) != m.src.LineOf(after.End.Byte) {
		sep = nl + nl
	}
	return analysis.Insert(m.src.LineEnd(m.src.LineOf(after.End.Byte)), sep+text)
}

// insertAttrs returns the edits that add attributes after a block's last
// attribute, aligning every `=` of the run of one-line attributes they
// join, as terraform fmt does.
func (m *tfModule) insertAttrs(block *hclsyntax.Block, pairs [][2]string) []analysis.Edit {
	run := m.alignedRun(block.Body)
	width := 0
	for _, a := range run {
		width = max(width, len(a.Name))
	}
	for _, p := range pairs {
		width = max(width, len(p[0]))
	}
	var edits []analysis.Edit
	for _, a := range run {
		pad := strings.Repeat(" ", width-len(a.Name)+1)
		if m.src.Text[a.NameRange.End.Byte:a.EqualsRange.Start.Byte] != pad {
			edits = append(edits, analysis.Replace(a.NameRange.End.Byte, a.EqualsRange.Start.Byte, pad))
		}
	}
	indent := m.itemIndent(block)
	var lines []string
	for _, p := range pairs {
		lines = append(lines, indent+p[0]+strings.Repeat(" ", width-len(p[0]))+" = "+p[1])
	}
	return append(edits, m.insertLines(block, lines, false))
}

// alignedRun returns the body's last attributes that sit on consecutive
// lines, each on one line: the group terraform fmt aligns.
func (m *tfModule) alignedRun(body *hclsyntax.Body) []*hclsyntax.Attribute {
	attrs := sortedAttrs(body)
	var run []*hclsyntax.Attribute
	for i := len(attrs) - 1; i >= 0; i-- {
		a := attrs[i]
		start, end := m.src.LineOf(a.SrcRange.Start.Byte), m.src.LineOf(a.SrcRange.End.Byte)
		if start != end || len(run) > 0 && m.src.LineOf(run[0].SrcRange.Start.Byte) != end+1 {
			break
		}
		run = append([]*hclsyntax.Attribute{a}, run...)
	}
	return run
}

// insertBlock returns the edit that adds a nested block, given as lines
// relative to the block's item indentation.
func (m *tfModule) insertBlock(block *hclsyntax.Block, lines []string) analysis.Edit {
	indent := m.itemIndent(block)
	out := make([]string, len(lines))
	for i, l := range lines {
		if l != "" {
			out[i] = indent + l
		}
	}
	return m.insertLines(block, out, true)
}

// insertAfter returns the edit that adds top-level lines after a block,
// separated by a blank line.
func (m *tfModule) insertAfter(block *hclsyntax.Block, lines []string) analysis.Edit {
	nl := m.src.Newline()
	end := m.src.LineEnd(m.src.LineOf(block.CloseBraceRange.End.Byte))
	return analysis.Insert(end, nl+nl+strings.Join(lines, nl))
}

// alignedAttrs renders attributes as lines with their `=` aligned, as
// terraform fmt does.
func alignedAttrs(indent string, pairs ...[2]string) []string {
	width := 0
	for _, p := range pairs {
		width = max(width, len(p[0]))
	}
	out := make([]string, len(pairs))
	for i, p := range pairs {
		out[i] = indent + p[0] + strings.Repeat(" ", width-len(p[0])) + " = " + p[1]
	}
	return out
}

// appendToTuple returns the edit that adds elements to a tuple written
// as [ ... ], on one line or one element per line.
func (m *tfModule) appendToTuple(t *hclsyntax.TupleConsExpr, elems []string) analysis.Edit {
	closeAt := t.SrcRange.End.Byte - 1
	if len(t.Exprs) == 0 {
		return analysis.Insert(closeAt, strings.Join(elems, ", "))
	}
	last := t.Exprs[len(t.Exprs)-1].Range()
	if m.src.LineOf(last.End.Byte) == m.src.LineOf(t.SrcRange.Start.Byte) {
		return analysis.Insert(last.End.Byte, ", "+strings.Join(elems, ", "))
	}
	indent := m.indentAt(last.Start.Byte)
	rest := m.src.Text[last.End.Byte:closeAt]
	comma := ","
	if strings.HasPrefix(strings.TrimLeft(rest, " \t"), ",") {
		comma = ""
	}
	nl := m.src.Newline()
	text := comma
	for i, e := range elems {
		text += nl + indent + e
		if i < len(elems)-1 || comma == "" {
			text += ","
		}
	}
	at := last.End.Byte
	if comma == "" {
		at += strings.Index(rest, ",") + 1
	}
	return analysis.Insert(at, text)
}

// deleteBlock returns the edit that removes a top-level block with the
// comment lines right above it and one blank line around it.
func (m *tfModule) deleteBlock(block *hclsyntax.Block) analysis.Edit {
	first := m.src.LineOf(block.TypeRange.Start.Byte)
	for first > 1 {
		prev := strings.TrimSpace(m.src.Line(first - 1))
		if !strings.HasPrefix(prev, "#") && !strings.HasPrefix(prev, "//") {
			break
		}
		first--
	}
	last := m.src.LineOf(block.CloseBraceRange.End.Byte)
	if strings.TrimSpace(m.src.Line(last+1)) == "" && last+1 <= m.src.Lines() {
		last++
	} else if first > 1 && strings.TrimSpace(m.src.Line(first-1)) == "" {
		first--
	}
	return analysis.Delete(m.src.LineStart(first), m.src.LineStart(last+1))
}
