package fixes

import (
	"regexp"

	"github.com/eksdoctor/eksdoctor/analysis"
)

// A pod that cannot reach STS: its name does not resolve (CoreDNS), or
// the connection times out (no route to the global endpoint through an
// STS VPC endpoint, no NAT). ERR033 explains it inside a WebIdentityErr,
// ERR051 on its own; both read the failure with stsFailure.

// stsHostPattern is an STS host name: regional (the region may be
// masked), global or China's.
const stsHostPattern = `(?P<host>sts(?:\.(?:[a-z0-9-]+|<[A-Za-z_-]+>|\$\{?[A-Za-z_]+\}?))?\.amazonaws\.com(?:\.cn)?)`

// stsLookupFailed and stsConnectFailed are a Go network error's words for
// an STS host whose name did not resolve, and for one it could not
// connect to (the quote may be escaped, in a JSON log).
const (
	stsLookupFailed  = `lookup ` + stsHostPattern + `(?: on \S+)?: (?P<why>i/o timeout|no such host|server misbehaving)`
	stsConnectFailed = `https://` + stsHostPattern + `/?\\?"?: dial tcp [^\n]*?: (?P<why>i/o timeout|connection refused|network is unreachable)`
)

var sigSTSUnreachable = newSignature([]string{"sts."},
	[]string{`dial tcp: ` + stsLookupFailed, `Post "?` + stsConnectFailed},
	[]string{`dial tcp: lookup sts.eu-west-1.amazonaws.com: i/o timeout`,
		`operation error STS: AssumeRoleWithWebIdentity, exceeded maximum number of attempts, 3, https response error StatusCode: 0, RequestID: , request send failed, Post "https://sts.amazonaws.com/": dial tcp 52.94.241.129:443: i/o timeout`},
	[]string{`dial tcp: lookup oidc.eks.eu-west-1.amazonaws.com: no such host`})

var errSTSUnreachable = &analysis.Rule{
	ID:       "ERR051",
	Title:    "a pod cannot reach STS",
	Severity: analysis.High,
	Kinds:    errorTextKinds,
	Doc: "Before a pod has any AWS credentials from IRSA it calls STS (AssumeRoleWithWebIdentity), so an STS it cannot reach " +
		"fails every AWS call, usually as a timeout after retries: this is networking, not IAM. \"lookup sts…: i/o timeout\" " +
		"or \"no such host\" means the name did not resolve: CoreDNS is not running or not reachable from the pod (on " +
		"Fargate, or with security groups for pods, the pods need a SecurityGroupPolicy that lets them reach CoreDNS on " +
		"UDP and TCP 53; a controller can also start before CoreDNS). A connection timeout to the global sts.amazonaws.com " +
		"from a cluster without internet access means the SDK ignored the STS VPC endpoint, which serves the regional " +
		"name sts.REGION.amazonaws.com only: set AWS_REGION and AWS_STS_REGIONAL_ENDPOINTS=regional (the ServiceAccount " +
		"annotation eks.amazonaws.com/sts-regional-endpoints: \"true\" makes the pod identity webhook set it), or use an " +
		"SDK or tool version that defaults to the regional endpoint. A timeout to the regional name means no NAT and no STS " +
		"VPC endpoint, or an endpoint whose security group refuses HTTPS from the pods.",
	Refs: []string{"https://docs.aws.amazon.com/eks/latest/userguide/configure-sts-endpoint.html",
		"https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_sts_vpce.html",
		"https://docs.aws.amazon.com/eks/latest/userguide/security-groups-for-pods.html",
		"https://github.com/aws/aws-node-termination-handler/pull/421"},
	Run: symptom(sigSTSUnreachable, func(p *analysis.Pass, ms []errMatch) {
		var c causes
		host, lookup := stsHost(p.Src.Text[ms[0].Start:ms[0].End])
		stsFailure(p, host, lookup, &c)
		p.Report(analysis.Finding{Start: ms[0].Start, End: ms[0].End, Causes: c.evidence(), Message: "The pod could not reach STS at " +
			ms[0].group("host") + " (" + ms[0].group("why") + "), so it gets no credentials: this is networking, not IAM. " + c.String()})
	}, sigWebIdentityErr),
}

// mentionsPodSecurityGroupsKey keeps whether the paste mentions Fargate
// or security groups for pods, which CoreDNS pods may lack a rule of.
var mentionsPodSecurityGroupsKey = analysis.NewKey[bool]("mentions-pod-security-groups")

// stsFailure adds to c the causes of a failed call to the STS host: a
// name that did not resolve (lookup) or a connection that did not open.
func stsFailure(p *analysis.Pass, host string, lookup bool, c *causes) {
	switch {
	case lookup:
		if pasteMentions(p, mentionsPodSecurityGroupsKey, "fargate", "securitygrouppolicy") {
			c.show("dns", shownDecisive, "the paste mentions Fargate or security groups for pods: CoreDNS pods need a "+
				"SecurityGroupPolicy (or rules) that let the pods reach them on UDP and TCP 53")
		}
		c.show("dns", shownLikely, "the name %s did not resolve: CoreDNS is not running or not reachable from the pod (check kubectl "+
			"get endpoints kube-dns -n kube-system, then nslookup %s from a pod)", host, host)
		c.add("early", rare, "the controller started before CoreDNS was ready; it recovers on restart")
	case host == "sts.amazonaws.com" || host == "sts.amazonaws.com.cn":
		c.show("global", shownLikely, "the SDK called the global endpoint %s, which an STS VPC endpoint does not serve (its "+
			"private DNS answers for sts.REGION.amazonaws.com only): set AWS_REGION and AWS_STS_REGIONAL_ENDPOINTS=regional, or "+
			"annotate the ServiceAccount with eks.amazonaws.com/sts-regional-endpoints: \"true\"; some tools ignore the "+
			"variable until upgraded", host)
		c.add("route", common, "the pod has no route to the internet (no NAT gateway) and no STS VPC endpoint")
	default:
		c.show("route", shownLikely, "the pod could not connect to %s: no NAT gateway and no STS VPC endpoint in its subnets", host)
		c.add("endpoint-sg", common, "the STS VPC endpoint's security group does not allow HTTPS (443) from the nodes or pods")
	}
}

// stsHost finds the STS host of a failed call in a Go network error, and
// whether its name failed to resolve; "" when the text names none.
func stsHost(text string) (host string, lookup bool) {
	if m := stsLookup.FindStringSubmatch(text); m != nil {
		return m[1], true
	}
	if m := stsConnect.FindStringSubmatch(text); m != nil {
		return m[1], false
	}
	return "", false
}

// stsLookup and stsConnect find the failures of sigSTSUnreachable in the
// words of a longer error.
var stsLookup, stsConnect = regexp.MustCompile(stsLookupFailed), regexp.MustCompile(stsConnectFailed)
