//go:build !noterraform

package fixes

import (
	"fmt"

	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/eksdoctor/eksdoctor/analysis"
)

// Pod Identity associations against the trust policy of their role: the
// IAM family's trust simulator replays what EKS Pod Identity sends for
// the association's namespace and service account.

// runPodIdentityTrust is the Run of tfPodIdentityTrust (TF012).
func runPodIdentityTrust(p *analysis.Pass) {
	m := terraformOf(p)
	set := terraformPoliciesOf(p)
	for _, b := range m.Resources("aws_eks_pod_identity_association") {
		roleArn := attrExpr(b.Body, "role_arn")
		if roleArn == nil || attrExpr(b.Body, "target_role_arn") != nil {
			continue
		}
		var trust *Policy
		var role string
		for _, ref := range m.Refs(roleArn) {
			if pol := set.Trust[ref.Addr]; pol != nil {
				trust, role = pol, ref.Addr
			}
		}
		if trust == nil || set.Partial[trust] {
			continue
		}
		var a podAssociation
		for attr, field := range map[string]*string{"namespace": &a.Namespace, "service_account": &a.ServiceAccount, "cluster_name": &a.Cluster} {
			if v := m.Eval(attrExpr(b.Body, attr), nil); v.Known() {
				*field = v.Str
			}
		}
		r := roleArn.Range()
		if msg, untrusted := associationVerdict(p, a, role, trust); msg != "" {
			var fix *analysis.Fix
			if untrusted {
				fix = m.podStatementFix(set, trust)
			}
			p.Reportf(r.Start.Byte, r.End.Byte, fix, "%s", msg)
		}
	}
}

// podStatementFix adds the Pod Identity statement to a trust policy
// written as a policy document or in jsonencode.
func (m *tfModule) podStatementFix(set *tfPolicySet, pol *Policy) *analysis.Fix {
	var edit analysis.Edit
	switch w := set.Written[pol].(type) {
	case *hclsyntax.Block:
		edit = m.insertBlock(w, []string{"statement {", `  actions = ["sts:AssumeRole", "sts:TagSession"]`, "",
			"  principals {", `    type        = "Service"`, fmt.Sprintf("    identifiers = [%q]", PodIdentityService), "  }", "}"})
	case *hclsyntax.TupleConsExpr:
		edit = m.appendToTuple(w, []string{fmt.Sprintf(`{ Effect = "Allow", Principal = { Service = %q }, Action = ["sts:AssumeRole", "sts:TagSession"] }`,
			PodIdentityService)})
	default:
		return nil
	}
	return &analysis.Fix{Summary: "Trust " + PodIdentityService + " for Pod Identity", Edits: []analysis.Edit{edit}}
}
