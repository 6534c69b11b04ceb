package fixes

import (
	"strings"

	"github.com/eksdoctor/eksdoctor/analysis"
)

// Identity-policy risks in the manner of Parliament, Cloudsplaining and
// IAM Access Analyzer, calibrated on the controller policies AWS and the
// add-on maintainers publish: only grants on every resource count, and a
// condition lowers the severity, because that is what separates a
// controller's scoped write access from a key to the account.

// anyResource reports whether a resource names every resource of a
// service or account: "*", or an ARN whose resource part is "*"
// (arn:aws:s3:::*, arn:aws:iam::*:*).
func anyResource(r string) bool {
	return r == "*" || strings.HasPrefix(r, "arn:") && strings.HasSuffix(r, ":*") && strings.Count(r, ":") == 5
}

// everyResource reports whether the statement applies to every resource
// (or, with NotResource, to all but some).
func everyResource(s *Statement) bool {
	if s.NotResource {
		return true
	}
	for _, r := range s.Resources {
		if anyResource(strings.TrimSpace(r.Value)) {
			return true
		}
	}
	return false
}

// grants reports whether the statement allows action on every resource.
func grants(s *Statement, action string) bool {
	return s.Allows() && !s.NotAction && everyResource(s) && actionCovered(s, action)
}

// softened lowers a severity one step for a statement with conditions,
// which may (or may not) narrow it.
func softened(sev analysis.Severity, s *Statement) analysis.Severity {
	if len(s.ActiveConditions()) == 0 {
		return sev
	}
	switch sev {
	case analysis.Critical:
		return analysis.High
	case analysis.High:
		return analysis.Medium
	}
	return analysis.Low
}

// eachGrant calls f for every Allow statement of the document's identity
// policies that grants actions on every resource.
func eachGrant(p *analysis.Pass, f func(s *Statement)) {
	eachStatement(p, func(pol *Policy, s *Statement) {
		if !pol.Trust && s.Allows() && !s.NotAction && everyResource(s) {
			f(s)
		}
	})
}

// broadPattern reports whether an action pattern is "*" or SERVICE:*, which
// IAM002 and IAM003 report.
func broadPattern(a string) bool {
	return a == "*" || a == "*:*" || strings.HasSuffix(a, ":*")
}

var iamAdmin = &analysis.Rule{
	ID:       "IAM002",
	Title:    "full administrator access",
	Severity: analysis.Critical,
	Kinds:    policyKinds,
	Doc: "A statement that allows \"*\" on \"*\" is AdministratorAccess: whoever holds it (a pod through IRSA or Pod " +
		"Identity, or every pod on a node through the node role) can do anything in the account, including changing its " +
		"own permissions. Grant the actions the workload calls on the resources it uses.",
	Refs: []string{leastPrivilege, "https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AdministratorAccess.html"},
	Run: func(p *analysis.Pass) {
		eachGrant(p, func(s *Statement) {
			for _, a := range s.Actions {
				if a.Value == "*" || a.Value == "*:*" {
					p.Report(analysis.Finding{Severity: softened(analysis.Critical, s), Start: a.Start, End: a.End,
						Message: "This statement allows every action on every resource: full administrator access."})
					return
				}
			}
		})
	},
}

// sensitiveServices are the services whose full access is account
// takeover or reads every secret.
var sensitiveServices = map[string]bool{
	"iam": true, "sts": true, "organizations": true, "kms": true, "secretsmanager": true, "eks": true,
	"ssm": true, "lambda": true, "cloudformation": true, "s3": true, "ec2": true,
}

var iamServiceWildcard = &analysis.Rule{
	ID:       "IAM003",
	Title:    "every action of a service on every resource",
	Severity: analysis.High,
	Kinds:    policyKinds,
	Doc: "SERVICE:* on \"*\" grants every present and future action of the service, including the ones that change " +
		"permissions or read data: iam:* can make itself administrator, s3:* reads and deletes every bucket, kms:* decrypts " +
		"everything, eks:* can grant cluster-admin through access entries. List the actions the workload calls and scope " +
		"the resources.",
	Refs: []string{leastPrivilege, cloudsplainingURL, "https://avd.aquasec.com/misconfig/aws/iam/avd-aws-0345/"},
	Run: func(p *analysis.Pass) {
		eachGrant(p, func(s *Statement) {
			for _, a := range s.Actions {
				service, rest, ok := strings.Cut(strings.ToLower(a.Value), ":")
				if !ok || rest != "*" || service == "*" {
					continue
				}
				sev := analysis.Medium
				if sensitiveServices[service] {
					sev = analysis.High
				}
				p.Report(analysis.Finding{Severity: softened(sev, s), Start: a.Start, End: a.End,
					Message: a.Value + " on every resource grants every " + service + " action, present and future."})
			}
		})
	},
}

var iamPassRole = &analysis.Rule{
	ID:       "IAM004",
	Title:    "iam:PassRole on every role",
	Severity: analysis.High,
	Kinds:    policyKinds,
	Doc: "iam:PassRole lets a principal hand a role to a service (an EC2 instance, a Lambda function, a CloudFormation " +
		"stack) and then act with that role's permissions. On Resource \"*\" it can pass any role in the account, " +
		"administrators included (Access Analyzer: \"Pass role with star in resource\"). Name the roles, and add an " +
		"iam:PassedToService condition.",
	Refs: []string{accessAnalyzer, "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html",
		"https://avd.aquasec.com/misconfig/aws/iam/avd-aws-0342/"},
	Run: func(p *analysis.Pass) {
		eachStatement(p, func(pol *Policy, s *Statement) {
			if pol.Trust || !s.Allows() || s.NotAction || !passesAnyRole(s) {
				return
			}
			for _, a := range s.Actions {
				if !actionMatches(a.Value, "iam:PassRole") || broadPattern(a.Value) {
					continue
				}
				sev, extra := analysis.High, ""
				for _, c := range s.ActiveConditions() {
					if strings.EqualFold(c.Key.Value, "iam:PassedToService") {
						sev, extra = analysis.Medium, " The iam:PassedToService condition limits the services, not the roles."
					}
				}
				p.Report(analysis.Finding{Severity: sev, Start: a.Start, End: a.End, Message: "This statement lets the holder pass any role in " +
					"the account to a service and act with its permissions." + extra})
			}
		})
	},
}

// passesAnyRole reports whether the statement's resources include every
// role.
func passesAnyRole(s *Statement) bool {
	if everyResource(s) {
		return true
	}
	for _, r := range s.Resources {
		if strings.HasSuffix(r.Value, ":role/*") {
			return true
		}
	}
	return false
}

var iamNotElements = &analysis.Rule{
	ID:       "IAM005",
	Title:    "allow with NotAction, NotResource or NotPrincipal",
	Severity: analysis.Medium,
	Kinds:    policyKinds,
	Doc: "Allow with NotAction grants every action except the listed ones, including actions AWS adds later; Allow with " +
		"NotResource grants on every resource but the listed ones. Allow with NotPrincipal trusts everyone but the listed " +
		"principals, and IAM rejects it in a role trust policy. Write the actions, resources and principals you mean.",
	Refs: []string{"https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notaction.html",
		"https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html", accessAnalyzer},
	Run: func(p *analysis.Pass) {
		eachStatement(p, func(pol *Policy, s *Statement) {
			if !s.Allows() {
				return
			}
			switch {
			case s.NotPrincipal && len(s.Principals) > 0 && s.Principals[0].Key != nil:
				k := s.Principals[0].Key
				p.Report(analysis.Finding{Severity: analysis.High, Start: k.Start, End: k.End, Message: "Allow with NotPrincipal trusts every principal " +
					"except the listed ones; IAM rejects NotPrincipal in a role trust policy."})
			case s.NotAction && len(s.Actions) > 0:
				a := s.Actions[0]
				p.Reportf(a.Start, a.End, nil, "Allow with NotAction grants every action except %s, including actions AWS adds later.",
					strings.Join(scalarValues(s.Actions), ", "))
			case s.NotResource && s.ResourceKey != nil && !pol.Trust:
				p.Reportf(s.ResourceKey.Start, s.ResourceKey.End, nil, "Allow with NotResource grants on every resource except %s.",
					strings.Join(scalarValues(s.Resources), ", "))
			}
		})
	},
}
