package fixes

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/eksdoctor/eksdoctor/analysis"
)

// Errors of pods getting AWS credentials through IAM roles for service
// accounts (IRSA: a projected token exchanged with
// sts:AssumeRoleWithWebIdentity).

var sigNoOIDCProvider = newSignature([]string{"No OpenIDConnect provider found"},
	[]string{`No OpenIDConnect provider found in (?:your )?account(?: for (?P<issuer>https://[^\s"\\]+))?`},
	[]string{"WebIdentityErr: failed to retrieve credentials\ncaused by: InvalidIdentityToken: No OpenIDConnect provider found in your account for https://oidc.eks.eu-west-1.amazonaws.com/id/5C6D2B1E8F9A4B7C3D2E1F0A9B8C7D6E",
		"InvalidIdentityToken: No OpenIDConnect provider found in your account for {redacted}",
		"caused by Invalid Identity token: No OpenIDConnect provider found in account"},
	[]string{"InvalidIdentityToken: Incorrect token audience"})

var errNoOIDCProvider = &analysis.Rule{
	ID:       "ERR029",
	Title:    "no IAM OIDC provider for the cluster's issuer",
	Severity: analysis.High,
	Kinds:    errorTextKinds,
	Doc: "STS found no IAM OIDC identity provider for the cluster's issuer URL in the account of the role being assumed. Each cluster " +
		"has its own issuer (https://oidc.eks.REGION.amazonaws.com/id/ID), and the provider must exist in the role's account: for a " +
		"role in another account, create the provider there too. Create it with eksctl utils associate-iam-oidc-provider, or in IAM " +
		"with audience sts.amazonaws.com, and make the role's trust policy name that provider.",
	Refs: []string{oidcProviderDoc, irsaOIDCTroubleDoc, "https://docs.aws.amazon.com/eks/latest/userguide/cross-account-access.html"},
	Run: symptom(sigNoOIDCProvider, func(p *analysis.Pass, ms []errMatch) {
		issuer := strings.TrimSuffix(ms[0].group("issuer"), ".")
		host := strings.TrimPrefix(issuer, "https://")
		named := issuer
		if issuer == "" {
			named = "the cluster's issuer"
		}
		var c causes
		var trusted []string
		for _, pol := range trustPolicies(p) {
			for _, st := range irsaStatements(pol) {
				for _, pp := range st.Providers {
					f := pp.Value.Value
					if _, provider, ok := strings.Cut(f, ":oidc-provider/"); ok {
						trusted = append(trusted, provider)
						if strings.EqualFold(provider, host) {
							c.show("provider", shownLikely, "the pasted trust policy names this issuer's provider (%s), so the provider is missing from "+
								"the role's account: create it there (cross-account roles need it in their own account)", f)
						}
					}
				}
			}
		}
		if len(trusted) > 0 && !c.shown() && host != "" {
			c.show("provider", shownDecisive, "the pasted trust policy trusts %s, not this cluster's issuer %s: it was written for another cluster or region",
				quoteList(trusted), host)
		}
		c.add("provider", common+5, "the cluster's OIDC provider was never created in IAM (eksctl utils associate-iam-oidc-provider)")
		c.add("provider", common, "the role is in another account than the provider: create the provider in the role's account")
		c.add("provider", rare, "the cluster was recreated, so its issuer ID changed, and the provider and trust policy name the old one")
		p.Report(analysis.Finding{Start: ms[0].Start, End: ms[0].End, Message: fmt.Sprintf("STS has no OIDC provider for %s in the role's account. %s", named, c.String()), Causes: c.evidence()})
		p.SuggestCommand("Create the cluster's OIDC provider", "eksctl utils associate-iam-oidc-provider --cluster "+firstNonEmpty(clusterRef(p).Name, "my-cluster")+" --approve",
			"Creates it with audience sts.amazonaws.com, in the account of the credentials you run it with; `aws iam list-open-id-connect-providers` lists the existing ones.")
	}),
}

var sigAudience = newSignature([]string{"Incorrect token audience"},
	[]string{`Incorrect token audience`},
	[]string{"An error occurred (InvalidIdentityToken) when calling the AssumeRoleWithWebIdentity operation: Incorrect token audience"},
	[]string{"No OpenIDConnect provider found"})

var errAudience = &analysis.Rule{
	ID:       "ERR030",
	Title:    "the token's audience is not one the OIDC provider accepts",
	Severity: analysis.High,
	Kinds:    errorTextKinds,
	Doc: "The projected service account token carries an audience (sts.amazonaws.com unless the ServiceAccount's " +
		"eks.amazonaws.com/audience annotation says otherwise), and the IAM OIDC provider accepts only the audiences in its client ID " +
		"list. A provider created with a typo (sts.amazon.com) or without sts.amazonaws.com, or a changed audience annotation, fails " +
		"this way. Add sts.amazonaws.com to the provider's client IDs, or remove the annotation.",
	Refs: []string{irsaErrorsDoc, webhookReadme, oidcProviderDoc},
	Run: symptom(sigAudience, func(p *analysis.Pass, ms []errMatch) {
		var c causes
		for _, sa := range serviceAccounts(p) {
			if sa.Audience != "" && sa.Audience != "sts.amazonaws.com" {
				c.show("annotation", shownDecisive, "ServiceAccount %s sets eks.amazonaws.com/audience to %s, so its token is not for sts.amazonaws.com",
					sa.Name, sa.Audience)
			}
		}
		c.add("clientid", common+5, "the IAM OIDC provider's client ID list lacks sts.amazonaws.com (created with a typo such as sts.amazon.com)")
		c.add("annotation", common-5, "the ServiceAccount's eks.amazonaws.com/audience annotation names another audience")
		p.Report(analysis.Finding{Start: ms[0].Start, End: ms[0].End, Message: fmt.Sprintf("STS refused the token's audience. %s", c.String()), Causes: c.evidence()})
		p.SuggestCommand("Check the provider's audiences", "aws iam get-open-id-connect-provider --open-id-connect-provider-arn PROVIDER_ARN --query ClientIDList",
			"Add a missing one with `aws iam add-client-id-to-open-id-connect-provider --open-id-connect-provider-arn PROVIDER_ARN --client-id sts.amazonaws.com`.")
	}),
}

var sigThumbprint = newSignature([]string{"thumbprint"},
	[]string{`OpenIDConnect provider's HTTPS certificate doesn't match configured thumbprint`},
	[]string{"failed to retrieve credentials caused by: InvalidIdentityToken: OpenIDConnect provider's HTTPS certificate doesn't match configured thumbprint"},
	[]string{"Incorrect token audience"})

var errThumbprint = &analysis.Rule{
	ID:       "ERR031",
	Title:    "the OIDC provider's thumbprint does not match",
	Severity: analysis.High,
	Kinds:    errorTextKinds,
	Doc: "The IAM OIDC provider stores the thumbprint of the issuer's certificate chain, and STS found a different one when it " +
		"fetched the cluster's signing keys: the thumbprint was mistyped, computed from the wrong certificate, or is outdated. " +
		"Recompute it (eksctl utils associate-iam-oidc-provider, or Terraform's tls_certificate data source on the issuer URL) and " +
		"update it with aws iam update-open-id-connect-provider-thumbprint.",
	Refs: []string{irsaErrorsDoc, "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers_create_oidc_verify-thumbprint.html"},
	Run: symptom(sigThumbprint, func(p *analysis.Pass, ms []errMatch) {
		p.Reportf(ms[0].Start, ms[0].End, nil, "STS refused the token because the issuer's certificate does not match the thumbprint stored "+
			"in the IAM OIDC provider; recompute it and update the provider.")
		p.SuggestCommand("Update the thumbprint", "aws iam update-open-id-connect-provider-thumbprint --open-id-connect-provider-arn PROVIDER_ARN --thumbprint-list NEW_THUMBPRINT",
			"In Terraform, take thumbprint_list from a tls_certificate data source on the issuer URL.")
	}),
}

var sigWebIdentityDenied = newSignature([]string{"AssumeRoleWithWebIdentity"},
	[]string{`[Nn]ot authorized to perform sts:AssumeRoleWithWebIdentity`},
	[]string{"An error occurred (AccessDenied) when calling the AssumeRoleWithWebIdentity operation: Not authorized to perform sts:AssumeRoleWithWebIdentity"},
	[]string{"Not authorized to perform sts:AssumeRole on resource"})

var errWebIdentityDenied = &analysis.Rule{
	ID:       "ERR032",
	Title:    "the role's trust policy refuses the service account",
	Severity: analysis.High,
	Kinds:    errorTextKinds,
	Doc: "STS checked the role's trust policy against the pod's token and no statement allowed it. Most often the :sub condition " +
		"names another namespace or ServiceAccount than the pod's (system:serviceaccount:NAMESPACE:NAME), a wildcard is used under " +
		"StringEquals (which compares literally; use StringLike), the condition key carries https:// (the key is the issuer without " +
		"scheme, so it never matches), the Federated principal names another cluster's provider, or the annotation names another " +
		"role than the one whose trust policy you edited.",
	Refs: []string{irsaRoleDoc, irsaErrorsDoc, crossplaneIssue5578},
	Run: symptom(sigWebIdentityDenied, func(p *analysis.Pass, ms []errMatch) {
		var c causes
		weighTrustForServiceAccount(p, &c)
		controllerSubjects(p, &c)
		c.add("sub", common+5, "the trust policy's :sub condition names another namespace or ServiceAccount than the pod's")
		c.add("sub", common, "a wildcard under StringEquals, or a condition key written with https://")
		c.add("role", common-5, "the ServiceAccount's role-arn annotation names another role than the one whose trust policy you edited")
		c.add("provider", rare, "the Federated principal names another cluster's (or region's) OIDC provider")
		p.Report(analysis.Finding{Start: ms[0].Start, End: ms[0].End, Message: fmt.Sprintf("STS refused to let the pod's service account token assume the role. %s", c.String()), Causes: c.evidence()})
		p.SuggestCommand("Paste the role's trust policy", "aws iam get-role --role-name ROLE --query Role.AssumeRolePolicyDocument",
			"Paste it with the ServiceAccount (`kubectl get serviceaccount NAME -n NAMESPACE -o yaml`) to compare them; CloudTrail's AssumeRoleWithWebIdentity event shows the sub STS saw.")
	}),
}

// weighTrustForServiceAccount replays the pasted ServiceAccounts against
// the pasted trust policies with the trust simulator, as STS would.
func weighTrustForServiceAccount(p *analysis.Pass, c *causes) {
	irsa := webIdentityTrusts(p)
	switch {
	case len(trustPolicies(p)) > 0 && len(irsa) == 0:
		c.show("provider", shownDecisive, "no statement of the pasted trust policy trusts an EKS OIDC provider")
		return
	case len(irsa) == 0:
		return
	}
	sas := serviceAccounts(p)
	if len(sas) == 0 {
		c.add("sub", common+6, "the pasted trust policy's own findings (rules IRSA…) show what in it cannot match; paste the ServiceAccount to replay the pod's request")
	}
	for _, sa := range sas {
		if sa.EksctlRole {
			continue // eksctl writes a trust that admits it
		}
		annotated := ""
		if sa.RoleARN != nil {
			annotated = sa.RoleARN.Value
		}
		pols, other := forRole(irsa, annotated)
		if other != "" {
			c.show("role", shownDecisive, "ServiceAccount %s is annotated with %s, but the pasted trust policy is %s's: the pod assumes another role than the one you edited",
				sa.Name, annotated, other)
			continue
		}
		for _, pol := range pols {
			switch v := replayServiceAccount(p.Src, pol, sa); {
			case !v.Replayed && len(v.Never) > 0:
				c.show("sub", shownDecisive, "ServiceAccount %s is never one the trust policy admits (%s)", sa.Name, strings.Join(v.Never, ", "))
			case !v.Replayed:
			case v.Decision.Allowed:
				c.ruleOut("sub", "Replayed against the pasted trust policy, ServiceAccount %s's token is admitted", sa.Name)
			default:
				start, end := v.Decision.where(pol)
				c.showAt(start, end, "sub", shownDecisive, "replayed against the pasted trust policy, the token of ServiceAccount %s is refused; "+
					"the findings on the trust policy show the condition that fails and fix it", sa.Name)
			}
		}
	}
}

var sigWebIdentityErr = newSignature([]string{"WebIdentityErr"},
	[]string{`WebIdentityErr: (?P<what>failed fetching WebIdentity token|failed to retrieve credentials|role ARN is not set|token file path is not set)`},
	[]string{`WebIdentityErr: failed fetching WebIdentity token: caused by: WebIdentityErr: unable to read file at /var/run/secrets/eks.amazonaws.com/serviceaccount/token`,
		`WebIdentityErr: failed to retrieve credentials\ncaused by: RequestError: send request failed`},
	[]string{"InvalidIdentityToken: Incorrect token audience"})

var errWebIdentityErr = &analysis.Rule{
	ID:       "ERR033",
	Title:    "the SDK could not use the web identity token",
	Severity: analysis.High,
	Kinds:    errorTextKinds,
	Doc: "The AWS SDK in the pod found the IRSA environment (AWS_ROLE_ARN, AWS_WEB_IDENTITY_TOKEN_FILE) but could not complete the " +
		"exchange. \"unable to read file … permission denied\" means the container's user cannot read the projected token: set the " +
		"pod's securityContext.fsGroup. \"no such file\" means the token was not mounted: the pod started before the ServiceAccount " +
		"was annotated, or the webhook did not run; restart it. \"send request failed\" with a DNS or dial error means the pod cannot " +
		"reach STS: CoreDNS not ready yet, no route to the internet or an STS VPC endpoint from private subnets.",
	Refs: []string{irsaOverviewDoc, webhookReadme, irsaErrorsDoc, karpenterTroubleshooting},
	Run: symptom(sigWebIdentityErr, func(p *analysis.Pass, ms []errMatch) {
		line := p.Doc.Text
		var c causes
		switch {
		case strings.Contains(line, "permission denied"):
			c.show("mount", shownDecisive, "the container's user may not read the projected token: set spec.securityContext.fsGroup (for example 65534) "+
				"on the pod so the token file is group-readable")
		case strings.Contains(line, "no such file or directory"):
			c.show("mount", shownDecisive, "the token file is not mounted: the pod started before its ServiceAccount got the eks.amazonaws.com/role-arn "+
				"annotation, or the pod identity webhook did not mutate it; delete the pod so it is recreated")
		case strings.Contains(line, "send request failed") || strings.Contains(line, "RequestError"):
			if host, lookup := stsHost(line); host != "" {
				stsFailure(p, host, lookup, &c)
				break
			}
			c.show("network", shownDecisive, "the pod could not reach STS (%s): CoreDNS not ready (a controller starting before DNS), no NAT "+
				"or STS VPC endpoint for private subnets, or a proxy", networkCause(line))
		case strings.Contains(line, "role ARN is not set"):
			c.show("env", shownDecisive, "AWS_WEB_IDENTITY_TOKEN_FILE is set but AWS_ROLE_ARN is not: check the ServiceAccount's eks.amazonaws.com/role-arn annotation")
		case strings.Contains(line, "token file path is not set"):
			c.show("mount", shownDecisive, "AWS_ROLE_ARN is set but AWS_WEB_IDENTITY_TOKEN_FILE is not: the token was not injected")
		}
		c.add("mount", common, "the pod started before the ServiceAccount was annotated: restart it")
		p.Report(analysis.Finding{Start: ms[0].Start, End: ms[0].End, Message: fmt.Sprintf("The SDK could not exchange the pod's web identity token for credentials. %s", c.String()), Causes: c.evidence()})
	}, sigNoOIDCProvider, sigAudience, sigThumbprint, sigWebIdentityDenied, sigInvalidToken, sigExpiredToken),
}

var dialFailure = regexp.MustCompile(`dial tcp[^"\\]*?: (?:lookup (\S+?)(?: on \S+)?: )?(i/o timeout|no such host|connection refused|network is unreachable)`)

// networkCause says which connection failed and how, from a Go error.
func networkCause(text string) string {
	m := dialFailure.FindStringSubmatch(text)
	switch {
	case m == nil:
		return "the request failed"
	case m[1] != "":
		return "looking up " + m[1] + " failed: " + m[2]
	}
	return m[2]
}

var sigExpiredToken = newSignature([]string{"ExpiredToken"},
	[]string{`ExpiredTokenException\)?:?[^\n]*?(?:Token expired: current date/time[^\n]*|web identity token that was passed is expired[^\n]*)`,
		`\(ExpiredToken\) when calling the (?P<op>\w+) operation`},
	[]string{"An error occurred (ExpiredTokenException) when calling the AssumeRoleWithWebIdentity operation: Token expired: current date/time 1626271164 must be before the expiration date/time1626191469",
		"An error occurred (ExpiredToken) when calling the ListBuckets operation: The security token included in the request is expired"},
	[]string{"X-Amz-Date parameter is expired (15 minute expiration)"})

var errExpiredToken = &analysis.Rule{
	ID:       "ERR034",
	Title:    "the credentials or the web identity token expired",
	Severity: analysis.High,
	Kinds:    errorTextKinds,
	Doc: "ExpiredTokenException from AssumeRoleWithWebIdentity means the projected service account token the SDK sent is past its " +
		"expiry: the kubelet refreshes the file, but the process read it once and kept it (an old SDK, or code that caches the token " +
		"instead of the credentials provider), or the node's clock is wrong. ExpiredToken from any other call means the temporary " +
		"credentials used (a role session, an SSO session, exported AWS_SESSION_TOKEN) have expired: get new ones (aws sso login, " +
		"assume the role again) rather than reusing exported keys.",
	Refs: []string{irsaOverviewDoc, "https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoleWithWebIdentity.html",
		"https://github.com/awslabs/aws-orbit-workbench/issues/771"},
	Run: symptom(sigExpiredToken, func(p *analysis.Pass, ms []errMatch) {
		if op := ms[0].group("op"); op != "" && op != "AssumeRoleWithWebIdentity" {
			p.Reportf(ms[0].Start, ms[0].End, nil, "The temporary credentials used for %s have expired: get fresh ones (aws sso login, assume "+
				"the role again, or let the SDK's credential provider refresh them) instead of reusing exported AWS_SESSION_TOKEN values.", op)
			return
		}
		p.Reportf(ms[0].Start, ms[0].End, nil, "STS refused an expired service account token: the process kept a token it read once "+
			"(upgrade the SDK to a version that supports IRSA and let its web identity provider re-read the file), or the node's clock is off.")
	}),
}

var sigRequestARN = newSignature([]string{"Request ARN is invalid"},
	[]string{`Request ARN is invalid`},
	[]string{"An error occurred (ValidationError) when calling the AssumeRoleWithWebIdentity operation: Request ARN is invalid"},
	[]string{"Role with arn: x, could not be assumed"})

var errRequestARN = &analysis.Rule{
	ID:       "ERR035",
	Title:    "the role ARN given to STS is malformed",
	Severity: analysis.High,
	Kinds:    errorTextKinds,
	Doc: "STS could not parse the role ARN it was asked to assume. With IRSA it comes from the ServiceAccount's " +
		"eks.amazonaws.com/role-arn annotation (through AWS_ROLE_ARN): a missing or extra colon, a blank account ID, spaces, quotes or " +
		"a policy ARN instead of a role ARN. It must read arn:aws:iam::ACCOUNT_ID:role/NAME (with the role's path, if it has one); " +
		"restart the pods after correcting it.",
	Refs: []string{irsaErrorsDoc, irsaRoleDoc},
	Run: symptom(sigRequestARN, func(p *analysis.Pass, ms []errMatch) {
		msg := "STS could not parse the role ARN (for IRSA, the ServiceAccount's eks.amazonaws.com/role-arn annotation); it must read arn:aws:iam::ACCOUNT_ID:role/NAME."
		for _, sa := range serviceAccounts(p) {
			if sa.RoleARN != nil && !roleARNPattern.MatchString(sa.RoleARN.Value) {
				msg += " The pasted ServiceAccount " + sa.Name + " has " + sa.RoleARN.Value + "."
			}
		}
		p.Reportf(ms[0].Start, ms[0].End, nil, "%s Restart the pods after correcting it.", msg)
	}),
}

// controllerSubjects shows, for each ServiceAccount subject the paste
// names that looks like a known controller's under another name than the
// one it runs as by default, that a trust :sub naming it would not match
// a default install. Another namespace alone is a common choice, and is
// left alone.
func controllerSubjects(p *analysis.Pass, c *causes) {
	subjects := analysis.MemoInput(p.Input, pastedSubjectsKey, func() [][]string { return saSubject.FindAllStringSubmatch(p.Src.Text, 20) })
	for _, m := range subjects {
		for i := range controllerPolicies {
			ctl := &controllerPolicies[i]
			_, name, _ := strings.Cut(ctl.serviceAccount, "/")
			if ctl.roleName.MatchString(m[2]) && m[2] != name {
				c.show("sub", shownLikely, "%s runs as ServiceAccount %s by default (its chart's and AWS's name), so a trust "+
					":sub of %s does not match a default install: write system:serviceaccount:%s", ctl.name, ctl.serviceAccount,
					m[0], strings.Replace(ctl.serviceAccount, "/", ":", 1))
			}
		}
	}
}

// pastedSubjectsKey keeps the first ServiceAccount subjects of a paste.
var pastedSubjectsKey = analysis.NewKey[[][]string]("pasted-subjects")

// saSubject matches a ServiceAccount's subject: its namespace and name.
var saSubject = regexp.MustCompile(`system:serviceaccount:([a-z0-9-]+):([a-z0-9.-]+)`)
