package fixes

import (
	"fmt"

	"github.com/eksdoctor/eksdoctor/analysis"
)

var rbacKubeletDenied = &analysis.Rule{
	ID:       "RBAC003",
	Title:    "kubelet refused the API server's own client",
	Severity: analysis.High,
	Kinds:    []analysis.Kind{analysis.KindErrorText},
	Doc: "kubectl logs, exec, attach, port-forward and cp go through the API server to the kubelet, which asks the API server " +
		"whether the caller may use the nodes/proxy (or nodes/log, stats, metrics) subresource. The caller there is the API server's " +
		"kubelet client certificate (user=kube-apiserver-kubelet-client, or whatever its CN is), not the person running kubectl, so " +
		"granting that person nodes/proxy fixes nothing and hands them a way around audit logging and admission control. Bind the " +
		"default ClusterRole system:kubelet-api-admin to the user the error names (kubeadm names this binding " +
		"kubeadm:apiserver-kubelet-client). \"Authorization error\" (HTTP 500) instead means the kubelet could not ask at all: " +
		"on EKS, nodes in private subnets need DNS hostnames enabled on the VPC to reach the API server; with nodes NotReady as " +
		"well, the kubelets' own IAM role is most likely no longer mapped (terraform-aws-eks#610: the node role was replaced " +
		"and aws-auth still named the old one).",
	Refs: []string{kubeletAuthDoc, "https://github.com/kubernetes/kubernetes/issues/65939",
		"https://github.com/eksctl-io/eksctl/blob/main/userdocs/src/usage/troubleshooting.md", rbacGoodPractice,
		"https://github.com/terraform-aws-modules/terraform-aws-eks/issues/610"},
	Run: func(p *analysis.Pass) {
		pol := policyOf(p)
		for _, d := range denialsOf(p.Doc) {
			if !d.Kubelet {
				continue
			}
			what := fmt.Sprintf("%s nodes/%s", d.Verb, d.Subresource)
			switch {
			case d.KubeletError && pasteMentions(p, mentionsNotReadyKey, "NotReady"):
				p.Reportf(d.Start, d.End, nil, "The kubelet could not check whether %s may %s: its authorization call to the API server failed "+
					"(HTTP 500), so this is not missing RBAC. With nodes NotReady too, the kubelets cannot authenticate: the node IAM role "+
					"is most likely no longer mapped in aws-auth (or has no access entry), for example after the node role was replaced "+
					"while aws-auth still names the old one. Check the node role's mapping first; VPC DNS hostnames come second.", d.User, what)
			case d.KubeletError:
				p.Reportf(d.Start, d.End, nil, "The kubelet could not check whether %s may %s: its authorization call to the API server failed "+
					"(HTTP 500), so this is not missing RBAC. On EKS, nodes in private subnets need enableDnsHostnames and enableDnsSupport "+
					"on the VPC to resolve and reach the cluster endpoint.", d.User, what)
				p.SuggestCommand("Check the VPC DNS attributes", "aws ec2 describe-vpc-attribute --vpc-id VPC_ID --attribute enableDnsHostnames",
					"Both enableDnsHostnames and enableDnsSupport must be true for nodes in private subnets to reach the cluster endpoint.")
			case d.User == "system:anonymous":
				p.Reportf(d.Start, d.End, nil, "The kubelet saw no client certificate from the API server (user=system:anonymous), "+
					"so it refused %s. The API server needs --kubelet-client-certificate and --kubelet-client-key; no RBAC grant fixes this.", what)
			default:
				granted := pol.authorize(Identity{User: d.User, Groups: []string{"system:authenticated"}}, d.Request, nil)
				msg := fmt.Sprintf("The kubelet refused %s to %s: that is the API server's own kubelet client identity, not the person "+
					"running kubectl, so logs, exec, attach and port-forward fail for everyone. Bind the default ClusterRole "+
					"system:kubelet-api-admin to %s; do not grant nodes/proxy to people.", what, d.User, d.User)
				if granted.allowed {
					msg += fmt.Sprintf(" The paste already grants it (%s), so check that the binding exists on the cluster.", granted.grant.Binding)
				}
				p.Reportf(d.Start, d.End, nil, "%s", msg)
				p.SuggestCommand("Let the API server use the kubelet API",
					"kubectl create clusterrolebinding apiserver-kubelet-api-admin --clusterrole=system:kubelet-api-admin --user="+analysis.ShellQuote(d.User),
					"Binds the default ClusterRole for the API server's kubelet client; kubeadm names this binding kubeadm:apiserver-kubelet-client.")
			}
		}
	},
}

// mentionsNotReadyKey keeps whether the paste shows nodes NotReady.
var mentionsNotReadyKey = analysis.NewKey[bool]("mentions-notready")
