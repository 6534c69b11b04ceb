//go:build !noterraform

package fixes

import (
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// Static evaluation: what can be known of a Terraform expression without
// running Terraform. Literals, locals, for_each keys and values, for
// expressions and a few collection functions resolve; variables,
// resource attributes and data sources stay references; anything else is
// unknown. Rules that need a value they cannot know stay quiet.

// Bounds of static evaluation, so that hostile input stays cheap: how
// deep expressions may nest through locals, and how long a string and
// how many values a collection may hold, nested ones included, before
// they count as unknown.
const (
	tfMaxDepth  = 24
	tfMaxString = 64 << 10
	tfMaxItems  = 1 << 16
)

// tfEnv binds the names a for expression or for_each introduces.
type tfEnv map[string]tfValue

// Eval evaluates e statically. env binds each, count and for variables.
func (m *tfModule) Eval(e hclsyntax.Expression, env tfEnv) tfValue {
	return m.eval(e, env, 0)
}

func (m *tfModule) eval(e hclsyntax.Expression, env tfEnv, depth int) tfValue {
	if e == nil || depth > tfMaxDepth {
		return tfValue{}
	}
	v := m.evalExpr(e, env, depth+1)
	if v.Expr == nil {
		v.Expr = e
	}
	if v.Kind == tfTuple || v.Kind == tfObject {
		v.weight = len(v.Items)
		for _, item := range v.Items {
			v.weight += item.weight
		}
		if v.weight > tfMaxItems {
			return tfValue{}
		}
	}
	return v
}

func (m *tfModule) evalExpr(e hclsyntax.Expression, env tfEnv, depth int) tfValue {
	switch e := e.(type) {
	case *hclsyntax.LiteralValueExpr:
		return ctyValue(e.Val)
	case *hclsyntax.TemplateExpr:
		var b strings.Builder
		for _, part := range e.Parts {
			if pv := m.eval(part, env, depth); pv.Kind == tfString {
				b.WriteString(pv.Str)
			} else {
				b.WriteString(tfHole)
			}
			if b.Len() > tfMaxString {
				return tfValue{Kind: tfString, Str: tfHole}
			}
		}
		return tfValue{Kind: tfString, Str: b.String()}
	case *hclsyntax.TemplateWrapExpr:
		return m.eval(e.Wrapped, env, depth)
	case *hclsyntax.ParenthesesExpr:
		return m.eval(e.Expression, env, depth)
	case *hclsyntax.ScopeTraversalExpr:
		return m.traversal(e.Traversal, env, depth)
	case *hclsyntax.RelativeTraversalExpr:
		return traverse(m.eval(e.Source, env, depth), e.Traversal)
	case *hclsyntax.IndexExpr:
		key := m.eval(e.Key, env, depth)
		return index(m.eval(e.Collection, env, depth), key)
	case *hclsyntax.TupleConsExpr:
		v := tfValue{Kind: tfTuple}
		for _, item := range e.Exprs {
			v.Items = append(v.Items, m.eval(item, env, depth))
		}
		return v
	case *hclsyntax.ObjectConsExpr:
		v := tfValue{Kind: tfObject}
		for _, item := range e.Items {
			v.Keys = append(v.Keys, m.objectKey(item.KeyExpr, env, depth))
			v.KeyRanges = append(v.KeyRanges, item.KeyExpr.Range())
			v.Items = append(v.Items, m.eval(item.ValueExpr, env, depth))
		}
		return v
	case *hclsyntax.ForExpr:
		return m.forExpr(e, env, depth)
	case *hclsyntax.ConditionalExpr:
		return m.conditional(e, env, depth)
	case *hclsyntax.FunctionCallExpr:
		return m.call(e, env, depth)
	case *hclsyntax.BinaryOpExpr:
		return binaryOp(e.Op, m.eval(e.LHS, env, depth), m.eval(e.RHS, env, depth))
	case *hclsyntax.UnaryOpExpr:
		if v := m.eval(e.Val, env, depth); e.Op == hclsyntax.OpLogicalNot && v.Kind == tfBool {
			return tfValue{Kind: tfBool, Bool: !v.Bool}
		}
	}
	return tfValue{}
}

// ctyValue converts a literal.
func ctyValue(v cty.Value) tfValue {
	switch {
	case v.IsNull():
		return tfValue{Kind: tfNull}
	case !v.IsKnown():
	case v.Type() == cty.String:
		return tfValue{Kind: tfString, Str: v.AsString()}
	case v.Type() == cty.Number:
		f, _ := v.AsBigFloat().Float64()
		return tfValue{Kind: tfNumber, Num: f}
	case v.Type() == cty.Bool:
		return tfValue{Kind: tfBool, Bool: v.True()}
	}
	return tfValue{}
}

// local returns a local's value, evaluated once.
func (m *tfModule) local(name string) tfValue {
	if v, ok := m.localValues[name]; ok {
		return v
	}
	a := m.locals[name]
	if a == nil {
		return tfValue{}
	}
	m.localValues[name] = tfValue{}
	v := m.eval(a.Expr, nil, 0)
	m.localValues[name] = v
	return v
}

// objectKey returns an object constructor key: a bare name is literal,
// anything else is evaluated.
func (m *tfModule) objectKey(e hclsyntax.Expression, env tfEnv, depth int) string {
	if k, ok := e.(*hclsyntax.ObjectConsKeyExpr); ok {
		if name := hcl.ExprAsKeyword(k.Wrapped); name != "" && !k.ForceNonLiteral {
			return name
		}
		e = k.Wrapped
	}
	if v := m.eval(e, env, depth); v.Kind == tfString {
		return v.Str
	}
	return tfHole
}

// traversal resolves a name: a local, a bound variable, or a reference.
func (m *tfModule) traversal(t hcl.Traversal, env tfEnv, depth int) tfValue {
	root := t.RootName()
	rest := t[1:]
	if v, ok := env[root]; ok {
		return traverse(v, rest)
	}
	attr := func(i int) string {
		if i < len(rest) {
			if a, ok := rest[i].(hcl.TraverseAttr); ok {
				return a.Name
			}
		}
		return ""
	}
	// after is what follows the first step, if any: a bare "var" or
	// "local" is valid syntax.
	after := rest[min(1, len(rest)):]
	switch root {
	case "local":
		return traverse(m.local(attr(0)), after)
	case "var", "module":
		return traverse(tfValue{Kind: tfRefKind, Ref: tfRef{Addr: root + "." + attr(0)}}, after)
	case "data":
		return refTo("data."+root2(attr(0), attr(1)), rest, 2)
	case "each", "count", "path", "terraform", "self":
		return tfValue{}
	}
	return refTo(root2(root, attr(0)), rest, 1)
}

func root2(a, b string) string { return a + "." + b }

// refTo builds the reference to a resource: the address, then the first
// attribute after any instance index.
func refTo(addr string, rest hcl.Traversal, skip int) tfValue {
	v := tfValue{Kind: tfRefKind, Ref: tfRef{Addr: addr}}
	if skip <= len(rest) {
		return traverse(v, rest[skip:])
	}
	return v
}

// traverse applies attribute and index steps to a value.
func traverse(v tfValue, steps hcl.Traversal) tfValue {
	for _, step := range steps {
		switch s := step.(type) {
		case hcl.TraverseAttr:
			v = getAttr(v, s.Name)
		case hcl.TraverseIndex:
			v = index(v, ctyValue(s.Key))
		default:
			return tfValue{}
		}
	}
	return v
}

func getAttr(v tfValue, name string) tfValue {
	switch v.Kind {
	case tfObject:
		got, _ := v.Get(name)
		return got
	case tfRefKind:
		// a reference keeps its first attribute: aws_eks_cluster.x.vpc_config[0].cluster_security_group_id
		// is a reference to aws_eks_cluster.x's vpc_config
		if v.Ref.Attr == "" {
			v.Ref.Attr = name
		}
		return v
	}
	return tfValue{}
}

// index looks up key in a collection; a reference stays a reference
// (to a resource with count or for_each, or to a nested attribute).
func index(coll, key tfValue) tfValue {
	switch {
	case coll.Kind == tfRefKind:
		return coll
	case coll.Kind == tfTuple && key.Kind == tfNumber && int(key.Num) >= 0 && int(key.Num) < len(coll.Items):
		return coll.Items[int(key.Num)]
	case coll.Kind == tfObject && key.Known():
		got, _ := coll.Get(key.Str)
		return got
	}
	return tfValue{}
}

// forExpr evaluates a for expression over a known collection. Elements
// its if clause may drop are marked Maybe.
func (m *tfModule) forExpr(e *hclsyntax.ForExpr, env tfEnv, depth int) tfValue {
	coll := m.eval(e.CollExpr, env, depth)
	if (coll.Kind != tfTuple && coll.Kind != tfObject) || e.Group {
		return tfValue{}
	}
	out := tfValue{Kind: tfTuple}
	if e.KeyExpr != nil {
		out.Kind = tfObject
	}
	for i, item := range coll.Items {
		inner := tfEnv{}
		for k, v := range env {
			inner[k] = v
		}
		key := tfValue{Kind: tfNumber, Num: float64(i)}
		if coll.Kind == tfObject {
			key = tfValue{Kind: tfString, Str: coll.Keys[i]}
		}
		if e.KeyVar != "" {
			inner[e.KeyVar] = key
		}
		inner[e.ValVar] = item
		maybe := item.Maybe
		if e.CondExpr != nil {
			cond := m.eval(e.CondExpr, inner, depth)
			if cond.Kind == tfBool && !cond.Bool {
				continue
			}
			maybe = maybe || cond.Kind != tfBool
		}
		val := m.eval(e.ValExpr, inner, depth)
		val.Maybe = val.Maybe || maybe
		out.Items = append(out.Items, val)
		if e.KeyExpr != nil {
			name := tfHole
			if k := m.eval(e.KeyExpr, inner, depth); k.Kind == tfString {
				name = k.Str
			}
			out.Keys = append(out.Keys, name)
		}
	}
	return out
}

// conditional evaluates c ? a : b: the branch when the condition is
// known; otherwise a value both branches agree on, or the one branch that
// is not null or empty, marked Maybe.
func (m *tfModule) conditional(e *hclsyntax.ConditionalExpr, env tfEnv, depth int) tfValue {
	cond := m.eval(e.Condition, env, depth)
	a, b := m.eval(e.TrueResult, env, depth), m.eval(e.FalseResult, env, depth)
	switch {
	case cond.Kind == tfBool && cond.Bool:
		return a
	case cond.Kind == tfBool:
		return b
	case a.Kind == tfString && b.Kind == tfString && a.Str == b.Str:
		return a
	case isEmpty(b) && !isEmpty(a):
		a.Maybe = true
		return a
	case isEmpty(a) && !isEmpty(b):
		b.Maybe = true
		return b
	}
	return tfValue{}
}

// isEmpty reports whether v is null, an empty tuple or an empty object.
func isEmpty(v tfValue) bool {
	return v.Kind == tfNull || (v.Kind == tfTuple || v.Kind == tfObject) && len(v.Items) == 0
}
