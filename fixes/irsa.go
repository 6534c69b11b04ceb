package fixes

import (
	"regexp"
	"slices"
	"strings"
)

// IRSA (IAM roles for service accounts): a pod's projected token from the
// cluster's OIDC issuer is exchanged with sts:AssumeRoleWithWebIdentity.
// The role's trust policy must name the IAM OIDC provider of that issuer
// (arn:PARTITION:iam::ACCOUNT:oidc-provider/oidc.eks.REGION.amazonaws.com/id/ID)
// and test the token's claims with condition keys made of the same issuer
// host and path, without https://: HOST:sub = system:serviceaccount:NS:SA,
// HOST:aud = sts.amazonaws.com.

const (
	irsaDoc        = "https://docs.aws.amazon.com/eks/latest/userguide/associate-service-account-role.html"
	irsaTroubleDoc = "https://docs.aws.amazon.com/eks/latest/userguide/security-iam-troubleshoot.html"
	oidcKeysDoc    = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html"
	conditionOps   = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html"
	bestPractices  = "https://docs.aws.amazon.com/eks/latest/best-practices/identity-and-access-management.html"
	webhookReadme  = "https://github.com/aws/amazon-eks-pod-identity-webhook/blob/master/README.md"
	accessAnalyzer = "https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html"
)

var (
	// regionName is an AWS region name: us-east-1, cn-north-1, us-gov-west-1.
	regionName = `[a-z]{2}(?:-[a-z]+)+-\d+`
	// eksIssuer is the host and path of an EKS cluster's OIDC issuer.
	eksIssuer = regexp.MustCompile(`^oidc\.eks\.(` + regionName + `)\.amazonaws\.com(\.cn)?/id/([A-Za-z0-9]+)$`)
	// Layouts people write instead: region before eks (the webhook README's
	// example), or no /id/.
	eksIssuerSwapped = regexp.MustCompile(`^oidc\.(` + regionName + `)\.eks\.amazonaws\.com(\.cn)?/(?:id/)?([A-Za-z0-9]+)$`)
	eksIssuerNoID    = regexp.MustCompile(`^oidc\.eks\.(` + regionName + `)\.amazonaws\.com(\.cn)?/([A-Za-z0-9]+)$`)
	// placeholderWord is text a document leaves for the reader to fill in.
	placeholderWord = regexp.MustCompile(`^(?:[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+|[Xx]{3,}|REGION|ACCOUNT|ACCOUNTID|ID)$`)
)

// IsPlaceholder reports whether a value, or one of its parts, is left for
// the reader to fill in: a template marker, ACCOUNT_ID, xxxxx.
func IsPlaceholder(v string) bool {
	if Templated(v) {
		return true
	}
	for _, part := range strings.FieldsFunc(v, func(r rune) bool { return strings.ContainsRune(":/.", r) }) {
		if placeholderWord.MatchString(part) {
			return true
		}
	}
	return false
}

// issuer is the canonical form of an EKS issuer host and path.
type issuer struct {
	Host      string // oidc.eks.REGION.amazonaws.com[.cn]/id/ID
	Region    string
	Partition string // the partition the region belongs to
	// Changed says how the text differed from the canonical form, or "".
	Changed string
}

// canonicalIssuer reads an issuer host written in any of the forms people
// use (with https://, a trailing slash, the swapped or /id/-less layout)
// and returns its canonical form; ok is false when it is not an EKS issuer.
func canonicalIssuer(text string) (is issuer, ok bool) {
	h := strings.TrimSpace(text)
	var changes []string
	for _, scheme := range []string{"https://", "http://"} {
		if after, found := strings.CutPrefix(h, scheme); found {
			h = after
			changes = append(changes, "starts with "+scheme)
		}
	}
	if after, found := strings.CutSuffix(h, "/"); found {
		h = after
		changes = append(changes, "ends with a slash")
	}
	m := eksIssuer.FindStringSubmatch(h)
	switch {
	case m != nil:
	case eksIssuerSwapped.MatchString(h):
		m = eksIssuerSwapped.FindStringSubmatch(h)
		changes = append(changes, "puts the region before eks (EKS issuers are oidc.eks.REGION.amazonaws.com/id/ID)")
	case eksIssuerNoID.MatchString(h):
		m = eksIssuerNoID.FindStringSubmatch(h)
		changes = append(changes, "lacks the /id/ before the issuer ID")
	default:
		return issuer{}, false
	}
	is = issuer{Region: m[1], Partition: regionPartition(m[1])}
	suffix := ".amazonaws.com"
	if is.Partition == "aws-cn" {
		suffix = ".amazonaws.com.cn"
	}
	if m[2] != "" && is.Partition != "aws-cn" || m[2] == "" && is.Partition == "aws-cn" {
		changes = append(changes, "has the wrong domain for "+m[1]+" (it is "+strings.TrimPrefix(suffix, ".")+")")
	}
	is.Host = "oidc.eks." + m[1] + suffix + "/id/" + m[3]
	is.Changed = strings.Join(changes, " and ")
	return is, true
}

// regionPartition returns the partition a region is in.
func regionPartition(region string) string {
	switch {
	case strings.HasPrefix(region, "cn-"):
		return "aws-cn"
	case strings.HasPrefix(region, "us-gov-"):
		return "aws-us-gov"
	case strings.HasPrefix(region, "us-iso-"):
		return "aws-iso"
	case strings.HasPrefix(region, "us-isob-"):
		return "aws-iso-b"
	}
	return "aws"
}

// looksEKS reports whether an OIDC provider or key host is meant to be an
// EKS cluster issuer (other providers, like GitHub's, are not IRSA).
func looksEKS(host string) bool {
	return strings.Contains(strings.ToLower(host), "eks")
}

// providerPrincipal is a Federated principal naming an IAM OIDC provider
// for an EKS issuer.
type providerPrincipal struct {
	Value Scalar
	// Issuer is the canonical issuer, when the host is an EKS issuer.
	Issuer issuer
	Valid  bool
	// Canonical is the principal as it should be written, when known.
	Canonical string
	// Problem says what is wrong with it, or "".
	Problem string
}

// readProvider checks one Federated principal value; ok is false when it
// is not an EKS OIDC provider (a SAML provider, GitHub's, a placeholder).
func readProvider(v Scalar) (pp providerPrincipal, ok bool) {
	pp.Value = v
	text := strings.TrimSpace(v.Value)
	_, host, hasProvider := strings.Cut(text, "oidc-provider/")
	if !hasProvider {
		if !strings.Contains(text, "oidc.eks.") || IsPlaceholder(text) {
			return pp, false
		}
		pp.Problem = "it is not an OIDC provider ARN (arn:aws:iam::ACCOUNT:oidc-provider/HOST)"
		return pp, true
	}
	if !looksEKS(host) || IsPlaceholder(text) {
		return pp, false
	}
	arn, isARN := ParseARN(text)
	is, eks := canonicalIssuer(host)
	pp.Issuer, pp.Valid = is, eks && is.Changed == ""
	switch {
	case !isARN || arn.Service != "iam" || arn.Region != "":
		pp.Problem = "it is not of the form arn:PARTITION:iam::ACCOUNT:oidc-provider/HOST"
		pp.Valid = false
		return pp, true
	case !eks:
		pp.Problem = "it names " + host + ", which is not an EKS issuer (oidc.eks.REGION.amazonaws.com/id/ID)"
		return pp, true
	case !accountID.MatchString(arn.Account):
		pp.Problem = "its account " + arn.Account + " is not a 12-digit account ID"
		pp.Valid = false
		return pp, true
	}
	canonical := ARN{Partition: is.Partition, Service: "iam", Account: arn.Account, Resource: "oidc-provider/" + is.Host}.String()
	if arn.Partition != is.Partition && slices.Contains(Partitions, arn.Partition) {
		pp.Problem = "it is in partition " + arn.Partition + ", but " + is.Region + " is in " + is.Partition
	}
	if is.Changed != "" {
		pp.Problem = joinProblems(pp.Problem, "its issuer "+is.Changed)
	}
	pp.Valid = pp.Problem == ""
	pp.Canonical = canonical
	return pp, true
}

func joinProblems(a, b string) string {
	if a == "" {
		return b
	}
	return a + ", and " + b
}

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

// irsaStatements returns the statements of a policy that trust an EKS
// OIDC provider.
func irsaStatements(pol *Policy) []irsaStatement {
	var out []irsaStatement
	for _, s := range pol.Statements {
		st := irsaStatement{Statement: s}
		for _, v := range s.PrincipalsOf("Federated") {
			if pp, ok := readProvider(v); ok {
				st.Providers = append(st.Providers, pp)
			}
		}
		if len(st.Providers) > 0 {
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
func claimOf(claim string, values []Scalar) string {
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
	case editDistance(lower, "sub") <= 1 || slices.Contains([]string{"subject", "sa", "serviceaccount", "service-account"}, lower):
		return "sub"
	case editDistance(lower, "aud") <= 1 || slices.Contains([]string{"audience", "audiences"}, lower):
		return "aud"
	}
	return ""
}

// meantClaim is claimOf, and sub for a subject written under aud.
func meantClaim(claim string, values []Scalar) string {
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
func (st irsaStatement) keyFix(c *Condition) *Fix {
	target, ok := st.keyTarget(c)
	if !ok || target == c.Key.Value || !c.Key.Editable() {
		return nil
	}
	return &Fix{Summary: "Write the condition key as " + target, Edits: []Edit{c.Key.Replace(target)}}
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
