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

// tfKind is the kind of a statically evaluated value.
type tfKind int

const (
	tfUnknown tfKind = iota
	tfString
	tfNumber
	tfBool
	tfNull
	tfTuple
	tfObject
	tfRefKind
)

// tfHole stands in a string for a part that cannot be known, e.g. the
// partition in "arn:${local.partition}:iam::aws:policy/X".
const tfHole = "\x00"

// tfRef is a reference to something Terraform knows only when it runs:
// Addr "aws_iam_role.node" with Attr "arn", "var.region", "module.eks"
// with Attr "cluster_name".
type tfRef struct {
	Addr, Attr string
}

// tfValue is what static evaluation knows of a value.
type tfValue struct {
	Kind tfKind
	// Str is a string, with tfHole for the parts that are not known.
	Str  string
	Num  float64
	Bool bool
	// Items are a tuple's elements or an object's values; Keys are the
	// object's keys.
	Items []tfValue
	Keys  []string
	// KeyRanges are where the object's keys are written, when they are
	// (a zero Range for a computed key), or nil.
	KeyRanges []hcl.Range
	Ref       tfRef
	// Maybe marks a value present only under a condition that cannot be
	// evaluated (a for expression's if, a conditional, a count).
	Maybe bool
	// Expr is where the value is written, or nil when it is computed.
	Expr hclsyntax.Expression
}

// Known reports whether v is a string known in full.
func (v tfValue) Known() bool { return v.Kind == tfString && !strings.Contains(v.Str, tfHole) }

// Get returns an object's attribute.
func (v tfValue) Get(key string) (tfValue, bool) {
	if v.Kind != tfObject {
		return tfValue{}, false
	}
	for i, k := range v.Keys {
		if k == key {
			return v.Items[i], true
		}
	}
	return tfValue{}, false
}

// Strings returns a tuple's known string elements and whether all its
// elements are known strings.
func (v tfValue) Strings() ([]tfValue, bool) {
	if v.Kind != tfTuple {
		return nil, false
	}
	all := true
	var out []tfValue
	for _, item := range v.Items {
		if item.Known() {
			out = append(out, item)
		} else {
			all = false
		}
	}
	return out, all
}

// tfMaxDepth bounds how deep locals may refer to locals.
const tfMaxDepth = 24

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
	switch root {
	case "local":
		if a := m.locals[attr(0)]; a != nil {
			return traverse(m.eval(a.Expr, nil, depth), rest[1:])
		}
		return tfValue{}
	case "var", "module":
		return traverse(tfValue{Kind: tfRefKind, Ref: tfRef{Addr: root + "." + attr(0)}}, rest[1:])
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

// call evaluates the functions that shape collections and policies.
func (m *tfModule) call(e *hclsyntax.FunctionCallExpr, env tfEnv, depth int) tfValue {
	args := make([]tfValue, len(e.Args))
	for i, a := range e.Args {
		args[i] = m.eval(a, env, depth)
	}
	switch e.Name {
	case "jsonencode", "tolist", "toset", "tomap", "distinct":
		if len(args) == 1 {
			return args[0]
		}
	case "length":
		if len(args) == 1 && (args[0].Kind == tfTuple || args[0].Kind == tfObject) {
			return tfValue{Kind: tfNumber, Num: float64(len(args[0].Items))}
		}
	case "try":
		if len(args) > 0 && args[0].Kind != tfUnknown {
			return args[0]
		}
	case "concat", "flatten", "compact":
		return joinTuples(args, e.Name == "compact")
	case "merge":
		out := tfValue{Kind: tfObject}
		for _, a := range args {
			if a.Kind != tfObject {
				return tfValue{}
			}
			for i, k := range a.Keys {
				var r hcl.Range
				if len(a.KeyRanges) == len(a.Keys) {
					r = a.KeyRanges[i]
				}
				out = setKey(out, k, a.Items[i], r)
			}
		}
		return out
	case "format", "replace", "lower", "upper", "trimprefix", "trimsuffix", "join", "coalesce", "element", "lookup":
		return tfValue{Kind: tfString, Str: tfHole}
	}
	return tfValue{}
}

// joinTuples concatenates tuples; compact drops empty strings.
func joinTuples(args []tfValue, compact bool) tfValue {
	out := tfValue{Kind: tfTuple}
	for _, a := range args {
		if a.Kind != tfTuple {
			return tfValue{}
		}
		for _, item := range a.Items {
			if !compact || item.Kind != tfString || item.Str != "" {
				out.Items = append(out.Items, item)
			}
		}
	}
	return out
}

// setKey sets an object key written at r, replacing an earlier one as
// merge does.
func setKey(obj tfValue, key string, val tfValue, r hcl.Range) tfValue {
	for i, k := range obj.Keys {
		if k == key {
			obj.Items[i], obj.KeyRanges[i] = val, r
			return obj
		}
	}
	obj.Keys = append(obj.Keys, key)
	obj.Items = append(obj.Items, val)
	obj.KeyRanges = append(obj.KeyRanges, r)
	return obj
}

// binaryOp evaluates comparisons and logic on known values.
func binaryOp(op *hclsyntax.Operation, a, b tfValue) tfValue {
	switch op {
	case hclsyntax.OpEqual, hclsyntax.OpNotEqual:
		if a.Kind == tfUnknown || b.Kind == tfUnknown || a.Kind == tfRefKind || b.Kind == tfRefKind ||
			a.Kind == tfString && !a.Known() || b.Kind == tfString && !b.Known() {
			return tfValue{}
		}
		eq := a.Kind == b.Kind && a.Str == b.Str && a.Num == b.Num && a.Bool == b.Bool
		return tfValue{Kind: tfBool, Bool: eq == (op == hclsyntax.OpEqual)}
	case hclsyntax.OpLogicalAnd:
		if a.Kind == tfBool && !a.Bool || b.Kind == tfBool && !b.Bool {
			return tfValue{Kind: tfBool}
		}
		if a.Kind == tfBool && b.Kind == tfBool {
			return tfValue{Kind: tfBool, Bool: true}
		}
	case hclsyntax.OpLogicalOr:
		if a.Kind == tfBool && a.Bool || b.Kind == tfBool && b.Bool {
			return tfValue{Kind: tfBool, Bool: true}
		}
		if a.Kind == tfBool && b.Kind == tfBool {
			return tfValue{Kind: tfBool}
		}
	}
	return tfValue{}
}

// Refs returns the resources, data sources and modules an expression
// refers to, following locals, in the order written.
func (m *tfModule) Refs(e hclsyntax.Expression) []tfRef {
	var out []tfRef
	seen := map[string]bool{}
	m.refs(e, 0, seen, &out)
	return out
}

func (m *tfModule) refs(e hclsyntax.Expression, depth int, seen map[string]bool, out *[]tfRef) {
	if e == nil || depth > tfMaxDepth {
		return
	}
	for _, t := range e.Variables() {
		if t.RootName() == "local" && len(t) > 1 {
			if a, ok := t[1].(hcl.TraverseAttr); ok && m.locals[a.Name] != nil {
				m.refs(m.locals[a.Name].Expr, depth+1, seen, out)
			}
			continue
		}
		v := m.traversal(t, nil, depth)
		if v.Kind == tfRefKind && !seen[v.Ref.Addr+"."+v.Ref.Attr] {
			seen[v.Ref.Addr+"."+v.Ref.Attr] = true
			*out = append(*out, v.Ref)
		}
	}
}

// RefersTo reports whether e refers to the block at addr.
func (m *tfModule) RefersTo(e hclsyntax.Expression, addr string) bool {
	for _, r := range m.Refs(e) {
		if r.Addr == addr {
			return true
		}
	}
	return false
}

// tfInstance is one instance of a resource with count or for_each: the
// each or count binding, and whether it exists only under a condition.
type tfInstance struct {
	Env   tfEnv
	Maybe bool
}

// Instances returns the instances of a block. complete is false when its
// for_each cannot be evaluated, so that instances may be missing.
func (m *tfModule) Instances(b *tfBlock) (out []tfInstance, complete bool) {
	if fe := attrExpr(b.Body, "for_each"); fe != nil {
		coll := m.Eval(fe, nil)
		if coll.Kind != tfTuple && coll.Kind != tfObject {
			return nil, false
		}
		for i, item := range coll.Items {
			key := item
			if coll.Kind == tfObject {
				key = tfValue{Kind: tfString, Str: coll.Keys[i]}
			}
			each := tfValue{Kind: tfObject, Keys: []string{"key", "value"}, Items: []tfValue{key, item}}
			out = append(out, tfInstance{Env: tfEnv{"each": each}, Maybe: item.Maybe})
		}
		return out, true
	}
	if c := attrExpr(b.Body, "count"); c != nil {
		n := m.Eval(c, nil)
		if n.Kind != tfNumber {
			return []tfInstance{{Maybe: true}}, true
		}
		for i := 0; i < int(n.Num); i++ {
			index := tfValue{Kind: tfObject, Keys: []string{"index"}, Items: []tfValue{{Kind: tfNumber, Num: float64(i)}}}
			out = append(out, tfInstance{Env: tfEnv{"count": index}})
		}
		return out, true
	}
	return []tfInstance{{}}, true
}
