package fixes

import (
	"regexp"
	"slices"
	"strings"

	"github.com/eksdoctor/eksdoctor/analysis"
	"github.com/eksdoctor/eksdoctor/internal/textdist"

	"github.com/eksdoctor/eksdoctor/internal/prefilter"
)

// What the aws-auth and access-entry rules know about principals, their
// ARNs, usernames and groups, shared by both families.

// breakGlass matches the names of emergency-access principals, the one
// acceptable use of system:masters.
var breakGlass = prefilter.MustCompile(`(?i)break[-_.]?glass|emergency`)

// adminName matches principals named for administrators.
var adminName = prefilter.MustCompile(`(?i)admin`)

var (
	accountID = regexp.MustCompile(`^[0-9]{12}$`)
)

// unmatchableARN says why an ARN in a mapping can never equal the ARN a
// caller is matched by, and gives the ARN that would when there is exactly
// one. It returns "" for user, role, root and federated-user ARNs
// (role paths are a separate check).
func unmatchableARN(v string) (why, fixed string) {
	if t := strings.TrimSpace(v); t != v {
		return "has blanks around it, and ARNs are compared exactly", t
	}
	a, ok := analysis.ParseARN(v)
	switch {
	case !ok:
		return "is not an ARN (arn:aws:iam::ACCOUNT:role/NAME)", ""
	case !slices.Contains(analysis.Partitions, strings.ToLower(a.Partition)):
		return "names the partition " + quoteOr(a.Partition, "(empty)") + ", which is not an AWS partition", ""
	case strings.EqualFold(a.Service, "sts") && a.ResourceType() == "assumed-role",
		strings.EqualFold(a.Service, "iam") && a.ResourceType() == "assumed-role":
		parts := strings.Split(a.Resource, "/")
		if len(parts) >= 2 && parts[1] != "" {
			fixed = analysis.ARN{Partition: a.Partition, Service: "iam", Region: "", Account: a.Account, Resource: "role/" + parts[1]}.String()
		}
		return "is an STS session (assumed-role) ARN; callers are matched by the ARN of their IAM role", fixed
	case strings.EqualFold(a.Service, "sts") && a.ResourceType() == "federated-user":
		return "", ""
	case !strings.EqualFold(a.Service, "iam"):
		return "is an ARN of the " + quoteOr(a.Service, "(empty)") + " service, not of an IAM user or role", ""
	case a.Region != "":
		return "has the region " + a.Region + ", but IAM ARNs have none", analysis.ARN{Partition: a.Partition, Service: a.Service, Region: "", Account: a.Account, Resource: a.Resource}.String()
	case !accountID.MatchString(a.Account) && analysis.MaskOfAccount(a.Account).Known():
		return "has the account " + quoteOr(a.Account, "(empty)") + ", not a 12-digit account ID", ""
	}
	switch rt := a.ResourceType(); {
	case rt == "instance-profile":
		return "is an instance profile ARN, and callers are matched by the IAM role in it " +
			"(aws iam get-instance-profile --instance-profile-name " + a.Name() + " --query 'InstanceProfile.Roles[].Arn')", ""
	case rt == "group":
		return "is an IAM group ARN; a group is not a principal, so no caller ever has this ARN " +
			"(map the group's roles or users instead, or let its members assume a mapped role)", ""
	case (rt == "role" || rt == "user") && a.Name() == "":
		return "has no " + rt + " name", ""
	case (rt == "role" || rt == "user") && strings.Contains(a.Resource, "*"):
		return "contains a wildcard, which ARN matching does not support", ""
	case rt == "role" || rt == "user" || a.Resource == "root":
		return "", ""
	}
	return "names a " + quoteOr(a.ResourceType(), "(empty)") + " resource, not an IAM user or role", ""
}

// shortenedAccount returns the account of an ARN when it is digits but
// not twelve of them: a typo, or an id shortened by hand before pasting.
func shortenedAccount(arn string) (string, bool) {
	a, ok := analysis.ParseARN(arn)
	if !ok || a.Account == "" || len(a.Account) == 12 || strings.Trim(a.Account, "0123456789") != "" {
		return "", false
	}
	return a.Account, true
}

func quoteOr(s, empty string) string {
	if s == "" {
		return empty
	}
	return `"` + s + `"`
}

// The template variables the authenticator renders in usernames and
// groups, exact case.
var templateVars = []string{"EC2PrivateDNSName", "AccountID", "SessionName", "SessionNameRaw", "AccessKeyID"}

var templateToken = regexp.MustCompile(`\{\{([^{}]*)\}\}`)

// The usernames and groups of node mappings.
const (
	nodeUsernameEC2     = "system:node:{{EC2PrivateDNSName}}"
	nodeUsernameSession = "system:node:{{SessionName}}"
	windowsProxyGroup   = "eks:kube-proxy-windows"
)

// knownGroups are the groups Kubernetes and EKS define; a near miss of
// one is a typo.
var knownGroups = []string{
	"system:masters", "system:nodes", "system:bootstrappers", "system:node-proxier",
	"system:authenticated", "system:unauthenticated", "system:serviceaccounts", "system:monitoring",
	windowsProxyGroup,
}

// groupTypo returns the known group g is a misspelling of: the same
// letters in another case, or a few edits (two, three for long names)
// away from exactly one known group.
func groupTypo(g string) (string, bool) {
	lower := strings.ToLower(g)
	if !strings.HasPrefix(lower, "system:") && !strings.HasPrefix(lower, "eks:") || slices.Contains(knownGroups, g) {
		return "", false
	}
	match, n := "", 0
	for _, k := range knownGroups {
		if d := textdist.Distance(lower, k, 9); d == 0 {
			return k, true
		} else if d <= max(2, len(k)/6) {
			match, n = k, n+1
		}
	}
	return match, n == 1
}

// A principal's name says which kind of node role it probably is.
var (
	windowsName = prefilter.MustCompile(`(?i)windows`)
	fargateName = prefilter.MustCompile(`(?i)fargate|pod-?execution`)
	hybridName  = prefilter.MustCompile(`(?i)hybrid`)
	ec2NodeName = prefilter.MustCompile(`(?i)node-?instance|node-?group|nodegroup|node-?role|eks-?node|worker|karpenter`)
	// nodeRoleName matches the names tools give node roles (eksctl's
	// NodeInstanceRole, KarpenterNodeRole-…, the EKS module's node group
	// roles, FargatePodExecutionRole), narrower than ec2NodeName because
	// it alone makes a role a node role.
	nodeRoleName = prefilter.MustCompile(`(?i)node-?instance-?role|node-?group|KarpenterNodeRole|eks-?node-?role|worker-?node|pod-?execution-?role`)
)

// nodeRoleKind returns the kind of node a role's name alone says it is
// for, or nodeNone: the one inference the aws-auth and access-entry rules
// share for roles not written as node roles.
func nodeRoleKind(name string) nodeKind {
	switch {
	case !nodeRoleName.MatchString(name):
		return nodeNone
	case windowsName.MatchString(name):
		return nodeWindows
	case fargateName.MatchString(name):
		return nodeFargate
	case hybridName.MatchString(name):
		return nodeHybrid
	}
	return nodeLinux
}
