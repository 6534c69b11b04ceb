package fixes

import (
	"slices"
	"strings"

	"github.com/eksdoctor/eksdoctor/analysis"
)

// IRSA rules about how a statement matches its subjects: namespace-wide
// patterns, claims IAM does not offer, and operators that fail open.

var irsaWideSubject = &analysis.Rule{
	ID:       "IRSA010",
	Title:    "subject pattern wider than one namespace",
	Severity: analysis.High,
	Kinds:    policyKinds,
	Doc: "StringLike on :sub with a wildcard in the namespace part (system:serviceaccount:*, system:serviceaccount:*:app, " +
		"system:serviceaccount:team-*:app) lets a ServiceAccount of that name in any matching namespace assume the role, " +
		"so anyone who can create a namespace or a ServiceAccount there gets its permissions. Name the namespace; a " +
		"wildcard for the ServiceAccount within one namespace (NAMESPACE:*) is AWS's documented way to share a role.",
	Refs: []string{irsaRoleDoc, eksBestIAM},
	Run: func(p *analysis.Pass) {
		eachIRSA(p, func(_ *Policy, st irsaStatement) {
			if !st.Allows() {
				return
			}
			for _, c := range st.conditionsOn("sub") {
				op, ok := ParseOperator(c.Operator.Value)
				if !ok || !op.Like() || op.Negated() {
					continue
				}
				for _, v := range c.Values {
					rest, _ := strings.CutPrefix(v.Value, serviceAccountClaim)
					ns, name, named := strings.Cut(rest, ":")
					switch {
					case !strings.HasPrefix(v.Value, serviceAccountClaim) && hasWildcard(v.Value) || !named && hasWildcard(ns):
						p.Reportf(v.Start, v.End, nil, "The pattern %q matches every ServiceAccount in every namespace.", v.Value)
					case hasWildcard(ns):
						p.Reportf(v.Start, v.End, nil, "The pattern %q matches the namespace with a wildcard, so a ServiceAccount "+
							"named %s in any matching namespace can assume the role.", v.Value, name)
					case hasWildcard(name):
						p.Report(analysis.Finding{Severity: analysis.Low, Start: v.Start, End: v.End, Message: "The pattern " + v.Value +
							" lets every ServiceAccount in namespace " + ns + ", including ones created later, assume the role; name the ServiceAccount if only one needs it."})
					}
				}
			}
		})
	},
}

var irsaUnknownClaim = &analysis.Rule{
	ID:       "IRSA011",
	Title:    "unknown claim in a condition key",
	Severity: analysis.High,
	Kinds:    policyKinds,
	Doc: "IAM offers the claims of a web-identity token as ISSUER:sub, ISSUER:aud, ISSUER:amr and ISSUER:azp. A key " +
		"with another suffix (:subject, :sa, :sbu, :audience) is never in the request: the condition fails and the pod is " +
		"refused, or, under a negated operator or IfExists, it restricts nothing. Key names are not case-sensitive, so " +
		":Sub works; a misspelling does not.",
	Refs: []string{oidcKeysDoc, iamConditionDoc},
	Run: func(p *analysis.Pass) {
		keyRule(p, true, func(_ irsaStatement, c *Condition) string {
			host, claim, ok := oidcKey(c.Key.Value)
			if !ok || !looksEKS(host) || slices.Contains(oidcClaims, strings.ToLower(claim)) {
				return ""
			}
			msg := "The key " + c.Key.Value + " tests the claim " + claim + ", which IAM does not offer (only sub, aud, amr and azp)."
			if want := claimOf(claim, c.Values); want != "" {
				msg += " It means :" + want + "."
			}
			return msg
		})
	},
}

var irsaFailsOpen = &analysis.Rule{
	ID:       "IRSA012",
	Title:    "subject or audience condition that fails open",
	Severity: analysis.High,
	Kinds:    policyKinds,
	Doc: "Negated operators and IfExists are true when the key is missing. StringNotEquals on :sub lets every " +
		"ServiceAccount but the named ones assume the role; StringLikeIfExists passes every token when the key is " +
		"misspelt; ForAllValues on :sub is true for no values (Access Analyzer: \"ForAllValues with single valued key\"). " +
		"Use StringEquals or StringLike on :sub and :aud; they are always in an EKS token, so IfExists adds nothing but risk.",
	Refs: []string{conditionOps, accessAnalyzer,
		"https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html"},
	Run: func(p *analysis.Pass) {
		eachIRSA(p, func(_ *Policy, st irsaStatement) {
			if !st.Allows() {
				return
			}
			for _, block := range operatorBlocks(st.Statement) {
				c := block[0]
				op, ok := ParseOperator(c.Operator.Value)
				if !ok || c.Shadowed {
					continue
				}
				var claims []string
				for _, k := range block {
					if host, claim, isKey := oidcKey(k.Key.Value); isKey && looksEKS(host) {
						claims = append(claims, claimOf(claim, k.Values))
					}
				}
				if len(claims) == 0 {
					continue
				}
				sub := slices.Contains(claims, "sub")
				var sev analysis.Severity
				var msg string
				switch {
				case op.Negated() && sub:
					sev, msg = analysis.High, c.Operator.Value+" on :sub allows every ServiceAccount except the ones listed."
				case op.Negated():
					sev, msg = analysis.Medium, c.Operator.Value+" allows every value except the ones listed, and any token when the key is missing."
				case op.IfExists:
					sev, msg = analysis.Medium, c.Operator.Value+" passes when the key is missing, so a misspelt key opens the role to every token; the key is always present, so drop IfExists."
				case op.Set == "ForAllValues" && sub:
					sev, msg = analysis.Medium, c.Operator.Value+" is true when the key has no values; :sub has exactly one, so drop ForAllValues."
				default:
					continue
				}
				p.Report(analysis.Finding{Severity: sev, Start: c.Operator.Start, End: c.Operator.End, Message: msg, Fix: operatorFix(st.Statement, block)})
			}
		})
	},
}
