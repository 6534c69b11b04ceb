package fixes

import (
	"fmt"

	"github.com/eksdoctor/eksdoctor/analysis"
)

// Nodes that cannot authenticate, join or stay Ready.

var sigKubeletUnauthorized = newSignature([]string{"Unauthorized"},
	[]string{`(?:Unable to register node\b[^\n]*?|[Ff]ailed to (?:list|watch) \*v1\.\w+[^\n]*?|Failed to contact API server[^\n]*?)\bUnauthorized\b`},
	[]string{`kubelet_node_status.go:106] Unable to register node "ip-10-40-175-122.ec2.internal" with API server: Unauthorized`,
		`Unable to register node with API server" err="Unauthorized" node="ip-192-168-67-130.ec2.internal"`,
		"Failed to contact API server when waiting for CSINode publishing: Unauthorized"},
	[]string{"error: You must be logged in to the server (Unauthorized)"})

var errKubeletUnauthorized = &analysis.Rule{
	ID:       "ERR042",
	Title:    "the kubelet cannot authenticate to the API server",
	Severity: analysis.High,
	Kinds:    errorTextKinds,
	Doc: "The node's kubelet signs its requests with the node's IAM role, and the cluster does not know that role: the aws-auth " +
		"entry for it (rolearn of the role, not the instance profile; username system:node:{{EC2PrivateDNSName}}; groups " +
		"system:bootstrappers and system:nodes) is missing, was edited away, or sits in a mapRoles block that no longer parses; or, " +
		"in API mode, the role has no EC2_LINUX access entry. EKS adds these entries for managed node groups; self-managed nodes " +
		"(and Karpenter's node role) need them added. When the paste shows the node role, the fix adds its entry.",
	Refs: []string{authConfigMapDoc, nodeJoinDoc, karpenterTroubleshooting, createEntriesDoc},
	Run: symptom(sigKubeletUnauthorized, func(p *analysis.Pass, ms []errMatch) {
		var c causes
		var fix *analysis.Fix
		if who, ok := subject(p); ok && who.instanceSession() {
			fix = weighMapping(p, &c, principal{caller: who, node: true})
		}
		weighBrokenAWSAuth(p, &c)
		weighNodeEntries(p, &c)
		c.add("mapping", common+5, "the node role's aws-auth entry is missing or was removed (self-managed or Karpenter nodes need one added)")
		c.add("arn", common, "aws-auth maps the instance profile ARN, or the role with its IAM path, instead of the role ARN without path")
		c.add("mode", common-5, "the cluster is in API mode and the node role has no EC2_LINUX access entry")
		p.Report(analysis.Finding{Start: ms[0].Start, End: ms[0].End, Fix: fix, Message: "The kubelet's requests are Unauthorized" + times(ms) +
			": the cluster does not recognise the node's IAM role, so the node cannot register or stay Ready. " + c.String(), Causes: c.evidence()})
		p.SuggestCommand("Find the node's role", "aws sts get-caller-identity",
			"Run it on the node (SSM): it prints assumed-role/NODE_ROLE/i-…; paste it with the aws-auth ConfigMap or the access entries.")
		suggestAWSAuth(p)
		suggestAccessConfig(p)
	}),
}

// weighNodeEntries adds what the pasted aws-auth says about node entries.
func weighNodeEntries(p *analysis.Pass, c *causes) {
	if _, broken := brokenSection(p); broken {
		return
	}
	for _, d := range authDocs(p) {
		model := authOf(p, d)
		nodes := 0
		for _, m := range model.Mappings {
			if m.nodeKind() != nodeNone {
				nodes++
			}
			if a, ok := analysis.ParseARN(m.Entry.ARN); ok && a.ResourceType() == "instance-profile" {
				c.show("arn", shownDecisive, "aws-auth maps %s, an instance profile: map the role it contains instead", m.Entry.ARN)
			}
		}
		if nodes == 0 && model.Form == formConfigMap && len(model.Sections) > 0 {
			c.show("mapping", shownLikely, "the pasted aws-auth maps no node role at all (rule AUTH015)")
		}
	}
}

var sigNodegroupDenied = newSignature([]string{"AccessDenied"},
	[]string{`"code"\s*:\s*"AccessDenied"`, `AccessDenied:? (?:The aws-auth ConfigMap in your cluster is invalid|[^\n]*?failing to authenticate or authorize with your Kubernetes cluster API server)`},
	[]string{`"issues": [{"code": "AccessDenied", "message": "Amazon EKS or one or more of your managed nodes is failing to authenticate or authorize with your Kubernetes cluster API server."}]`,
		"AccessDenied: The aws-auth ConfigMap in your cluster is invalid."},
	[]string{"An error occurred (AccessDenied) when calling the AssumeRole operation"})

var errNodegroupDenied = &analysis.Rule{
	ID:       "ERR043",
	Title:    "the managed node group reports AccessDenied",
	Severity: analysis.High,
	Kinds:    errorTextKinds,
	Doc: "A managed node group's health issue AccessDenied means EKS or its nodes fail to authenticate or authorize with the " +
		"cluster's API server. The aws-auth entry EKS added for the node group's role was removed or edited, aws-auth no longer parses " +
		"(\"The aws-auth ConfigMap in your cluster is invalid\"), or the eks:node-manager ClusterRole or ClusterRoleBinding that EKS " +
		"uses to manage the nodes was deleted or changed. Restore the entry and those RBAC objects; don't remove entries EKS created.",
	Refs: []string{nodegroupIssueDoc, eksTroubleDoc, authConfigMapDoc},
	Run: symptom(sigNodegroupDenied, func(p *analysis.Pass, ms []errMatch) {
		var c causes
		weighBrokenAWSAuth(p, &c)
		weighNodeEntries(p, &c)
		c.add("mapping", common+5, "the aws-auth entry EKS created for the node group's role was removed or modified")
		c.add("rbac", common, "the eks:node-manager ClusterRole or ClusterRoleBinding was deleted or edited")
		c.add("yaml", common-5, "aws-auth does not parse, so the authenticator ignores its mapRoles")
		p.Report(analysis.Finding{Start: ms[0].Start, End: ms[0].End, Message: fmt.Sprintf("EKS reports AccessDenied for the node group: it or its nodes cannot authenticate or "+
			"authorize with the API server. %s", c.String()), Causes: c.evidence()})
		p.SuggestCommand("Find the node group's role", "aws eks describe-nodegroup "+clusterRef(p).flags("--cluster-name")+" --nodegroup-name NODEGROUP --query nodegroup.nodeRole",
			"Its aws-auth entry (or EC2_LINUX access entry) must be there as EKS created it.")
		suggestAWSAuth(p)
		p.SuggestCommand("Check EKS's own RBAC", "kubectl get clusterrole,clusterrolebinding eks:node-manager -o yaml",
			"Both must exist as EKS created them; EKS manages the nodes through them.")
	}),
}

var sigNotReady = newSignature([]string{"NotReady"},
	[]string{`(?m)^\s*(?P<node>[a-z0-9][\w.-]*)\s+NotReady\b`},
	[]string{"ip-10-0-1-23.eu-west-1.compute.internal   NotReady   <none>   41d   v1.30.2-eks-1552ad0"},
	[]string{"ip-10-0-1-23.eu-west-1.compute.internal   Ready   <none>   41d   v1.30.2"})

var errNotReady = &analysis.Rule{
	ID:       "ERR044",
	Title:    "nodes are NotReady",
	Severity: analysis.High,
	Kinds:    errorTextKinds,
	Doc: "A node turns NotReady when its kubelet stops reporting. Right after an aws-auth edit the cause is nearly always that " +
		"edit: the node role's entry was removed or changed, or a YAML slip made mapRoles unparseable, and every kubelet is now " +
		"Unauthorized. Otherwise look at the kubelet and the VPC CNI (aws-node) on the node. Restore the node entry (rolearn of the node " +
		"role, username system:node:{{EC2PrivateDNSName}}, groups system:bootstrappers and system:nodes) before anything else.",
	Refs: []string{authConfigMapDoc, nodeJoinDoc, "https://kubernetes.io/docs/concepts/architecture/nodes/#condition"},
	Run: symptom(sigNotReady, func(p *analysis.Pass, ms []errMatch) {
		var c causes
		weighBrokenAWSAuth(p, &c)
		weighNodeEntries(p, &c)
		if sigKubeletUnauthorized.occurs(p) {
			c.show("mapping", shownDecisive, "the pasted kubelet log shows Unauthorized: the cluster no longer recognises the node role")
		}
		c.add("mapping", common+5, "an aws-auth edit removed or broke the node role's entry, so the kubelets are Unauthorized")
		c.add("cni", common, "the VPC CNI (aws-node) is not ready on the node, for example out of IP addresses or without its IAM permissions")
		c.add("kubelet", rare+5, "the kubelet stopped or the node lost its network path to the API server")
		var nodes []string
		for _, m := range ms {
			nodes = append(nodes, m.group("node"))
		}
		p.Report(analysis.Finding{Start: ms[0].Start, End: ms[0].End, Message: fmt.Sprintf("%d node(s) NotReady (%s). %s", len(nodes), quoteList(nodes[:min(len(nodes), 3)]), c.String()), Causes: c.evidence()})
		p.SuggestCommand("Look at a NotReady node", "kubectl describe node "+nodes[0],
			"Read its Conditions and Events; on the node (SSM), `journalctl -u kubelet --since -30m | grep -iE 'unauthorized|forbidden'` shows whether the kubelet is refused. Paste both with the aws-auth ConfigMap.")
	}),
}
