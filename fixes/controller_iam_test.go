package fixes

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/eksdoctor/eksdoctor/analysis"
)

// controllerNamed returns the entry of controllerPolicies called name.
func controllerNamed(t *testing.T, name string) *controllerPolicy {
	t.Helper()
	for i := range controllerPolicies {
		if controllerPolicies[i].name == name {
			return &controllerPolicies[i]
		}
	}
	t.Fatalf("no controller %q", name)
	return nil
}

func TestControllerIAMFacts(t *testing.T) {
	tests := []struct{ controller, action, since string }{
		{"AWS Load Balancer Controller", "elasticloadbalancing:DescribeListenerAttributes", "v2.9.0"},
		{"AWS Load Balancer Controller", "elasticloadbalancing:CreateLoadBalancer", ""},
		{"Karpenter", "iam:PassRole", ""},
		{"Karpenter", "iam:CreateInstanceProfile", "v0.32.0"},
		{"Karpenter", "iam:GetInstanceProfile", "v0.32.0"},
		{"Cluster Autoscaler", "eks:DescribeNodegroup", "cluster-autoscaler-1.24.0"},
		{"Amazon EBS CSI driver", "ec2:CreateVolume", ""},
		{"Amazon EFS CSI driver", "elasticfilesystem:CreateAccessPoint", ""},
		{"ExternalDNS", "route53:ChangeResourceRecordSets", ""},
		{"Amazon VPC CNI", "ec2:AssignPrivateIpAddresses", ""},
	}
	for _, tt := range tests {
		got, ok := controllerNamed(t, tt.controller).needs(tt.action)
		if !ok || got.since != tt.since {
			t.Errorf("%s needs(%q) = %+v, %v; want since %q", tt.controller, tt.action, got, ok, tt.since)
		}
	}
	if _, ok := controllerNamed(t, "Karpenter").needs("elasticloadbalancing:CreateLoadBalancer"); ok {
		t.Error("Karpenter's policy has elasticloadbalancing:CreateLoadBalancer")
	}
	if note := controllerNamed(t, "Karpenter").notes["iam:PassRole"]; !strings.Contains(note, "iam:PassedToService") {
		t.Errorf("Karpenter's iam:PassRole note = %q, want its iam:PassedToService condition", note)
	}
	if cni := controllerNamed(t, "Amazon VPC CNI"); !cni.nodeRole || !slices.Equal(cni.managedPolicies, []string{"AmazonEKS_CNI_Policy"}) {
		t.Errorf("Amazon VPC CNI: nodeRole %v, managed policies %q; want true, [AmazonEKS_CNI_Policy]", cni.nodeRole, cni.managedPolicies)
	}
}

func TestControllerIAMFor(t *testing.T) {
	const unknownSession = "arn:aws:sts::111122223333:assumed-role/eks-irsa-7f3a/1700000000000000000"
	tests := []struct{ text, role, want string }{
		{"", "arn:aws:iam::111122223333:role/AmazonEKSLoadBalancerControllerRole", "AWS Load Balancer Controller"},
		{"", "arn:aws:sts::111122223333:assumed-role/AmazonEKSLoadBalancerControllerRole/1700000000000000000", "AWS Load Balancer Controller"},
		{"", "arn:aws:iam::111122223333:role/eks/prod-aws-load-balancer-controller", "AWS Load Balancer Controller"},
		{"", "arn:aws:sts::111122223333:assumed-role/KarpenterControllerRole-prod/1700000000000000000", "Karpenter"},
		{"", "arn:aws:iam::111122223333:role/prod-karpenter", "Karpenter"},
		{"", "arn:aws:iam::111122223333:role/KarpenterNodeRole-prod", ""},
		{"", "arn:aws-cn:iam::111122223333:role/AmazonEKSClusterAutoscalerRole", "Cluster Autoscaler"},
		{"", "arn:aws:iam::111122223333:role/AmazonEKS_EBS_CSI_DriverRole", "Amazon EBS CSI driver"},
		{"", "arn:aws:iam::111122223333:role/EKS_EFS_CSI_ControllerRole", "Amazon EFS CSI driver"},
		{"", "arn:aws:iam::111122223333:role/EKS_EFS_CSI_NodeRole", ""},
		{"", "arn:aws:iam::111122223333:role/external-dns-irsa-role", "ExternalDNS"},
		{"", "arn:aws:iam::111122223333:role/AmazonEKSVPCCNIRole", "Amazon VPC CNI"},
		{"", "arn:aws:iam::111122223333:role/app-backend", ""},
		{"", "app-backend", ""},
		{`{"level":"error","msg":"Reconciler error","controller":"targetGroupBinding","controllerGroup":"elbv2.k8s.aws",` +
			`"error":"AccessDenied: User: ` + unknownSession + ` is not authorized to perform: ec2:DescribeInstances"}`,
			unknownSession, "AWS Load Balancer Controller"},
		{"Warning  FailedDeployModel  ingress/web  Failed deploy model due to operation error Elastic Load Balancing v2: " +
			"DescribeListenerAttributes, AccessDenied", unknownSession, "AWS Load Balancer Controller"},
		{`{"level":"ERROR","logger":"controller","message":"Reconciler error","controller":"nodeclass",` +
			`"controllerGroup":"karpenter.k8s.aws","controllerKind":"EC2NodeClass","error":"creating instance profile, AccessDenied"}`,
			"", "Karpenter"},
		{"E0612 10:00:00.000000       1 aws_manager.go:429] Failed to get labels from EKS DescribeNodegroup API for " +
			"nodegroup ng-1 in cluster prod because AccessDeniedException", "", "Cluster Autoscaler"},
		{`Warning  ProvisioningFailed  persistentvolumeclaim/data  ebs.csi.aws.com_ebs-csi-controller-7f9c  failed to ` +
			`provision volume with StorageClass "gp3": rpc error: code = Internal desc = Could not create volume: UnauthorizedOperation`,
			"", "Amazon EBS CSI driver"},
		{`time="2024-05-01T10:00:00Z" level=error msg="records retrieval failed: failed to list hosted zones: AccessDenied"`,
			unknownSession, "ExternalDNS"},
		{`{"level":"error","caller":"ipamd/ipamd.go:845","msg":"Failed to increase pool size: UnauthorizedOperation"}`,
			"", "Amazon VPC CNI"},
		// Two controllers' markers: the text alone decides nothing, a known role does.
		{"karpenter.sh/nodepool=default ebs.csi.aws.com", "", ""},
		{"karpenter.sh/nodepool=default ebs.csi.aws.com", "arn:aws:iam::111122223333:role/KarpenterControllerRole-prod", "Karpenter"},
		{`pods is forbidden: User "system:serviceaccount:default:app" cannot list resource "pods"`,
			"arn:aws:iam::111122223333:role/app-backend", ""},
	}
	for _, tt := range tests {
		got := ""
		if c := controllerFor(passOver(tt.text), tt.role); c != nil {
			got = c.name
		}
		if got != tt.want {
			t.Errorf("controllerFor(%.60q, %q) = %q; want %q", tt.text, tt.role, got, tt.want)
		}
	}
}

func TestControllerIAMNeedsWildcard(t *testing.T) {
	c := &controllerPolicy{actions: []controllerAction{{"ec2:Describe*", "v1.2.0"}, {"sqs:ReceiveMessage", ""}}}
	tests := []struct {
		action string
		want   controllerAction
		ok     bool
	}{
		{"ec2:DescribeInstances", controllerAction{"ec2:Describe*", "v1.2.0"}, true},
		{"EC2:describeSubnets", controllerAction{"ec2:Describe*", "v1.2.0"}, true},
		{"SQS:receivemessage", controllerAction{"sqs:ReceiveMessage", ""}, true},
		{"ec2:RunInstances", controllerAction{}, false},
		{"sqs:ReceiveMessages", controllerAction{}, false},
	}
	for _, tt := range tests {
		if got, ok := c.needs(tt.action); got != tt.want || ok != tt.ok {
			t.Errorf("needs(%q) = %+v, %v; want %+v, %v", tt.action, got, ok, tt.want, tt.ok)
		}
	}
}

var (
	// wellFormedAction is a service prefix and an action name, without wildcards.
	wellFormedAction = regexp.MustCompile(`^[a-z0-9-]+:[A-Z][A-Za-z0-9]+$`)
	// awsManagedPolicyName is the name of an AWS managed policy for a controller.
	awsManagedPolicyName = regexp.MustCompile(`^Amazon\w+Policy(V[0-9]+)?$`)
)

func TestControllerIAMTable(t *testing.T) {
	for i := range controllerPolicies {
		c := &controllerPolicies[i]
		if c.name == "" || strings.Count(c.serviceAccount, "/") != 1 || !strings.HasPrefix(c.source, "https://github.com/") ||
			c.roleName == nil || len(c.markers) == 0 || len(c.actions) == 0 {
			t.Errorf("%q is missing a field: %+v", c.name, c)
		}
		for _, m := range c.managedPolicies {
			if !awsManagedPolicyName.MatchString(m) {
				t.Errorf("%s: %q is not the name of an AWS managed policy", c.name, m)
			}
		}
		seen := map[string]bool{}
		for j, a := range c.actions {
			if !wellFormedAction.MatchString(a.action) {
				t.Errorf("%s: action %q is not service:Action", c.name, a.action)
			}
			if j > 0 && c.actions[j-1].action > a.action {
				t.Errorf("%s: %q comes after %q: not sorted", c.name, a.action, c.actions[j-1].action)
			}
			if key := strings.ToLower(a.action); seen[key] {
				t.Errorf("%s: %q is listed twice", c.name, a.action)
			} else {
				seen[key] = true
			}
		}
		for action := range c.notes {
			if got, ok := c.needs(action); !ok || got.action != action {
				t.Errorf("%s: note for %q, which the policy does not list", c.name, action)
			}
		}
		for _, m := range c.markers {
			if got := controllerFor(passOver(m), ""); got != c {
				t.Errorf("%s: marker %q alone does not point to it only", c.name, m)
			}
		}
	}
}

// passOver returns a pass over text, as rules get one.
func passOver(text string) *analysis.Pass {
	return &analysis.Pass{Input: &analysis.Input{Src: analysis.NewSource(text)}}
}
