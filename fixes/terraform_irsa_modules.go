//go:build !noterraform

package fixes

import (
	"strings"

	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/eksdoctor/eksdoctor/analysis"
)

// The terraform-aws-modules IRSA role modules write a trust policy from
// their inputs: iam-role-for-service-accounts (v6) and
// iam-role-for-service-accounts-eks (v5) from oidc_providers, each a
// provider_arn with namespace_service_accounts ("namespace:name", the
// module adds system:serviceaccount:), under one operator
// (trust_condition_test, v5 assume_role_condition_test, StringEquals by
// default) for sub and aud alike. The reader rebuilds that trust policy
// with every value located at the input that produced it, so the IRSA and
// IAM rules check module calls too, and their fixes edit the inputs.

// irsaModuleTrust returns the trust policies of the IRSA module calls.
func (m *tfModule) irsaModuleTrust() []*Policy {
	var out []*Policy
	for _, mod := range m.Modules(irsaModuleV5, irsaModuleV6, blueprintsAddonModule) {
		testInput := "trust_condition_test"
		src := m.Eval(attrExpr(mod.Body, "source"), nil)
		if moduleSourceIs(src.Str, irsaModuleV5) || moduleSourceIs(src.Str, blueprintsAddonModule) {
			testInput = "assume_role_condition_test"
		}
		op := m.operatorInput(mod, testInput)
		providers := m.Eval(attrExpr(mod.Body, "oidc_providers"), nil)
		if providers.Kind != tfObject {
			continue
		}
		start, end := mod.NameSpan()
		pol := &Policy{Trust: true, Name: "trust policy of module " + mod.Labels[0], Start: mod.Range().Start.Byte, End: mod.Range().End.Byte,
			Role: &PolicyRole{Ref: mod.Addr}}
		if name := m.Eval(attrExpr(mod.Body, "role_name"), nil); name.Known() {
			pol.Role.Name = name.Str
		}
		pol.Role.Trust = pol
		for _, provider := range providers.Items {
			arn, _ := provider.Get("provider_arn")
			principal := m.policyScalar(arn)
			if principal == nil {
				continue
			}
			host := providerHost(principal.Value)
			if templated(principal.Value) {
				host = "${" + strings.Trim(principal.Value, "${}") + "}"
			}
			key := func(claim string) analysis.Scalar {
				return m.derived(host+":"+claim, principal.Start, principal.End)
			}
			synthetic := func(v string) analysis.Scalar { return m.derived(v, start, end) }
			effect := synthetic("Allow")
			s := &Statement{Index: len(pol.Statements), Effect: &effect, Start: start, End: end,
				Principals: []Principal{{Type: "Federated", Values: []analysis.Scalar{*principal}}},
				Actions:    []analysis.Scalar{synthetic(ActionWebIdentity)}}
			sas, _ := provider.Get("namespace_service_accounts")
			var subjects []analysis.Scalar
			if moduleSourceIs(src.Str, blueprintsAddonModule) {
				subjects = m.blueprintsSubject(mod, provider)
			}
			for _, sa := range m.scalars(sas) {
				if strings.HasPrefix(sa.Value, serviceAccountClaim) {
					continue // TF013's finding
				}
				sub := sa
				sub.Value = serviceAccountClaim + sa.Value
				sub.At = prefixed{m.src, serviceAccountClaim, sa.AtStart, sa.AtEnd}
				subjects = append(subjects, sub)
			}
			s.Conditions = []*Condition{{Operator: op, Key: key("sub"), Values: subjects},
				{Operator: op, Key: key("aud"), Values: []analysis.Scalar{synthetic(DefaultAudience)}}}
			pol.Statements = append(pol.Statements, s)
		}
		if len(pol.Statements) > 0 {
			out = append(out, pol)
		}
	}
	return out
}

// blueprintsSubject returns the subject the EKS Blueprints addon module
// trusts for one of its oidc_providers: its service_account in its
// namespace, else the module's namespace, else default (the module's
// main.tf). It is located at the service_account input, and not editable.
func (m *tfModule) blueprintsSubject(mod *tfBlock, provider tfValue) []analysis.Scalar {
	sa, _ := provider.Get("service_account")
	name := m.policyScalar(sa)
	if name == nil {
		return nil
	}
	namespace := "default"
	if v := m.Eval(attrExpr(mod.Body, "namespace"), nil); v.Known() && v.Str != "" {
		namespace = v.Str
	}
	if v, ok := provider.Get("namespace"); ok {
		namespace = "${…}"
		if ns := m.policyScalar(v); ns != nil {
			namespace = ns.Value
		}
	}
	return []analysis.Scalar{m.derived(serviceAccountClaim+namespace+":"+name.Value, name.Start, name.End)}
}

// operatorInput returns the module's condition operator input as a
// Scalar: where it is set, or, when it is not, the default StringEquals,
// which a fix replaces by adding the input.
func (m *tfModule) operatorInput(mod *tfBlock, name string) analysis.Scalar {
	if a := mod.Body.Attributes[name]; a != nil {
		if s := m.policyScalar(m.Eval(a.Expr, nil)); s != nil {
			return *s
		}
	}
	start, end := mod.NameSpan()
	return analysis.Scalar{Value: "StringEquals", Start: start, End: end, At: addInput{m, mod.Block, name}, AtStart: start, AtEnd: end}
}

// prefixed is where a value lives that the module writes with a prefix
// the text leaves out: a replacement of the whole value is written
// without the prefix; any other edit is refused.
type prefixed struct {
	src        *analysis.Source
	prefix     string
	start, end int
}

func (p prefixed) Source() *analysis.Source { return p.src }
func (p prefixed) Offset(i int) int         { return i }
func (p prefixed) Edit(s, e int, t string) analysis.Edit {
	rest, ok := strings.CutPrefix(t, p.prefix)
	if s != p.start || e != p.end || !ok {
		return analysis.Replace(-1, -1, "")
	}
	return hclText{p.src}.Edit(s, e, rest)
}

// addInput is where a module input lives that is not written: a
// replacement adds it to the module block.
type addInput struct {
	m     *tfModule
	block *hclsyntax.Block
	name  string
}

func (a addInput) Source() *analysis.Source { return a.m.src }
func (a addInput) Offset(i int) int         { return i }
func (a addInput) Edit(_, _ int, t string) analysis.Edit {
	width := len(a.name)
	for _, attr := range a.m.alignedRun(a.block.Body) {
		width = max(width, len(attr.Name))
	}
	line := a.m.itemIndent(a.block) + a.name + strings.Repeat(" ", width-len(a.name)) + " = " + analysis.HCLString(t)
	return a.m.insertLines(a.block, []string{line}, false)
}

// runIRSAModuleSubjects is the Run of tfIRSAModuleSubjects (TF013).
func runIRSAModuleSubjects(p *analysis.Pass) {
	m := terraformOf(p)
	for _, mod := range m.Modules(irsaModuleV5, irsaModuleV6) {
		for _, provider := range m.Eval(attrExpr(mod.Body, "oidc_providers"), nil).Items {
			sas, _ := provider.Get("namespace_service_accounts")
			for _, sa := range m.scalars(sas) {
				short, ok := strings.CutPrefix(sa.Value, serviceAccountClaim)
				if !ok {
					continue
				}
				p.Reportf(sa.Start, sa.End, &analysis.Fix{Summary: "Write " + short, Edits: []analysis.Edit{sa.Replace(short)}},
					"The module adds system:serviceaccount: itself, so this entry becomes system:serviceaccount:%s and never "+
						"matches. Write %s.", sa.Value, short)
			}
		}
	}
}
