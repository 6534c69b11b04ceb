package fixes

import (
	"cmp"
	"fmt"
	"regexp"
	"strings"

	"github.com/eksdoctor/eksdoctor/analysis"
)

// IAM's access denied messages, for any AWS call a workload, a controller
// or a person makes.

// iamDenial is what an access denied message says.
type iamDenial struct {
	User, Action, Resource string
	// Explicit is set for "with an explicit deny"; Policy names the policy
	// type that denied ("service control policy") or, for an implicit deny,
	// the one that did not allow ("identity-based policy").
	Explicit bool
	Policy   string
	// Operation is the API operation of a CLI error ("DescribeInstances").
	Operation string
}

var (
	// Values may sit in quotes or backticks, as people paste them in prose.
	deniedText = regexp.MustCompile("User: [`'\"]?(?P<user>[^\\s`'\"]+)[`'\"]? is not authorized to perform: [`'\"]?(?P<action>[\\w-]+:[\\w*]+)[`'\"]?" +
		"(?: on resource: [`'\"]?(?P<resource>[^\\s`'\"]+?)[`'\"]?)?" +
		`(?: (?:because no (?P<noallow>[\w -]+?) allows the \S+ action|with an explicit deny(?: in an? (?P<deny>[\w -]+?policy))?))?(?:[:.]?\s|[.:]?$|\(|\\)`)
	operationText = regexp.MustCompile(`when calling the (\w+) operation`)
)

// parseIAMDenial reads an access denied message.
// serviceAPIText names the call a controller's log says failed: "EKS
// DescribeNodegroup API".
var serviceAPIText = regexp.MustCompile(`\b(EKS|EC2|IAM|STS|ELBv2|Route53) ([A-Z][A-Za-z]+) API\b`)

func parseIAMDenial(text string) iamDenial {
	var d iamDenial
	if m := operationText.FindStringSubmatch(text); m != nil {
		d.Operation = m[1]
	}
	if m := serviceAPIText.FindStringSubmatch(text); m != nil {
		d.Action = strings.ToLower(m[1]) + ":" + m[2]
	} else if strings.Contains(text, "query the managed nodegroup") {
		d.Action = "eks:DescribeNodegroup" // cluster-autoscaler's managed node group cache
	}
	m := deniedText.FindStringSubmatch(text)
	if m == nil {
		d.Explicit = strings.Contains(text, "explicit deny")
		return d
	}
	get := func(name string) string { return m[deniedText.SubexpIndex(name)] }
	d.User, d.Action, d.Resource = get("user"), get("action"), strings.Trim(get("resource"), `"`)
	d.Policy = firstNonEmpty(get("deny"), get("noallow"))
	d.Explicit = get("deny") != "" || strings.Contains(text, "explicit deny")
	if strings.Trim(d.User, ".") == "" {
		d.User = "" // elided in documentation: "User: ... is not authorized"
	}
	if strings.Trim(d.Resource, ".") == "" {
		d.Resource = ""
	}
	return d
}

// advice says what to change for the denial, given the action.
func (d iamDenial) advice(action string) string {
	policy := strings.ToLower(d.Policy)
	switch {
	case d.Explicit && strings.Contains(policy, "service control"):
		return "a service control policy of your AWS Organization denies it; no Allow in the account overrides that, so ask the organization's administrators."
	case d.Explicit && strings.Contains(policy, "resource control"):
		return "a resource control policy of your AWS Organization denies it; ask the organization's administrators."
	case d.Explicit && policy != "":
		return "a Deny statement in the principal's " + d.Policy + " wins over any Allow; remove or narrow that statement."
	case d.Explicit:
		return "an explicit Deny (a service control policy, a permissions boundary or a Deny statement in a policy) wins over any Allow; find it, adding an Allow will not help."
	case strings.Contains(policy, "identity-based"):
		return "no policy attached to the principal allows " + action + "; add it to the principal's identity policy, scoped to the resource."
	case strings.Contains(policy, "permissions boundary"):
		return "the principal's permissions boundary does not allow " + action + ", whatever its policies say; widen the boundary."
	case strings.Contains(policy, "session"):
		return "the session policy passed when the role was assumed does not allow " + action + "."
	case strings.Contains(policy, "resource-based"), strings.Contains(policy, "service-based"):
		return "the resource's own policy (" + d.Policy + ") must allow this principal; update the resource's policy."
	}
	return "either no policy allows " + action + " or a Deny applies; check the principal's policies, permissions boundary and any service control policy."
}

var sigDenied = newSignature([]string{"not authorized to perform", "UnauthorizedOperation", "AccessDenied"},
	[]string{"is not authorized to perform: [`'\"]?[\\w-]+:[\\w*]+", `\(UnauthorizedOperation\) when calling the \w+ operation`,
		`UnauthorizedOperation: You are not authorized to perform this operation`,
		// the SDK for Go v1's bare code, as controllers log it: AccessDeniedException: status code: 403
		`\bAccessDenied(?:Exception)?:\s*status code: 403`},
	[]string{"AccessDenied: User: arn:aws:sts::111122223333:assumed-role/app/1739739040072980120 is not authorized to perform: s3:GetObject on resource: arn:aws:s3:::b/k because no identity-based policy allows the s3:GetObject action",
		"An error occurred (UnauthorizedOperation) when calling the DescribeInstances operation: You are not authorized to perform this operation.",
		"E0330 12:14:36.075997 1 aws_manager.go:429] Failed to get labels from EKS DescribeNodegroup API for nodegroup ng in cluster prod because AccessDeniedException: \n\tstatus code: 403, request id: 829dbfc2"},
	[]string{"Error from server (Forbidden): pods is forbidden: User \"x\" cannot list resource \"pods\""})

// irsaSession and podIdentitySession match the session names the SDKs
// give IRSA sessions and EKS Pod Identity gives its own.
var irsaSession = regexp.MustCompile(`:assumed-role/[^/\s]+/(?:\d{19}|botocore-session-\d+)\b`)
var podIdentitySession = regexp.MustCompile(`:assumed-role/[^/\s]+/eks-[^/\s]*-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b`)

var errDenied = &analysis.Rule{
	ID:       "ERR041",
	Title:    "an AWS API call denied by IAM",
	Severity: analysis.High,
	Kinds:    errorTextKinds,
	Doc: "An AWS service refused a call because IAM did not allow it. Current messages name the caller, the action, the resource and " +
		"why: \"because no identity-based policy allows\" (add the permission to the caller's role), \"no resource-based policy " +
		"allows\" (the resource's own policy must allow the caller), or \"with an explicit deny in …\" (a service control policy, " +
		"permissions boundary, session policy or Deny statement wins; an Allow will not help). For a pod, first check which role it " +
		"really uses: the session name tells IRSA (a number), Pod Identity (eks-CLUSTER-…) and the node role (i-…) apart. EC2's " +
		"UnauthorizedOperation may carry an encoded message: aws sts decode-authorization-message explains it. A denied " +
		"sts:TagSession means the target role's trust policy lacks it: EKS Pod Identity's session tags are transitive, so every " +
		"role a Pod Identity pod chains to must allow it. When the denied role's identity policy is pasted (Terraform, get-role-policy " +
		"output, or the only policy beside the only denial), the statement that allows or denies the call is named, and a missing " +
		"action is added to the statement that covers the resource. A session of a role that asks to assume the same role needs " +
		"the role's own ARN in its trust policy (AWS ended the implicit self-trust in 2022); with kubectl that usually means " +
		"a kubeconfig written with --role-arn for a role the caller already is.",
	Refs: []string{iamDeniedDoc, "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html",
		"https://docs.aws.amazon.com/STS/latest/APIReference/API_DecodeAuthorizationMessage.html",
		"https://docs.aws.amazon.com/IAM/latest/UserGuide/id_session-tags.html#id_session-tags_permissions-required",
		"https://docs.aws.amazon.com/eks/latest/APIReference/API_PodIdentityAssociation.html",
		"https://aws.amazon.com/blogs/security/announcing-an-update-to-iam-role-trust-policy-behavior/"},
	Run: symptom(sigDenied, func(p *analysis.Pass, ms []errMatch) {
		seen := map[string]bool{}
		for _, m := range ms {
			d := parseIAMDenial(m.line.Text)
			action := d.Action
			if action == "" && d.Operation != "" {
				action = "ec2:" + d.Operation
			}
			key := d.User + " " + action + " " + d.Resource
			if seen[key] {
				continue
			}
			seen[key] = true
			who := firstNonEmpty(d.User, "The caller")
			msg := who + " may not call " + firstNonEmpty(action, "this action")
			if d.Resource != "" {
				msg += " on " + d.Resource
			}
			msg += ": " + d.advice(firstNonEmpty(action, "it"))
			switch {
			case irsaSession.MatchString(d.User):
				msg += " The session name is a timestamp, as the SDKs name IRSA sessions: the pod does run as this role."
			case podIdentitySession.MatchString(d.User):
				msg += " The session name is EKS Pod Identity's: the pod does run as this role, through its association."
			case d.User == "":
				msg += " Check which identity made the call (`aws sts get-caller-identity` from the same pod or shell)."
			}
			switch {
			case action == "sts:AssumeRole" && assumesItself(d.User, d.Resource):
				msg += " The caller is already a session of that very role and asks to assume it again: since 2022 a role may do " +
					"that only when its own trust policy names it. Usually the second assumption is not needed: a kubeconfig " +
					"written with aws eks update-kubeconfig --role-arn asks for it on every call, so write the kubeconfig " +
					"again without --role-arn, or add the role's own ARN to its trust policy."
			case strings.HasPrefix(action, "sts:AssumeRole"):
				msg += " For sts:AssumeRole, the target role's trust policy must also name this caller."
			case action == "sts:TagSession":
				msg += " The AssumeRole call carried session tags, so the target role's trust policy must allow sts:TagSession " +
					"for this caller, next to sts:AssumeRole (and, when that trust names the caller's account root rather than its " +
					"role, so must the caller's own policy). Credentials from EKS Pod Identity carry session tags that pass on " +
					"to every role they assume (they are transitive), so a pod using Pod Identity needs this in every role it chains " +
					"to, unless its association disables the session tags (disableSessionTags) and nothing relies on them."
			case action == "eks:DescribeNodegroup" && !d.Explicit:
				msg += " Cluster Autoscaler calls it to scale managed node groups from zero. A statement that allows it only under " +
					"autoscaling:ResourceTag/… never applies: EKS requests carry no Auto Scaling tags (IAM014). Allow it without " +
					"that condition, scoped to the node groups' ARNs."
			}
			msg += controllerNote(p, d, action)
			if strings.Contains(m.line.Text, "could not get token") {
				msg += " The credential plugin failed before any request reached the cluster."
			}
			var fix *analysis.Fix
			var note string
			switch {
			case action == ActionTagSession:
				note, fix = tagSessionInTrust(p, d.Resource)
			case action != "" && !strings.HasPrefix(action, "sts:AssumeRole"):
				note, fix = identityVerdict(p, d.User, action, d.Resource, len(ms) == 1)
			}
			msg += note
			p.Reportf(m.Start, m.End, fix, "%s", msg)
			if strings.Contains(m.line.Text, "Encoded authorization failure message") {
				p.SuggestCommand("Decode the authorization message", "aws sts decode-authorization-message --encoded-message MESSAGE --query DecodedMessage --output text",
					"It says which statement or policy type denied the call; the caller needs sts:DecodeAuthorizationMessage.")
			}
		}
		p.SuggestCommand("Test the permission", "aws iam simulate-principal-policy --policy-source-arn ROLE_OR_USER_ARN --action-names ACTION --resource-arns RESOURCE_ARN",
			"Use the role's ARN, not the assumed-role session ARN; it evaluates identity policies and permissions boundaries, not service control policies.")
	}, sigDescribeDenied, sigWebIdentityDenied, sigNodeFallback, sigPodIdentityAgent),
}

// tagSessionInTrust looks, in the pasted trust policy of the role a
// denied sts:TagSession names, for the statement that lets callers
// sts:AssumeRole without sts:TagSession: it says where it is, and the fix
// adds sts:TagSession to it.
func tagSessionInTrust(p *analysis.Pass, role string) (string, *analysis.Fix) {
	target := targetOf(role)
	for _, pol := range trustPolicies(p) {
		if same, _ := roleMatch(pol, target); !same {
			continue
		}
		for _, st := range pol.Statements {
			if !st.Allows() || st.NotAction || !actionCovered(st, ActionAssumeRole) || actionCovered(st, ActionTagSession) || trustsPods(st) {
				continue
			}
			line, _ := p.Src.Position(st.Start)
			name := firstNonEmpty(pol.Role.Name, roleLabel(pol))
			note := fmt.Sprintf(" The pasted trust policy of %s allows sts:AssumeRole but not sts:TagSession (statement at line %d).",
				name, line)
			if st.Editor == nil {
				return note, nil
			}
			if e, ok := st.Editor.AddAction(ActionTagSession); ok {
				return note + " The fix adds sts:TagSession to it.", &analysis.Fix{Summary: "Allow sts:TagSession in " + name + "'s trust policy", Edits: e}
			}
			return note, nil
		}
	}
	return "", nil
}

// identityVerdict answers a denial from the pasted identity policies of
// the denied role: the ones the paste ties to that role, else the only
// one pasted when the denial is the only one. It says which statement
// allows or denies action on resource, or that none allows it; the fix
// adds the action to the statement that covers the resource.
func identityVerdict(p *analysis.Pass, caller, action, resource string, onlyDenial bool) (string, *analysis.Fix) {
	role := ""
	if r, ok := sessionRole(caller); ok {
		role = r.Name()
	}
	var mine, unknown []*Policy
	for _, doc := range p.OfKind(policyKinds...) {
		for _, pol := range policiesOf(p, doc).Policies {
			switch {
			case pol.Trust:
			case pol.Role == nil || pol.Role.Name == "" && pol.Role.ARN == nil:
				unknown = append(unknown, pol)
			case role != "" && (pol.Role.Name == role || pol.Role.ARN != nil && strings.HasSuffix(pol.Role.ARN.Value, "/"+role)):
				mine = append(mine, pol)
			}
		}
	}
	if len(mine) == 0 && len(unknown) == 1 && onlyDenial {
		mine = unknown
	}
	if len(mine) == 0 {
		return "", nil
	}
	exact := resource != "" && known(resource)
	var allowing, conditional *Statement
	var covering *Statement
	for _, pol := range mine {
		for _, st := range pol.Statements {
			if !resourceCovered(st, resource, exact) {
				continue
			}
			switch {
			case st.Denies() && actionCovered(st, action):
				return statementNote(p, st, " An explicit Deny in the pasted policy refuses it (%s); an Allow elsewhere cannot override it."), nil
			case !st.Allows():
			case actionCovered(st, action) && len(st.Conditions) == 0:
				allowing = cmp.Or(allowing, st)
			case actionCovered(st, action):
				conditional = cmp.Or(conditional, st)
			case covering == nil && !st.NotAction && exact:
				covering = st
			}
		}
	}
	switch {
	case allowing != nil:
		return statementNote(p, allowing, " The pasted policy allows it (%s), so the refusal comes from elsewhere: a Deny in a "+
			"permissions boundary, service control policy or session policy, the resource's own policy, or this policy is not "+
			"attached to the role that made the call."), nil
	case conditional != nil:
		return statementNote(p, conditional, " The pasted policy allows it only under conditions (%s): the request did not meet them."), nil
	}
	note := " No statement of the pasted policy allows " + action + " on that resource."
	if covering == nil || covering.Editor == nil {
		return note, nil
	}
	e, ok := covering.Editor.AddAction(action)
	if !ok {
		return note, nil
	}
	where := "the pasted policy"
	if role != "" {
		where = role + "'s policy"
	}
	return note + statementNote(p, covering, " The fix adds it to the statement that covers the resource (%s)."),
		&analysis.Fix{Summary: "Allow " + action + " in " + where, Edits: e}
}

// resourceCovered reports whether a statement's Resource (or
// NotResource) covers resource; when the resource is not known exactly,
// any statement may.
func resourceCovered(st *Statement, resource string, exact bool) bool {
	if !exact || st.ResourceKey == nil {
		return true
	}
	matched := false
	for _, r := range st.Resources {
		matched = matched || r.Value == "*" || !strings.Contains(r.Value, "${") && glob(r.Value, resource)
	}
	return matched != st.NotResource
}

// statementNote fills format's %s with where a statement is.
func statementNote(p *analysis.Pass, st *Statement, format string) string {
	line, _ := p.Src.Position(st.Start)
	where := fmt.Sprintf("statement %d, line %d", st.Index+1, line)
	if st.Sid != nil && st.Sid.Value != "" {
		where = fmt.Sprintf("statement %s, line %d", st.Sid.Value, line)
	}
	return fmt.Sprintf(format, where)
}

// controllerNote says, when the denied caller is a controller eksdoctor
// knows and its shipped policy allows the action, which release added it
// and where to grant it: the controller's own role, never the node role.
func controllerNote(p *analysis.Pass, d iamDenial, action string) string {
	c := controllerFor(p, d.User)
	if c == nil || c.nodeRole || d.Explicit || action == "" {
		return ""
	}
	if role := deniedRoleName(d.User); role != "" && !c.roleName.MatchString(role) {
		return "" // a named role that is not the controller's: the log's markers do not make it one
	}
	a, ok := c.needs(action)
	if !ok {
		return " This looks like " + c.name + "'s role, and the policy it ships (" + c.source + ") does not allow " + action +
			": check the controller's version and the features it was asked to use."
	}
	note := " This looks like " + c.name + "'s role; the policy it ships (" + c.source + ") allows " + action
	if a.since != "" {
		note += " since " + a.since + ", so a role made from the policy of an older release lacks it"
	}
	note += ". Add it to the controller's own role (ServiceAccount " + c.serviceAccount + ", through IRSA or Pod Identity), not to the node role."
	if n := c.notes[a.action]; n != "" {
		note += " The policy allows it " + n + "."
	}
	if len(c.managedPolicies) > 0 {
		note += " Or attach the AWS managed policy " + c.managedPolicies[0] + ", which AWS keeps in step with the controller."
	}
	return note
}

// assumesItself reports whether a caller that is a session of a role asks
// to assume the same role (by name, in the same account).
func assumesItself(caller, target string) bool {
	role, isSession := sessionRole(caller)
	t, ok := analysis.ParseARN(target)
	return isSession && ok && t.ResourceType() == "role" && strings.EqualFold(role.Name(), t.Name()) && role.Account == t.Account
}
