package fixes

import (
	"regexp"
	"strings"

	"github.com/eksdoctor/eksdoctor/analysis"
)

// What the IAM policies of common EKS controllers must allow, from the
// policy each controller ships, so that a denial naming a controller's role
// and an action can say which controller needs the action, since which
// release, and that the grant belongs on the controller's own role.
//
// Each action list is the policy file at the newest release tag checked,
// sorted. An action's since is the first release tag, in version order,
// whose policy file has it; it is "" when the earliest tag that has the
// file already has the action. The comment above each entry names the file,
// the tag and commit read, and the tags walked.

// controllerPolicy is what one controller's IAM policy must allow, from the
// policy file it ships.
type controllerPolicy struct {
	name           string // "AWS Load Balancer Controller"
	serviceAccount string // namespace/name it usually runs as
	// managedPolicies are the AWS managed policies that grant the actions,
	// the one the controller's documentation recommends first; nil when AWS
	// provides none.
	managedPolicies []string
	// nodeRole is true when the controller's pods use the node IAM role
	// unless its ServiceAccount is given a role of its own, so that its
	// policy usually sits on the node role.
	nodeRole bool
	source   string         // the policy file's URL at the newest tag checked
	roleName *regexp.Regexp // the role names people give the controller's role
	markers  []string       // strings only its log lines, events or errors hold
	actions  []controllerAction
	// notes says, for an action the policy grants only on some resources
	// or under a condition, where and when: a denial can come from that.
	notes map[string]string
}

// controllerAction is an action a controller's policy allows, and the first
// release whose policy file has it ("" when every release checked has it).
type controllerAction struct{ action, since string }

// Karpenter's policy scopes the instance profile actions by tags: the
// profiles it creates must carry karpenterRequestTags, and it changes only
// profiles that carry the tags karpenterProfileScope names.
const (
	karpenterRequestTags = "only with the request tags kubernetes.io/cluster/CLUSTER=owned, " +
		"eks:eks-cluster-name=CLUSTER, topology.kubernetes.io/region=REGION and karpenter.k8s.aws/ec2nodeclass"
	karpenterProfileScope = "only on instance profiles tagged kubernetes.io/cluster/CLUSTER=owned, " +
		"topology.kubernetes.io/region=REGION and karpenter.k8s.aws/ec2nodeclass, as Karpenter tags those it creates"
)

// controllerPolicies lists the controllers eksdoctor knows.
var controllerPolicies = []controllerPolicy{
	// docs/install/iam_policy.json at v3.5.0 (11eb202c97e4ae2ee45e0658c4cde9a4b59f33d4);
	// since: the release tags v2.0.0 to v3.5.0 walked in version order.
	{
		name:           "AWS Load Balancer Controller",
		serviceAccount: "kube-system/aws-load-balancer-controller",
		source:         "https://github.com/kubernetes-sigs/aws-load-balancer-controller/blob/v3.5.0/docs/install/iam_policy.json",
		roleName:       regexp.MustCompile(`(?i)load[-_]?balancer[-_]?controller|(^|[-_])alb[-_](ingress[-_])?controller`),
		markers:        []string{"elbv2.k8s.aws", "aws-load-balancer-controller", "Failed deploy model due to", "Failed build model due to"},
		actions: []controllerAction{
			{"acm:DescribeCertificate", ""},
			{"acm:ListCertificates", ""},
			{"cognito-idp:DescribeUserPoolClient", ""},
			{"ec2:AuthorizeSecurityGroupIngress", ""},
			{"ec2:CreateSecurityGroup", ""},
			{"ec2:CreateTags", ""},
			{"ec2:DeleteSecurityGroup", ""},
			{"ec2:DeleteTags", ""},
			{"ec2:DescribeAccountAttributes", ""},
			{"ec2:DescribeAddresses", ""},
			{"ec2:DescribeAvailabilityZones", "v2.2.0"},
			{"ec2:DescribeCoipPools", "v2.1.2"},
			{"ec2:DescribeInstances", ""},
			{"ec2:DescribeInternetGateways", ""},
			{"ec2:DescribeIpamPools", "v2.12.0"},
			{"ec2:DescribeNetworkInterfaces", ""},
			{"ec2:DescribeRouteTables", "v2.13.0"},
			{"ec2:DescribeSecurityGroups", ""},
			{"ec2:DescribeSubnets", ""},
			{"ec2:DescribeTags", ""},
			{"ec2:DescribeVpcPeeringConnections", "v2.3.0"},
			{"ec2:DescribeVpcs", ""},
			{"ec2:GetCoipPoolUsage", "v2.1.2"},
			{"ec2:GetSecurityGroupsForVpc", "v2.10.0"},
			{"ec2:RevokeSecurityGroupIngress", ""},
			{"elasticloadbalancing:AddListenerCertificates", ""},
			{"elasticloadbalancing:AddTags", ""},
			{"elasticloadbalancing:CreateListener", ""},
			{"elasticloadbalancing:CreateLoadBalancer", ""},
			{"elasticloadbalancing:CreateRule", ""},
			{"elasticloadbalancing:CreateTargetGroup", ""},
			{"elasticloadbalancing:DeleteListener", ""},
			{"elasticloadbalancing:DeleteLoadBalancer", ""},
			{"elasticloadbalancing:DeleteRule", ""},
			{"elasticloadbalancing:DeleteTargetGroup", ""},
			{"elasticloadbalancing:DeregisterTargets", ""},
			{"elasticloadbalancing:DescribeCapacityReservation", "v2.11.0"},
			{"elasticloadbalancing:DescribeListenerAttributes", "v2.9.0"},
			{"elasticloadbalancing:DescribeListenerCertificates", ""},
			{"elasticloadbalancing:DescribeListeners", ""},
			{"elasticloadbalancing:DescribeLoadBalancerAttributes", ""},
			{"elasticloadbalancing:DescribeLoadBalancers", ""},
			{"elasticloadbalancing:DescribeRules", ""},
			{"elasticloadbalancing:DescribeSSLPolicies", ""},
			{"elasticloadbalancing:DescribeTags", ""},
			{"elasticloadbalancing:DescribeTargetGroupAttributes", ""},
			{"elasticloadbalancing:DescribeTargetGroups", ""},
			{"elasticloadbalancing:DescribeTargetHealth", ""},
			{"elasticloadbalancing:DescribeTrustStores", "v2.7.0"},
			{"elasticloadbalancing:ModifyCapacityReservation", "v2.11.0"},
			{"elasticloadbalancing:ModifyIpPools", "v2.12.0"},
			{"elasticloadbalancing:ModifyListener", ""},
			{"elasticloadbalancing:ModifyListenerAttributes", "v2.9.0"},
			{"elasticloadbalancing:ModifyLoadBalancerAttributes", ""},
			{"elasticloadbalancing:ModifyRule", ""},
			{"elasticloadbalancing:ModifyTargetGroup", ""},
			{"elasticloadbalancing:ModifyTargetGroupAttributes", ""},
			{"elasticloadbalancing:RegisterTargets", ""},
			{"elasticloadbalancing:RemoveListenerCertificates", ""},
			{"elasticloadbalancing:RemoveTags", ""},
			{"elasticloadbalancing:SetIpAddressType", ""},
			{"elasticloadbalancing:SetRulePriorities", "v2.12.0"},
			{"elasticloadbalancing:SetSecurityGroups", ""},
			{"elasticloadbalancing:SetSubnets", ""},
			{"elasticloadbalancing:SetWebAcl", ""},
			{"iam:CreateServiceLinkedRole", ""},
			{"iam:GetServerCertificate", ""},
			{"iam:ListServerCertificates", ""},
			{"shield:CreateProtection", ""},
			{"shield:DeleteProtection", ""},
			{"shield:DescribeProtection", ""},
			{"shield:GetSubscriptionState", ""},
			{"waf-regional:AssociateWebACL", ""},
			{"waf-regional:DisassociateWebACL", ""},
			{"waf-regional:GetWebACL", ""},
			{"waf-regional:GetWebACLForResource", ""},
			{"wafv2:AssociateWebACL", ""},
			{"wafv2:DisassociateWebACL", ""},
			{"wafv2:GetWebACL", ""},
			{"wafv2:GetWebACLForResource", ""},
		},
	},
	// The controller's AWS::IAM::ManagedPolicy resources (KarpenterController*Policy-CLUSTER)
	// in website/content/en/docs/getting-started/getting-started-with-karpenter/cloudformation.yaml
	// at v1.14.1 (bde00654cd316fddb3dccfba3f5ac07039865429); since: the release tags v0.6.5 to
	// v1.14.1, reading the template of the tag's own version or, failing that, preview's
	// (getting-started-with-eksctl before v0.27).
	{
		name:           "Karpenter",
		serviceAccount: "kube-system/karpenter",
		source:         "https://github.com/aws/karpenter-provider-aws/blob/v1.14.1/website/content/en/docs/getting-started/getting-started-with-karpenter/cloudformation.yaml",
		roleName:       regexp.MustCompile(`(?i)karpenter[-_]?controller|^karpenter$|[-_]karpenter$|^karpenter[-_]irsa`),
		markers:        []string{"karpenter.sh", "karpenter.k8s.aws", "EC2NodeClass"},
		actions: []controllerAction{
			{"arc-zonal-shift:GetManagedResource", "v1.12.0"},
			{"ec2:CreateFleet", ""},
			{"ec2:CreateLaunchTemplate", ""},
			{"ec2:CreateTags", ""},
			{"ec2:DeleteLaunchTemplate", ""},
			{"ec2:DescribeCapacityReservations", "v1.3.0"},
			{"ec2:DescribeImages", "v0.14.0"},
			{"ec2:DescribeInstanceStatus", "v1.12.0"},
			{"ec2:DescribeInstanceTypeOfferings", ""},
			{"ec2:DescribeInstanceTypes", ""},
			{"ec2:DescribeInstances", ""},
			{"ec2:DescribeLaunchTemplates", ""},
			{"ec2:DescribePlacementGroups", "v1.11.0"},
			{"ec2:DescribeSecurityGroups", ""},
			{"ec2:DescribeSpotPriceHistory", "v0.13.0"},
			{"ec2:DescribeSubnets", ""},
			{"ec2:RunInstances", ""},
			{"ec2:TerminateInstances", ""},
			{"eks:DescribeCluster", "v0.25.0"},
			{"iam:AddRoleToInstanceProfile", "v0.32.0"},
			{"iam:CreateInstanceProfile", "v0.32.0"},
			{"iam:DeleteInstanceProfile", "v0.32.0"},
			{"iam:GetInstanceProfile", "v0.32.0"},
			{"iam:ListInstanceProfiles", "v1.7.0"},
			{"iam:PassRole", ""},
			{"iam:RemoveRoleFromInstanceProfile", "v0.32.0"},
			{"iam:TagInstanceProfile", "v0.32.0"},
			{"pricing:GetProducts", "v0.13.0"},
			{"sqs:DeleteMessage", "v0.19.0"},
			{"sqs:GetQueueUrl", "v0.19.0"},
			{"sqs:ReceiveMessage", "v0.19.0"},
			{"ssm:GetParameter", ""},
		},
		notes: map[string]string{
			"iam:PassRole": "only on the node role (KarpenterNodeRole-CLUSTER in the template) and only with " +
				"iam:PassedToService ec2.amazonaws.com (or ec2.amazonaws.com.cn): the role an EC2NodeClass names must be that role",
			"iam:CreateInstanceProfile":         karpenterRequestTags,
			"iam:TagInstanceProfile":            karpenterProfileScope + ", and " + karpenterRequestTags,
			"iam:AddRoleToInstanceProfile":      karpenterProfileScope,
			"iam:RemoveRoleFromInstanceProfile": karpenterProfileScope,
			"iam:DeleteInstanceProfile":         karpenterProfileScope,
		},
	},
	// The "Full Cluster Autoscaler Features Policy" of cluster-autoscaler/cloudprovider/aws/README.md
	// at cluster-autoscaler-1.36.1 (35e8a280425c76a4040f57ae0fa232a952c02024); since: the tags
	// cluster-autoscaler-0.5.2 to 1.36.1, the first whose README names the action. eks:DescribeNodegroup
	// is what 1.24.0 started calling to scale managed node groups up from zero (aws_manager.go).
	{
		name:           "Cluster Autoscaler",
		serviceAccount: "kube-system/cluster-autoscaler",
		source:         "https://github.com/kubernetes/autoscaler/blob/cluster-autoscaler-1.36.1/cluster-autoscaler/cloudprovider/aws/README.md#full-cluster-autoscaler-features-policy-recommended",
		roleName:       regexp.MustCompile(`(?i)cluster[-_]?autoscaler|^amazon_ca_role$`),
		markers:        []string{"cluster-autoscaler", "aws_manager.go", "auto_scaling_groups.go", "aws_cloud_provider.go"},
		actions: []controllerAction{
			{"autoscaling:DescribeAutoScalingGroups", ""},
			{"autoscaling:DescribeAutoScalingInstances", ""},
			{"autoscaling:DescribeLaunchConfigurations", "cluster-autoscaler-0.6.1"},
			{"autoscaling:DescribeScalingActivities", "cluster-autoscaler-1.24.0"},
			{"autoscaling:SetDesiredCapacity", ""},
			{"autoscaling:TerminateInstanceInAutoScalingGroup", ""},
			{"ec2:DescribeImages", "cluster-autoscaler-1.24.1"},
			{"ec2:DescribeInstanceTypes", "cluster-autoscaler-1.23.0"},
			{"ec2:DescribeLaunchTemplateVersions", "cluster-autoscaler-1.12.0"},
			{"ec2:GetInstanceTypesFromInstanceRequirements", "cluster-autoscaler-1.24.1"},
			{"eks:DescribeNodegroup", "cluster-autoscaler-1.24.0"},
		},
	},
	// docs/example-iam-policy.json at v1.64.0 (6689789f192f8941878801f2730ea972a1196047), which
	// also has ec2:DescribeTags that docs/AmazonEBSCSIDriverPolicyV2.json dropped; since: the
	// release tags v0.2.0 to v1.64.0.
	{
		name:            "Amazon EBS CSI driver",
		serviceAccount:  "kube-system/ebs-csi-controller-sa",
		managedPolicies: []string{"AmazonEBSCSIDriverPolicyV2", "AmazonEBSCSIDriverPolicy"},
		source:          "https://github.com/kubernetes-sigs/aws-ebs-csi-driver/blob/v1.64.0/docs/example-iam-policy.json",
		roleName:        regexp.MustCompile(`(?i)ebs[-_]?csi[-_]?(driver|controller)`),
		markers:         []string{"ebs.csi.aws.com", "ebs-csi-controller"},
		actions: []controllerAction{
			{"ec2:AttachVolume", ""},
			{"ec2:CopyVolumes", "v1.54.0"},
			{"ec2:CreateSnapshot", ""},
			{"ec2:CreateTags", ""},
			{"ec2:CreateVolume", ""},
			{"ec2:DeleteSnapshot", ""},
			{"ec2:DeleteTags", ""},
			{"ec2:DeleteVolume", ""},
			{"ec2:DescribeAvailabilityZones", "v0.6.0"},
			{"ec2:DescribeInstanceTypes", "v1.59.0"},
			{"ec2:DescribeInstances", ""},
			{"ec2:DescribeSnapshots", ""},
			{"ec2:DescribeTags", ""},
			{"ec2:DescribeVolumeStatus", "v1.46.0"},
			{"ec2:DescribeVolumes", ""},
			{"ec2:DescribeVolumesModifications", "v0.6.0"},
			{"ec2:DetachVolume", ""},
			{"ec2:EnableFastSnapshotRestores", "v1.36.0"},
			{"ec2:LockSnapshot", "v1.59.0"},
			{"ec2:ModifyVolume", "v0.5.0"},
		},
	},
	// docs/iam-policy-example.json at v3.4.1 (3fcc6bdd7533a4cfd15643b31593f7ff154584c9); since: the
	// release tags v1.2.0 to v3.4.1. The node DaemonSet (efs-csi-node-sa) has a role of its own.
	{
		name:            "Amazon EFS CSI driver",
		serviceAccount:  "kube-system/efs-csi-controller-sa",
		managedPolicies: []string{"AmazonEFSCSIDriverPolicy", "AmazonS3FilesCSIDriverPolicy"},
		source:          "https://github.com/kubernetes-sigs/aws-efs-csi-driver/blob/v3.4.1/docs/iam-policy-example.json",
		roleName:        regexp.MustCompile(`(?i)efs[-_]?csi[-_]?(driver|controller)`),
		markers:         []string{"efs.csi.aws.com", "efs-csi-controller"},
		actions: []controllerAction{
			{"ec2:DescribeAvailabilityZones", "v1.4.0"},
			{"elasticfilesystem:CreateAccessPoint", ""},
			{"elasticfilesystem:DeleteAccessPoint", ""},
			{"elasticfilesystem:DescribeAccessPoints", ""},
			{"elasticfilesystem:DescribeFileSystems", ""},
			{"elasticfilesystem:DescribeMountTargets", "v1.4.0"},
			{"elasticfilesystem:TagResource", "v1.5.4"},
			{"s3files:CreateAccessPoint", "v3.0.0"},
			{"s3files:DeleteAccessPoint", "v3.0.0"},
			{"s3files:ListAccessPoints", "v3.0.0"},
			{"s3files:ListFileSystems", "v3.0.0"},
			{"s3files:TagResource", "v3.0.0"},
		},
	},
	// The first policy of docs/tutorials/aws.md at v0.22.0 (994f908d4abdfe5fbf38f2f61613ed570432e43a);
	// since: the release tags v0.4.0 to v0.22.0. The tutorial's ServiceAccount is in default.
	{
		name:           "ExternalDNS",
		serviceAccount: "default/external-dns",
		source:         "https://github.com/kubernetes-sigs/external-dns/blob/v0.22.0/docs/tutorials/aws.md#iam-policy",
		roleName:       regexp.MustCompile(`(?i)external[-_]?dns`),
		markers:        []string{"records retrieval failed", "failed to list hosted zones", "registry.k8s.io/external-dns"},
		actions: []controllerAction{
			{"route53:ChangeResourceRecordSets", ""},
			{"route53:ListHostedZones", ""},
			{"route53:ListResourceRecordSets", ""},
			{"route53:ListTagsForResources", "v0.17.0"},
		},
	},
	// The IPv4 policy of docs/iam-policy.md at v1.23.0 (0c65d58cf2b490014e7aa19aac172a032f4e520a),
	// which the file says AmazonEKS_CNI_Policy holds; since: the release tags v1.11.0 to v1.23.0.
	{
		name:            "Amazon VPC CNI",
		serviceAccount:  "kube-system/aws-node",
		managedPolicies: []string{"AmazonEKS_CNI_Policy"},
		nodeRole:        true,
		source:          "https://github.com/aws/amazon-vpc-cni-k8s/blob/v1.23.0/docs/iam-policy.md#ipv4-mode",
		roleName:        regexp.MustCompile(`(?i)vpc[-_]?cni`),
		markers:         []string{"ipamd", "amazon-vpc-cni"},
		actions: []controllerAction{
			{"ec2:AssignPrivateIpAddresses", ""},
			{"ec2:AttachNetworkInterface", ""},
			{"ec2:CreateNetworkInterface", ""},
			{"ec2:CreateTags", ""},
			{"ec2:DeleteNetworkInterface", ""},
			{"ec2:DescribeInstanceTypes", ""},
			{"ec2:DescribeInstances", ""},
			{"ec2:DescribeNetworkInterfaces", ""},
			{"ec2:DescribeSecurityGroups", "v1.23.0"},
			{"ec2:DescribeSubnets", "v1.18.4"},
			{"ec2:DescribeTags", ""},
			{"ec2:DetachNetworkInterface", ""},
			{"ec2:ModifyNetworkInterfaceAttribute", ""},
			{"ec2:UnassignPrivateIpAddresses", ""},
		},
	},
}

// controllerFor returns the controller a paste or a denied role ARN in it
// points to, or nil. The role decides when its name is one people give a
// controller's role; otherwise the markers in the paste's text do, read
// once per input. Either way, when more than one controller fits, it
// returns nil.
func controllerFor(p *analysis.Pass, roleARN string) *controllerPolicy {
	if name := deniedRoleName(roleARN); name != "" {
		if c := onlyController(func(c *controllerPolicy) bool { return c.roleName.MatchString(name) }); c != nil {
			return c
		}
	}
	return analysis.MemoInput(p.Input, markedControllerKey, func() *controllerPolicy {
		return onlyController(func(c *controllerPolicy) bool { return c.markedIn(p.Src.Text) })
	})
}

// markedControllerKey keeps the controller a paste's markers point to.
var markedControllerKey = analysis.NewKey[*controllerPolicy]("marked-controller")

// onlyController returns the one controller match accepts, or nil when it
// accepts none or several.
func onlyController(match func(*controllerPolicy) bool) *controllerPolicy {
	var found *controllerPolicy
	for i := range controllerPolicies {
		if c := &controllerPolicies[i]; match(c) {
			if found != nil {
				return nil
			}
			found = c
		}
	}
	return found
}

// markedIn reports whether text holds one of the controller's markers.
func (c *controllerPolicy) markedIn(text string) bool {
	for _, m := range c.markers {
		if strings.Contains(text, m) {
			return true
		}
	}
	return false
}

// deniedRoleName returns the name of the IAM role an ARN is or is a session
// of, without its path, or "".
func deniedRoleName(arn string) string {
	canonical, ok := analysis.Canonical(arn)
	if a, _ := analysis.ParseARN(canonical); ok && a.ResourceType() == "role" {
		return a.Name()
	}
	return ""
}

// needs returns the controllerAction of the controller's policy that covers
// action (names compare case-insensitively, and wildcards in the policy's
// actions, such as ec2:Describe*, count), or false.
func (c *controllerPolicy) needs(action string) (controllerAction, bool) {
	for _, a := range c.actions {
		if actionMatches(a.action, action) {
			return a, true
		}
	}
	return controllerAction{}, false
}
