package core

import (
	"github.com/eksdoctor/eksdoctor/analysis"
	"github.com/eksdoctor/eksdoctor/fixes"
)

// TrustRequest is a request to assume a role, for SimulateTrust: an IRSA
// web-identity request (Provider, Subject, Audience) or an EKS Pod
// Identity request (Service, SessionTags).
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

// PodIdentity reports whether the request is a Pod Identity request.
func (r TrustRequest) PodIdentity() bool { return convert[fixes.TrustRequest](r).PodIdentity() }

// TrustDecision is SimulateTrust's answer: allowed or not, the statement
// and condition that decided, and a trace of every statement.
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
}

// StatementTrace is how one statement of a trust policy evaluated.
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
}

// SimulateTrust answers "would this pod be allowed to assume this role?"
// offline: it finds the trust policy in text (a policy, `aws iam get-role`
// output, a CloudFormation template, or a whole paste holding one) and
// evaluates req against it with IAM's semantics. Give text and req in the
// same space: both original, or both taken from a report's redacted text.
// Lines in the answer are lines of text. It never panics.
func SimulateTrust(text string, req TrustRequest) (d TrustDecision) {
	defer func() {
		if r := recover(); r != nil {
			d = TrustDecision{Decision: "error", Error: internalError(r), Statements: []StatementTrace{}}
		}
	}()
	if msg := checkInput(text); msg != "" {
		return TrustDecision{Decision: "error", Error: msg, Statements: []StatementTrace{}}
	}
	in := inputOf(text)
	if notes := deepNotes(in.Docs, in.Src.Position); len(notes) > 0 {
		return TrustDecision{Decision: "error", Error: notes[0], Statements: []StatementTrace{}}
	}
	return convert[TrustDecision](fixes.SimulateTrust(in, convert[fixes.TrustRequest](req)))
}

// TrustRequestFromText derives the request to prefill the simulator with
// from a paste: the ServiceAccount's subject, audience and role
// annotation, with the OIDC provider of a pasted CloudTrail event or trust
// policy (or, for a role that trusts only Pod Identity, the
// ServiceAccount's session tags); without a ServiceAccount, a CloudTrail
// AssumeRoleWithWebIdentity event. ok is false when nothing pasted says who
// asks.
func TrustRequestFromText(text string) (req TrustRequest, ok bool) {
	defer func() {
		if recover() != nil {
			req, ok = TrustRequest{}, false
		}
	}()
	if checkInput(text) != "" {
		return TrustRequest{}, false
	}
	fr, ok := fixes.TrustRequestFrom(inputOf(text))
	return convert[TrustRequest](fr), ok
}

// inputOf splits text, unredacted, into documents for the simulator and
// Kinds (at most MaxDocuments; a trust policy comes long before that).
func inputOf(text string) *analysis.Input {
	src, docs, _ := readDocuments(text)
	return &analysis.Input{Src: src, Docs: docs}
}
