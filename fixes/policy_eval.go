package fixes

import (
	"fmt"
	"strings"

	"github.com/eksdoctor/eksdoctor/analysis"
)

// The trust simulator answers "would this pod be allowed to assume this
// role?" offline, from the role's trust policy alone, with IAM's
// evaluation logic: an explicit Deny that applies wins; otherwise the
// request is allowed when an Allow statement names the principal, covers
// the action and has every condition true; otherwise it is implicitly
// denied. Conditions follow evalCondition. What happens outside the
// policy (an IAM OIDC provider registered for the issuer, the token's
// audience in its client IDs) is not simulated.

// EvaluateTrust evaluates a trust policy for a request. src converts
// positions to lines.
func EvaluateTrust(src *analysis.Source, pol *Policy, req TrustRequest) TrustDecision {
	ctx := req.requestContext()
	if !req.PodIdentity() {
		if req.Provider == "" {
			return TrustDecision{Decision: "error", Error: "Give the OIDC provider (its ARN or the cluster's issuer URL), or session tags for Pod Identity.", Statements: []StatementTrace{}}
		}
		return evaluateAction(src, pol, req, ActionWebIdentity, ctx)
	}
	first := evaluateAction(src, pol, req, ActionAssumeRole, ctx)
	if !first.Allowed {
		return first
	}
	second := evaluateAction(src, pol, req, ActionTagSession, ctx)
	if !second.Allowed {
		second.Reason += " EKS Pod Identity passes session tags, so it needs sts:TagSession as well as sts:AssumeRole."
		return second
	}
	first.Reason += " sts:TagSession is allowed too, which Pod Identity also needs."
	return first
}

// evaluateAction evaluates one action.
func evaluateAction(src *analysis.Source, pol *Policy, req TrustRequest, action string, ctx map[string][]string) TrustDecision {
	d := TrustDecision{Decision: "implicit-deny", Action: action, Policy: pol.Name, Context: ctx, Statements: []StatementTrace{}}
	for _, s := range pol.Statements {
		d.Statements = append(d.Statements, traceStatement(src, s, req, action, ctx))
	}
	var deny, allow *StatementTrace
	for i := range d.Statements {
		t := &d.Statements[i]
		switch {
		case t.Applies && t.Effect == "Deny" && deny == nil:
			deny = t
		case t.Applies && t.Effect == "Allow" && allow == nil:
			allow = t
		}
	}
	who := requester(req)
	switch {
	case deny != nil:
		d.Decision, d.Statement = "explicit-deny", deny
		d.Reason = fmt.Sprintf("%s denies %s to %s, and an explicit Deny overrides every Allow.", statementName(deny), action, who)
	case allow != nil:
		d.Allowed, d.Decision, d.Statement = true, "allow", allow
		d.Reason = fmt.Sprintf("%s allows %s to %s: it names the principal, covers the action, and every condition matches.", statementName(allow), action, who)
	default:
		d.Statement, d.Condition, d.Reason = nearestMiss(d.Statements, action, who)
	}
	if d.Statement != nil {
		d.stmt = d.Statement.stmt
	}
	if d.Condition != nil {
		d.cond = d.Condition.cond
	}
	return d
}

// requester describes who asks, for reasons.
func requester(req TrustRequest) string {
	switch {
	case req.PodIdentity():
		service := req.Service
		if service == "" {
			service = PodIdentityService
		}
		if ns, sa := req.SessionTags["kubernetes-namespace"], req.SessionTags["kubernetes-service-account"]; ns != "" && sa != "" {
			return service + " on behalf of " + ns + "/" + sa
		}
		return service
	case req.Subject != "":
		return req.Subject + " from " + providerHost(req.Provider)
	}
	return "tokens from " + providerHost(req.Provider)
}

// nearestMiss explains an implicit deny by the Allow statement that came
// closest: the principal and action match and a condition fails; else the
// action matches and the principal does not; else the principal matches.
func nearestMiss(traces []StatementTrace, action, who string) (*StatementTrace, *ConditionTrace, string) {
	rank := func(t StatementTrace) int {
		switch {
		case t.Effect != "Allow":
			return 0
		case t.PrincipalMatches && t.ActionMatches:
			return 3
		case t.ActionMatches:
			return 2
		case t.PrincipalMatches:
			return 1
		}
		return 0
	}
	best := -1
	for i, t := range traces {
		if rank(t) > 0 && (best < 0 || rank(t) > rank(traces[best])) {
			best = i
		}
	}
	if best < 0 {
		return nil, nil, fmt.Sprintf("No Allow statement applies to %s for %s, so it is implicitly denied.", action, who)
	}
	t := &traces[best]
	switch rank(*t) {
	case 3:
		for i := range t.Conditions {
			if c := &t.Conditions[i]; !c.Result {
				return t, c, fmt.Sprintf("No statement allows %s for %s. The nearest, %s, fails its condition %s on %s: %s.",
					action, who, statementName(t), c.Operator, c.Key, conditionMiss(c))
			}
		}
	case 2:
		return t, nil, fmt.Sprintf("No statement allows %s for %s. The nearest, %s, covers the action but does not name this principal.", action, who, statementName(t))
	}
	return t, nil, fmt.Sprintf("No statement allows %s for %s. The nearest, %s, names this principal but does not allow %s.", action, who, statementName(t), action)
}

// conditionMiss says why a condition failed.
func conditionMiss(c *ConditionTrace) string {
	if c.Why != "" {
		return c.Why
	}
	return fmt.Sprintf("the request has %s, which is not %s", strings.Join(c.Request, ", "), orList(c.Values))
}

// orList joins values as "a", "a or b", "a, b or c".
func orList(values []string) string {
	if len(values) < 2 {
		return strings.Join(values, "")
	}
	return strings.Join(values[:len(values)-1], ", ") + " or " + values[len(values)-1]
}

func statementName(t *StatementTrace) string {
	name := fmt.Sprintf("statement %d (line %d)", t.Index, t.Line)
	if t.Sid != "" {
		name = fmt.Sprintf("statement %d %q (line %d)", t.Index, t.Sid, t.Line)
	}
	return name
}

// traceStatement evaluates one statement for one action.
func traceStatement(src *analysis.Source, s *Statement, req TrustRequest, action string, ctx map[string][]string) StatementTrace {
	t := StatementTrace{Index: s.Index + 1, Line: src.LineOf(s.Start), ConditionsMatch: true}
	if s.Sid != nil {
		t.Sid = s.Sid.Value
	}
	if s.Effect != nil {
		t.Effect = s.Effect.Value
	}
	t.stmt = s
	t.PrincipalMatches = principalMatches(s, req)
	t.ActionMatches = actionCovered(s, action)
	for _, c := range s.ActiveConditions() {
		ct := traceCondition(src, c, ctx)
		t.ConditionsMatch = t.ConditionsMatch && ct.Result
		t.Conditions = append(t.Conditions, ct)
	}
	t.Applies = t.PrincipalMatches && t.ActionMatches && t.ConditionsMatch
	return t
}

func traceCondition(src *analysis.Source, c *Condition, ctx map[string][]string) ConditionTrace {
	ct := ConditionTrace{Operator: c.Operator.Value, Key: c.Key.Value, Values: scalarValues(c.Values), Line: src.LineOf(c.Key.Start), cond: c}
	ct.Request = ctx[strings.ToLower(c.Key.Value)]
	op, ok := ParseOperator(c.Operator.Value)
	if !ok {
		ct.Why = "IAM rejects the operator " + c.Operator.Value + " (MalformedPolicyDocument), so this statement cannot take effect"
		return ct
	}
	r := evalCondition(op, c.Key.Value, ct.Values, ctx)
	ct.Result, ct.Why = r.result, r.why
	return ct
}

// scalarValues returns the values of scalars.
func scalarValues(ss []analysis.Scalar) []string {
	out := make([]string, 0, len(ss))
	for _, s := range ss {
		out = append(out, s.Value)
	}
	return out
}

// actionCovered reports whether the statement's Action (or NotAction)
// covers action.
func actionCovered(s *Statement, action string) bool {
	matched := false
	for _, a := range s.Actions {
		matched = matched || actionMatches(a.Value, action)
	}
	return matched != s.NotAction
}

// principalMatches reports whether the statement's Principal (or
// NotPrincipal) names the requester: "*" names everyone; a federated
// provider matches its exact ARN, or any account's provider for the same
// issuer when the request gives only the issuer; a service matches its
// name without case.
func principalMatches(s *Statement, req TrustRequest) bool {
	if len(s.Principals) == 0 {
		return false
	}
	matched := false
	for _, p := range s.Principals {
		for _, v := range p.Values {
			matched = matched || principalValueMatches(p.Type, v.Value, req)
		}
	}
	return matched != s.NotPrincipal
}

func principalValueMatches(typ, value string, req TrustRequest) bool {
	switch {
	case value == "*" && (typ == "*" || typ == "AWS"):
		return true
	case req.PodIdentity():
		service := req.Service
		if service == "" {
			service = PodIdentityService
		}
		return typ == "Service" && strings.EqualFold(value, service)
	case typ != "Federated":
		return false
	case strings.Contains(req.Provider, oidcProviderMarker):
		return value == strings.TrimSpace(req.Provider)
	}
	return strings.HasSuffix(value, oidcProviderMarker+providerHost(req.Provider))
}
