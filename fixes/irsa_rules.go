package fixes

import (
	"strings"

	"github.com/eksdoctor/eksdoctor/analysis"
)

// The IRSA rules read trust statements whose principal is an EKS OIDC
// provider. Every fix of a condition key writes keyTarget and every fix of
// an operator writes operatorTarget, so fixes of one key or operator by
// different rules agree.

// eachIRSA calls f for every IRSA statement of the document's policies.
func eachIRSA(p *analysis.Pass, f func(pol *Policy, st irsaStatement)) {
	eachStatement(p, func(pol *Policy, s *Statement) {
		if st, ok := irsaStatementOf(s); ok {
			f(pol, st)
		}
	})
}

var irsaProviderARN = &analysis.Rule{
	ID:       "IRSA001",
	Title:    "malformed OIDC provider principal",
	Severity: analysis.High,
	Kinds:    policyKinds,
	Doc: "The Federated principal of an IRSA trust policy must be the ARN of the IAM OIDC provider registered for the " +
		"cluster's issuer: arn:aws:iam::ACCOUNT:oidc-provider/oidc.eks.REGION.amazonaws.com/id/ID (arn:aws-cn:… and " +
		"….amazonaws.com.cn in China, arn:aws-us-gov:… in GovCloud), the issuer URL without https://. A principal with " +
		"https://, a trailing slash, the region before eks (oidc.REGION.eks.amazonaws.com, as in the webhook README's " +
		"example) or the wrong partition never matches the token, and the pod gets \"Not authorized to perform " +
		"sts:AssumeRoleWithWebIdentity\". Copy the issuer from aws eks describe-cluster and drop the scheme.",
	Refs: []string{irsaRoleDoc, "https://github.com/aws/amazon-eks-pod-identity-webhook/issues/30",
		oidcProviderDoc},
	Run: func(p *analysis.Pass) {
		eachIRSA(p, func(_ *Policy, st irsaStatement) {
			for _, pp := range st.Providers {
				if pp.Problem == "" {
					continue
				}
				var fix *analysis.Fix
				if pp.Canonical != "" && editable(pp.Value) {
					fix = &analysis.Fix{Summary: "Write the provider ARN as " + pp.Canonical, Edits: []analysis.Edit{pp.Value.Replace(pp.Canonical)}}
				}
				p.Reportf(pp.Value.Start, pp.Value.End, fix, "The Federated principal %s is wrong: %s. STS never matches it to the cluster's tokens.",
					pp.Value.Value, pp.Problem)
				p.SuggestCommand("Compare with the cluster's issuer",
					"aws eks describe-cluster "+clusterRef(p).flags("--name")+" --query cluster.identity.oidc.issuer --output text && aws iam list-open-id-connect-providers",
					"The provider ARN ends with the issuer without https://, and the provider must exist in the role's account.")
			}
		})
	},
}

var irsaAction = &analysis.Rule{
	ID:       "IRSA002",
	Title:    "oidc principal without sts:AssumeRoleWithWebIdentity",
	Severity: analysis.High,
	Kinds:    policyKinds,
	Doc: "Pods using IRSA exchange their token with sts:AssumeRoleWithWebIdentity, the only action an OIDC provider " +
		"principal can use (Access Analyzer: \"Mismatched action for principal\"). A statement that trusts the provider but " +
		"allows sts:AssumeRole, or the Pod Identity pair sts:AssumeRole and sts:TagSession, never lets the pod in. Allow " +
		"sts:AssumeRoleWithWebIdentity.",
	Refs: []string{irsaRoleDoc, accessAnalyzer},
	Run: func(p *analysis.Pass) {
		eachIRSA(p, func(_ *Policy, st irsaStatement) {
			if !st.Allows() || actionCovered(st.Statement, ActionWebIdentity) || len(st.Actions) == 0 {
				return
			}
			first := st.Actions[0]
			var fix *analysis.Fix
			switch {
			case st.NotAction:
			case len(st.Actions) == 1 && editable(first) && strings.HasPrefix(strings.ToLower(first.Value), "sts:assumerole"):
				fix = &analysis.Fix{Summary: "Allow " + ActionWebIdentity, Edits: []analysis.Edit{first.Replace(ActionWebIdentity)}}
			case st.Editor != nil:
				if e, ok := st.Editor.AddAction(ActionWebIdentity); ok {
					fix = &analysis.Fix{Summary: "Add " + ActionWebIdentity, Edits: e}
				}
			}
			p.Reportf(first.Start, first.End, fix, "This statement trusts an OIDC provider but allows %s, not %s, so pods using IRSA are refused.",
				strings.Join(scalarValues(st.Actions), ", "), ActionWebIdentity)
		})
	},
}

// keyRule reports, for each condition key of an IRSA statement where
// problem says something, that message with the key fix. Keys the request
// never has get what that does to the condition.
func keyRule(p *analysis.Pass, absent bool, problem func(st irsaStatement, c *Condition) string) {
	eachIRSA(p, func(_ *Policy, st irsaStatement) {
		for _, c := range st.ActiveConditions() {
			msg := problem(st, c)
			if msg != "" && absent {
				msg += " " + failure(c, st.Denies())
			}
			if msg != "" {
				p.Reportf(c.Key.Start, c.Key.End, st.keyFix(c), "%s", msg)
			}
		}
	})
}

// failure says what a condition on a key the request lacks does to its
// statement, an Allow or a Deny.
func failure(c *Condition, deny bool) string {
	op, ok := ParseOperator(c.Operator.Value)
	switch {
	case !ok:
		return ""
	case (op.Negated() || op.IfExists || op.Set == "ForAllValues") && deny:
		return "Because " + c.Operator.Value + " is true for a missing key, this Deny applies to every token."
	case op.Negated() || op.IfExists || op.Set == "ForAllValues":
		return "Because " + c.Operator.Value + " is true for a missing key, this condition passes for every token: it restricts nothing."
	case deny:
		return "The request never has this key, so this Deny never applies."
	}
	return "The request never has this key, so the condition fails and the pod is refused."
}

var irsaKeyProvider = &analysis.Rule{
	ID:       "IRSA003",
	Title:    "condition key names another issuer than the principal",
	Severity: analysis.High,
	Kinds:    policyKinds,
	Doc: "The request context of sts:AssumeRoleWithWebIdentity has keys named after the provider the token comes from: " +
		"the principal's issuer host and path, then :sub or :aud. A condition key with another issuer (another cluster's " +
		"ID, another region) is never in the request: under StringEquals the role cannot be assumed, under a negated " +
		"operator or IfExists the condition passes for every token. Use the principal's issuer in every key.",
	Refs: []string{oidcKeysDoc, irsaRoleDoc},
	Run: func(p *analysis.Pass) {
		keyRule(p, true, func(st irsaStatement, c *Condition) string {
			host, _, ok := oidcKey(c.Key.Value)
			key, eks := canonicalIssuer(host)
			pp, single := st.single()
			if !ok || !eks || !single || !looksEKS(host) || key.Host == pp.Issuer.Host {
				return ""
			}
			return "The key " + c.Key.Value + " names the issuer " + key.Host + ", but the principal trusts " + pp.Issuer.Host + "."
		})
	},
}

var irsaKeyForm = &analysis.Rule{
	ID:       "IRSA004",
	Title:    "condition key not in the issuer's form",
	Severity: analysis.High,
	Kinds:    policyKinds,
	Doc: "IRSA condition keys are the issuer host and path without a scheme, then a colon and the claim: " +
		"oidc.eks.REGION.amazonaws.com/id/ID:sub. Keys copied from the issuer URL keep https:// or a trailing slash, or " +
		"swap the region and eks, or start with the provider's ARN (arn:aws:iam::ACCOUNT:oidc-provider/); IAM never finds such a key in the request. Under StringEquals the pod is refused; under " +
		"a negated operator or IfExists the condition passes for everyone. Write the key without https:// and the slash.",
	Refs: []string{oidcKeysDoc, "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-idp_oidc.html",
		"https://github.com/terraform-aws-modules/terraform-aws-iam/pull/50"},
	Run: func(p *analysis.Pass) {
		keyRule(p, true, func(st irsaStatement, c *Condition) string {
			host, claim, ok := oidcKey(c.Key.Value)
			if provider, issuerHost, arn := strings.Cut(host, ":oidc-provider/"); ok && arn && strings.HasPrefix(provider, "arn:") {
				return "The key " + c.Key.Value + " starts with the provider's ARN; condition keys are the issuer without it: " +
					issuerHost + ":" + claim + "."
			}
			key, eks := canonicalIssuer(host)
			if !ok || !eks || key.Changed == "" {
				return ""
			}
			want := key.Host + ":" + claim
			if target, fixable := st.keyTarget(c); fixable {
				want = target
			}
			return "The key " + c.Key.Value + " " + key.Changed + "; the key IAM looks for is " + want + "."
		})
	},
}
