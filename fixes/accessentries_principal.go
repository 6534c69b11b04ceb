package fixes

import (
	"slices"
	"strings"

	"github.com/eksdoctor/eksdoctor/analysis"
	"github.com/eksdoctor/eksdoctor/internal/textdist"
)

// The rules about an access entry's principal, its policies, and
// entries that repeat.

var aePrincipal = &analysis.Rule{
	ID:       "AE008",
	Title:    "principal that cannot have an access entry",
	Severity: analysis.High,
	Kinds:    accessEntryKinds,
	Doc: "An access entry names one IAM role or user by its ARN. STS session ARNs (assumed-role, federated-user) are " +
		"temporary and rejected, service-linked roles (role/aws-service-role/…) are not supported, and instance profile, " +
		"group or malformed ARNs name no principal. Unlike aws-auth, the role's path is allowed and should be the real " +
		"one: use the ARN that aws iam get-role --role-name NAME --query Role.Arn prints.",
	Refs: []string{createEntriesDoc, createEntryAPI, iamARNsDoc},
	Run: eachEntry(func(p *analysis.Pass, m accessModel, e accessEntry) {
		if e.State || e.PrincipalARN == nil {
			return
		}
		s := e.PrincipalARN
		if !known(s.Value) {
			if sev, note, ok := placeholderNote(p, s.Value, "EKS refuses the entry"); ok {
				p.Report(analysis.Finding{Severity: sev, Start: s.Start, End: s.End, Message: "The principal ARN " + quoteOr(s.Value, `""`) +
					" " + note + ". Put in the role's ARN (aws iam get-role --role-name NAME --query Role.Arn)."})
			}
			return
		}
		why, fixed := accessPrincipalProblem(s.Value)
		if why == "" {
			return
		}
		if note, ok := shortenedNote(s.Value, "EKS refuses the entry"); ok {
			p.Report(analysis.Finding{Severity: analysis.Low, Start: s.Start, End: s.End, Message: note})
			return
		}
		var fix *analysis.Fix
		msg := s.Value + " " + why + "."
		if fixed != "" {
			fix = &analysis.Fix{Summary: "Use " + fixed, Edits: []analysis.Edit{s.Replace(fixed)}}
			msg += " Use " + fixed + " (with the role's path, if it has one)."
		}
		p.Reportf(s.Start, s.End, fix, "%s", msg)
	}),
}

// accessPrincipalProblem says why an ARN cannot be an access entry's
// principal, with the ARN to use when there is one.
func accessPrincipalProblem(v string) (why, fixed string) {
	a, _ := analysis.ParseARN(v)
	switch {
	case strings.EqualFold(a.Service, "sts") && a.ResourceType() == "federated-user":
		return "is an STS federated-user session, a temporary principal EKS does not accept", ""
	case strings.EqualFold(a.Service, "iam") && strings.HasPrefix(a.Resource, "role/aws-service-role/"):
		return "is a service-linked role, which access entries do not support", ""
	}
	why, fixed = unmatchableARN(v)
	if strings.Contains(why, "assumed-role") {
		why = "is an STS session (assumed-role) ARN, a temporary principal EKS does not accept"
	}
	if role, _ := analysis.ParseARN(fixed); strings.HasPrefix(role.Name(), ssoRolePrefix) {
		name := role.Name()
		// the session drops the role's path, and Identity Center roles
		// always have one, which the entry needs
		why += "; the role is an IAM Identity Center role, whose ARN has a path under /aws-reserved/sso.amazonaws.com/: " +
			"aws iam get-role --role-name " + name + " --query Role.Arn prints the ARN to use"
		fixed = ""
	}
	return strings.Replace(why, "no caller ever has this ARN", "it cannot have an access entry", 1), fixed
}

// Managed access policies: the ones people associate, and those the
// user guide reserves for AWS service-linked roles.
var (
	userAccessPolicies = []string{"AmazonEKSClusterAdminPolicy", "AmazonEKSAdminPolicy", "AmazonEKSEditPolicy",
		"AmazonEKSViewPolicy", "AmazonEKSAdminViewPolicy", "AmazonEKSSecretReaderPolicy"}
	serviceAccessPolicies = []string{"AmazonEKSBlockStoragePolicy", "AmazonEKSComputePolicy", "AmazonEKSBlockStorageClusterPolicy",
		"AmazonEKSComputeClusterPolicy", "AmazonEKSHybridPolicy", "AmazonEKSClusterInsightsPolicy"}
)

var aePolicy = &analysis.Rule{
	ID:       "AE009",
	Title:    "access policy or scope that EKS rejects",
	Severity: analysis.High,
	Kinds:    accessEntryKinds,
	Doc: "An access policy is an EKS resource, arn:aws:eks::aws:cluster-access-policy/NAME (AmazonEKSClusterAdminPolicy, " +
		"AmazonEKSAdminPolicy, AmazonEKSEditPolicy, AmazonEKSViewPolicy, AmazonEKSAdminViewPolicy, …), not an IAM policy " +
		"such as arn:aws:iam::aws:policy/AmazonEKSClusterPolicy. Its access scope is cluster or namespace; a namespace " +
		"scope needs at least one namespace, and a cluster scope takes none. Some policies are reserved for AWS " +
		"service-linked roles. Use the policy's full ARN and a scope that matches it.",
	Refs: []string{accessPoliciesDoc, "https://docs.aws.amazon.com/eks/latest/APIReference/API_AssociateAccessPolicy.html",
		eksctlEntriesDoc},
	Run: eachEntry(func(p *analysis.Pass, m accessModel, e accessEntry) {
		for _, pol := range e.Policies {
			if pol.PolicyARN != nil && known(pol.PolicyARN.Value) {
				checkPolicyARN(p, e, pol.PolicyARN)
			}
			if !e.State {
				checkScope(p, pol)
			}
		}
	}),
}

// checkPolicyARN checks that a policy ARN names a managed access policy:
// a misspelt or incomplete one is corrected, an unknown but well-formed
// one is left alone (EKS adds policies).
func checkPolicyARN(p *analysis.Pass, e accessEntry, s *analysis.Scalar) {
	a, ok := analysis.ParseARN(s.Value)
	name := s.Value
	if ok {
		name = a.Resource[strings.LastIndex(a.Resource, "/")+1:]
	}
	known := ""
	for _, k := range slices.Concat(userAccessPolicies, serviceAccessPolicies) {
		if strings.EqualFold(name, k) || strings.EqualFold(name+"Policy", k) {
			known = k
		}
	}
	for _, k := range userAccessPolicies {
		if known == "" && textdist.Distance(name, k, 3) <= 2 {
			known = k
		}
	}
	policyARN := ok && a.Service == "eks" && a.Account == "aws" && strings.HasPrefix(a.Resource, "cluster-access-policy/")
	switch {
	case ok && strings.EqualFold(a.Service, "iam"):
		p.Reportf(s.Start, s.End, nil, "%s is an IAM policy, not an EKS access policy; access policies are "+
			"arn:aws:eks::aws:cluster-access-policy/NAME, e.g. AmazonEKSViewPolicy.", s.Value)
	case known == "" && !policyARN:
		p.Reportf(s.Start, s.End, nil, "%s is not an EKS access policy ARN (arn:aws:eks::aws:cluster-access-policy/NAME).", s.Value)
	case known != "" && (!policyARN || name != known):
		want := accessPolicyARN(e, known)
		p.Reportf(s.Start, s.End, &analysis.Fix{Summary: "Use " + want, Edits: []analysis.Edit{s.Replace(want)}},
			"EKS has no access policy %s. Use %s.", s.Value, want)
	case slices.Contains(serviceAccessPolicies, name) && !e.State:
		p.Report(analysis.Finding{Severity: analysis.Medium, Start: s.Start, End: s.End, Message: name +
			" is reserved for AWS service-linked roles and cannot be used with customer-managed roles."})
	}
}

// checkScope checks a policy's access scope.
func checkScope(p *analysis.Pass, pol accessPolicy) {
	scope := pol.ScopeType
	switch {
	case scope == nil:
		p.Reportf(pol.Start, pol.End, nil, "The policy association has no access scope; give it type cluster, or namespace with namespaces.")
	case scope.Value != "cluster" && scope.Value != "namespace":
		var fix *analysis.Fix
		if low := strings.ToLower(scope.Value); low == "cluster" || low == "namespace" {
			fix = &analysis.Fix{Summary: "Write " + low, Edits: []analysis.Edit{scope.Replace(low)}}
		}
		msg := "The access scope type " + quoteOr(scope.Value, `""`) + " is neither cluster nor namespace."
		if slices.Contains(accessEntryTypes, scope.Value) && scope.Value != "STANDARD" {
			msg += " " + scope.Value + " is an access entry type: it belongs in the entry's own type, and an entry of that type " +
				"takes no access policies, groups or username (EKS sets what nodes need), so move it there and remove those."
		}
		p.Reportf(scope.Start, scope.End, fix, "%s", msg)
	case scope.Value == "namespace" && len(pol.Namespaces) == 0:
		p.Reportf(scope.Start, scope.End, nil, "A namespace scope needs at least one namespace; without one the association is rejected.")
	case scope.Value == "cluster" && len(pol.Namespaces) > 0:
		var fix *analysis.Fix
		start, end := scope.Start, scope.End
		if f := pol.NamespacesField; f != nil {
			start, end = f.Start, f.End
			if f.Remove != nil {
				fix = &analysis.Fix{Summary: "Remove the namespaces from the cluster scope", Edits: []analysis.Edit{*f.Remove}}
			}
		}
		p.Report(analysis.Finding{Severity: analysis.Medium, Start: start, End: end, Fix: fix, Message: "A cluster scope " +
			"covers every namespace and takes no namespaces (eksctl rejects them). If the policy should apply only to " +
			"those namespaces, use type namespace."})
	}
}

var aeDuplicate = &analysis.Rule{
	ID:       "AE010",
	Title:    "duplicate access entry or policy association",
	Severity: analysis.Medium,
	Kinds:    accessEntryKinds,
	Doc: "A principal can have only one access entry, and each policy can be associated once per entry. A second " +
		"entry for the same ARN fails with ResourceInUseException (eksctl: duplicate access entry), so whatever it adds " +
		"is never applied. Merge the groups and policies into one entry.",
	Refs: []string{createEntriesDoc, eksctlEntriesDoc},
	Run: func(p *analysis.Pass) {
		seen := map[string]bool{}
		for _, e := range accessModelOf(p, p.Doc).Entries {
			if e.PrincipalARN == nil || !known(e.PrincipalARN.Value) {
				continue
			}
			if id := strings.ToLower(e.PrincipalARN.Value); seen[id] {
				p.Reportf(e.PrincipalARN.Start, e.PrincipalARN.End, nil, "%s already has an access entry above; "+
					"a second one is rejected (ResourceInUseException). Merge them.", e.PrincipalARN.Value)
			} else {
				seen[id] = true
			}
			policies := map[string]bool{}
			for _, pol := range e.Policies {
				if pol.PolicyARN == nil {
					continue
				}
				if policies[pol.PolicyARN.Value] {
					p.Reportf(pol.PolicyARN.Start, pol.PolicyARN.End, nil, "%s is associated with this entry twice; "+
						"each policy is associated once, with one scope. Merge the scopes.", pol.PolicyARN.Value)
				}
				policies[pol.PolicyARN.Value] = true
			}
		}
	},
}
