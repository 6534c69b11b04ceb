//go:build !noterraform

package fixes

import (
	"strings"

	"github.com/hashicorp/hcl/v2/hclsyntax"
	yaml "go.yaml.in/yaml/v3"

	"github.com/eksdoctor/eksdoctor/analysis"
)

// The Terraform reader of the access-entry family: aws_eks_access_entry
// and aws_eks_access_policy_association resources, the EKS module's
// access_entries input, and the cluster's access_config, turned into the
// family's neutral accessModel. Values Terraform only knows when it runs
// (variables, data sources, other resources' attributes) stay out of the
// model, so no check guesses at them; every known value keeps the byte
// range where it is written, so the family's findings and fixes land in
// the Terraform text.

// hclText is where values read from HCL live: a replacement is escaped
// for an HCL quoted string.
type hclText struct{ src *analysis.Source }

func (h hclText) Source() *analysis.Source { return h.src }
func (h hclText) Offset(i int) int         { return i }
func (h hclText) Edit(s, e int, t string) analysis.Edit {
	q := analysis.HCLString(t)
	return analysis.Replace(s, e, q[1:len(q)-1])
}

// hclDerived marks a Scalar whose value the HCL does not write as such,
// so that Editable reports it cannot be fixed in place.
var hclDerived = &yaml.Node{Tag: "!hcl"}

// derived returns a Scalar for a value the text implies but does not
// write, pointing at [start, end) for findings.
func (m *tfModule) derived(value string, start, end int) analysis.Scalar {
	return analysis.Scalar{Value: value, Start: start, End: end, Node: hclDerived, At: analysis.ReadOnly{Src: m.src}}
}

// scalar returns a known value as a Scalar located where it is written:
// inside the quotes of a string, or on a number or bool literal. It is
// nil for values not known statically.
func (m *tfModule) scalar(v tfValue) *analysis.Scalar {
	if v.Expr == nil {
		return nil
	}
	r := v.Expr.Range()
	start, end := r.Start.Byte, r.End.Byte
	var value string
	switch {
	case v.Known() && strings.HasPrefix(m.src.Text[start:end], `"`):
		value, start, end = v.Str, start+1, end-1
	case v.Kind == tfBool || v.Kind == tfNumber:
		value = m.src.Text[start:end]
	default:
		return nil
	}
	return &analysis.Scalar{Value: value, Start: start, End: end, At: hclText{m.src}, AtStart: start, AtEnd: end}
}

// scalars returns the known strings of a list value.
func (m *tfModule) scalars(v tfValue) []analysis.Scalar {
	var out []analysis.Scalar
	for _, item := range v.Items {
		if s := m.scalar(item); s != nil && v.Kind == tfTuple {
			out = append(out, *s)
		}
	}
	return out
}

// attrField returns where an attribute is written, with the edit that
// removes its lines when it has lines of its own.
func (m *tfModule) attrField(a *hclsyntax.Attribute) *accessField {
	if a == nil {
		return nil
	}
	return m.fieldAt(a.NameRange.Start.Byte, a.NameRange.End.Byte, a.SrcRange.End.Byte)
}

// fieldAt locates a field from its key [start, keyEnd) to the end of its
// value.
func (m *tfModule) fieldAt(start, keyEnd, valueEnd int) *accessField {
	f := &accessField{Start: start, End: keyEnd}
	first, last := m.src.LineOf(start), m.src.LineOf(valueEnd)
	_, col := m.src.Position(start)
	f.Indent = col - 1
	before := m.src.Text[m.src.LineStart(first):start]
	after := strings.TrimSpace(m.src.Text[valueEnd:m.src.LineEnd(last)])
	if strings.TrimSpace(before) == "" && (after == "" || after == "," || strings.HasPrefix(after, "#") || strings.HasPrefix(after, "//")) {
		e := analysis.Delete(m.src.LineStart(first), m.src.LineStart(last+1))
		f.Remove = &e
	}
	return f
}

// terraformAccess is the access-entry model of the whole paste, built once.
type terraformAccess struct {
	Entries []accessEntry
	// Configs are the access settings of each cluster resource or EKS
	// module call.
	Configs []*accessConfig
}

// terraformAccessKey keeps what terraformAccessOf builds, once for the whole input.
var terraformAccessKey = analysis.NewKey[terraformAccess]("terraform-access")

func terraformAccessOf(p *analysis.Pass) terraformAccess {
	m := terraformOf(p)
	return analysis.MemoInput(p.Input, terraformAccessKey, func() terraformAccess { return m.access() })
}

// terraformAccessModel returns the access entries and settings written in
// one terraform document. The paste's single cluster, if it has exactly
// one, gives the settings.
func terraformAccessModel(p *analysis.Pass, doc *analysis.Document) accessModel {
	all := terraformAccessOf(p)
	var model accessModel
	for _, e := range all.Entries {
		if doc.Start <= e.Start && e.Start < doc.End {
			model.Entries = append(model.Entries, e)
		}
	}
	if len(all.Configs) == 1 && doc.Start <= all.Configs[0].Mode.Start && all.Configs[0].Mode.Start < doc.End {
		model.Config = all.Configs[0]
	}
	return model
}

func (m *tfModule) access() terraformAccess {
	var out terraformAccess
	byAddr := map[string]int{}
	for _, b := range m.Resources("aws_eks_access_entry") {
		insts, _ := m.Instances(b)
		for _, inst := range insts {
			e := accessEntry{Source: "terraform",
				PrincipalARN:  m.scalar(m.Eval(attrExpr(b.Body, "principal_arn"), inst.Env)),
				Type:          m.scalar(m.Eval(attrExpr(b.Body, "type"), inst.Env)),
				Username:      m.scalar(m.Eval(attrExpr(b.Body, "user_name"), inst.Env)),
				Groups:        m.scalars(m.Eval(attrExpr(b.Body, "kubernetes_groups"), inst.Env)),
				GroupsField:   m.attrField(b.Body.Attributes["kubernetes_groups"]),
				UsernameField: m.attrField(b.Body.Attributes["user_name"])}
			e.Start, e.End = b.NameSpan()
			if e.PrincipalARN != nil && attrExpr(b.Body, "for_each") == nil && attrExpr(b.Body, "count") == nil {
				e.Start, e.End = e.PrincipalARN.Start, e.PrincipalARN.End
			}
			if len(insts) == 1 {
				byAddr[b.Addr] = len(out.Entries)
			}
			out.Entries = append(out.Entries, e)
		}
	}
	for _, b := range m.Resources("aws_eks_access_policy_association") {
		insts, _ := m.Instances(b)
		for _, inst := range insts {
			principal := attrExpr(b.Body, "principal_arn")
			scope, hasScope := m.scopeOf(b.Body, inst.Env)
			pol := m.policyAssociation(m.Eval(attrExpr(b.Body, "policy_arn"), inst.Env), scope, hasScope)
			if pol == nil {
				continue
			}
			owner := -1
			for _, ref := range m.Refs(principal) {
				if i, ok := byAddr[ref.Addr]; ok {
					owner = i
				}
			}
			arn := m.scalar(m.Eval(principal, inst.Env))
			for i, e := range out.Entries {
				if owner < 0 && arn != nil && e.PrincipalARN != nil && e.PrincipalARN.Value == arn.Value {
					owner = i
				}
			}
			if owner < 0 {
				e := accessEntry{Source: "terraform", PrincipalARN: arn, Start: pol.Start, End: pol.End}
				out.Entries = append(out.Entries, e)
				owner = len(out.Entries) - 1
			}
			out.Entries[owner].Policies = append(out.Entries[owner].Policies, *pol)
		}
	}
	for _, mod := range m.eksInputBlocks() {
		out.Entries = append(out.Entries, m.moduleEntries(mod)...)
	}
	out.Configs = m.accessConfigs()
	return out
}

// scopeOf returns an association's access_scope block as an object value.
func (m *tfModule) scopeOf(body *hclsyntax.Body, env tfEnv) (tfValue, bool) {
	scope := nested(body, "access_scope")
	if len(scope) == 0 {
		return tfValue{}, false
	}
	v := tfValue{Kind: tfObject}
	for _, name := range []string{"type", "namespaces"} {
		if e := attrExpr(scope[0].Body, name); e != nil {
			v.Keys = append(v.Keys, name)
			v.Items = append(v.Items, m.Eval(e, env))
			v.KeyRanges = append(v.KeyRanges, scope[0].Body.Attributes[name].NameRange)
		}
	}
	return v, true
}

// policyAssociation reads a policy association from its policy ARN and
// scope; nil when the ARN or the scope type cannot be known, so no check
// reasons about a scope it cannot see.
func (m *tfModule) policyAssociation(arn tfValue, scope tfValue, hasScope bool) *accessPolicy {
	pol := &accessPolicy{PolicyARN: m.scalar(arn)}
	if pol.PolicyARN == nil {
		return nil
	}
	pol.Start, pol.End = pol.PolicyARN.Start, pol.PolicyARN.End
	if !hasScope {
		return pol
	}
	typ, _ := scope.Get("type")
	if pol.ScopeType = m.scalar(typ); pol.ScopeType == nil {
		return nil
	}
	if ns, ok := scope.Get("namespaces"); ok {
		if _, all := ns.Strings(); !all {
			return nil
		}
		pol.Namespaces = m.scalars(ns)
		pol.NamespacesField = m.itemField(scope, "namespaces")
	}
	return pol
}

// moduleEntries reads the EKS module's access_entries input.
func (m *tfModule) moduleEntries(mod *tfBlock) []accessEntry {
	var out []accessEntry
	entries := m.Eval(attrExpr(mod.Body, "access_entries"), nil)
	if entries.Kind != tfObject {
		return nil
	}
	for _, item := range entries.Items {
		if item.Kind != tfObject {
			continue
		}
		get := func(k string) tfValue { v, _ := item.Get(k); return v }
		e := accessEntry{Source: "terraform", PrincipalARN: m.scalar(get("principal_arn")), Type: m.scalar(get("type")),
			Username: m.scalar(get("user_name")), Groups: m.scalars(get("kubernetes_groups")),
			GroupsField: m.itemField(item, "kubernetes_groups"), UsernameField: m.itemField(item, "user_name"),
			PoliciesField: m.itemField(item, "policy_associations")}
		if item.Expr != nil {
			r := item.Expr.Range()
			e.Start, e.End = r.Start.Byte, r.Start.Byte+1
		}
		if e.PrincipalARN != nil {
			e.Start, e.End = e.PrincipalARN.Start, e.PrincipalARN.End
		}
		for _, pv := range get("policy_associations").Items {
			arn, _ := pv.Get("policy_arn")
			scope, hasScope := pv.Get("access_scope")
			if pol := m.policyAssociation(arn, scope, hasScope); pol != nil {
				e.Policies = append(e.Policies, *pol)
			}
		}
		out = append(out, e)
	}
	return out
}

// itemField locates a key of an object written as an object constructor.
func (m *tfModule) itemField(obj tfValue, key string) *accessField {
	for i, k := range obj.Keys {
		if k == key && i < len(obj.KeyRanges) && obj.KeyRanges[i].Filename != "" && obj.Items[i].Expr != nil {
			r := obj.KeyRanges[i]
			return m.fieldAt(r.Start.Byte, r.End.Byte, obj.Items[i].Expr.Range().End.Byte)
		}
	}
	return nil
}

// accessConfigs reads the access settings of every cluster resource and
// EKS module call whose authentication mode is written as a literal.
func (m *tfModule) accessConfigs() []*accessConfig {
	var out []*accessConfig
	for _, c := range m.Resources("aws_eks_cluster") {
		body := nestedPath(c.Body, "access_config")
		mode := m.scalar(m.Eval(attrExpr(body, "authentication_mode"), nil))
		if mode != nil {
			out = append(out, &accessConfig{Mode: mode, Desired: true,
				BootstrapAdmin: m.scalar(m.Eval(attrExpr(body, "bootstrap_cluster_creator_admin_permissions"), nil))})
		}
	}
	for _, mod := range m.Modules(eksModule) {
		if mode := m.scalar(m.Eval(attrExpr(mod.Body, "authentication_mode"), nil)); mode != nil {
			out = append(out, &accessConfig{Mode: mode, Desired: true})
		}
	}
	return out
}
