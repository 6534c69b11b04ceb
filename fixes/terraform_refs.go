//go:build !noterraform

package fixes

import (
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// What a Terraform expression refers to, and the instances count and
// for_each make of a block.

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
			if a, ok := t[1].(hcl.TraverseAttr); ok && m.locals[a.Name] != nil && !seen["local."+a.Name] {
				seen["local."+a.Name] = true
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

// tfMaxCount is the largest count whose instances are read one by one;
// a larger one (no pasted module has it) is read as one instance that may
// exist, so a typo of a few digits costs no time.
const tfMaxCount = 100

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
		if n.Kind != tfNumber || !(n.Num <= tfMaxCount) {
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
