package fixes

import (
	"regexp"
	"slices"
	"strings"

	"github.com/tidwall/gjson"

	"github.com/eksdoctor/eksdoctor/analysis"
)

// Cross-document IRSA rules: a pasted ServiceAccount or a CloudTrail
// AssumeRoleWithWebIdentity failure replayed against a pasted trust
// policy with the simulator.

// trustPolicies returns every trust policy in the input.
func trustPolicies(p *analysis.Pass) []*Policy {
	var out []*Policy
	for _, doc := range p.OfKind(policyKinds...) {
		for _, pol := range policiesOf(p, doc).Policies {
			if pol.Trust {
				out = append(out, pol)
			}
		}
	}
	return out
}

// roleARNOf returns the ARN of the role a policy belongs to, or "".
func roleARNOf(pol *Policy) string {
	if pol.Role != nil && pol.Role.ARN != nil {
		return pol.Role.ARN.Value
	}
	return ""
}

// roleLabel names the role a policy belongs to: its ARN, name or
// Terraform address; "" when it is not known.
func roleLabel(pol *Policy) string {
	if pol.Role == nil {
		return ""
	}
	return firstNonEmpty(roleARNOf(pol), pol.Role.Name, pol.Role.Ref)
}

// roleTarget is the role an annotation value names, read once: the value,
// the role's name when it is an ARN, and whether it references a role
// declared in Terraform.
type roleTarget struct {
	value, name string
	// ref is the Terraform address of the role a reference names
	// (module.irsa in ${module.irsa.iam_role_arn}), or "".
	ref string
}

// targetOf reads an annotation value.
func targetOf(annotated string) roleTarget {
	t := roleTarget{value: annotated}
	if m := roleReference.FindStringSubmatch(annotated); m != nil {
		t.ref = m[1]
	}
	if a, ok := analysis.ParseARN(strings.TrimSpace(annotated)); ok {
		t.name = a.Name()
	}
	return t
}

// roleMatch says whether pol is the trust policy of the role t names: by
// ARN, by the role's Terraform address (the value is a reference to it,
// ${module.irsa.iam_role_arn}), or by name (so an ARN whose account is
// masked still matches). known is false when the policy's role is not
// known.
func roleMatch(pol *Policy, t roleTarget) (same, known bool) {
	r := pol.Role
	switch {
	case r == nil || r.ARN == nil && r.Name == "" && r.Ref == "":
		return false, false
	case r.ARN != nil:
		return r.ARN.Value == t.value, true
	case r.Ref != "" && t.ref == r.Ref:
		return true, true
	case t.name != "" && r.Name != "":
		return t.name == r.Name, true
	}
	return false, r.Ref != "" && t.ref != ""
}

// roleReference is a Terraform reference to a role declared in the
// configuration: a module's or an aws_iam_role's (not a variable's).
var roleReference = regexp.MustCompile(`\$\{((?:module|aws_iam_role)\.[\w-]+)\.`)

// templateName is a part of a value that Terraform or a template engine
// fills in.
var templateName = regexp.MustCompile(`\$\{[^}]*\}|\{\{[^}]*\}\}`)

// saVerdict is what replaying a ServiceAccount against a trust policy
// says.
type saVerdict struct {
	// Replayed says whether the simulator replayed the ServiceAccount's
	// token; Decision is then its decision.
	Replayed bool
	Decision TrustDecision
	// Never lists the ServiceAccounts the policy admits when, compared by
	// name, sa can be none of them.
	Never []string
}

// replayServiceAccount replays sa's token against pol with the
// simulator, or, for a name that is a template or a policy whose provider
// Terraform computes, compares the names.
func replayServiceAccount(src *analysis.Source, pol *Policy, sa serviceAccount) saVerdict {
	if templated(sa.Name) || len(irsaStatements(pol)) == 0 {
		never, _ := nameMiss(pol, sa)
		return saVerdict{Never: never}
	}
	return saVerdict{Replayed: true, Decision: decide(src, pol, saRequests(pol, sa))}
}

// nameMiss returns the ServiceAccounts pol admits when none can be sa:
// for a name that is a template (${var.cluster_name}-app), or a trust
// policy whose provider Terraform computes, which the simulator cannot
// replay. The written parts of a template stay as they are, whatever the
// variables hold.
func nameMiss(pol *Policy, sa serviceAccount) (admitted []string, miss bool) {
	name, namespace := asPattern(sa.Name), asPattern(sa.Namespace)
	for _, st := range pol.Statements {
		if !webIdentityStatement(st) {
			continue
		}
		for _, c := range st.Conditions {
			if !strings.HasSuffix(c.Key.Value, ":sub") {
				continue
			}
			for _, v := range c.Values {
				ns, n, ok := strings.Cut(strings.TrimPrefix(v.Value, serviceAccountClaim), ":")
				if !ok || strings.ContainsAny(v.Value, "*?") && hasWildcard(v.Value) || templated(v.Value) || glob(name, n) && (namespace == "" || glob(namespace, ns)) {
					return nil, false
				}
				admitted = append(admitted, ns+":"+n)
			}
		}
	}
	return admitted, len(admitted) > 0
}

// asPattern returns a name whose templated parts are wildcards.
func asPattern(name string) string {
	if !strings.Contains(name, "{") {
		return name
	}
	return templateName.ReplaceAllString(name, "*")
}

// webIdentityStatement reports whether a trust statement is for a web
// identity: a Federated principal, or sts:AssumeRoleWithWebIdentity.
func webIdentityStatement(st *Statement) bool {
	return len(st.PrincipalsOf("Federated")) > 0 || slices.ContainsFunc(st.Actions, func(a analysis.Scalar) bool {
		return strings.EqualFold(a.Value, ActionWebIdentity) || strings.ContainsAny(a.Value, "*?") && actionMatches(a.Value, ActionWebIdentity)
	})
}

// forRole returns the policies that may be role arn's: the ones that are,
// else the ones whose role is unknown. other names a pasted role when
// some are known and none is arn's.
func forRole(pols []*Policy, arn string) (matching []*Policy, other string) {
	var unknown []*Policy
	target := targetOf(arn)
	for _, pol := range pols {
		switch same, known := roleMatch(pol, target); {
		case !known:
			unknown = append(unknown, pol)
		case arn == "" || same:
			matching = append(matching, pol)
		default:
			other = roleLabel(pol)
		}
	}
	if len(matching) > 0 {
		return matching, ""
	}
	return unknown, other
}

// decide evaluates each request against the policy and returns the first
// that is allowed, else the first decision.
func decide(src *analysis.Source, pol *Policy, reqs []TrustRequest) TrustDecision {
	var first TrustDecision
	for i, req := range reqs {
		d := EvaluateTrust(src, pol, req)
		if d.Allowed {
			return d
		}
		if i == 0 {
			first = d
		}
	}
	return first
}

// saRequests builds the IRSA requests of a ServiceAccount against a
// policy: one per provider the policy trusts. A ServiceAccount without a
// namespace takes the namespace of a subject in the policy with its name.
func saRequests(pol *Policy, sa serviceAccount) []TrustRequest {
	var reqs []TrustRequest
	for _, st := range irsaStatements(pol) {
		ns := "default"
		for _, c := range st.conditionsOn("sub") {
			for _, v := range c.Values {
				if n, name, ok := strings.Cut(strings.TrimPrefix(v.Value, serviceAccountClaim), ":"); ok && name == sa.Name {
					ns = n
				}
			}
		}
		for _, pp := range st.Providers {
			reqs = append(reqs, TrustRequest{Provider: pp.Value.Value, Subject: sa.Subject(ns), Audience: sa.Audience})
		}
	}
	return reqs
}

// valueMiss reports whether a decision is a deny on a condition whose key
// the request has: the values differ, which the per-document rules do not
// explain.
func valueMiss(d TrustDecision) bool {
	return d.Decision == "explicit-deny" || d.cond != nil && len(d.Condition.Request) > 0
}

var irsaServiceAccountTrust = &analysis.Rule{
	ID:       "IRSA013",
	Title:    "trust policy does not admit the pasted ServiceAccount",
	Severity: analysis.High,
	Kinds:    []analysis.Kind{analysis.KindServiceAccount, analysis.KindTrustPolicy, analysis.KindIAMPolicy, analysis.KindTerraform},
	Cross:    true,
	Doc: "The pasted ServiceAccount's namespace, name and audience are replayed against the pasted trust policy with the " +
		"simulator. When its :sub or :aud conditions name another ServiceAccount (a typo in the namespace, a renamed " +
		"ServiceAccount), the pod gets \"Not authorized to perform sts:AssumeRoleWithWebIdentity\". When the annotation " +
		"names another role than the pasted trust policy's, the policy you edited is not the one the pod uses. Make the " +
		"subject system:serviceaccount:NAMESPACE:NAME of the ServiceAccount, and annotate it with the role you changed.",
	Refs: []string{irsaRoleDoc, eksIAMTroubleshootDoc, irsaErrorsDoc},
	Run: func(p *analysis.Pass) {
		trusts := webIdentityTrusts(p)
		sas := serviceAccounts(p)
		reportNoWebIdentity(p, sas)
		if len(trusts) == 0 {
			return
		}
		for _, sa := range sas {
			if sa.EksctlRole {
				continue // eksctl writes a trust that admits it
			}
			annotated := ""
			if sa.RoleARN != nil {
				annotated = sa.RoleARN.Value
			}
			pols, other := forRole(trusts, annotated)
			if other != "" && sa.RoleARN != nil {
				p.Reportf(sa.RoleARN.Start, sa.RoleARN.End, nil, "ServiceAccount %s uses the role %s, but the pasted trust policy is "+
					"%s's: the policy you are looking at is not the one the pod assumes.", sa.Name, annotated, other)
				continue
			}
			for _, pol := range pols {
				v := replayServiceAccount(p.Src, pol, sa)
				if !v.Replayed {
					if len(v.Never) > 0 {
						why := "."
						if templated(sa.Name) {
							why = ": whatever Terraform fills in, its name keeps the parts written around it."
						}
						p.Reportf(sa.Start, sa.End, nil, "ServiceAccount %s is never one the trust policy admits (%s)%s Name it as the "+
							"trust policy does, or admit the name it gets.", sa.Name, strings.Join(v.Never, ", "), why)
					}
					continue
				}
				d := v.Decision
				switch {
				case d.Allowed && sa.RoleARN == nil:
					p.Report(analysis.Finding{Severity: analysis.Medium, Start: sa.Start, End: sa.End,
						Fix: annotationFix(p, sa, roleARNOf(pol)), Message: "The trust policy admits ServiceAccount " + sa.Name +
							", but it has no " + roleARNAnnotation + " annotation, so the webhook gives its pods no credentials and they use the node role."})
				case !d.Allowed && valueMiss(d):
					start, end := d.stmt.Start, d.stmt.Start
					if d.cond != nil {
						start, end = d.cond.Span()
					}
					p.Reportf(start, end, subjectFix(d, sa, len(sas) == 1), "ServiceAccount %s is not admitted: %s", sa.Name, d.Reason)
				}
			}
		}
	},
}

// webIdentityTrusts returns the pasted trust policies that have a
// statement for a web identity.
func webIdentityTrusts(p *analysis.Pass) []*Policy {
	var out []*Policy
	for _, pol := range trustPolicies(p) {
		if slices.ContainsFunc(pol.Statements, webIdentityStatement) {
			out = append(out, pol)
		}
	}
	return out
}

// reportNoWebIdentity reports the pasted trust policy of a role that a
// ServiceAccount's annotation names, when it has no statement for a web
// identity (nor one for Pod Identity, which PODID002 covers).
func reportNoWebIdentity(p *analysis.Pass, sas []serviceAccount) {
	var trusts []*Policy
	for _, pol := range trustPolicies(p) {
		if len(pol.Statements) > 0 && !slices.ContainsFunc(pol.Statements, webIdentityStatement) && len(podStatements(pol)) == 0 {
			trusts = append(trusts, pol)
		}
	}
	if len(trusts) == 0 {
		return
	}
	for _, sa := range sas {
		if sa.RoleARN == nil {
			continue
		}
		target := targetOf(sa.RoleARN.Value)
		for _, pol := range trusts {
			if same, _ := roleMatch(pol, target); !same {
				continue
			}
			p.Reportf(pol.Statements[0].Start, pol.Statements[0].Start, nil, "ServiceAccount %s uses the role %s, whose trust policy has "+
				"no statement for a web identity (the cluster's OIDC provider as Federated principal, with sts:AssumeRoleWithWebIdentity): "+
				"its pods are refused with \"Not authorized to perform sts:AssumeRoleWithWebIdentity\". Add that statement, with "+
				":sub %s and :aud sts.amazonaws.com.", sa.Name, firstNonEmpty(pol.Role.Name, roleLabel(pol)), sa.Subject("NAMESPACE"))
		}
	}
}

// subjectFix replaces the one subject of the deciding :sub condition with
// the ServiceAccount's, when that is the only thing wrong and certain.
func subjectFix(d TrustDecision, sa serviceAccount, onlySA bool) *analysis.Fix {
	c := d.cond
	if !onlySA || c == nil || len(c.Values) != 1 || sa.Namespace == "" {
		return nil
	}
	st, _ := irsaStatementOf(d.stmt)
	host, claim, _ := oidcKey(c.Key.Value)
	target, _ := st.keyTarget(c)
	v := c.Values[0]
	op, _ := ParseOperator(c.Operator.Value)
	if !looksEKS(host) || claimOf(claim, c.Values) != "sub" || target != c.Key.Value || op.Negated() || hasWildcard(v.Value) || !editable(v) {
		return nil
	}
	if _, problem, _ := subjectRepair(v.Value, false); problem != "" {
		return nil
	}
	subject := sa.Subject("")
	return &analysis.Fix{Summary: "Admit " + subject, Edits: []analysis.Edit{v.Replace(subject)}}
}

// annotationFix annotates a ServiceAccount with a role ARN.
func annotationFix(p *analysis.Pass, sa serviceAccount, arn string) *analysis.Fix {
	if arn == "" || sa.Metadata == nil || !known(arn) {
		return nil
	}
	ed := nodeEditor{at: analysis.WholeText{Src: p.Src}}
	var e analysis.Edit
	var ok bool
	if annotations := analysis.Lookup(sa.Metadata, "annotations"); annotations != nil {
		e, ok = ed.addEntry(annotations, roleARNAnnotation, analysis.YAMLScalar(arn))
	} else {
		e, ok = ed.addEntry(sa.Metadata, "annotations", []string{"", "\t" + roleARNAnnotation + ": " + analysis.YAMLScalar(arn)})
	}
	if !ok {
		return nil
	}
	return &analysis.Fix{Summary: "Annotate the ServiceAccount with " + arn, Edits: []analysis.Edit{e}}
}

// webIdentityEvent is a CloudTrail AssumeRoleWithWebIdentity event.
type webIdentityEvent struct {
	Start, End                                      int
	Provider, Audience, Subject, RoleARN, ErrorCode string
}

// webIdentityEvents returns the AssumeRoleWithWebIdentity events of the
// pasted CloudTrail documents. The userIdentity principalId is
// PROVIDER-ARN:AUDIENCE:SUBJECT.
func webIdentityEvents(p *analysis.Pass) []webIdentityEvent {
	var out []webIdentityEvent
	for _, doc := range p.OfKind(analysis.KindCloudTrail) {
		if doc.Format != analysis.FormatJSON {
			continue
		}
		events := []gjson.Result{gjson.Parse(doc.Text)}
		if records := doc.JSON("Records"); records.IsArray() {
			events = records.Array()
		}
		for _, ev := range events {
			if ev.Get("eventName").String() != "AssumeRoleWithWebIdentity" {
				continue
			}
			e := webIdentityEvent{RoleARN: ev.Get("requestParameters.roleArn").String(), ErrorCode: ev.Get("errorCode").String()}
			anchor := ev.Get("errorCode")
			if !anchor.Exists() {
				anchor = ev.Get("eventName")
			}
			e.Start, e.End = doc.JSONSpan(anchor)
			principal := ev.Get("userIdentity.principalId").String()
			provider := ev.Get("userIdentity.identityProvider").String()
			if provider == "" {
				if i := strings.Index(principal, oidcProviderMarker); i >= 0 {
					if j := strings.IndexByte(principal[i+len(oidcProviderMarker):], ':'); j >= 0 {
						provider = principal[:i+len(oidcProviderMarker)+j]
					}
				}
			}
			rest, ok := strings.CutPrefix(principal, provider+":")
			if provider == "" || !ok {
				continue
			}
			e.Provider = provider
			e.Audience, e.Subject, _ = strings.Cut(rest, ":")
			out = append(out, e)
		}
	}
	return out
}

var irsaCloudTrailReplay = &analysis.Rule{
	ID:       "IRSA016",
	Title:    "cloudtrail web identity failure replayed against the trust policy",
	Severity: analysis.High,
	Kinds:    []analysis.Kind{analysis.KindCloudTrail, analysis.KindTrustPolicy, analysis.KindIAMPolicy},
	Cross:    true,
	Doc: "CloudTrail records a refused AssumeRoleWithWebIdentity with the message \"An unknown error occurred\" or \"Not " +
		"authorized…\", but its principalId carries the provider, the audience and the subject the pod sent. Replaying " +
		"them against the pasted trust policy names the statement and condition that refused the pod. If the pasted policy " +
		"admits the request, the role in AWS has another policy (not saved, another role, another account) or the call " +
		"asked for another role: compare requestParameters.roleArn with the role you edited.",
	Refs: []string{eksIAMTroubleshootDoc, "https://docs.aws.amazon.com/IAM/latest/UserGuide/cloudtrail-integration.html",
		"https://github.com/greenpau/argo-workflows-aws-plugin"},
	Run: func(p *analysis.Pass) {
		trusts := trustPolicies(p)
		if len(trusts) == 0 {
			return
		}
		for _, ev := range webIdentityEvents(p) {
			if ev.ErrorCode != "AccessDenied" {
				continue
			}
			pols, other := forRole(trusts, ev.RoleARN)
			if other != "" {
				p.Reportf(ev.Start, ev.End, nil, "The refused call asked for the role %s, but the pasted trust policy is %s's: "+
					"the pod is annotated with, or the SDK uses, another role than the one you edited.", ev.RoleARN, other)
				continue
			}
			req := TrustRequest{Provider: ev.Provider, Subject: ev.Subject, Audience: ev.Audience}
			for _, pol := range pols {
				d := EvaluateTrust(p.Src, pol, req)
				if d.Allowed {
					p.Report(analysis.Finding{Severity: analysis.Medium, Start: ev.Start, End: ev.End, Message: "The pasted trust policy admits this " +
						"refused request: " + d.Reason + " So the role in AWS has another trust policy than this one; check it with " +
						"aws iam get-role --role-name " + roleName(ev.RoleARN) + " --query Role.AssumeRolePolicyDocument."})
					continue
				}
				start, end := pol.Start, pol.Start
				switch {
				case d.cond != nil:
					start, end = d.cond.Key.Start, d.cond.Key.End
				case d.stmt != nil:
					start, end = d.stmt.Start, d.stmt.Start
				}
				p.Reportf(start, end, nil, "CloudTrail shows a refused request from %s (issuer %s). Replayed against this policy: %s",
					ev.Subject, providerHost(ev.Provider), d.Reason)
			}
		}
	},
}

// roleName returns the name of a role ARN, or ROLE.
func roleName(arn string) string {
	if a, ok := analysis.ParseARN(arn); ok && a.ResourceType() == "role" {
		return a.Name()
	}
	return "ROLE"
}
