//go:build !noterraform

package fixes

import (
	"strings"

	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/eksdoctor/eksdoctor/analysis"
)

// Structural edits of Terraform policy statements for the IAM family's
// fixes: adding an action or a condition, in the statement's own syntax.

// quotedList renders strings as an HCL tuple.
func quotedList(values []string) string {
	quoted := make([]string, len(values))
	for i, v := range values {
		quoted[i] = analysis.HCLString(v)
	}
	return "[" + strings.Join(quoted, ", ") + "]"
}

// objectEditor edits a statement written as an HCL object in jsonencode.
type objectEditor struct {
	m   *tfModule
	obj *hclsyntax.ObjectConsExpr
}

// item returns the value of an object's key, written literally, or nil.
func (m *tfModule) item(obj *hclsyntax.ObjectConsExpr, key string) hclsyntax.Expression {
	for _, it := range obj.Items {
		if m.objectKey(it.KeyExpr, nil, 0) == key {
			return it.ValueExpr
		}
	}
	return nil
}

func (e objectEditor) AddAction(action string) ([]analysis.Edit, bool) {
	switch v := e.m.item(e.obj, "Action").(type) {
	case *hclsyntax.TupleConsExpr:
		return []analysis.Edit{e.m.appendToTuple(v, []string{analysis.HCLString(action)})}, true
	case *hclsyntax.TemplateExpr:
		return []analysis.Edit{replaceExpr(v, "["+e.m.text(v)+", "+analysis.HCLString(action)+"]")}, true
	}
	return nil, false
}

func (e objectEditor) SetActions(actions []string) ([]analysis.Edit, bool) {
	v := e.m.item(e.obj, "Action")
	if v == nil {
		return nil, false
	}
	return []analysis.Edit{replaceExpr(v, quotedList(actions))}, true
}

func (e objectEditor) AddCondition(operator, key, value string) (analysis.Edit, bool) {
	entry := analysis.HCLString(key) + " = " + analysis.HCLString(value)
	cond, ok := e.m.item(e.obj, "Condition").(*hclsyntax.ObjectConsExpr)
	switch {
	case e.m.item(e.obj, "Condition") == nil:
		return e.m.insertItem(e.obj, "Condition", "{ "+operator+" = { "+entry+" } }"), true
	case !ok:
		return analysis.Edit{}, false
	}
	if block, ok := e.m.item(cond, operator).(*hclsyntax.ObjectConsExpr); ok {
		return e.m.insertItem(block, analysis.HCLString(key), analysis.HCLString(value)), true
	}
	if e.m.item(cond, operator) != nil {
		return analysis.Edit{}, false
	}
	return e.m.insertItem(cond, operator, "{ "+entry+" }"), true
}

// insertItem returns the edit that adds key = value to an object
// constructor: on a line of its own after the last item, aligned with it,
// or inline when the object is written on one line.
func (m *tfModule) insertItem(obj *hclsyntax.ObjectConsExpr, key, value string) analysis.Edit {
	closeAt := obj.SrcRange.End.Byte - 1
	if len(obj.Items) == 0 {
		return analysis.Replace(obj.OpenRange.End.Byte, closeAt, " "+key+" = "+value+" ")
	}
	last := obj.Items[len(obj.Items)-1]
	lastEnd := last.ValueExpr.Range().End.Byte
	if m.src.LineOf(lastEnd) == m.src.LineOf(obj.SrcRange.Start.Byte) {
		return analysis.Insert(lastEnd, ", "+key+" = "+value)
	}
	keyRange := last.KeyExpr.Range()
	pad := " "
	if eq := strings.Index(m.src.Text[keyRange.End.Byte:lastEnd], "="); eq > 0 {
		if width := keyRange.End.Byte - keyRange.Start.Byte + eq; width > len(key) {
			pad = strings.Repeat(" ", width-len(key))
		}
	}
	return analysis.Insert(m.src.LineEnd(m.src.LineOf(lastEnd)), m.src.Newline()+m.indentAt(keyRange.Start.Byte)+key+pad+"= "+value)
}

// blockEditor edits a statement block of an aws_iam_policy_document.
type blockEditor struct {
	m     *tfModule
	block *hclsyntax.Block
}

func (e blockEditor) AddAction(action string) ([]analysis.Edit, bool) {
	if t, ok := attrExpr(e.block.Body, "actions").(*hclsyntax.TupleConsExpr); ok {
		return []analysis.Edit{e.m.appendToTuple(t, []string{analysis.HCLString(action)})}, true
	}
	return nil, false
}

func (e blockEditor) SetActions(actions []string) ([]analysis.Edit, bool) {
	if a := attrExpr(e.block.Body, "actions"); a != nil {
		return []analysis.Edit{replaceExpr(a, quotedList(actions))}, true
	}
	return nil, false
}

func (e blockEditor) AddCondition(operator, key, value string) (analysis.Edit, bool) {
	lines := append([]string{"condition {"}, alignedAttrs("  ", [2]string{"test", analysis.HCLString(operator)},
		[2]string{"variable", analysis.HCLString(key)}, [2]string{"values", quotedList([]string{value})})...)
	return e.m.insertBlock(e.block, append(lines, "}")), true
}
