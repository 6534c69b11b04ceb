package fixes

import (
	"regexp"
	"slices"
	"strings"
)

// The IRSA rules read trust statements whose principal is an EKS OIDC
// provider. Every fix of a condition key writes keyTarget and every fix of
// an operator writes operatorTarget, so fixes of one key or operator by
// different rules agree.

// eachIRSA calls f for every IRSA statement of the document's policies.
func eachIRSA(p *Pass, f func(pol *Policy, st irsaStatement)) {
	for _, pol := range policiesOf(p, p.Doc).Policies {
		for _, st := range irsaStatements(pol) {
			f(pol, st)
		}
	}
}

var irsaProviderARN = &Rule{
	ID:       "IRSA001",
	Title:    "malformed OIDC provider principal",
	Severity: High,
	Kinds:    policyKinds,
	Doc: "The Federated principal of an IRSA trust policy must be the ARN of the IAM OIDC provider registered for the " +
		"cluster's issuer: arn:aws:iam::ACCOUNT:oidc-provider/oidc.eks.REGION.amazonaws.com/id/ID (arn:aws-cn:… and " +
		"….amazonaws.com.cn in China, arn:aws-us-gov:… in GovCloud), the issuer URL without https://. A principal with " +
		"https://, a trailing slash, the region before eks (oidc.REGION.eks.amazonaws.com, as in the webhook README's " +
		"example) or the wrong partition never matches the token, and the pod gets \"Not authorized to perform " +
		"sts:AssumeRoleWithWebIdentity\". Copy the issuer from aws eks describe-cluster and drop the scheme.",
	Refs: []string{irsaDoc, "https://github.com/aws/amazon-eks-pod-identity-webhook/issues/30",
		"https://docs.aws.amazon.com/eks/latest/userguide/enable-iam-roles-for-service-accounts.html"},
	Run: func(p *Pass) {
		eachIRSA(p, func(_ *Policy, st irsaStatement) {
			for _, pp := range st.Providers {
				if pp.Problem == "" {
					continue
				}
				var fix *Fix
				if pp.Canonical != "" && pp.Value.Editable() {
					fix = &Fix{Summary: "Write the provider ARN as " + pp.Canonical, Edits: []Edit{pp.Value.Replace(pp.Canonical)}}
				}
				p.Reportf(pp.Value.Start, pp.Value.End, fix, "The Federated principal %s is wrong: %s. STS never matches it to the cluster's tokens.",
					pp.Value.Value, pp.Problem)
				p.Suggest("Compare with the cluster's issuer",
					"aws eks describe-cluster --name CLUSTER --query cluster.identity.oidc.issuer --output text "+
						"&& aws iam list-open-id-connect-providers")
			}
		})
	},
}

var irsaAction = &Rule{
	ID:       "IRSA002",
	Title:    "oidc principal without sts:AssumeRoleWithWebIdentity",
	Severity: High,
	Kinds:    policyKinds,
	Doc: "Pods using IRSA exchange their token with sts:AssumeRoleWithWebIdentity, the only action an OIDC provider " +
		"principal can use (Access Analyzer: \"Mismatched action for principal\"). A statement that trusts the provider but " +
		"allows sts:AssumeRole, or the Pod Identity pair sts:AssumeRole and sts:TagSession, never lets the pod in. Allow " +
		"sts:AssumeRoleWithWebIdentity.",
	Refs: []string{irsaDoc, accessAnalyzer},
	Run: func(p *Pass) {
		eachIRSA(p, func(_ *Policy, st irsaStatement) {
			if !st.Allows() || actionCovered(st.Statement, ActionWebIdentity) || len(st.Actions) == 0 {
				return
			}
			first := st.Actions[0]
			var fix *Fix
			switch {
			case st.NotAction:
			case len(st.Actions) == 1 && first.Editable() && strings.HasPrefix(strings.ToLower(first.Value), "sts:assumerole"):
				fix = &Fix{Summary: "Allow " + ActionWebIdentity, Edits: []Edit{first.Replace(ActionWebIdentity)}}
			case st.Editor != nil:
				if e, ok := st.Editor.AddAction(ActionWebIdentity); ok {
					fix = &Fix{Summary: "Add " + ActionWebIdentity, Edits: []Edit{e}}
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
func keyRule(p *Pass, absent bool, problem func(st irsaStatement, c *Condition) string) {
	eachIRSA(p, func(_ *Policy, st irsaStatement) {
		for _, c := range st.ActiveConditions() {
			msg := problem(st, c)
			if msg != "" && absent {
				msg += " " + failure(c)
			}
			if msg != "" {
				p.Reportf(c.Key.Start, c.Key.End, st.keyFix(c), "%s", msg)
			}
		}
	})
}

// failure says what a condition on a key the request lacks does.
func failure(c *Condition) string {
	op, ok := ParseOperator(c.Operator.Value)
	switch {
	case !ok:
		return ""
	case op.Negated() || op.IfExists || op.Set == "ForAllValues":
		return "Because " + c.Operator.Value + " is true for a missing key, this condition passes for every token: it restricts nothing."
	}
	return "The request never has this key, so the condition fails and the pod is refused."
}

var irsaKeyProvider = &Rule{
	ID:       "IRSA003",
	Title:    "condition key names another issuer than the principal",
	Severity: High,
	Kinds:    policyKinds,
	Doc: "The request context of sts:AssumeRoleWithWebIdentity has keys named after the provider the token comes from: " +
		"the principal's issuer host and path, then :sub or :aud. A condition key with another issuer (another cluster's " +
		"ID, another region) is never in the request: under StringEquals the role cannot be assumed, under a negated " +
		"operator or IfExists the condition passes for every token. Use the principal's issuer in every key.",
	Refs: []string{oidcKeysDoc, irsaDoc},
	Run: func(p *Pass) {
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

var irsaKeyForm = &Rule{
	ID:       "IRSA004",
	Title:    "condition key not in the issuer's form",
	Severity: High,
	Kinds:    policyKinds,
	Doc: "IRSA condition keys are the issuer host and path without a scheme, then a colon and the claim: " +
		"oidc.eks.REGION.amazonaws.com/id/ID:sub. Keys copied from the issuer URL keep https:// or a trailing slash, or " +
		"swap the region and eks; IAM never finds such a key in the request. Under StringEquals the pod is refused; under " +
		"a negated operator or IfExists the condition passes for everyone. Write the key without https:// and the slash.",
	Refs: []string{oidcKeysDoc, "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-idp_oidc.html",
		"https://github.com/terraform-aws-modules/terraform-aws-iam/pull/50"},
	Run: func(p *Pass) {
		keyRule(p, true, func(_ irsaStatement, c *Condition) string {
			host, claim, ok := oidcKey(c.Key.Value)
			key, eks := canonicalIssuer(host)
			if !ok || !eks || key.Changed == "" {
				return ""
			}
			return "The key " + c.Key.Value + " " + key.Changed + "; the key IAM looks for is " + key.Host + ":" + claim + "."
		})
	},
}

var irsaNoSubject = &Rule{
	ID:       "IRSA005",
	Title:    "web identity trust without a subject condition",
	Severity: High,
	Kinds:    policyKinds,
	Doc: "Without a condition on the :sub claim, every ServiceAccount in every namespace of the cluster can assume the " +
		"role, including ones an attacker creates (Access Analyzer: \"Missing condition key for oidc principal\"). A " +
		"condition on :aud alone does not help: every IRSA token has the audience sts.amazonaws.com. Add " +
		"\"ISSUER:sub\": \"system:serviceaccount:NAMESPACE:NAME\" under StringEquals.",
	Refs: []string{irsaDoc, bestPractices, accessAnalyzer},
	Run: func(p *Pass) {
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

var irsaNoAudience = &Rule{
	ID:       "IRSA006",
	Title:    "web identity trust without an audience condition",
	Severity: Low,
	Kinds:    policyKinds,
	Doc: "AWS's IRSA trust policy tests both claims: :sub for the ServiceAccount and :aud = sts.amazonaws.com for the " +
		"token's audience. Without the :aud condition, a token of the right ServiceAccount minted for another audience " +
		"(any audience the provider's client IDs accept) also works. Add \"ISSUER:aud\": \"sts.amazonaws.com\" next to :sub.",
	Refs: []string{irsaDoc, bestPractices},
	Run: func(p *Pass) {
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
			var fix *Fix
			if st.Editor != nil {
				if e, ok := st.Editor.AddCondition(operator, pp.Issuer.Host+":aud", DefaultAudience); ok {
					fix = &Fix{Summary: "Add the :aud condition", Edits: []Edit{e}}
				}
			}
			p.Reportf(subs[0].Key.Start, subs[0].Key.End, fix, "The statement tests :sub but not :aud; add %s:aud = %s as AWS's policy does.",
				pp.Issuer.Host, DefaultAudience)
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

var irsaSubjectForm = &Rule{
	ID:       "IRSA007",
	Title:    "malformed service account subject",
	Severity: High,
	Kinds:    policyKinds,
	Doc: "The sub claim of an IRSA token is exactly system:serviceaccount:NAMESPACE:NAME, in lower case like every " +
		"Kubernetes name. A value with the group prefix system:serviceaccounts:, a slash between namespace and name, spaces " +
		"or capitals never equals it, and the pod is refused. Write the subject exactly.",
	Refs: []string{irsaDoc, "https://kubernetes.io/docs/reference/access-authn-authz/service-accounts-admin/"},
	Run: func(p *Pass) {
		eachIRSA(p, func(_ *Policy, st irsaStatement) {
			for _, c := range st.conditionsOn("sub") {
				op, _ := ParseOperator(c.Operator.Value)
				for _, v := range c.Values {
					if Templated(v.Value) || IsPlaceholder(v.Value) || op.Like() && v.Value == "*" {
						continue
					}
					fixed, problem, certain := subjectRepair(v.Value, op.Like() || hasWildcard(v.Value))
					if problem == "" {
						continue
					}
					var fix *Fix
					if certain && v.Editable() {
						fix = &Fix{Summary: "Write the subject as " + fixed, Edits: []Edit{v.Replace(fixed)}}
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

var irsaAudience = &Rule{
	ID:       "IRSA008",
	Title:    "audience other than sts.amazonaws.com",
	Severity: Medium,
	Kinds:    policyKinds,
	Doc: "The EKS Pod Identity Webhook requests IRSA tokens for the audience sts.amazonaws.com unless the ServiceAccount " +
		"sets eks.amazonaws.com/audience, and the IAM OIDC provider lists sts.amazonaws.com as its client ID. An :aud " +
		"condition with sts.amazon.com, https://sts.amazonaws.com or another value never matches those tokens. Use " +
		"sts.amazonaws.com, or the audience the ServiceAccount's annotation asks for.",
	Refs: []string{irsaDoc, webhookReadme, "https://github.com/awslabs/amazon-eks-irsa-cfn/pull/18"},
	Run: func(p *Pass) {
		custom := annotatedAudiences(p)
		eachIRSA(p, func(_ *Policy, st irsaStatement) {
			for _, c := range st.conditionsOn("aud") {
				for _, v := range c.Values {
					val := strings.TrimSpace(v.Value)
					if val == DefaultAudience && val == v.Value || custom[val] || Templated(val) || hasWildcard(val) ||
						strings.HasPrefix(val, "system:serviceaccount") {
						continue
					}
					var fix *Fix
					if (audienceRepairs[val] || val == DefaultAudience) && v.Editable() {
						fix = &Fix{Summary: "Use the audience " + DefaultAudience, Edits: []Edit{v.Replace(DefaultAudience)}}
					}
					p.Reportf(v.Start, v.End, fix, "The audience %q is not %s, the audience IRSA tokens carry unless the ServiceAccount's "+
						"eks.amazonaws.com/audience annotation asks for another.", v.Value, DefaultAudience)
				}
			}
		})
	},
}

// annotatedAudiences returns the audiences pasted ServiceAccounts ask for.
func annotatedAudiences(p *Pass) map[string]bool {
	out := map[string]bool{}
	for _, sa := range serviceAccounts(p) {
		if sa.Audience != "" {
			out[sa.Audience] = true
		}
	}
	return out
}

var irsaAudienceHoldsSubject = &Rule{
	ID:       "IRSA009",
	Title:    "audience key holds a service account subject",
	Severity: High,
	Kinds:    policyKinds,
	Doc: "The :aud key holds the token's audience (sts.amazonaws.com), never system:serviceaccount:…; a subject written " +
		"under :aud never matches and the pod is refused, a common slip when copying the :aud line to add :sub. Put the " +
		"subject under the :sub key.",
	Refs: []string{irsaDoc, "https://github.com/external-secrets/kubernetes-external-secrets/issues/287"},
	Run: func(p *Pass) {
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

var irsaWideSubject = &Rule{
	ID:       "IRSA010",
	Title:    "subject pattern wider than one namespace",
	Severity: High,
	Kinds:    policyKinds,
	Doc: "StringLike on :sub with a wildcard in the namespace part (system:serviceaccount:*, system:serviceaccount:*:app, " +
		"system:serviceaccount:team-*:app) lets a ServiceAccount of that name in any matching namespace assume the role, " +
		"so anyone who can create a namespace or a ServiceAccount there gets its permissions. Name the namespace; a " +
		"wildcard for the ServiceAccount within one namespace (NAMESPACE:*) is AWS's documented way to share a role.",
	Refs: []string{irsaDoc, bestPractices},
	Run: func(p *Pass) {
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
						p.Report(Finding{Severity: Low, Start: v.Start, End: v.End, Message: "The pattern " + v.Value +
							" lets every ServiceAccount in namespace " + ns + ", including ones created later, assume the role; name the ServiceAccount if only one needs it."})
					}
				}
			}
		})
	},
}

var irsaUnknownClaim = &Rule{
	ID:       "IRSA011",
	Title:    "unknown claim in a condition key",
	Severity: High,
	Kinds:    policyKinds,
	Doc: "IAM offers the claims of a web-identity token as ISSUER:sub, ISSUER:aud, ISSUER:amr and ISSUER:azp. A key " +
		"with another suffix (:subject, :sa, :sbu, :audience) is never in the request: the condition fails and the pod is " +
		"refused, or, under a negated operator or IfExists, it restricts nothing. Key names are not case-sensitive, so " +
		":Sub works; a misspelling does not.",
	Refs: []string{oidcKeysDoc, "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition.html"},
	Run: func(p *Pass) {
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

var irsaFailsOpen = &Rule{
	ID:       "IRSA012",
	Title:    "subject or audience condition that fails open",
	Severity: High,
	Kinds:    policyKinds,
	Doc: "Negated operators and IfExists are true when the key is missing. StringNotEquals on :sub lets every " +
		"ServiceAccount but the named ones assume the role; StringLikeIfExists passes every token when the key is " +
		"misspelt; ForAllValues on :sub is true for no values (Access Analyzer: \"ForAllValues with single valued key\"). " +
		"Use StringEquals or StringLike on :sub and :aud; they are always in an EKS token, so IfExists adds nothing but risk.",
	Refs: []string{conditionOps, accessAnalyzer,
		"https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html"},
	Run: func(p *Pass) {
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
				var sev Severity
				var msg string
				switch {
				case op.Negated() && sub:
					sev, msg = High, c.Operator.Value+" on :sub allows every ServiceAccount except the ones listed."
				case op.Negated():
					sev, msg = Medium, c.Operator.Value+" allows every value except the ones listed, and any token when the key is missing."
				case op.IfExists:
					sev, msg = Medium, c.Operator.Value+" passes when the key is missing, so a misspelt key opens the role to every token; the key is always present, so drop IfExists."
				case op.Set == "ForAllValues" && sub:
					sev, msg = Medium, c.Operator.Value+" is true when the key has no values; :sub has exactly one, so drop ForAllValues."
				default:
					continue
				}
				p.Report(Finding{Severity: sev, Start: c.Operator.Start, End: c.Operator.End, Message: msg, Fix: operatorFix(st.Statement, block)})
			}
		})
	},
}
