package fixes

import (
	"fmt"
	"strings"

	"github.com/eksdoctor/eksdoctor/analysis"
)

// Failures that look like access problems and are networking: a pod that
// cannot read the instance metadata service, and a control plane that
// cannot reach an admission webhook.

var sigIMDSUnreachable = newSignature([]string{"EC2Metadata", "ec2imds", "instance metadata"},
	[]string{
		`failed to introspect (?P<what>\w+) from EC2Metadata`,
		`EC2MetadataError: failed to make EC2Metadata request[^\n]*?status code: 401`,
		`EC2MetadataRequestError: failed to get EC2 instance identity document`,
		`ec2imds: (?:GetMetadata|GetInstanceIdentityDocument|GetRegion|GetToken)[^\n]*?(?:context deadline exceeded|canceled|exceeded maximum number of attempts|StatusCode: 401)`,
		`failed to (?:fetch|get|retrieve) (?P<what>VPC ID|region|instance ID) from (?:the )?instance metadata`,
	},
	[]string{`{"level":"error","ts":1640000000.1,"logger":"setup","msg":"unable to initialize AWS cloud","error":"failed to introspect vpcID from EC2Metadata, specify --aws-vpc-id instead if EC2Metadata is unavailable: EC2MetadataError: failed to make EC2Metadata request\n\n\tstatus code: 401, request id: "}`,
		`failed to fetch VPC ID from instance metadata: operation error ec2imds: GetMetadata, canceled, context deadline exceeded`},
	[]string{"failed to refresh cached credentials, no EC2 IMDS role found, operation error ec2imds: GetMetadata, http response error StatusCode: 404"})

var errIMDSUnreachable = &analysis.Rule{
	ID:       "ERR047",
	Title:    "a pod cannot read the instance metadata service",
	Severity: analysis.Medium,
	Kinds:    errorTextKinds,
	Doc: "Controllers such as the AWS Load Balancer Controller read the node's instance metadata (IMDS) to learn their region and " +
		"VPC. With IMDSv2 required and the PUT response hop limit at 1, the token response cannot cross the extra network hop to a " +
		"pod: the AWS SDK for Go v1 then gets status code 401, v2 times out. This is not an IAM or RBAC failure. Give the controller " +
		"what it wanted to look up (for the load balancer controller --aws-region and --aws-vpc-id, the Helm values region and " +
		"vpcId) and its own IAM role through IRSA or EKS Pod Identity. Raising the hop limit to 2 also works, but then every pod " +
		"on those nodes can reach the node's role through IMDS (see TF005); Karpenter v1's EC2NodeClass sets the hop limit to 1 by " +
		"default. On Fargate there is no instance metadata at all: the region and VPC must be given.",
	Refs: []string{lbcInstallDoc, imdsDoc, imdsBestPractice, karpenterIMDS},
	Run: symptom(sigIMDSUnreachable, func(p *analysis.Pass, ms []errMatch) {
		what := ms[0].group("what")
		var c causes
		if strings.Contains(strings.ToLower(p.Src.Text), "fargate") {
			c.show("fargate", shownLikely, "the paste mentions Fargate, which has no instance metadata service at all: give the region and VPC")
		} else {
			c.add("fargate", rare+5, "the pod runs on Fargate, which has no instance metadata service at all")
		}
		c.add("hops", common, "the node requires IMDSv2 with a PUT response hop limit of 1 (Karpenter v1's default, and a common "+
			"hardening), so the token never reaches a pod")
		c.add("network", rare, "a network policy or the node's iptables block 169.254.169.254 from pods")
		lookup := "what it needs from instance metadata"
		if name, ok := map[string]string{"vpcID": "VPC ID", "VPC ID": "VPC ID", "region": "region", "instance ID": "instance ID"}[what]; ok {
			lookup = "its " + name + " from instance metadata"
		}
		p.Report(analysis.Finding{Start: ms[0].Start, End: ms[0].End, Message: fmt.Sprintf("The pod could not read %s: this is "+
			"not IAM or RBAC. %s Rather than raising the hop limit (which hands every pod the node's role), give the controller its "+
			"region and VPC (load balancer controller: --aws-region and --aws-vpc-id) and its own role through IRSA or Pod Identity.",
			lookup, c.String()), Causes: c.evidence()})
		p.SuggestCommand("See the node's metadata options", "aws ec2 describe-instances --instance-ids INSTANCE_ID --query "+
			"'Reservations[].Instances[].MetadataOptions'", "HttpTokens required with HttpPutResponseHopLimit 1 keeps IMDSv2 tokens from pods.")
	}),
}

var sigWebhookUnreachable = newSignature([]string{"failed calling webhook"},
	[]string{
		`failed calling webhook "(?P<webhook>[^"]+)":[^\n]*?Post "?(?P<url>https://[^"\s]+)"?: (?P<why>context deadline exceeded|dial tcp [^\n]*?(?:i/o timeout|connection refused)|net/http: request canceled)`,
		`failed calling webhook "(?P<webhook>[^"]+)":[^\n]*?(?P<why>no endpoints available) for service "(?P<service>[^"]+)"`,
	},
	[]string{`Internal error occurred: failed calling webhook "vingress.elbv2.k8s.aws": Post "https://aws-load-balancer-webhook-service.kube-system.svc:443/validate-networking-v1beta1-ingress?timeout=10s": context deadline exceeded`,
		`Error from server (InternalError): error when creating "svc.yaml": Internal error occurred: failed calling webhook "mservice.elbv2.k8s.aws": failed to call webhook: Post "https://aws-load-balancer-webhook-service.kube-system.svc:443/mutate-v1-service?timeout=10s": no endpoints available for service "aws-load-balancer-webhook-service"`},
	[]string{`Error from server (Forbidden): admission webhook "validate.kyverno.svc" denied the request: policy require-labels failed`})

var errWebhookUnreachable = &analysis.Rule{
	ID:       "ERR048",
	Title:    "the control plane cannot reach an admission webhook",
	Severity: analysis.High,
	Kinds:    errorTextKinds,
	Doc: "The API server calls admission webhooks itself, from the EKS control plane, through the cluster security group to the " +
		"webhook's pods on their container port, not on the Service's port 443. When that times out, every create or update the " +
		"webhook watches fails, for every user: it is not your credentials or RBAC. Allow inbound TCP from the cluster security " +
		"group to the nodes on the webhook's target port (9443 for the AWS Load Balancer Controller's *.elbv2.k8s.aws webhooks); " +
		"with a CNI whose pod network the control plane cannot route to (Calico or Cilium overlay), run the webhook on the host " +
		"network. \"no endpoints available\" means the webhook's pods are not Ready: look at them first. High: every request the " +
		"webhook watches fails for everyone, an outage.",
	Refs: []string{sgReqsDoc, webhookNetDoc, "https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/deploy/configurations/",
		"https://kubernetes.io/docs/reference/access-authn-authz/extensible-admission-controllers/#failure-policy"},
	Run: symptom(sigWebhookUnreachable, func(p *analysis.Pass, ms []errMatch) {
		m := ms[0]
		webhook, why := m.group("webhook"), m.group("why")
		if why == "no endpoints available" {
			service := m.group("service")
			p.Reportf(m.Start, m.End, nil, "The API server found no Ready pod behind the webhook %s (Service %s): the webhook's pods are "+
				"not running or not Ready, so every request it watches fails. Check them (kubectl get endpoints %s in the webhook's "+
				"namespace, and the pods' events); this is not a permission problem.", webhook, service, service)
			return
		}
		port := "the webhook's container port"
		if strings.HasSuffix(webhook, ".elbv2.k8s.aws") {
			port = "port 9443 (the AWS Load Balancer Controller's webhook port)"
		}
		p.Reportf(m.Start, m.End, nil, "The API server could not reach the webhook %s (%s): the EKS control plane calls the "+
			"webhook's pods directly, so the node security group must allow inbound TCP from the cluster security group on %s. "+
			"It is not a credentials or RBAC problem: every request the webhook watches fails the same way until it is reachable.",
			webhook, why, port)
		p.SuggestCommand("Find the cluster security group", "aws eks describe-cluster "+clusterRef(p).flags("--name")+
			" --query cluster.resourcesVpcConfig.clusterSecurityGroupId", "Then allow TCP from it to the nodes' security group on "+port+".")
	}),
}
