package fixes

import (
	"slices"
	"strings"

	"github.com/eksdoctor/eksdoctor/analysis"
)

// EKS Pod Identity: the EKS Auth service assumes the role as the service
// principal pods.eks.amazonaws.com with sts:AssumeRole and sts:TagSession,
// passing six session tags that trust conditions can test as
// aws:RequestTag/TAG.

// podIdentityTags are the session tags EKS Pod Identity adds.
var podIdentityTags = []string{"eks-cluster-arn", "eks-cluster-name", "kubernetes-namespace",
	"kubernetes-service-account", "kubernetes-pod-name", "kubernetes-pod-uid"}

// trustsPods reports whether a statement names the Pod Identity service
// principal.
func trustsPods(s *Statement) bool {
	for _, v := range s.PrincipalsOf("Service") {
		if strings.EqualFold(strings.TrimSpace(v.Value), PodIdentityService) {
			return true
		}
	}
	return false
}

// podStatements returns the statements of a policy that trust the Pod
// Identity service principal.
func podStatements(pol *Policy) []*Statement {
	var out []*Statement
	for _, s := range pol.Statements {
		if trustsPods(s) {
			out = append(out, s)
		}
	}
	return out
}

// eachPodStatement calls f for every Pod Identity statement of the
// document's policies.
func eachPodStatement(p *analysis.Pass, f func(pol *Policy, s *Statement)) {
	eachStatement(p, func(pol *Policy, s *Statement) {
		if trustsPods(s) {
			f(pol, s)
		}
	})
}

// podActionsMissing returns the actions EKS Pod Identity needs that a
// statement allowing actions to pods.eks.amazonaws.com leaves out.
func podActionsMissing(s *Statement) []string {
	if !s.Allows() || len(s.Actions) == 0 || s.NotAction {
		return nil
	}
	var missing []string
	for _, a := range []string{ActionAssumeRole, ActionTagSession} {
		if !actionCovered(s, a) {
			missing = append(missing, a)
		}
	}
	return missing
}

var podIDActions = &analysis.Rule{
	ID:       "PODID001",
	Title:    "pod identity trust without sts:AssumeRole and sts:TagSession",
	Severity: analysis.High,
	Kinds:    policyKinds,
	Doc: "EKS Pod Identity assumes the role with sts:AssumeRole and passes session tags, which needs sts:TagSession: the " +
		"trust statement for pods.eks.amazonaws.com must allow both. Without sts:TagSession the association is created but " +
		"the pods get no credentials (unless the association disables session tags); with sts:AssumeRoleWithWebIdentity, " +
		"the IRSA action, EKS refuses the role (\"Trust policy of the role provided is invalid\"). Allow both actions.",
	Refs: []string{podIdentityRoleDoc, tfAWSProviderIssue41483},
	Run: func(p *analysis.Pass) {
		eachPodStatement(p, func(_ *Policy, s *Statement) {
			missing := podActionsMissing(s)
			if len(missing) == 0 {
				return
			}
			var fix *analysis.Fix
			switch {
			case s.Editor == nil:
			case len(missing) == 1:
				if e, ok := s.Editor.AddAction(missing[0]); ok {
					fix = &analysis.Fix{Summary: "Add " + missing[0], Edits: e}
				}
			default:
				actions := []string{ActionAssumeRole, ActionTagSession}
				for _, a := range s.Actions {
					if !strings.HasPrefix(strings.ToLower(a.Value), "sts:assumerolewith") && !slices.Contains(actions, a.Value) {
						actions = append(actions, a.Value)
					}
				}
				if e, ok := s.Editor.SetActions(actions); ok {
					fix = &analysis.Fix{Summary: "Allow sts:AssumeRole and sts:TagSession", Edits: e}
				}
			}
			p.Reportf(s.Actions[0].Start, s.Actions[0].End, fix, "This statement trusts %s but does not allow %s; EKS Pod Identity needs "+
				"sts:AssumeRole and sts:TagSession.", PodIdentityService, strings.Join(missing, " or "))
		})
	},
}

// tagKey splits a session-tag condition key into its prefix
// (aws:RequestTag/ or aws:PrincipalTag/) and tag.
func tagKey(key string) (prefix, tag string, ok bool) {
	i := strings.IndexByte(key, '/')
	if i < 0 {
		return "", "", false
	}
	prefix, tag = key[:i+1], key[i+1:]
	lower := strings.ToLower(prefix)
	return prefix, tag, lower == "aws:requesttag/" || lower == "aws:principaltag/"
}

// podTag returns the Pod Identity session tag a condition key's tag means:
// its own, or the only one its misspelling is close to; "" when unknown.
func podTag(tag string) string {
	for _, t := range podIdentityTags {
		if strings.EqualFold(t, tag) {
			return t
		}
	}
	lower := strings.ToLower(tag)
	switch {
	case lower == "namespace" || lower == "k8s-namespace":
		return "kubernetes-namespace"
	case lower == "service-account" || lower == "serviceaccount" || strings.Contains(lower, "service-account") || strings.Contains(lower, "serviceaccount"):
		return "kubernetes-service-account"
	case lower == "cluster-name" || lower == "eks-cluster":
		return "eks-cluster-name"
	}
	return closestOf(tag, podIdentityTags)
}

var podIDTagConditions = &analysis.Rule{
	ID:       "PODID003",
	Title:    "session-tag condition that never matches",
	Severity: analysis.High,
	Kinds:    policyKinds,
	Doc: "EKS Pod Identity passes six session tags (eks-cluster-arn, eks-cluster-name, kubernetes-namespace, " +
		"kubernetes-service-account, kubernetes-pod-name, kubernetes-pod-uid), which the trust policy tests as " +
		"aws:RequestTag/TAG. A misspelt tag, aws:PrincipalTag (the tags of the caller, and the EKS service principal has " +
		"none) or an IRSA-style value (system:serviceaccount:NS:NAME where the tag holds just the name) never matches, so " +
		"the pods get no credentials. Test aws:RequestTag/kubernetes-namespace and aws:RequestTag/kubernetes-service-account " +
		"with the plain names.",
	Refs: []string{podIdentityRoleDoc, podIDTagsDoc},
	Run: func(p *analysis.Pass) {
		eachPodStatement(p, func(pol *Policy, s *Statement) {
			for _, c := range s.ActiveConditions() {
				prefix, tag, ok := tagKey(c.Key.Value)
				if !ok {
					continue
				}
				want := podTag(tag)
				var problems []string
				if !strings.EqualFold(prefix, podIdentityTagsKey) && pol.Trust {
					problems = append(problems, prefix+" tests tags of the caller, and the EKS service principal has none; the session tags are aws:RequestTag/")
				}
				if !strings.EqualFold(want, tag) {
					problems = append(problems, "EKS Pod Identity adds no tag "+tag)
				}
				if len(problems) > 0 {
					var fix *analysis.Fix
					if want != "" && editable(c.Key) {
						target := podIdentityTagsKey + want
						fix = &analysis.Fix{Summary: "Test " + target, Edits: []analysis.Edit{c.Key.Replace(target)}}
					}
					p.Reportf(c.Key.Start, c.Key.End, fix, "The key %s never matches: %s.", c.Key.Value, strings.Join(problems, "; "))
				}
				for _, v := range c.Values {
					checkTagValue(p, want, v)
				}
			}
		})
	},
}

// checkTagValue reports a namespace or ServiceAccount tag value written as
// an IRSA subject.
func checkTagValue(p *analysis.Pass, tag string, v analysis.Scalar) {
	rest, ok := strings.CutPrefix(v.Value, serviceAccountClaim)
	if !ok || tag != "kubernetes-namespace" && tag != "kubernetes-service-account" {
		return
	}
	ns, name, found := strings.Cut(rest, ":")
	if !found {
		return
	}
	want := ns
	if tag == "kubernetes-service-account" {
		want = name
	}
	var fix *analysis.Fix
	if editable(v) && !hasWildcard(want) {
		fix = &analysis.Fix{Summary: "Use the plain value " + want, Edits: []analysis.Edit{v.Replace(want)}}
	}
	p.Reportf(v.Start, v.End, fix, "The %s tag holds just the name (%s), not an IRSA subject, so %q never matches.", tag, want, v.Value)
}

var podIDUnscoped = &analysis.Rule{
	ID:       "PODID004",
	Title:    "pod identity trust open to every association in the account",
	Severity: analysis.Low,
	Kinds:    policyKinds,
	Doc: "A trust statement for pods.eks.amazonaws.com without conditions lets any EKS Pod Identity association in the " +
		"account, in any cluster, for any namespace and ServiceAccount, hand this role to pods: whoever can create " +
		"associations (and pass the role) decides who gets it. AWS's user guide shows how to narrow it with conditions on " +
		"aws:RequestTag/kubernetes-namespace and aws:RequestTag/kubernetes-service-account (and eks-cluster-arn).",
	Refs: []string{podIdentityRoleDoc, podIDTagsDoc},
	Run: func(p *analysis.Pass) {
		eachPodStatement(p, func(_ *Policy, s *Statement) {
			if !s.Allows() {
				return
			}
			for _, c := range s.ActiveConditions() {
				op, ok := ParseOperator(c.Operator.Value)
				_, tag, isTag := tagKey(c.Key.Value)
				key := strings.ToLower(c.Key.Value)
				if ok && !op.Negated() && !op.IfExists && (isTag && podTag(tag) != "" || key == "aws:sourcearn" || key == "aws:sourceaccount") {
					return
				}
			}
			v := s.PrincipalsOf("Service")[0]
			p.Reportf(v.Start, v.End, nil, "Any Pod Identity association in this account can give this role to any pod; "+
				"limit it with conditions on the session tags.")
			p.Suggest("Limit the Pod Identity role to one ServiceAccount",
				`Add "Condition": {"StringEquals": {"aws:RequestTag/kubernetes-namespace": "NAMESPACE", `+
					`"aws:RequestTag/kubernetes-service-account": "SERVICE_ACCOUNT", "aws:RequestTag/eks-cluster-arn": "CLUSTER_ARN"}}`)
		})
	},
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
