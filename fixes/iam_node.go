package fixes

import (
	"regexp"
	"strings"

	"github.com/eksdoctor/eksdoctor/analysis"

	"github.com/eksdoctor/eksdoctor/internal/prefilter"
)

// The node role: every pod that can reach the instance metadata service
// gets its credentials, so what the role may do, every pod on the node may
// do. It needs a few managed policies to join the cluster and pull images,
// and nothing that belongs to one application or to cluster admins.

// awsManaged matches an AWS managed policy ARN in any partition, including
// CloudFormation's arn:${AWS::Partition}:….
var awsManaged = regexp.MustCompile(`:iam::aws:policy/(?:[\w+=,.@-]+/)*([\w+=,.@-]+)$`)

// managedName returns the name of an AWS managed policy ARN, or "".
func managedName(arn string) string {
	if m := awsManaged.FindStringSubmatch(strings.TrimSpace(arn)); m != nil {
		return m[1]
	}
	return ""
}

// dangerousOnNodes are AWS managed policies that no node role should carry,
// with why.
var dangerousOnNodes = map[string]struct {
	sev analysis.Severity
	why string
}{
	"AdministratorAccess":      {analysis.Critical, "full control of the account"},
	"PowerUserAccess":          {analysis.Critical, "every action outside IAM, including reading every secret and bucket"},
	"IAMFullAccess":            {analysis.Critical, "the power to make itself administrator"},
	"AmazonEKSClusterPolicy":   {analysis.High, "the cluster role's permissions; nodes need a role of their own, and AWS forbids reusing the cluster's"},
	"AmazonS3FullAccess":       {analysis.High, "read, write and delete on every bucket"},
	"AmazonEC2FullAccess":      {analysis.High, "control of every instance, volume and security group"},
	"SecretsManagerReadWrite":  {analysis.High, "every secret in Secrets Manager"},
	"AmazonSSMFullAccess":      {analysis.High, "every parameter and command execution on every managed instance"},
	"AmazonDynamoDBFullAccess": {analysis.High, "every DynamoDB table"},
	"AmazonRDSFullAccess":      {analysis.High, "every database"},
	"AWSLambda_FullAccess":     {analysis.High, "every Lambda function"},
	"AmazonSQSFullAccess":      {analysis.Medium, "every SQS queue"},
	"AmazonSNSFullAccess":      {analysis.Medium, "every SNS topic"},
	"AmazonS3ReadOnlyAccess":   {analysis.Medium, "every object in every bucket"},
	"AmazonEKS_CNI_Policy":     {analysis.Low, "the power to attach network interfaces and assign IP addresses (AWS recommends giving it to the aws-node ServiceAccount's own role instead)"},
}

// workerPolicies and registryPolicies are the managed policies a node
// role needs (either of each list).
var (
	workerPolicies   = []string{"AmazonEKSWorkerNodePolicy", "AmazonEKSWorkerNodeMinimalPolicy"}
	registryPolicies = []string{"AmazonEC2ContainerRegistryPullOnly", "AmazonEC2ContainerRegistryReadOnly",
		"AmazonEC2ContainerRegistryPowerUser", "AmazonEC2ContainerRegistryFullAccess"}
	nodeName = prefilter.MustCompile(`(?i)node`)
)

// hasManaged reports whether the role has one of the named managed policies.
func hasManaged(r *PolicyRole, names []string) bool {
	for _, m := range r.ManagedPolicies {
		for _, n := range names {
			if managedName(m.Value) == n {
				return true
			}
		}
	}
	return false
}

// trustsEC2 reports whether the role's trust policy lets EC2 instances
// assume it.
func trustsEC2(r *PolicyRole) bool {
	if r.Trust == nil {
		return false
	}
	for _, s := range r.Trust.Statements {
		for _, v := range s.PrincipalsOf("Service") {
			service := strings.ReplaceAll(strings.TrimSpace(v.Value), "${AWS::URLSuffix}", "amazonaws.com")
			if s.Allows() && (service == "ec2.amazonaws.com" || service == "ec2.amazonaws.com.cn") && actionCovered(s, ActionAssumeRole) {
				return true
			}
		}
	}
	return false
}

// isNodeRole reports whether a role is an EKS node role: it has a worker
// node policy, or EC2 assumes it and its name says node.
func isNodeRole(r *PolicyRole) bool {
	return hasManaged(r, workerPolicies) || trustsEC2(r) && nodeName.MatchString(r.Name)
}

// appServices are services whose data actions belong to an application,
// not to a node.
var appServices = map[string]bool{
	"s3": true, "dynamodb": true, "secretsmanager": true, "sqs": true, "sns": true, "kms": true, "kinesis": true,
	"firehose": true, "rds-db": true, "es": true, "bedrock": true, "ses": true, "states": true, "events": true,
}

// clusterAdminActions let the holder grant itself Kubernetes access.
var clusterAdminActions = []string{"eks:CreateAccessEntry", "eks:AssociateAccessPolicy", "eks:UpdateAccessEntry", "eks:UpdateClusterConfig"}

var iamNodeRolePermissions = &analysis.Rule{
	ID:       "IAM008",
	Title:    "node role carries application or admin permissions",
	Severity: analysis.High,
	Kinds:    policyKinds,
	Doc: "Every pod that can reach the instance metadata service gets the node role's credentials, so a permission on the " +
		"node role is a permission of every pod on the node, whatever its ServiceAccount. AdministratorAccess, IAM or full " +
		"S3 access, the cluster role's policy, access-entry actions that grant cluster-admin, and an application's own data " +
		"permissions do not belong there. Give applications their own role with IRSA or EKS Pod Identity, and require " +
		"IMDSv2 with a hop limit of 1 so pods cannot reach the node role at all.",
	Refs: []string{nodeRoleDoc, imdsBestPractice, podIdentityDoc},
	Run: func(p *analysis.Pass) {
		for _, r := range policiesOf(p, p.Doc).Roles {
			if !isNodeRole(r) {
				continue
			}
			for _, m := range r.ManagedPolicies {
				if d, ok := dangerousOnNodes[managedName(m.Value)]; ok {
					p.Report(analysis.Finding{Severity: d.sev, Start: m.Start, End: m.End, Message: "The node role has " + managedName(m.Value) +
						", which gives every pod on its nodes " + d.why + "."})
				}
			}
			for _, pol := range r.Inline {
				for _, s := range pol.Statements {
					reportNodeGrant(p, s)
				}
			}
		}
	},
}

// reportNodeGrant reports an inline node-role statement that grants
// cluster-admin or application permissions.
func reportNodeGrant(p *analysis.Pass, s *Statement) {
	if !s.Allows() || s.NotAction {
		return
	}
	var app []analysis.Scalar
	for _, a := range s.Actions {
		for _, admin := range clusterAdminActions {
			if actionMatches(a.Value, admin) {
				p.Reportf(a.Start, a.End, nil, "The node role allows %s: any pod on the node can grant itself cluster access through "+
					"EKS access entries.", a.Value)
				return
			}
		}
		if service, _, _ := strings.Cut(strings.ToLower(a.Value), ":"); appServices[service] {
			app = append(app, a)
		}
	}
	if len(app) > 0 {
		p.Report(analysis.Finding{Severity: analysis.Medium, Start: app[0].Start, End: app[0].End, Message: "The node role allows " +
			strings.Join(scalarValues(app), ", ") + ", an application's permissions, to every pod on the node. Give them to the " +
			"application's ServiceAccount with IRSA or Pod Identity."})
	}
}

var iamNodeRoleMissing = &analysis.Rule{
	ID:       "IAM009",
	Title:    "node role without the policies nodes need",
	Severity: analysis.Medium,
	Kinds:    policyKinds,
	Doc: "A node role needs AmazonEKSWorkerNodePolicy (AmazonEKSWorkerNodeMinimalPolicy on Auto Mode) to describe its " +
		"instance and cluster and to serve Pod Identity, and AmazonEC2ContainerRegistryPullOnly (or ReadOnly) because the " +
		"built-in networking add-ons pull their images from ECR. Without them nodes do not become Ready. AmazonEKS_CNI_Policy " +
		"must be on this role or, as AWS recommends, on the aws-node ServiceAccount's role.",
	Refs: []string{nodeRoleDoc, "https://docs.aws.amazon.com/eks/latest/userguide/auto-create-node-role.html"},
	Run: func(p *analysis.Pass) {
		for _, r := range policiesOf(p, p.Doc).Roles {
			if !isNodeRole(r) || r.Start == r.End {
				continue
			}
			for _, need := range [][]string{workerPolicies, registryPolicies} {
				if hasManaged(r, need) {
					continue
				}
				p.Reportf(r.Start, r.End, nil, "%s has neither %s nor %s; nodes need one of them.", titleWith("The node role", r.Name), need[0], need[1])
				p.SuggestCommand("Attach "+need[0]+" to the node role",
					"aws iam attach-role-policy --role-name "+nonEmpty(r.Name, "NODE_ROLE")+" --policy-arn arn:aws:iam::aws:policy/"+need[0],
					"Use the partition of your account in the ARN (arn:aws-cn:…, arn:aws-us-gov:…).")
			}
			if !hasManaged(r, []string{"AmazonEKS_CNI_Policy"}) {
				p.SuggestCommand("Check that the aws-node ServiceAccount has AmazonEKS_CNI_Policy",
					"kubectl -n kube-system get serviceaccount aws-node -o jsonpath='{.metadata.annotations}'",
					"The node role does not carry AmazonEKS_CNI_Policy, so the VPC CNI needs it through IRSA or Pod Identity.")
			}
		}
	},
}

func nonEmpty(s, fallback string) string {
	if s == "" {
		return fallback
	}
	return s
}
