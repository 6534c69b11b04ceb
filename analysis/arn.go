package analysis

import (
	"slices"
	"strings"
)

// Partitions are the AWS partitions an ARN can name (the list the
// aws-iam-authenticator accepts).
var Partitions = []string{"aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b", "aws-iso-e", "aws-iso-f", "aws-eusc"}

// ARN is an Amazon Resource Name split into its parts:
// arn:Partition:Service:Region:Account:Resource.
type ARN struct {
	Partition, Service, Region, Account, Resource string
}

// ParseARN splits s into its parts; ok is false when s does not have the
// six colon-separated parts of an ARN.
func ParseARN(s string) (a ARN, ok bool) {
	parts := strings.SplitN(s, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" {
		return ARN{}, false
	}
	return ARN{parts[1], parts[2], parts[3], parts[4], parts[5]}, true
}

// String formats the ARN.
func (a ARN) String() string {
	return strings.Join([]string{"arn", a.Partition, a.Service, a.Region, a.Account, a.Resource}, ":")
}

// ResourceType returns the resource's type, the part before the first
// "/" ("role" for "role/path/name").
func (a ARN) ResourceType() string {
	typ, _, _ := strings.Cut(a.Resource, "/")
	return typ
}

// Name returns the last "/"-separated element of the resource: the role or
// user name without its path.
func (a ARN) Name() string {
	return a.Resource[strings.LastIndex(a.Resource, "/")+1:]
}

// Path returns the IAM path between the resource type and the name,
// with its slashes ("/team/" for "role/team/name"), or "/" when it has none.
func (a ARN) Path() string {
	typ, rest, _ := strings.Cut(a.Resource, "/")
	if i := strings.LastIndex(rest, "/"); i >= 0 && typ != "" {
		return "/" + rest[:i+1]
	}
	return "/"
}

// Canonical returns the ARN the aws-iam-authenticator matches an identity
// by, as its Canonicalize does: an STS assumed-role session becomes the IAM
// role it belongs to (arn:P:iam::A:role/NAME, without path); users, roles,
// the account root and federated users stay as they are. ok is false for
// ARNs that are not IAM or STS identities, or whose partition is unknown.
func Canonical(s string) (canonical string, ok bool) {
	a, ok := ParseARN(s)
	if !ok || !slices.Contains(Partitions, a.Partition) {
		return "", false
	}
	switch {
	case a.Service == "sts" && a.ResourceType() == "assumed-role":
		parts := strings.Split(a.Resource, "/")
		if len(parts) < 3 || parts[1] == "" {
			return "", false
		}
		return ARN{a.Partition, "iam", "", a.Account, "role/" + parts[1]}.String(), true
	case a.Service == "sts" && a.ResourceType() == "federated-user",
		a.Service == "iam" && (a.ResourceType() == "user" || a.ResourceType() == "role" || a.Resource == "root"):
		return s, true
	}
	return "", false
}
