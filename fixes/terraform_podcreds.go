//go:build !noterraform

package fixes

import (
	"strings"

	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/eksdoctor/eksdoctor/analysis"
)

// What a Terraform paste shows of how pods get AWS credentials: IRSA
// roles, Pod Identity associations, and whether the VPC CNI's aws-node
// service account has a role of its own. The node rules use it to say
// whether pods still need the node role through the instance metadata
// service.

// tfPodCreds is the evidence, each field naming the block that shows it,
// or "" when nothing does.
type tfPodCreds struct {
	IRSA, PodIdentity string
	// AWSNode is what gives kube-system/aws-node its own role.
	AWSNode string
	// CNIAddon is a vpc-cni add-on declared without a role for aws-node.
	CNIAddon string
}

// terraformPodCredsKey keeps what podCredsOf builds, once for the whole input.
var terraformPodCredsKey = analysis.NewKey[tfPodCreds]("terraform-pod-creds")

// podCredsOf returns the evidence, built once.
func podCredsOf(p *analysis.Pass) tfPodCreds {
	m := terraformOf(p)
	return analysis.MemoInput(p.Input, terraformPodCredsKey, func() tfPodCreds { return m.podCreds() })
}

func (m *tfModule) podCreds() tfPodCreds {
	var c tfPodCreds
	first := func(field *string, what string) {
		if *field == "" {
			*field = what
		}
	}
	for _, b := range m.Modules(irsaModuleV5, irsaModuleV6, oidcRoleModule) {
		first(&c.IRSA, "module "+b.Labels[0])
		if v := m.Eval(attrExpr(b.Body, "attach_vpc_cni_policy"), nil); v.Kind == tfBool && v.Bool {
			first(&c.AWSNode, "module "+b.Labels[0])
		}
	}
	for _, b := range m.Modules(podIDModule) {
		first(&c.PodIdentity, "module "+b.Labels[0])
		if v := m.Eval(attrExpr(b.Body, "attach_aws_vpc_cni_policy"), nil); v.Kind == tfBool && v.Bool {
			first(&c.AWSNode, "module "+b.Labels[0])
		}
	}
	for _, b := range m.Modules(karpenterModule) {
		for _, input := range []string{"create_pod_identity_association", "enable_pod_identity"} {
			if v := m.Eval(attrExpr(b.Body, input), nil); v.Kind == tfBool && v.Bool {
				first(&c.PodIdentity, "module "+b.Labels[0])
			}
		}
	}
	for _, b := range m.Resources("aws_iam_role") {
		if m.trustsWebIdentity(b) {
			first(&c.IRSA, b.Name())
		}
	}
	for _, b := range m.Resources("aws_eks_pod_identity_association") {
		first(&c.PodIdentity, b.Name())
		if m.isAWSNode(attrExpr(b.Body, "namespace"), attrExpr(b.Body, "service_account")) {
			first(&c.AWSNode, b.Name())
		}
	}
	for _, b := range m.Resources("aws_eks_addon") {
		irsa, podID := m.addonCreds(b.Body)
		if irsa {
			first(&c.IRSA, b.Name())
		}
		if podID != "" {
			first(&c.PodIdentity, b.Name())
		}
		if name := m.Eval(attrExpr(b.Body, "addon_name"), nil); name.Known() && name.Str == "vpc-cni" {
			if irsa || podID == "aws-node" {
				first(&c.AWSNode, b.Name())
			} else {
				first(&c.CNIAddon, b.Name())
			}
		}
	}
	for _, b := range m.Modules(eksModule) {
		for _, input := range []string{"cluster_addons", "addons"} {
			addons := m.Eval(attrExpr(b.Body, input), nil)
			for i, name := range addons.Keys {
				irsa := false
				if arn, ok := addons.Items[i].Get("service_account_role_arn"); ok && arn.Kind != tfNull {
					irsa = true
					first(&c.IRSA, "module "+b.Labels[0])
				}
				_, podID := addons.Items[i].Get("pod_identity_association")
				if podID {
					first(&c.PodIdentity, "module "+b.Labels[0])
				}
				if name == "vpc-cni" {
					if irsa || podID {
						first(&c.AWSNode, "module "+b.Labels[0])
					} else {
						first(&c.CNIAddon, "module "+b.Labels[0])
					}
				}
			}
		}
	}
	if c.AWSNode != "" {
		c.CNIAddon = ""
	}
	return c
}

// addonCreds says whether an aws_eks_addon gives its service account an
// IRSA role, and which service account a Pod Identity association names
// ("?" when it cannot be told).
func (m *tfModule) addonCreds(body *hclsyntax.Body) (irsa bool, podID string) {
	if arn := attrExpr(body, "service_account_role_arn"); arn != nil && m.Eval(arn, nil).Kind != tfNull {
		irsa = true
	}
	for _, a := range append(nested(body, "pod_identity_association"), dynamicBlocks(body, "pod_identity_association")...) {
		podID = "?"
		if sa := m.Eval(attrExpr(a.Body, "service_account"), nil); sa.Known() {
			podID = sa.Str
		}
	}
	return irsa, podID
}

// dynamicBlocks returns a body's `dynamic "typ"` blocks as a list.
func dynamicBlocks(body *hclsyntax.Body, typ string) []*hclsyntax.Block {
	if b := dynamicBlock(body, typ); b != nil {
		return []*hclsyntax.Block{b}
	}
	return nil
}

// isAWSNode reports whether a namespace and service account are
// kube-system/aws-node.
func (m *tfModule) isAWSNode(ns, sa hclsyntax.Expression) bool {
	n, s := m.Eval(ns, nil), m.Eval(sa, nil)
	return n.Known() && s.Known() && n.Str == "kube-system" && s.Str == "aws-node"
}

// trustsWebIdentity reports whether a role's trust policy lets an OIDC
// provider's tokens assume it (IRSA).
func (m *tfModule) trustsWebIdentity(b *tfBlock) bool {
	v := m.Eval(attrExpr(b.Body, "assume_role_policy"), nil)
	if v.Kind == tfRefKind {
		doc := m.byAddr[v.Ref.Addr]
		if doc == nil {
			return false
		}
		var exprs []hclsyntax.Expression
		for _, st := range append(nested(doc.Body, "statement"), dynamicBlocks(doc.Body, "statement")...) {
			body := st.Body
			if st.Type == "dynamic" {
				body = nestedPath(st.Body, "content")
			}
			exprs = append(exprs, attrExpr(body, "actions"))
		}
		v = m.Eval(&hclsyntax.TupleConsExpr{Exprs: exprs}, nil)
	}
	found := false
	walkStrings(v, func(s string) {
		found = found || strings.Contains(s, "sts:AssumeRoleWithWebIdentity")
	})
	return found
}
