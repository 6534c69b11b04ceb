package fixes

import (
	"strings"

	"github.com/eksdoctor/eksdoctor/analysis"

	"github.com/eksdoctor/eksdoctor/internal/prefilter"
)

// Cross-document Pod Identity rules: the wrong kind of trust for how the
// pod gets its role, and session-tag conditions against a pasted
// ServiceAccount.

// podIDRejected is EKS's answer to a Pod Identity association whose role
// does not trust pods.eks.amazonaws.com.
var podIDRejected = prefilter.MustCompile(`(?i)trust policy of the role provided is invalid`)

var podIDWrongMechanism = &analysis.Rule{
	ID:       "PODID002",
	Title:    "trust for IRSA used with Pod Identity, or the reverse",
	Severity: analysis.High,
	Kinds:    []analysis.Kind{analysis.KindTrustPolicy, analysis.KindIAMPolicy, analysis.KindServiceAccount, analysis.KindErrorText},
	Cross:    true,
	Doc: "IRSA and EKS Pod Identity need different trust: IRSA a Federated OIDC provider with " +
		"sts:AssumeRoleWithWebIdentity, Pod Identity the service principal pods.eks.amazonaws.com with sts:AssumeRole and " +
		"sts:TagSession. A ServiceAccount annotated with eks.amazonaws.com/role-arn uses IRSA, so a role that trusts only " +
		"pods.eks.amazonaws.com refuses it; a Pod Identity association to a role that trusts only an OIDC provider fails " +
		"with \"Trust policy of the role provided is invalid\". Add the statement for the mechanism you use (a role may " +
		"trust both while you migrate).",
	Refs: []string{podIdentityRoleDoc, irsaRoleDoc, tfAWSProviderIssue41483},
	Run: func(p *analysis.Pass) {
		trusts := trustPolicies(p)
		rejected := false
		for _, doc := range p.OfKind(analysis.KindErrorText) {
			rejected = rejected || podIDRejected.MatchString(doc.Text)
		}
		for _, sa := range serviceAccounts(p) {
			if sa.RoleARN == nil {
				continue
			}
			pols, _ := forRole(trusts, sa.RoleARN.Value)
			for _, pol := range pols {
				pods := podStatements(pol)
				if len(pods) == 0 || len(irsaStatements(pol)) > 0 {
					continue
				}
				v := pods[0].PrincipalsOf("Service")[0]
				p.Reportf(v.Start, v.End, nil, "ServiceAccount %s uses IRSA (its %s annotation), but this role trusts only %s, "+
					"so the pod's AssumeRoleWithWebIdentity call is refused. Add a statement for the cluster's OIDC provider, or "+
					"create a Pod Identity association and remove the annotation.", sa.Name, roleARNAnnotation, PodIdentityService)
			}
		}
		if !rejected {
			return
		}
		for _, pol := range trusts {
			if len(podStatements(pol)) > 0 {
				continue
			}
			start, end := pol.Start, pol.Start
			what := "does not trust " + PodIdentityService
			if irsa := irsaStatements(pol); len(irsa) > 0 {
				start, end = irsa[0].Providers[0].Value.Start, irsa[0].Providers[0].Value.End
				what = "trusts only an OIDC provider (IRSA), not " + PodIdentityService
			}
			p.Reportf(start, end, nil, "EKS refused the Pod Identity association because this role %s. Add a statement allowing "+
				"%s sts:AssumeRole and sts:TagSession.", what, PodIdentityService)
			p.Suggest("Add the Pod Identity statement to the trust policy",
				`{"Effect": "Allow", "Principal": {"Service": "pods.eks.amazonaws.com"}, "Action": ["sts:AssumeRole", "sts:TagSession"]}`)
		}
	},
}

var podIDServiceAccountTags = &analysis.Rule{
	ID:       "PODID005",
	Title:    "session-tag conditions exclude the pasted ServiceAccount",
	Severity: analysis.High,
	Kinds:    []analysis.Kind{analysis.KindTrustPolicy, analysis.KindIAMPolicy, analysis.KindServiceAccount},
	Cross:    true,
	Doc: "With one ServiceAccount and one Pod Identity trust policy pasted, the simulator replays the session tags EKS " +
		"would pass for that ServiceAccount (kubernetes-namespace, kubernetes-service-account). When the trust policy's " +
		"conditions name another namespace or ServiceAccount, the association is accepted but its pods get no credentials. " +
		"Make the tag values the ServiceAccount's namespace and name.",
	Refs: []string{podIdentityRoleDoc, podIDTagsDoc},
	Run: func(p *analysis.Pass) {
		sas := serviceAccounts(p)
		var pols []*Policy
		for _, pol := range trustPolicies(p) {
			if len(podStatements(pol)) > 0 {
				pols = append(pols, pol)
			}
		}
		if len(sas) != 1 || len(pols) != 1 || sas[0].Namespace == "" {
			return
		}
		sa, pol := sas[0], pols[0]
		tags := map[string]string{"kubernetes-namespace": sa.Namespace, "kubernetes-service-account": sa.Name}
		d := EvaluateTrust(p.Src, pol, TrustRequest{SessionTags: tags})
		if d.Allowed || !valueMiss(d) || d.cond == nil {
			return
		}
		_, tag, _ := tagKey(d.cond.Key.Value)
		want := tags[podTag(tag)]
		var fix *analysis.Fix
		if c := d.cond; want != "" && len(c.Values) == 1 && editable(c.Values[0]) && !hasWildcard(c.Values[0].Value) &&
			!strings.HasPrefix(c.Values[0].Value, serviceAccountClaim) && c.Key.Value == podIdentityTagsKey+podTag(tag) {
			if op, _ := ParseOperator(c.Operator.Value); !op.Negated() {
				fix = &analysis.Fix{Summary: "Admit " + want, Edits: []analysis.Edit{c.Values[0].Replace(want)}}
			}
		}
		start, end := d.cond.Span()
		p.Reportf(start, end, fix, "ServiceAccount %s/%s is not admitted: %s", sa.Namespace, sa.Name, d.Reason)
	},
}
