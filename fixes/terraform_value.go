//go:build !noterraform

package fixes

import (
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// The values static evaluation produces.

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
	// weight counts the values a collection holds, nested ones included.
	weight int
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
