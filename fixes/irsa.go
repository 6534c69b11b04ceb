package fixes

import (
	"regexp"
	"slices"
	"strings"

	"github.com/eksdoctor/eksdoctor/analysis"
)

// IRSA (IAM roles for service accounts): a pod's projected token from the
// cluster's OIDC issuer is exchanged with sts:AssumeRoleWithWebIdentity.
// The role's trust policy must name the IAM OIDC provider of that issuer
// (arn:PARTITION:iam::ACCOUNT:oidc-provider/oidc.eks.REGION.amazonaws.com/id/ID)
// and test the token's claims with condition keys made of the same issuer
// host and path, without https://: HOST:sub = system:serviceaccount:NS:SA,
// HOST:aud = sts.amazonaws.com.

var (
	// regionName is an AWS region name: us-east-1, cn-north-1, us-gov-west-1.
	regionName = `[a-z]{2}(?:-[a-z]+)+-\d+`
	// eksIssuer is the host and path of an EKS cluster's OIDC issuer.
	eksIssuer = regexp.MustCompile(`^oidc\.eks\.(` + regionName + `)\.amazonaws\.com(\.cn)?/id/([A-Za-z0-9]+)$`)
	// Layouts people write instead: region before eks (the webhook README's
	// example), or no /id/.
	eksIssuerSwapped = regexp.MustCompile(`^oidc\.(` + regionName + `)\.eks\.amazonaws\.com(\.cn)?/(?:id/)?([A-Za-z0-9]+)$`)
	eksIssuerNoID    = regexp.MustCompile(`^oidc\.eks\.(` + regionName + `)\.amazonaws\.com(\.cn)?/([A-Za-z0-9]+)$`)
)

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
	Value analysis.Scalar
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
func readProvider(v analysis.Scalar) (pp providerPrincipal, ok bool) {
	pp.Value = v
	text := strings.TrimSpace(v.Value)
	_, host, hasProvider := strings.Cut(text, "oidc-provider/")
	if !hasProvider {
		if !strings.Contains(text, "oidc.eks.") || !known(text) {
			return pp, false
		}
		pp.Problem = "it is not an OIDC provider ARN (arn:aws:iam::ACCOUNT:oidc-provider/HOST)"
		return pp, true
	}
	if !looksEKS(host) || !known(text) {
		return pp, false
	}
	arn, isARN := analysis.ParseARN(text)
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
	canonical := analysis.ARN{Partition: is.Partition, Service: "iam", Account: arn.Account, Resource: "oidc-provider/" + is.Host}.String()
	if arn.Partition != is.Partition && slices.Contains(analysis.Partitions, arn.Partition) {
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
