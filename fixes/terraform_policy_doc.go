//go:build !noterraform

package fixes

import (
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// The statements of a data "aws_iam_policy_document": statement blocks
// (and dynamic ones whose for_each is known) with their principals and
// condition blocks, and the provider's default effect.

// policyDocument reads a data "aws_iam_policy_document". Statements of a
// dynamic "statement" block are read when its for_each is known.
func (m *tfModule) policyDocument(doc *tfBlock) *Policy {
	pol := &Policy{}
	r := doc.Range()
	pol.Start, pol.End = r.Start.Byte, r.End.Byte
	for _, b := range doc.Body.Blocks {
		switch {
		case b.Type == "statement":
			pol.Statements = append(pol.Statements, m.blockStatement(b, b.Body, nil, len(pol.Statements)))
		case b.Type == "dynamic" && len(b.Labels) == 1 && b.Labels[0] == "statement":
			content := nestedPath(b.Body, "content")
			coll := m.Eval(attrExpr(b.Body, "for_each"), nil)
			if content == nil || coll.Kind != tfTuple && coll.Kind != tfObject {
				continue
			}
			iterator := "statement"
			if it := attrExpr(b.Body, "iterator"); it != nil {
				iterator = hcl.ExprAsKeyword(it)
			}
			for i, item := range coll.Items {
				key := tfValue{Kind: tfNumber, Num: float64(i)}
				if coll.Kind == tfObject {
					key = tfValue{Kind: tfString, Str: coll.Keys[i]}
				}
				env := tfEnv{iterator: {Kind: tfObject, Keys: []string{"key", "value"}, Items: []tfValue{key, item}}}
				pol.Statements = append(pol.Statements, m.blockStatement(b, content, env, len(pol.Statements)))
			}
		}
	}
	return pol
}

// blockStatement reads one statement block (or a dynamic block's content).
func (m *tfModule) blockStatement(b *hclsyntax.Block, body *hclsyntax.Body, env tfEnv, index int) *Statement {
	s := &Statement{Index: index}
	r := b.Range()
	s.Start, s.End = r.Start.Byte, r.End.Byte
	if env == nil {
		s.Editor = blockEditor{m, b}
	}
	get := func(name string) tfValue { return m.Eval(attrExpr(body, name), env) }
	s.Sid = m.policyScalar(get("sid"))
	if s.Effect = m.policyScalar(get("effect")); attrExpr(body, "effect") == nil {
		// the provider's default
		effect := m.derived("Allow", b.TypeRange.Start.Byte, b.TypeRange.End.Byte)
		s.Effect = &effect
	}
	for _, pair := range [][2]string{{"actions", "not_actions"}, {"resources", "not_resources"}} {
		for i, name := range pair {
			if attrExpr(body, name) == nil {
				continue
			}
			values := m.policyScalars(get(name))
			if pair[0] == "actions" {
				s.Actions, s.NotAction = values, i == 1
			} else {
				a := body.Attributes[name]
				key := m.derived(map[bool]string{false: "Resource", true: "NotResource"}[i == 1], a.NameRange.Start.Byte, a.NameRange.End.Byte)
				s.Resources, s.NotResource, s.ResourceKey = values, i == 1, &key
			}
		}
	}
	for _, kind := range []string{"principals", "not_principals"} {
		for _, pb := range nested(body, kind) {
			typ := m.policyScalar(m.Eval(attrExpr(pb.Body, "type"), env))
			if typ == nil {
				continue
			}
			s.NotPrincipal = kind == "not_principals"
			s.Principals = append(s.Principals, Principal{Type: typ.Value, Key: typ,
				Values: m.policyScalars(m.Eval(attrExpr(pb.Body, "identifiers"), env))})
		}
	}
	for _, cb := range nested(body, "condition") {
		op := m.policyScalar(m.Eval(attrExpr(cb.Body, "test"), env))
		key := m.policyScalar(m.Eval(attrExpr(cb.Body, "variable"), env))
		if op == nil || key == nil {
			continue
		}
		s.Conditions = append(s.Conditions, &Condition{Operator: *op, Key: *key,
			Values: m.policyScalars(m.Eval(attrExpr(cb.Body, "values"), env))})
	}
	return s
}
