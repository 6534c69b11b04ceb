package core

import (
	"github.com/eksdoctor/eksdoctor/analysis"
	"github.com/eksdoctor/eksdoctor/fixes"
)

// TrustRequest is a request to assume a role, for SimulateTrust: an IRSA
// web-identity request (provider, sub, aud) or an EKS Pod Identity request
// (sessionTags). See fixes.TrustRequest for the fields.
type TrustRequest = fixes.TrustRequest

// TrustDecision is SimulateTrust's answer: allowed or not, the statement
// and condition that decided, and a trace of every statement.
type TrustDecision = fixes.TrustDecision

// SimulateTrust answers "would this pod be allowed to assume this role?"
// offline: it finds the trust policy in text (a policy, `aws iam get-role`
// output, a CloudFormation template, or a whole paste holding one) and
// evaluates req against it with IAM's semantics. Give text and req in the
// same space: both original, or both taken from a report's redacted text.
// Lines in the answer are lines of text. It never panics.
func SimulateTrust(text string, req TrustRequest) (d TrustDecision) {
	defer func() {
		if r := recover(); r != nil {
			d = TrustDecision{Decision: "error", Error: internalError(r), Statements: []fixes.StatementTrace{}}
		}
	}()
	if msg := checkInput(text); msg != "" {
		return TrustDecision{Decision: "error", Error: msg, Statements: []fixes.StatementTrace{}}
	}
	return fixes.SimulateTrust(inputOf(text), req)
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
	return fixes.TrustRequestFrom(inputOf(text))
}

// inputOf splits text, unredacted, into documents for the simulator and
// Kinds (at most MaxDocuments; a trust policy comes long before that).
func inputOf(text string) *analysis.Input {
	src := analysis.NewSource(text)
	docs, _ := splitDocuments(src)
	return &analysis.Input{Src: src, Docs: docs}
}
