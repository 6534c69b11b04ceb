package fixes

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/eksdoctor/eksdoctor/analysis"
)

// Errors kubectl prints when it cannot reach or trust the API server, or
// finds no kubeconfig.

var sigDiscovery = newSignature([]string{"couldn't get current server API group list"},
	[]string{`couldn't get current server API group list: (?P<reason>[^"\n]*(?:\\"[^"\n]*)*)`},
	[]string{`E0618 memcache.go:265] couldn't get current server API group list: the server is currently unable to handle the request`},
	[]string{"error: You must be logged in to the server (Unauthorized)"})

var errDiscovery = &analysis.Rule{
	ID:       "ERR002",
	Title:    "kubectl could not discover the server's APIs",
	Severity: analysis.Medium,
	Kinds:    errorTextKinds,
	Doc: "Before most commands kubectl lists the API groups the server offers; \"couldn't get current server API group list\" " +
		"means that request failed, and kubectl repeats it several times, so the line appears five or more times. The reason " +
		"after the colon is the real error. This rule reports reasons no other rule explains (a server that is \"currently unable " +
		"to handle the request\", a proxy answering instead of the cluster); credentials, network, TLS and missing-kubeconfig " +
		"reasons are reported by their own rules.",
	Refs: []string{memcacheGo, kubectlErrorsGo},
	Run: symptom(sigDiscovery, func(p *analysis.Pass, ms []errMatch) {
		reason := strings.ReplaceAll(ms[0].group("reason"), `\"`, `"`)
		p.Reportf(ms[0].Start, ms[0].End, nil, "kubectl's API discovery request failed%s: %s. The reason after the colon is the error "+
			"to solve; run the command again with -v=6 to see the request and the server's answer.", times(ms), reason)
		p.SuggestCommand("See the failing request", "kubectl get --raw /api -v=6", "It shows the URL kubectl calls and the HTTP status it gets; paste the output.")
	}, sigUnauthorized, sigUnreachable, sigLocalhost, sigX509Name, sigX509Authority, sigPluginNotFound, sigPluginFailed, sigPluginSkew, sigPluginAPIVersion),
}

var sigUnreachable = newSignature([]string{"dial tcp", "TLS handshake timeout", "deadline exceeded", "was refused"},
	[]string{`(?:Unable to connect to the server|couldn't get current server API group list|Kubernetes cluster unreachable): ` +
		`(?:Get \\?"(?P<url>[^"\\\s]*)\\?": )?(?:dial tcp (?P<addr>\S+): (?:connect: )?(?P<why>i/o timeout|connection refused|no route to host)` +
		`|dial tcp: lookup (?P<host>[^\s:]+)(?: on \S+)?: (?P<dns>no such host|i/o timeout|server misbehaving)` +
		`|net/http: (?P<tls>TLS handshake timeout)|(?P<deadline>context deadline exceeded))`,
		`The connection to the server (?P<addr>\S+) was (?P<why>refused)`},
	[]string{"Unable to connect to the server: dial tcp 10.0.12.34:443: i/o timeout",
		`couldn't get current server API group list: Get "https://ABC.gr7.eu-west-1.eks.amazonaws.com/api?timeout=32s": dial tcp: lookup ABC.gr7.eu-west-1.eks.amazonaws.com: no such host`},
	[]string{"Error from server (ServiceUnavailable): the server is currently unable to handle the request",
		`Post "https://sts.us-east-1.amazonaws.com/": dial tcp: lookup sts.us-east-1.amazonaws.com: i/o timeout`})

var errUnreachable = &analysis.Rule{
	ID:       "ERR003",
	Title:    "the API server endpoint is unreachable",
	Severity: analysis.High,
	Kinds:    errorTextKinds,
	Doc: "kubectl never reached the API server: the connection timed out, was refused, or the endpoint's name did not resolve. " +
		"This happens before any authentication, so IAM and aws-auth are not involved. On EKS the usual causes are a private " +
		"endpoint (public access off) reached from outside the VPC, a public endpoint whose allowed CIDRs exclude your address, " +
		"a security group without 443 from your network, a proxy, or a kubeconfig that still names a deleted cluster's endpoint. " +
		"Check the endpoint settings with aws eks describe-cluster and regenerate the kubeconfig with aws eks update-kubeconfig.",
	Refs: []string{endpointDoc, "https://docs.aws.amazon.com/eks/latest/userguide/private-clusters.html"},
	Run: symptom(sigUnreachable, func(p *analysis.Pass, ms []errMatch) {
		m := ms[0]
		var c causes
		host := hostOf(m)
		switch {
		case m.group("dns") != "":
			c.add("stale", common+5, "the endpoint %s no longer exists: the cluster was deleted or recreated, and the kubeconfig names its old endpoint "+
				"(regenerate it with aws eks update-kubeconfig)", host)
			c.add("private", common, "the endpoint is private and its name resolves only inside the VPC (or over a VPN or Route 53 Resolver that forwards it)")
			c.add("proxy", rare, "your DNS or proxy settings block the lookup")
		case strings.HasSuffix(m.group("why"), "refused"):
			c.add("server", common, "the kubeconfig's server address or port is wrong, or points at something that is not the cluster")
			c.add("proxy", common-5, "a proxy (HTTPS_PROXY) refuses or is needed for the connection")
		default:
			if privateAddress.MatchString(host) {
				c.show("private", shownLikely, "%s is a private address: the endpoint resolves to the cluster's private IPs (public access off, or "+
					"you are in a connected network), and from where you run kubectl there is no route to them (VPN, peering, bastion)", host)
			}
			c.add("private", common+5, "the cluster endpoint is private (public access off) and you are outside the VPC: connect through a VPN, bastion or peered network")
			c.add("cidr", common, "public access is on but limited to CIDRs that do not include your address (publicAccessCidrs)")
			c.add("sg", common-5, "the cluster security group does not allow TCP 443 from your network to the private endpoint")
			c.add("proxy", rare, "a proxy is required (HTTPS_PROXY) or misconfigured, or a firewall drops the traffic")
		}
		weighKubeconfigServer(p, &c, host)
		p.Report(analysis.Finding{Start: m.Start, End: m.End, Message: fmt.Sprintf("kubectl could not reach the API server%s: the request never reached authentication, so IAM and "+
			"aws-auth are not involved. %s", times(ms), c.String()), Causes: c.evidence()})
		p.SuggestCommand("Check the endpoint's access settings", "aws eks describe-cluster "+clusterRef(p).flags("--name")+" --query cluster.resourcesVpcConfig",
			"Compare endpointPublicAccess, endpointPrivateAccess, publicAccessCidrs and clusterSecurityGroupId with where you run kubectl.")
		suggestUpdateKubeconfig(p)
	}, sigLocalhost),
}

var privateAddress = regexp.MustCompile(`^(?:10\.|192\.168\.|172\.(?:1[6-9]|2\d|3[01])\.)`)

// hostOf returns the host the failing request went to: the address,
// the looked-up name or the URL's host.
func hostOf(m errMatch) string {
	for _, g := range []string{"addr", "host"} {
		if v := m.group(g); v != "" {
			if h, _, ok := strings.Cut(v, ":"); ok && !strings.HasPrefix(v, "[") {
				return h
			}
			return v
		}
	}
	u := strings.TrimPrefix(strings.TrimPrefix(m.group("url"), "https://"), "http://")
	h, _, _ := strings.Cut(u, "/")
	return h
}

// weighKubeconfigServer compares the address in the error with the
// pasted kubeconfig's server.
func weighKubeconfigServer(p *analysis.Pass, c *causes, host string) {
	a, ok := activeKubeconfig(p)
	if !ok || a.Cluster == nil || host == "" || privateAddress.MatchString(host) {
		return
	}
	if server := a.Cluster.Server.Text(); server != "" && !strings.Contains(server, host) {
		c.show("server", shownLikely, "the pasted kubeconfig's current context points at %s, not %s: kubectl ran with another kubeconfig "+
			"or context (check KUBECONFIG and --context)", server, host)
	}
}

var sigX509Name = newSignature([]string{"x509: certificate is valid for"},
	[]string{`x509: certificate is valid for (?P<names>.+?), not (?P<host>[^\s"\\]+)`},
	[]string{`Unable to connect to the server: x509: certificate is valid for kubernetes, kubernetes.default, ip-172-16-0-10.ec2.internal, not 52.1.2.3`},
	[]string{"x509: certificate signed by unknown authority"})

var errX509Name = &analysis.Rule{
	ID:       "ERR004",
	Title:    "the server certificate does not match the address",
	Severity: analysis.High,
	Kinds:    errorTextKinds,
	Doc: "\"x509: certificate is valid for A, B, not C\" means kubectl connected to C, but the certificate presented there names " +
		"other hosts. The EKS API server's certificate covers its endpoint hostname and the in-cluster kubernetes names, not an IP " +
		"address or a DNS alias of your own. Point the kubeconfig's server at the endpoint hostname (aws eks update-kubeconfig writes it), " +
		"or, when you must connect through an alias or load balancer, set tls-server-name to the endpoint hostname. If the names " +
		"belong to a proxy, the proxy intercepts TLS. Do not switch verification off with insecure-skip-tls-verify.",
	Refs: []string{endpointDoc, kubeconfigAPI},
	Run: symptom(sigX509Name, func(p *analysis.Pass, ms []errMatch) {
		m := ms[0]
		host, names := m.group("host"), m.group("names")
		advice := "point the kubeconfig's server at the name the certificate covers, or set tls-server-name to it"
		switch {
		case ipAddress.MatchString(host):
			advice = "the kubeconfig connects by IP address; use the endpoint hostname instead (aws eks update-kubeconfig writes it)"
		case !strings.Contains(names, "eks.amazonaws.com") && !strings.Contains(names, "kubernetes"):
			advice = "the certificate does not look like the cluster's: a proxy or load balancer answers in its place"
		}
		p.Reportf(m.Start, m.End, nil, "kubectl connected to %s, but the certificate there is valid only for %s: %s. "+
			"Do not turn off verification with insecure-skip-tls-verify.", host, names, advice)
		suggestUpdateKubeconfig(p)
	}),
}

var ipAddress = regexp.MustCompile(`^\d{1,3}(?:\.\d{1,3}){3}$`)

var sigX509Authority = newSignature([]string{"x509: certificate signed by unknown authority"},
	[]string{`x509: certificate signed by unknown authority`},
	[]string{"Unable to connect to the server: x509: certificate signed by unknown authority"},
	[]string{"x509: certificate is valid for a, not b"})

var errX509Authority = &analysis.Rule{
	ID:       "ERR005",
	Title:    "the server certificate is signed by an unknown authority",
	Severity: analysis.High,
	Kinds:    errorTextKinds,
	Doc: "kubectl does not trust the certificate the server presented: the kubeconfig's certificate-authority-data is not the " +
		"cluster's CA. This happens when a cluster was recreated under the same name (the old kubeconfig keeps the old CA), when the " +
		"kubeconfig was edited by hand, or when a corporate proxy intercepts TLS. Regenerate the kubeconfig with aws eks " +
		"update-kubeconfig; for an intercepting proxy, exclude the EKS endpoint from interception (NO_PROXY). Setting " +
		"insecure-skip-tls-verify, the usual advice, sends your token to whoever answers: don't.",
	Refs: []string{kubeconfigDoc, endpointDoc},
	Run: symptom(sigX509Authority, func(p *analysis.Pass, ms []errMatch) {
		p.Reportf(ms[0].Start, ms[0].End, nil, "kubectl does not trust the server's certificate%s: the kubeconfig's CA is not the "+
			"cluster's (the cluster was recreated, or the kubeconfig is stale or edited), or a proxy intercepts TLS. Regenerate the "+
			"kubeconfig; insecure-skip-tls-verify would send your token to whoever answers.", times(ms))
		suggestUpdateKubeconfig(p)
	}),
}

var sigLocalhost = newSignature([]string{"localhost:8080", "127.0.0.1:8080", "[::1]:8080"},
	[]string{`The connection to the server (?:localhost|127\.0\.0\.1):8080 was refused`,
		`Get \\?"http://localhost:8080/api\S*: dial tcp (?:127\.0\.0\.1|\[::1\]):8080: connect: connection refused`},
	[]string{"The connection to the server localhost:8080 was refused - did you specify the right host or port?",
		`couldn't get current server API group list: Get "http://localhost:8080/api?timeout=32s": dial tcp [::1]:8080: connect: connection refused`},
	[]string{"The connection to the server 10.0.0.5:6443 was refused - did you specify the right host or port?"})

var errLocalhost = &analysis.Rule{
	ID:       "ERR006",
	Title:    "kubectl found no kubeconfig and tried localhost:8080",
	Severity: analysis.High,
	Kinds:    errorTextKinds,
	Doc: "When kubectl has no cluster to talk to it falls back to http://localhost:8080, which refuses the connection. So the " +
		"kubeconfig is missing or empty for the process that ran kubectl: ~/.kube/config was never written (run aws eks " +
		"update-kubeconfig), KUBECONFIG names a file that does not exist, kubectl ran as another user (sudo, a CI runner, a container) " +
		"with another home directory, or the current context is unset or names a missing cluster.",
	Refs: []string{kubeconfigDoc, kubeconfigConceptDoc},
	Run: symptom(sigLocalhost, func(p *analysis.Pass, ms []errMatch) {
		var c causes
		for _, kc := range kubeconfigs(p) {
			a := kc.active()
			switch {
			case a.Context == nil:
				c.show("kubeconfig", shownDecisive, "the pasted kubeconfig has no usable current-context, so kubectl has no cluster (rule KCFG006)")
			case a.Cluster == nil:
				c.show("kubeconfig", shownDecisive, "the current context names cluster %s, which the pasted kubeconfig does not define (rule KCFG006)", a.Context.Cluster.Text())
			}
		}
		c.add("kubeconfig", common+5, "there is no kubeconfig for the user that ran kubectl: run aws eks update-kubeconfig")
		c.add("env", common, "KUBECONFIG names a file that does not exist, or kubectl ran as another user (sudo, CI, a container) with another home")
		c.add("kubeconfig", rare, "the current context is unset or names a cluster that the kubeconfig does not define")
		p.Report(analysis.Finding{Start: ms[0].Start, End: ms[0].End, Message: fmt.Sprintf("kubectl has no cluster configured and fell back to localhost:8080%s. %s", times(ms), c.String()), Causes: c.evidence()})
		suggestUpdateKubeconfig(p)
		p.SuggestCommand("Check which kubeconfig kubectl reads", "kubectl config current-context",
			"With sudo or in CI, also check `echo $KUBECONFIG` and the home directory of the user that runs kubectl.")
	}),
}

var sigReadable = newSignature([]string{"Kubernetes configuration file is"},
	[]string{`Kubernetes configuration file is (?P<who>group|world)-readable\. This is insecure\. Location: (?P<path>\S+)`},
	[]string{"WARNING: Kubernetes configuration file is group-readable. This is insecure. Location: /home/dev/.kube/config"},
	[]string{"WARNING: This version information is deprecated"})

var errReadable = &analysis.Rule{
	ID:       "ERR007",
	Title:    "the kubeconfig file is readable by other users",
	Severity: analysis.Low,
	Kinds:    errorTextKinds,
	Doc: "Helm warns when the kubeconfig can be read by the file's group or by everyone. The warning is harmless to the command, " +
		"but a kubeconfig can hold tokens, client keys or the profile and role names that grant cluster access, so restrict it to " +
		"its owner with chmod 600.",
	Refs: []string{"https://github.com/helm/helm/blob/148aabf86736ebf5a0122b06e009e946674d66fe/cmd/helm/root_unix.go", kubeconfigConceptDoc},
	Run: symptom(sigReadable, func(p *analysis.Pass, ms []errMatch) {
		path := ms[0].group("path")
		p.Reportf(ms[0].Start, ms[0].End, nil, "%s is %s-readable: other users on this machine can read whatever credentials it holds. "+
			"Run chmod 600 %s; the warning itself does not stop the command.", path, ms[0].group("who"), path)
		p.SuggestCommand("Restrict the kubeconfig to its owner", "chmod 600 "+path, "Only its owner can then read it; Helm stops warning.")
	}),
}

var errAnonymous = &analysis.Rule{
	ID:       "ERR008",
	Title:    "requests arrive as system:anonymous",
	Severity: analysis.High,
	Kinds:    []analysis.Kind{analysis.KindCallerIdentity},
	Doc: "kubectl auth whoami showing system:anonymous means the request carried no credentials at all: EKS lets unauthenticated " +
		"requests through as system:anonymous, which may do almost nothing. (A token the cluster rejects gives Unauthorized instead.) " +
		"The context's user entry is missing, has no exec plugin or token, or a flag or environment variable overrides it. Fix the " +
		"kubeconfig (aws eks update-kubeconfig writes a working user) rather than granting anything to system:anonymous.",
	Refs: []string{"https://kubernetes.io/docs/reference/access-authn-authz/authentication/#anonymous-requests", kubeconfigDoc},
	Run: func(p *analysis.Pass) {
		for _, who := range callersIn(p, p.Doc) {
			if who.Username != "system:anonymous" {
				continue
			}
			var c causes
			for _, kc := range kubeconfigs(p) {
				if a := kc.active(); a.Context != nil && a.User == nil {
					c.show("user", shownDecisive, "the current context's user %s is not defined in the pasted kubeconfig (rule KCFG006)", a.Context.User.Text())
				} else if a.User != nil && a.User.Exec == nil && a.User.Token == nil && a.User.ClientKey == nil {
					c.show("user", shownDecisive, "the current context's user %s has no exec plugin, token or client certificate", a.User.Name.Text())
				}
			}
			c.add("user", common, "the context's user entry is missing or has no credentials: regenerate it with aws eks update-kubeconfig")
			c.add("tool", rare, "a tool builds its own client without credentials (a Terraform or Helm provider without token or exec)")
			p.Report(analysis.Finding{Start: who.Start, End: who.End, Message: fmt.Sprintf("The cluster sees these requests as system:anonymous: they carry no credentials. "+
				"Do not grant anything to system:anonymous; fix the credentials. %s", c.String()), Causes: c.evidence()})
			p.SuggestCommand("Check the kubeconfig's user", "kubectl config view --minify", "The context's user needs an exec section running aws eks get-token.")
		}
	},
}
