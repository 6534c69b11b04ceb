//go:build !noterraform

package fixes

import (
	"regexp"
	"slices"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/eksdoctor/eksdoctor/analysis"
)

// The kubernetes, helm and kubectl providers reach a cluster with its CA
// certificate in PEM; EKS returns it base64-encoded (certificate_authority
// of aws_eks_cluster, cluster_certificate_authority_data of the EKS
// module), so it must go through base64decode.

// caProviders are the providers whose cluster_ca_certificate takes PEM.
var caProviders = []string{"kubernetes", "helm", "kubectl"}

// base64CAData matches a reference to an EKS cluster's base64 CA data.
var base64CAData = regexp.MustCompile(`certificate_authority(?:\[0\]|\.0)?\.data$|certificate_authority_data$`)

// providerCAReferences returns where a Terraform kubernetes, helm or
// kubectl provider is given base64 CA data, for ERR049's causes.
var providerCAReferences = func(p *analysis.Pass) [][2]int {
	var out [][2]int
	for _, c := range base64CAs(p) {
		out = append(out, [2]int{c.expr.Range().Start.Byte, c.expr.Range().End.Byte})
	}
	return out
}

// base64CA is a provider's cluster_ca_certificate given base64 CA data.
type base64CA struct {
	provider string
	expr     hclsyntax.Expression
	// ref names the data, and the local it goes through.
	ref string
}

// base64CAs returns the cluster_ca_certificate values of the paste's
// providers that are EKS's base64 CA data.
func base64CAs(p *analysis.Pass) []base64CA {
	m := terraformOf(p)
	var out []base64CA
	for _, b := range m.Blocks {
		if b.Type != "provider" || len(b.Labels) != 1 || !slices.Contains(caProviders, b.Labels[0]) {
			continue
		}
		for _, e := range caCertificates(b.Body) {
			if ref, ok := m.base64Reference(e); ok {
				out = append(out, base64CA{b.Labels[0], e, ref})
			}
		}
	}
	return out
}

// runProviderCA is the Run of tfProviderCA (TF015).
func runProviderCA(p *analysis.Pass) {
	for _, c := range base64CAs(p) {
		rng := c.expr.Range()
		text := p.Src.Text[rng.Start.Byte:rng.End.Byte]
		p.Reportf(rng.Start.Byte, rng.End.Byte,
			&analysis.Fix{Summary: "Decode it: base64decode(" + text + ")", Edits: []analysis.Edit{replaceExpr(c.expr, "base64decode("+text+")")}},
			"cluster_ca_certificate of provider %q takes the CA certificate in PEM, but %s is base64, as EKS returns it: "+
				"the provider cannot reach the cluster (\"Kubernetes cluster unreachable: unable to load root certificates: "+
				"unable to parse bytes as PEM block\"). Wrap it in base64decode().", c.provider, c.ref)
	}
}

// caCertificates returns the cluster_ca_certificate expressions of a
// provider: its own, and in the helm provider's kubernetes block (v2) or
// object (v3).
func caCertificates(body *hclsyntax.Body) []hclsyntax.Expression {
	var out []hclsyntax.Expression
	add := func(a *hclsyntax.Attribute) {
		if a != nil {
			out = append(out, a.Expr)
		}
	}
	add(body.Attributes["cluster_ca_certificate"])
	for _, k := range nested(body, "kubernetes") {
		add(k.Body.Attributes["cluster_ca_certificate"])
	}
	if a := body.Attributes["kubernetes"]; a != nil {
		if obj, ok := a.Expr.(*hclsyntax.ObjectConsExpr); ok {
			for _, item := range obj.Items {
				if hcl.ExprAsKeyword(item.KeyExpr) == "cluster_ca_certificate" {
					out = append(out, item.ValueExpr)
				}
			}
		}
	}
	return out
}

// base64Reference reports whether e is a reference to an EKS cluster's
// base64 CA data, directly or through a local, and names it.
func (m *tfModule) base64Reference(e hclsyntax.Expression) (string, bool) {
	t, ok := e.(*hclsyntax.ScopeTraversalExpr)
	if !ok {
		return "", false
	}
	name := m.src.Text[t.Range().Start.Byte:t.Range().End.Byte]
	if t.Traversal.RootName() == "local" && len(t.Traversal) == 2 {
		if a, ok := t.Traversal[1].(hcl.TraverseAttr); ok && m.locals[a.Name] != nil {
			if inner, ok := m.base64Reference(m.locals[a.Name].Expr); ok {
				return name + " (" + inner + ")", true
			}
		}
	}
	return name, base64CAData.MatchString(name)
}
