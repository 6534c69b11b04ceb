package fixes

import (
	"regexp"
	"strings"

	"github.com/eksdoctor/eksdoctor/analysis"
)

// IRSA rules about the claims a trust statement tests: a subject and an
// audience condition present, and their values well formed.

var irsaNoSubject = &analysis.Rule{
	ID:       "IRSA005",
	Title:    "web identity trust without a subject condition",
	Severity: analysis.High,
	Kinds:    policyKinds,
	Doc: "Without a condition on the :sub claim, every ServiceAccount in every namespace of the cluster can assume the " +
		"role, including ones an attacker creates (Access Analyzer: \"Missing condition key for oidc principal\"). A " +
		"condition on :aud alone does not help: every IRSA token has the audience sts.amazonaws.com. Add " +
		"\"ISSUER:sub\": \"system:serviceaccount:NAMESPACE:NAME\" under StringEquals.",
	Refs: []string{irsaRoleDoc, eksBestIAM, accessAnalyzer},
	Run: func(p *analysis.Pass) {
		eachIRSA(p, func(_ *Policy, st irsaStatement) {
			if !st.Allows() || restrictsSubject(st) || negatedSubject(st) {
				return
			}
			pp := st.Providers[0]
			p.Reportf(pp.Value.Start, pp.Value.End, nil, "No condition limits the :sub claim, so any ServiceAccount in any namespace "+
				"of this cluster can assume the role.")
			host := pp.Issuer.Host
			if host == "" {
				host = "ISSUER"
			}
			p.Suggest("Limit the role to its ServiceAccount",
				`Add under "StringEquals": "`+host+`:sub": "system:serviceaccount:NAMESPACE:SERVICE_ACCOUNT"`)
		})
	},
}

// restrictsSubject reports whether the statement has a positive condition
// on sub that is not a match-everything pattern.
func restrictsSubject(st irsaStatement) bool {
	for _, c := range st.conditionsOn("sub") {
		op, ok := ParseOperator(c.Operator.Value)
		if !ok || op.Negated() {
			continue
		}
		for _, v := range c.Values {
			if v.Value != "*" {
				return true
			}
		}
	}
	return false
}

// negatedSubject reports whether a negated condition tests sub (IRSA012
// reports it).
func negatedSubject(st irsaStatement) bool {
	for _, c := range st.conditionsOn("sub") {
		if op, ok := ParseOperator(c.Operator.Value); ok && op.Negated() {
			return true
		}
	}
	return false
}

var irsaNoAudience = &analysis.Rule{
	ID:       "IRSA006",
	Title:    "web identity trust without an audience condition",
	Severity: analysis.Low,
	Kinds:    policyKinds,
	Doc: "AWS's IRSA trust policy tests both claims: :sub for the ServiceAccount and :aud = sts.amazonaws.com for the " +
		"token's audience. Without the :aud condition, a token of the right ServiceAccount minted for another audience " +
		"(any audience the provider's client IDs accept) also works. Add \"ISSUER:aud\": \"sts.amazonaws.com\" next to :sub.",
	Refs: []string{irsaRoleDoc, eksBestIAM},
	Run: func(p *analysis.Pass) {
		eachIRSA(p, func(_ *Policy, st irsaStatement) {
			pp, single := st.single()
			subs := st.conditionsOn("sub")
			if !st.Allows() || !single || len(subs) == 0 || len(st.conditionsOn("aud")) > 0 {
				return
			}
			operator := subs[0].Operator.Value
			if op, _ := ParseOperator(operator); op.Set != "" || op.Negated() || op.IfExists {
				operator = "StringEquals"
			}
			var fix *analysis.Fix
			if st.Editor != nil {
				if e, ok := st.Editor.AddCondition(operator, pp.Issuer.Host+":aud", DefaultAudience); ok {
					fix = &analysis.Fix{Summary: "Add the :aud condition", Edits: []analysis.Edit{e}, Harden: true}
				}
			}
			tests := "tests :sub but not :aud"
			if _, claim, _ := oidcKey(subs[0].Key.Value); !strings.EqualFold(claim, "sub") {
				tests = "tests the ServiceAccount's subject (written under :" + claim + ", where it does not belong) but not the audience"
			}
			p.Reportf(subs[0].Key.Start, subs[0].Key.End, fix, "The statement %s; add %s:aud = %s as AWS's policy does.",
				tests, pp.Issuer.Host, DefaultAudience)
		})
	},
}

var (
	// dnsLabel is a Kubernetes namespace name; dnsSubdomain a ServiceAccount name.
	dnsLabel     = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`)
	dnsSubdomain = regexp.MustCompile(`^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$`)
)

// subjectRepair returns a subject written as system:serviceaccount:NS:NAME
// from the ways people get it wrong, the problem found, and whether the
// repair is certain.
func subjectRepair(v string, like bool) (fixed, problem string, ok bool) {
	s := strings.TrimSpace(v)
	var problems []string
	if s != v {
		problems = append(problems, "has spaces around it")
	}
	switch {
	case strings.HasPrefix(s, "system:serviceaccounts:"):
		s = serviceAccountClaim + strings.TrimPrefix(s, "system:serviceaccounts:")
		problems = append(problems, "uses the group prefix system:serviceaccounts: (plural)")
	case !strings.HasPrefix(s, serviceAccountClaim) && strings.HasPrefix(s, "serviceaccount:"):
		s = "system:" + s
		problems = append(problems, "lacks system:")
	case !strings.HasPrefix(s, serviceAccountClaim) && strings.Count(s, ":") == 1:
		s = serviceAccountClaim + s
		problems = append(problems, "lacks system:serviceaccount:")
	case !strings.HasPrefix(s, serviceAccountClaim):
		return v, "is not of the form system:serviceaccount:NAMESPACE:NAME", false
	}
	rest := strings.TrimPrefix(s, serviceAccountClaim)
	if strings.Count(rest, ":") == 0 && strings.Count(rest, "/") == 1 {
		rest = strings.Replace(rest, "/", ":", 1)
		problems = append(problems, "separates namespace and name with / instead of :")
	}
	ns, name, found := strings.Cut(rest, ":")
	if !found || strings.Contains(name, ":") || ns == "" || name == "" {
		return v, "is not of the form system:serviceaccount:NAMESPACE:NAME", false
	}
	if lower := strings.ToLower(rest); lower != rest {
		ns, name, _ = strings.Cut(lower, ":")
		problems = append(problems, "has capital letters, which Kubernetes names never have")
	}
	valid := func(re *regexp.Regexp, s string) bool {
		return re.MatchString(s) || like && strings.ContainsAny(s, "*?")
	}
	if !valid(dnsLabel, ns) || !valid(dnsSubdomain, name) {
		return v, "names " + ns + "/" + name + ", which is not a valid namespace and ServiceAccount name", false
	}
	fixed = serviceAccountClaim + ns + ":" + name
	return fixed, strings.Join(problems, " and "), fixed != v
}

var irsaSubjectForm = &analysis.Rule{
	ID:       "IRSA007",
	Title:    "malformed service account subject",
	Severity: analysis.High,
	Kinds:    policyKinds,
	Doc: "The sub claim of an IRSA token is exactly system:serviceaccount:NAMESPACE:NAME, in lower case like every " +
		"Kubernetes name. A value with the group prefix system:serviceaccounts:, a slash between namespace and name, spaces " +
		"or capitals never equals it, and the pod is refused. Write the subject exactly.",
	Refs: []string{irsaRoleDoc, "https://kubernetes.io/docs/reference/access-authn-authz/service-accounts-admin/"},
	Run: func(p *analysis.Pass) {
		eachIRSA(p, func(_ *Policy, st irsaStatement) {
			for _, c := range st.conditionsOn("sub") {
				op, _ := ParseOperator(c.Operator.Value)
				for _, v := range c.Values {
					if templated(v.Value) || !known(v.Value) || op.Like() && v.Value == "*" {
						continue
					}
					value := v.Value
					if v.Start < v.End && strings.Contains(p.Src.Text[v.Start:v.End], "\n") {
						value = strings.TrimSpace(value) // a line break inside quotes is the paste's: IAM refuses such JSON
					}
					fixed, problem, certain := subjectRepair(value, op.Like() || hasWildcard(v.Value))
					if problem == "" {
						continue
					}
					var fix *analysis.Fix
					if certain && editable(v) {
						fix = &analysis.Fix{Summary: "Write the subject as " + fixed, Edits: []analysis.Edit{v.Replace(fixed)}}
					}
					p.Reportf(v.Start, v.End, fix, "The subject %q %s; IRSA tokens carry system:serviceaccount:NAMESPACE:NAME, so it never matches.",
						v.Value, problem)
				}
			}
		})
	},
}

// audienceRepairs are audiences people write for sts.amazonaws.com.
var audienceRepairs = map[string]bool{
	"sts.amazon.com": true, "https://sts.amazonaws.com": true, "sts.amazonaws.com/": true, "https://sts.amazonaws.com/": true,
	"sts.amazonaws": true, "sts": true, "amazonaws.com": true, "sts.aws.amazon.com": true,
}

var irsaAudience = &analysis.Rule{
	ID:       "IRSA008",
	Title:    "audience other than sts.amazonaws.com",
	Severity: analysis.Medium,
	Kinds:    policyKinds,
	Doc: "The EKS Pod Identity Webhook requests IRSA tokens for the audience sts.amazonaws.com unless the ServiceAccount " +
		"sets eks.amazonaws.com/audience, and the IAM OIDC provider lists sts.amazonaws.com as its client ID. An :aud " +
		"condition with sts.amazon.com, https://sts.amazonaws.com or another value never matches those tokens. Use " +
		"sts.amazonaws.com, or the audience the ServiceAccount's annotation asks for.",
	Refs: []string{irsaRoleDoc, webhookReadme, "https://github.com/awslabs/amazon-eks-irsa-cfn/pull/18"},
	Run: func(p *analysis.Pass) {
		custom := annotatedAudiences(p)
		eachIRSA(p, func(_ *Policy, st irsaStatement) {
			for _, c := range st.conditionsOn("aud") {
				for _, v := range c.Values {
					val := strings.TrimSpace(v.Value)
					if val == DefaultAudience && val == v.Value || custom[val] || templated(val) || hasWildcard(val) ||
						strings.HasPrefix(val, "system:serviceaccount") {
						continue
					}
					var fix *analysis.Fix
					if (audienceRepairs[val] || val == DefaultAudience) && editable(v) {
						fix = &analysis.Fix{Summary: "Use the audience " + DefaultAudience, Edits: []analysis.Edit{v.Replace(DefaultAudience)}}
					}
					p.Reportf(v.Start, v.End, fix, "The audience %q is not %s, the audience IRSA tokens carry unless the ServiceAccount's "+
						"eks.amazonaws.com/audience annotation asks for another.", v.Value, DefaultAudience)
				}
			}
		})
	},
}

// annotatedAudiences returns the audiences pasted ServiceAccounts ask for.
func annotatedAudiences(p *analysis.Pass) map[string]bool {
	out := map[string]bool{}
	for _, sa := range serviceAccounts(p) {
		if sa.Audience != "" {
			out[sa.Audience] = true
		}
	}
	return out
}

var irsaAudienceHoldsSubject = &analysis.Rule{
	ID:       "IRSA009",
	Title:    "audience key holds a service account subject",
	Severity: analysis.High,
	Kinds:    policyKinds,
	Doc: "The :aud key holds the token's audience (sts.amazonaws.com), never system:serviceaccount:…; a subject written " +
		"under :aud never matches and the pod is refused, a common slip when copying the :aud line to add :sub. Put the " +
		"subject under the :sub key.",
	Refs: []string{irsaRoleDoc, "https://github.com/external-secrets/kubernetes-external-secrets/issues/287"},
	Run: func(p *analysis.Pass) {
		keyRule(p, false, func(_ irsaStatement, c *Condition) string {
			_, claim, ok := oidcKey(c.Key.Value)
			if !ok || !strings.EqualFold(claim, "aud") || claimOf("", c.Values) != "sub" {
				return ""
			}
			return "The key " + c.Key.Value + " tests the audience, which is " + DefaultAudience + ", but its value is a ServiceAccount subject, " +
				"so the condition never matches and the pod is refused. The subject belongs under :sub."
		})
	},
}
