//go:build !noterraform

package fixes

import (
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/eksdoctor/eksdoctor/analysis"
)

// The Terraform reader of the IAM family: the policy documents a paste
// writes, as jsonencode({...}), as JSON in a heredoc, or as a data
// "aws_iam_policy_document" with statement, principals and condition
// blocks, turned into the family's neutral Policy. Trust policies are the
// roles' assume_role_policy; identity policies are aws_iam_policy,
// aws_iam_role_policy, inline_policy blocks and the remaining policy
// documents. Values Terraform fills in when it runs keep their source text
// (with ${...}), which the family treats as a template and leaves alone;
// edits go back into the HCL, escaped.

// tfPolicySet is the paste's policies, built once.
type tfPolicySet struct {
	Policies []*Policy
	// Trust and Inline are a role's trust policy and inline policies, by
	// the role's address.
	Trust  map[string]*Policy
	Inline map[string][]*Policy
	// Managed are the customer managed policies (aws_iam_policy), by address.
	Managed map[string]*Policy
	// Partial marks documents built from others (source_policy_documents,
	// override_policy_documents): statements may come from elsewhere.
	Partial map[*Policy]bool
	// Written is where a policy's statements are written: the data
	// document's block, or jsonencode's Statement list.
	Written map[*Policy]hclsyntax.Node
}

// terraformPoliciesKey keeps what terraformPoliciesOf builds, once for the whole input.
var terraformPoliciesKey = analysis.NewKey[*tfPolicySet]("terraform-policies")

func terraformPoliciesOf(p *analysis.Pass) *tfPolicySet {
	m := terraformOf(p)
	return analysis.MemoInput(p.Input, terraformPoliciesKey, func() *tfPolicySet { return m.policies(p.Src) })
}

// terraformPolicySet returns the policies written in one terraform
// document.
func terraformPolicySet(p *analysis.Pass, doc *analysis.Document) policySet {
	var set policySet
	for _, pol := range terraformPoliciesOf(p).Policies {
		if doc.Start <= pol.Start && pol.Start < doc.End {
			set.Policies = append(set.Policies, pol)
		}
	}
	return set
}

// ownedBy records that pol is an inline policy of the aws_iam_role r,
// unless a policy document shared by several roles already has a role.
func (m *tfModule) ownedBy(pol *Policy, r *tfBlock) {
	if pol.Role != nil {
		return
	}
	pol.Role = &PolicyRole{Ref: r.Addr}
	if name := m.Eval(attrExpr(r.Body, "name"), nil); name.Known() {
		pol.Role.Name = name.Str
	}
}

func (m *tfModule) policies(src *analysis.Source) *tfPolicySet {
	set := &tfPolicySet{Trust: map[string]*Policy{}, Inline: map[string][]*Policy{}, Managed: map[string]*Policy{},
		Partial: map[*Policy]bool{}, Written: map[*Policy]hclsyntax.Node{}}
	documents := map[string]*Policy{}
	add := func(e hclsyntax.Expression, trust bool, name string) *Policy {
		v := m.Eval(e, nil)
		if v.Kind == tfRefKind && strings.HasPrefix(v.Ref.Addr, "data.aws_iam_policy_document.") {
			if pol, ok := documents[v.Ref.Addr]; ok {
				pol.Trust = pol.Trust || trust
				return pol
			}
			doc := m.byAddr[v.Ref.Addr]
			if doc == nil {
				return nil
			}
			pol := m.policyDocument(doc)
			pol.Trust, pol.Name = trust, name
			set.Written[pol] = doc.Block
			documents[v.Ref.Addr] = pol
			set.Partial[pol] = attrExpr(doc.Body, "source_policy_documents") != nil ||
				attrExpr(doc.Body, "override_policy_documents") != nil || attrExpr(doc.Body, "source_json") != nil
			set.Policies = append(set.Policies, pol)
			return pol
		}
		pol := m.policyValue(src, e, v, trust)
		if pol != nil {
			pol.Name = name
			set.Policies = append(set.Policies, pol)
			if st, ok := v.Get("Statement"); ok && st.Expr != nil {
				set.Written[pol] = st.Expr
			}
		}
		return pol
	}
	for _, r := range m.Resources("aws_iam_role") {
		if pol := add(attrExpr(r.Body, "assume_role_policy"), true, "trust policy of "+r.Name()); pol != nil {
			set.Trust[r.Addr] = pol
			if pol.Role == nil { // a policy document shared by roles keeps the first
				pol.Role = &PolicyRole{Ref: r.Addr, Trust: pol}
				if name := m.Eval(attrExpr(r.Body, "name"), nil); name.Known() {
					pol.Role.Name = name.Str
				}
			}
		}
		for _, ip := range nested(r.Body, "inline_policy") {
			if pol := add(attrExpr(ip.Body, "policy"), false, "inline policy of "+r.Name()); pol != nil {
				set.Inline[r.Addr] = append(set.Inline[r.Addr], pol)
				m.ownedBy(pol, r)
			}
		}
	}
	for _, b := range m.Resources("aws_iam_role_policy") {
		pol := add(attrExpr(b.Body, "policy"), false, b.Name())
		for _, ref := range m.Refs(attrExpr(b.Body, "role")) {
			if pol != nil && strings.HasPrefix(ref.Addr, "aws_iam_role.") {
				set.Inline[ref.Addr] = append(set.Inline[ref.Addr], pol)
				if r := m.byAddr[ref.Addr]; r != nil {
					m.ownedBy(pol, r)
				}
			}
		}
	}
	for _, typ := range []string{"aws_iam_policy", "aws_iam_user_policy", "aws_iam_group_policy"} {
		for _, b := range m.Resources(typ) {
			if pol := add(attrExpr(b.Body, "policy"), false, b.Name()); pol != nil && typ == "aws_iam_policy" {
				set.Managed[b.Addr] = pol
			}
		}
	}
	set.Policies = append(set.Policies, m.irsaModuleTrust()...)
	for _, b := range m.Blocks {
		if b.Type == "data" && len(b.Labels) == 2 && b.Labels[0] == "aws_iam_policy_document" && documents[b.Addr] == nil {
			add(&hclsyntax.ScopeTraversalExpr{Traversal: hcl.Traversal{hcl.TraverseRoot{Name: "data"},
				hcl.TraverseAttr{Name: b.Labels[0]}, hcl.TraverseAttr{Name: b.Labels[1]}}}, false, b.Name())
		}
	}
	return set
}

// policyValue reads a policy written as jsonencode(...) or as JSON in a
// heredoc.
func (m *tfModule) policyValue(src *analysis.Source, e hclsyntax.Expression, v tfValue, trust bool) *Policy {
	if v.Kind == tfObject {
		return m.policyObject(v, trust)
	}
	t, ok := e.(*hclsyntax.TemplateExpr)
	if !ok {
		return nil
	}
	r := t.Range()
	if !strings.HasPrefix(src.Text[r.Start.Byte:r.End.Byte], "<<") {
		return nil
	}
	start := src.LineStart(src.LineOf(r.Start.Byte) + 1)
	end := src.LineStart(src.LineOf(r.End.Byte - 1))
	if start >= end {
		return nil
	}
	root, err := src.ParseYAML(start, end)
	if err != nil {
		return nil
	}
	return policyFromNode(analysis.WholeText{Src: src}, root, trust)
}

// policyObject reads a policy written as an HCL object (jsonencode's
// argument).
func (m *tfModule) policyObject(v tfValue, trust bool) *Policy {
	pol := &Policy{Trust: trust}
	if v.Expr != nil {
		r := v.Expr.Range()
		pol.Start, pol.End = r.Start.Byte, r.End.Byte
	}
	st, _ := v.Get("Statement")
	items := st.Items
	if st.Kind == tfObject {
		items = []tfValue{st}
	}
	for _, item := range items {
		if item.Kind == tfObject {
			pol.Statements = append(pol.Statements, m.objectStatement(item, len(pol.Statements)))
		}
	}
	return pol
}

// objectStatement reads one statement written as an HCL object.
func (m *tfModule) objectStatement(v tfValue, index int) *Statement {
	s := &Statement{Index: index}
	if v.Expr != nil {
		r := v.Expr.Range()
		s.Start, s.End = r.Start.Byte, r.End.Byte
		if obj, ok := v.Expr.(*hclsyntax.ObjectConsExpr); ok {
			s.Editor = objectEditor{m, obj}
		}
	}
	for i, key := range v.Keys {
		val := v.Items[i]
		switch key {
		case "Sid":
			s.Sid = m.policyScalar(val)
		case "Effect":
			s.Effect = m.policyScalar(val)
		case "Principal", "NotPrincipal":
			s.NotPrincipal = key == "NotPrincipal"
			if val.Kind == tfObject {
				for j, typ := range val.Keys {
					k := m.keyScalar(val, j)
					s.Principals = append(s.Principals, Principal{Type: typ, Key: &k, Values: m.policyScalars(val.Items[j])})
				}
			} else if p := m.policyScalar(val); p != nil {
				s.Principals = []Principal{{Type: "*", Values: []analysis.Scalar{*p}}}
			}
		case "Action", "NotAction":
			s.Actions, s.NotAction = m.policyScalars(val), key == "NotAction"
		case "Resource", "NotResource":
			k := m.keyScalar(v, i)
			s.Resources, s.NotResource, s.ResourceKey = m.policyScalars(val), key == "NotResource", &k
		case "Condition":
			for j := range val.Keys {
				block := val.Items[j]
				for n := range block.Keys {
					s.Conditions = append(s.Conditions, &Condition{Operator: m.keyScalar(val, j), Key: m.keyScalar(block, n),
						Values: m.policyScalars(block.Items[n])})
				}
			}
		}
	}
	return s
}

// policyScalar returns a policy value as a Scalar: located and editable
// when it is a known string or literal, else carrying its source text,
// which holds ${...} so the IAM family takes it for a template.
func (m *tfModule) policyScalar(v tfValue) *analysis.Scalar {
	if s := m.scalar(v); s != nil {
		return s
	}
	if v.Expr == nil || v.Kind == tfNull {
		return nil
	}
	r := v.Expr.Range()
	text := m.src.Text[r.Start.Byte:r.End.Byte]
	if inner, ok := strings.CutPrefix(text, `"`); ok && strings.HasSuffix(inner, `"`) && strings.Contains(inner, "${") {
		text = strings.TrimSuffix(inner, `"`)
	} else {
		text = "${" + text + "}"
	}
	return &analysis.Scalar{Value: text, Start: r.Start.Byte, End: r.End.Byte, At: hclText{m.src}, AtStart: r.Start.Byte, AtEnd: r.End.Byte}
}

// policyScalars returns the values of a string or a list of them.
func (m *tfModule) policyScalars(v tfValue) []analysis.Scalar {
	items := []tfValue{v}
	if v.Kind == tfTuple {
		items = v.Items
	}
	var out []analysis.Scalar
	for _, item := range items {
		if s := m.policyScalar(item); s != nil {
			out = append(out, *s)
		}
	}
	return out
}

// keyScalar returns an object's i-th key as a Scalar, located where it is
// written (inside its quotes, if any).
func (m *tfModule) keyScalar(obj tfValue, i int) analysis.Scalar {
	s := m.derived("${"+obj.Keys[i]+"}", 0, 0)
	if i < len(obj.KeyRanges) && obj.KeyRanges[i].Filename != "" {
		s.Value, s.Node, s.At = obj.Keys[i], nil, hclText{m.src}
		r := obj.KeyRanges[i]
		s.AtStart, s.AtEnd = r.Start.Byte, r.End.Byte
		if text := m.src.Text[s.AtStart:s.AtEnd]; len(text) >= 2 && text[0] == '"' && text[len(text)-1] == '"' {
			s.AtStart, s.AtEnd = s.AtStart+1, s.AtEnd-1
			if strings.Contains(text, "${") {
				s.Value = text[1 : len(text)-1]
			}
		}
		s.Start, s.End = s.AtStart, s.AtEnd
	}
	return s
}
