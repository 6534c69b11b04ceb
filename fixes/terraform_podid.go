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
		r := roleArn.Range()
		if len(podStatements(trust)) == 0 {
			what := "does not trust " + PodIdentityService
			if trustsFederated(trust) {
				what = "trusts only an OIDC provider (IRSA), not " + PodIdentityService
			}
			p.Reportf(r.Start.Byte, r.End.Byte, m.podStatementFix(set, trust), "EKS refuses this association (\"Trust "+
				"policy of the role provided is invalid\"): %s %s. Allow %s sts:AssumeRole and sts:TagSession.",
				role, what, PodIdentityService)
			continue
		}
		if !podActionsAllowed(trust) {
			continue
		}
		tags := map[string]string{}
		for attr, tag := range map[string]string{"namespace": "kubernetes-namespace", "service_account": "kubernetes-service-account",
			"cluster_name": "eks-cluster-name"} {
			if v := m.Eval(attrExpr(b.Body, attr), nil); v.Known() {
				tags[tag] = v.Str
			}
		}
		if tags["kubernetes-namespace"] == "" || tags["kubernetes-service-account"] == "" {
			continue
		}
		d := EvaluateTrust(p.Src, trust, TrustRequest{SessionTags: tags})
		if d.Allowed || d.Condition == nil {
			continue
		}
		p.Reportf(r.Start.Byte, r.End.Byte, nil, "Pods of %s/%s get no credentials from this association: %s",
			tags["kubernetes-namespace"], tags["kubernetes-service-account"], d.Reason)
	}
}

// trustsFederated reports whether a policy has a statement for a
// federated (OIDC) principal.
func trustsFederated(pol *Policy) bool {
	for _, s := range pol.Statements {
		if len(s.PrincipalsOf("Federated")) > 0 {
			return true
		}
	}
	return false
}

// podActionsAllowed reports whether a Pod Identity statement allows both
// actions, so that what remains to check is its conditions.
func podActionsAllowed(pol *Policy) bool {
	for _, s := range podStatements(pol) {
		if s.Allows() && actionCovered(s, ActionAssumeRole) && actionCovered(s, ActionTagSession) {
			return true
		}
	}
	return false
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
