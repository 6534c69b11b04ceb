package fixes

import (
	"cmp"
	"sort"
	"strings"

	"github.com/eksdoctor/eksdoctor/analysis"
)

// TrustRequest is a request to assume a role: an IRSA web-identity
// request (Provider, Subject, Audience) or an EKS Pod Identity request
// (Service, SessionTags).
type TrustRequest struct {
	// Provider is the IAM OIDC provider: its ARN
	// (arn:aws:iam::ACCOUNT:oidc-provider/oidc.eks.REGION.amazonaws.com/id/ID)
	// or the cluster's issuer URL or host, which then matches a provider of
	// that issuer in any account.
	Provider string `json:"provider,omitempty"`
	// Subject is the token's sub: system:serviceaccount:NAMESPACE:NAME.
	Subject string `json:"sub,omitempty"`
	// Audience is the token's aud; "" means sts.amazonaws.com, the
	// webhook's default.
	Audience string `json:"aud,omitempty"`
	// Service is the service principal for Pod Identity; "" with session
	// tags and no provider means pods.eks.amazonaws.com.
	Service string `json:"service,omitempty"`
	// SessionTags are the Pod Identity session tags (kubernetes-namespace,
	// kubernetes-service-account, eks-cluster-arn, eks-cluster-name,
	// kubernetes-pod-name, kubernetes-pod-uid).
	SessionTags map[string]string `json:"sessionTags,omitempty"`
	// Context adds request-context keys, or replaces derived ones: e.g.
	// aws:SourceAccount, sts:RoleSessionName.
	Context map[string][]string `json:"context,omitempty"`
	// RoleARN is the role the pod asks for (its eks.amazonaws.com/role-arn
	// annotation); with several trust policies it picks the one to test.
	RoleARN string `json:"roleArn,omitempty"`
}

// TrustDecision is the simulator's answer.
type TrustDecision struct {
	Allowed bool `json:"allowed"`
	// Decision is "allow", "explicit-deny", "implicit-deny" or "error".
	Decision string `json:"decision"`
	// Action is the action the decision is about.
	Action string `json:"action,omitempty"`
	// Reason says in a sentence what decided.
	Reason string `json:"reason"`
	// Policy names the policy that was evaluated.
	Policy string `json:"policy,omitempty"`
	// Statement is the statement that decided (for an implicit deny, the
	// one that came closest to allowing), and Condition the condition that
	// decided within it.
	Statement *StatementTrace `json:"statement,omitempty"`
	Condition *ConditionTrace `json:"condition,omitempty"`
	// Statements traces every statement for Action.
	Statements []StatementTrace `json:"statements"`
	// Context is the request context the policy was evaluated against.
	Context map[string][]string `json:"context,omitempty"`
	// Error says why nothing could be evaluated.
	Error string `json:"error,omitempty"`

	// stmt and cond are the deciding statement and condition, for rules
	// that point at them.
	stmt *Statement
	cond *Condition
}

// where returns what decided d in pol's text: the condition that failed,
// else the statement, else the whole policy.
func (d TrustDecision) where(pol *Policy) (start, end int) {
	switch {
	case d.cond != nil:
		return d.cond.Span()
	case d.stmt != nil:
		return d.stmt.Start, d.stmt.End
	}
	return pol.Start, pol.End
}

// StatementTrace is how one statement evaluated.
type StatementTrace struct {
	// Index counts statements from 1, as people do.
	Index  int    `json:"index"`
	Sid    string `json:"sid,omitempty"`
	Effect string `json:"effect"`
	// Line is the statement's 1-based line in the analysed text.
	Line             int              `json:"line"`
	PrincipalMatches bool             `json:"principalMatches"`
	ActionMatches    bool             `json:"actionMatches"`
	ConditionsMatch  bool             `json:"conditionsMatch"`
	Applies          bool             `json:"applies"`
	Conditions       []ConditionTrace `json:"conditions,omitempty"`

	stmt *Statement
}

// ConditionTrace is how one condition key evaluated.
type ConditionTrace struct {
	Operator string   `json:"operator"`
	Key      string   `json:"key"`
	Values   []string `json:"values"`
	// Request holds the request's values for the key (none when absent).
	Request []string `json:"request,omitempty"`
	Result  bool     `json:"result"`
	Why     string   `json:"why,omitempty"`
	Line    int      `json:"line"`

	cond *Condition
}

// The actions and principals of the two ways pods get a role.
const (
	ActionWebIdentity   = "sts:AssumeRoleWithWebIdentity"
	ActionAssumeRole    = "sts:AssumeRole"
	ActionTagSession    = "sts:TagSession"
	PodIdentityService  = "pods.eks.amazonaws.com"
	DefaultAudience     = "sts.amazonaws.com"
	oidcProviderMarker  = ":oidc-provider/"
	podIdentityTagsKey  = "aws:RequestTag/"
	serviceAccountClaim = "system:serviceaccount:"
)

// PodIdentity reports whether the request is a Pod Identity request.
func (r TrustRequest) PodIdentity() bool {
	return r.Service != "" || r.Provider == "" && len(r.SessionTags) > 0
}

// requestContext builds the request context: keys in lower case, as IAM
// compares key names without case.
func (r TrustRequest) requestContext() map[string][]string {
	ctx := map[string][]string{}
	if r.PodIdentity() {
		var keys []string
		for k, v := range r.SessionTags {
			ctx[strings.ToLower(podIdentityTagsKey+k)] = []string{v}
			keys = append(keys, k)
		}
		if len(keys) > 0 {
			sort.Strings(keys)
			ctx["aws:tagkeys"] = keys
		}
	} else if host := providerHost(r.Provider); host != "" {
		if r.Subject != "" {
			ctx[strings.ToLower(host+":sub")] = []string{r.Subject}
		}
		aud := r.Audience
		if aud == "" {
			aud = DefaultAudience
		}
		ctx[strings.ToLower(host+":aud")] = []string{aud}
	}
	for k, v := range r.Context {
		ctx[strings.ToLower(k)] = v
	}
	return ctx
}

// providerHost returns the issuer host and path an OIDC provider ARN,
// issuer URL or host names: what IRSA condition keys start with.
func providerHost(provider string) string {
	if _, host, ok := strings.Cut(provider, oidcProviderMarker); ok {
		return strings.TrimSuffix(host, "/")
	}
	return strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(provider), "https://"), "/")
}

// SimulateTrust evaluates a request against the trust policy in the input:
// the one of the requested role when several are pasted with their ARNs,
// else the first.
func SimulateTrust(in *analysis.Input, req TrustRequest) TrustDecision {
	p := &analysis.Pass{Input: in}
	var chosen *Policy
	for _, pol := range trustPolicies(p) {
		if chosen == nil || req.RoleARN != "" && roleARNOf(pol) == req.RoleARN {
			chosen = pol
		}
	}
	if chosen == nil {
		return TrustDecision{Decision: "error", Statements: []StatementTrace{},
			Error: "No trust policy found: paste the role's trust policy (aws iam get-role output or the policy JSON)."}
	}
	return EvaluateTrust(in.Src, chosen, req)
}

// TrustRequestFrom derives the request a pod would make from what is
// pasted: the ServiceAccount (its subject, audience and role annotation)
// and the provider of a CloudTrail event or of the trust policy; for a
// role that trusts only Pod Identity, the session tags of the
// ServiceAccount. Without a ServiceAccount, a CloudTrail
// AssumeRoleWithWebIdentity event gives the request, or else a Pod
// Identity association (its session tags and role). ok is false when
// nothing pasted says who asks.
func TrustRequestFrom(in *analysis.Input) (req TrustRequest, ok bool) {
	p := &analysis.Pass{Input: in}
	events := webIdentityEvents(p)
	trusts := trustPolicies(p)
	sas := serviceAccounts(p)
	if len(sas) == 0 {
		if len(events) > 0 {
			e := events[0]
			return TrustRequest{Provider: e.Provider, Subject: e.Subject, Audience: e.Audience, RoleARN: e.RoleARN}, true
		}
		return associationRequest(podAssociations(p))
	}
	sa := sas[0]
	for _, s := range sas {
		if s.RoleARN != nil {
			sa = s
			break
		}
	}
	if sa.RoleARN != nil {
		req.RoleARN = sa.RoleARN.Value
	}
	pols, _ := forRole(trusts, req.RoleARN)
	for _, pol := range pols {
		if len(podStatements(pol)) > 0 && len(irsaStatements(pol)) == 0 {
			req.SessionTags = sessionTagsOf(cmp.Or(sa.Namespace, "default"), sa.Name, "")
			return req, true
		}
		if reqs := saRequests(pol, sa); req.Provider == "" && len(reqs) > 0 {
			req.Provider, req.Subject, req.Audience = reqs[0].Provider, reqs[0].Subject, reqs[0].Audience
		}
	}
	if len(events) > 0 {
		req.Provider = events[0].Provider
	}
	if req.Subject == "" {
		req.Subject, req.Audience = sa.Subject("default"), sa.Audience
	}
	return req, true
}

// associationRequest returns the Pod Identity request of the first
// association that names its namespace and ServiceAccount: the session
// tags EKS puts on its pods' sessions, and its role when it names one.
func associationRequest(associations []podAssociation) (TrustRequest, bool) {
	for _, a := range associations {
		if a.Namespace == "" || a.ServiceAccount == "" {
			continue
		}
		req := TrustRequest{SessionTags: sessionTagsOf(a.Namespace, a.ServiceAccount, a.Cluster)}
		if a.Role != nil {
			req.RoleARN = a.Role.Value
		}
		return req, true
	}
	return TrustRequest{}, false
}

// sessionTagsOf returns the session tags EKS Pod Identity sets for a
// pod of a ServiceAccount, with the cluster's name when it is known.
func sessionTagsOf(namespace, serviceAccount, cluster string) map[string]string {
	tags := map[string]string{"kubernetes-namespace": namespace, "kubernetes-service-account": serviceAccount}
	if cluster != "" {
		tags["eks-cluster-name"] = cluster
	}
	return tags
}
