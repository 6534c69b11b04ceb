package fixes

import (
	"slices"
	"strings"

	"github.com/eksdoctor/eksdoctor/analysis"
	"github.com/eksdoctor/eksdoctor/internal/textdist"
)

// IRSA trust statements and their condition keys: which issuer and claim
// a key names, and how it should be written.

// irsaStatement is a trust statement for one or more EKS OIDC providers.
type irsaStatement struct {
	*Statement
	Providers []providerPrincipal
}

// single returns the statement's provider when it has exactly one whose
// issuer is known.
func (st irsaStatement) single() (providerPrincipal, bool) {
	if len(st.Providers) == 1 && st.Providers[0].Issuer.Host != "" {
		return st.Providers[0], true
	}
	return providerPrincipal{}, false
}

// irsaStatementOf returns the IRSA view of a statement; ok is false when
// it trusts no EKS OIDC provider.
func irsaStatementOf(s *Statement) (st irsaStatement, ok bool) {
	st.Statement = s
	for _, v := range s.PrincipalsOf("Federated") {
		if pp, isEKS := readProvider(v); isEKS {
			st.Providers = append(st.Providers, pp)
		}
	}
	return st, len(st.Providers) > 0 || conditionsOnly(s)
}

// conditionsOnly reports whether a statement is a Condition block pasted
// alone, with keys of an EKS issuer: what is known of it are its keys, so
// the rules about keys check it, and those that need its effect or its
// principal do not.
func conditionsOnly(s *Statement) bool {
	if s.Effect != nil || len(s.Principals) > 0 || len(s.Actions) > 0 {
		return false
	}
	return slices.ContainsFunc(s.Conditions, func(c *Condition) bool {
		host, _, ok := oidcKey(c.Key.Value)
		return ok && looksEKS(host)
	})
}

// irsaStatements returns the statements of a policy that trust an EKS
// OIDC provider.
func irsaStatements(pol *Policy) []irsaStatement {
	var out []irsaStatement
	for _, s := range pol.Statements {
		if st, ok := irsaStatementOf(s); ok {
			out = append(out, st)
		}
	}
	return out
}

// oidcKey splits a condition key into an OIDC issuer (host and path) and
// a claim: "oidc.eks.eu-west-1.amazonaws.com/id/X:sub". ok is false for
// keys of AWS services (aws:…, sts:…).
func oidcKey(key string) (host, claim string, ok bool) {
	i := strings.LastIndex(key, ":")
	if i <= 0 {
		return "", "", false
	}
	host, claim = key[:i], key[i+1:]
	return host, claim, strings.Contains(host, ".")
}

// oidcClaims are the claims IAM offers as condition keys for an OIDC
// provider.
var oidcClaims = []string{"sub", "aud", "amr", "azp"}

// claimOf returns the claim a condition key means to test: its own when
// IAM knows it, else the one its misspelling or its values point to
// (subjects mean sub, sts.amazonaws.com means aud), or "".
func claimOf(claim string, values []analysis.Scalar) string {
	lower := strings.ToLower(claim)
	if slices.Contains(oidcClaims, lower) {
		return lower
	}
	subjects, audiences := 0, 0
	for _, v := range values {
		switch {
		case strings.HasPrefix(v.Value, "system:serviceaccount"):
			subjects++
		case strings.Contains(v.Value, "sts.amazonaws"):
			audiences++
		}
	}
	switch {
	case len(values) > 0 && subjects == len(values):
		return "sub"
	case len(values) > 0 && audiences == len(values):
		return "aud"
	case textdist.Distance(lower, "sub", 2) <= 1 || slices.Contains([]string{"subject", "sa", "serviceaccount", "service-account"}, lower):
		return "sub"
	case textdist.Distance(lower, "aud", 2) <= 1 || slices.Contains([]string{"audience", "audiences"}, lower):
		return "aud"
	}
	return ""
}

// meantClaim is claimOf, and sub for a subject written under aud.
func meantClaim(claim string, values []analysis.Scalar) string {
	want := claimOf(claim, values)
	if want == "aud" && claimOf("", values) == "sub" {
		return "sub"
	}
	return want
}

// keyTarget returns the condition key as it should be written, for a key
// of the statement's provider: its issuer in canonical form, the claim
// IAM knows, and sub for a subject written under aud. fixable is false
// when that is not certain: the key names another issuer than the
// principal, its claim is unknown, or the corrected key would repeat a key
// of the same operator.
func (st irsaStatement) keyTarget(c *Condition) (target string, fixable bool) {
	host, claim, ok := oidcKey(c.Key.Value)
	if !ok {
		return c.Key.Value, false
	}
	is, eks := canonicalIssuer(host)
	pp, single := st.single()
	if !eks || !single || is.Host != pp.Issuer.Host {
		return c.Key.Value, false
	}
	want := meantClaim(claim, c.Values)
	if want == "" {
		return c.Key.Value, false
	}
	if strings.EqualFold(claim, want) {
		want = claim
	}
	target = pp.Issuer.Host + ":" + want
	for _, other := range st.ActiveConditions() {
		if other != c && other.Operator.Value == c.Operator.Value && strings.EqualFold(other.Key.Value, target) {
			return target, false
		}
	}
	return target, true
}

// keyFix returns the fix that writes a condition key as keyTarget says, or
// nil.
func (st irsaStatement) keyFix(c *Condition) *analysis.Fix {
	target, ok := st.keyTarget(c)
	if !ok || target == c.Key.Value || !editable(c.Key) {
		return nil
	}
	return &analysis.Fix{Summary: "Write the condition key as " + target, Edits: []analysis.Edit{c.Key.Replace(target)}}
}

// conditionsOn returns the statement's active conditions on a claim of
// its providers (by the claim the key means).
func (st irsaStatement) conditionsOn(claim string) []*Condition {
	var out []*Condition
	for _, c := range st.ActiveConditions() {
		if host, cl, ok := oidcKey(c.Key.Value); ok && looksEKS(host) && meantClaim(cl, c.Values) == claim {
			out = append(out, c)
		}
	}
	return out
}
