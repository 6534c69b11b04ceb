//go:build !noterraform

package fixes

import (
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// The Terraform functions and operators static evaluation knows.

// call evaluates the functions that shape collections and policies.
func (m *tfModule) call(e *hclsyntax.FunctionCallExpr, env tfEnv, depth int) tfValue {
	args := make([]tfValue, len(e.Args))
	for i, a := range e.Args {
		args[i] = m.eval(a, env, depth)
	}
	switch e.Name {
	case "jsonencode", "yamlencode", "tolist", "toset", "tomap", "distinct":
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
