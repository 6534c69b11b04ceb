package fixes

import (
	"strings"

	"github.com/eksdoctor/eksdoctor/analysis"
)

// Unauthorized: the API server could not authenticate the token. The rule
// weighs the caller identity, the mappings and the kubeconfig pasted with it.

var sigUnauthorized = newSignature(
	[]string{"You must be logged in", "provide credentials", "Unauthorized"},
	[]string{
		`You must be logged in to the server \((?:Unauthorized|the server has asked for the client to provide credentials)\)`,
		`the server has asked for the client to provide credentials`,
		`\bError: Unauthorized\s*$`,
		// eksctl, Terraform and Helm print client-go's 401 after what they were doing
		`\bError: [^\n]*?: Unauthorized\s*$`,
		`\[✖\][^\n]*?\bUnauthorized\s*$`,
	},
	[]string{"error: You must be logged in to the server (Unauthorized)",
		`E0227 memcache.go:265] "Unhandled Error" err="couldn't get current server API group list: the server has asked for the client to provide credentials"`,
		"│ Error: Unauthorized",
		"Error: getting nodegroup's kubernetes version: failed to list nodes: Unauthorized",
		"[✖]  getting list of API resources for raw REST client: Unauthorized"},
	[]string{`Unable to register node "ip-10-0-1-5.ec2.internal" with API server: Unauthorized`,
		"Error from server (Forbidden): pods is forbidden",
		`E1105 10:11:12.123456 1 reflector.go:138] failed to list *v1.Node: Unauthorized`})

var errUnauthorized = &analysis.Rule{
	ID:       "ERR001",
	Title:    "the API server rejected the credentials",
	Severity: analysis.High,
	Kinds:    errorTextKinds,
	Doc: "\"You must be logged in to the server (Unauthorized)\" (or \"the server has asked for the client to provide credentials\"; " +
		"eksctl, Terraform and Helm print \"Error: …: Unauthorized\") is an HTTP 401: the API server could not authenticate the token, so RBAC was never consulted. On EKS that means the IAM principal " +
		"that signed the token is not mapped in aws-auth or an access entry (an aws-auth rolearn with a path never matches; a YAML error " +
		"in aws-auth drops every mapping), kubectl used another profile, role or account than you think, the token is a static one older " +
		"than 15 minutes, or it was signed for another cluster name. Paste the output of aws sts get-caller-identity with the error and " +
		"the aws-auth ConfigMap or access entries to see which principal is missing; when the paste shows it, the fix adds the entry.",
	Refs: []string{kubectlErrorsGo, apiErrorsGo, eksUnauthorized, authConfigMapDoc, accessEntriesDoc},
	Run: symptom(sigUnauthorized, func(p *analysis.Pass, ms []errMatch) {
		var c causes
		var fix *analysis.Fix
		who, known := kubectlPrincipal(p)
		if known {
			fix = weighMapping(p, &c, who)
		}
		weighBrokenAWSAuth(p, &c)
		weighKubeconfigToken(p, &c)
		weighAggregatedAPI(p, &c)
		if !known {
			c.add("mapping", common+10, "the IAM identity that signed the token is not mapped in aws-auth or an access entry")
		}
		c.add("profile", common, "the token was signed with another AWS profile, role or account than you think (AWS_PROFILE, --role-arn or --profile in the kubeconfig)")
		c.add("mapping", common-5, "an aws-auth rolearn carries an IAM path or an assumed-role ARN, so it never matches")
		c.add("token", rare+5, "a static token older than 15 minutes (a copied kubeconfig, Terraform's aws_eks_cluster_auth in a long apply)")
		c.add("creator", rare, "the principal that created the cluster was deleted or recreated: its admin access was tied to the old principal's unique ID")
		p.Report(analysis.Finding{Start: ms[0].Start, End: ms[0].End, Fix: fix, Message: "The API server rejected the request's credentials " +
			"(HTTP 401): authentication failed before any RBAC check" + times(ms) + ". " + c.String(), Causes: c.evidence()})
		if !known {
			suggestCallerIdentity(p)
		}
		suggestAccessConfig(p)
		if !mappingsPasted(p) {
			suggestMappings(p)
		}
		suggestAuthenticatorLogs(p)
	}),
}

// weighAggregatedAPI adds a pasted mapping without a username when the
// paste says the request went to an aggregated API (kubectl top, any
// *.metrics.k8s.io), which refuses the empty username such a mapping gets.
func weighAggregatedAPI(p *analysis.Pass, c *causes) {
	if !strings.Contains(p.Src.Text, "kubectl top") && !strings.Contains(p.Src.Text, "metrics.k8s.io") {
		return
	}
	for _, m := range unnamedMappings(p) {
		c.showAt(m.ARN.Start, m.ARN.End, "username", shownDecisive, "%s is mapped without a username, and aggregated APIs such as "+
			"metrics.k8s.io (kubectl top) refuse the empty username it gets (rule AUTH022 sets one)", m.ARN.Value)
	}
}

// weighKubeconfigToken adds what the active kubeconfig says about the token
// it sends.
func weighKubeconfigToken(p *analysis.Pass, c *causes) {
	a, ok := activeKubeconfig(p)
	if !ok || a.User == nil {
		return
	}
	if a.User.Exec == nil && strings.HasPrefix(a.User.Token.Text(), eksTokenPrefix) {
		c.show("token", shownLikely, "the kubeconfig's user %s holds a static EKS token, which expires 15 minutes after it was made; "+
			"use an exec credential plugin (aws eks update-kubeconfig writes one)", a.User.Name.Text())
	}
	if a.User.Exec == nil || a.Cluster == nil {
		return
	}
	if n := a.User.Exec.clusterName(); n != nil {
		if id := a.Cluster.identify(); id.Name != "" && n.Value != id.Name {
			c.show("clustername", shownDecisive, "the kubeconfig signs tokens for cluster %s but the context's cluster is %s: the token's "+
				"x-k8s-aws-id does not match and the cluster refuses it (rule KCFG003)", n.Value, id.Name)
		}
	}
}

// eksTokenPrefix starts every EKS bearer token.
const eksTokenPrefix = "k8s-aws-v1."
