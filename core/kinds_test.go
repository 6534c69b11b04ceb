package core

import (
	"slices"
	"testing"
)

// terraformIssue is a GitHub issue with a Terraform cluster that the
// Terraform rules find fault with, and an aws-auth ConfigMap.
const terraformIssue = "Nobody can reach the new cluster. Our Terraform:\n\n" +
	"```hcl\n" +
	"resource \"aws_eks_cluster\" \"main\" {\n" +
	"  name     = \"prod\"\n" +
	"  role_arn = aws_iam_role.cluster.arn\n" +
	"  vpc_config {\n" +
	"    subnet_ids = [\"subnet-0123456789abcdef0\"]\n" +
	"  }\n" +
	"}\n" +
	"```\n\n" +
	"and aws-auth:\n\n" +
	"```yaml\n" +
	"apiVersion: v1\n" +
	"kind: ConfigMap\n" +
	"metadata:\n" +
	"  name: aws-auth\n" +
	"  namespace: kube-system\n" +
	"data:\n" +
	"  mapRoles: |\n" +
	"    - rolearn: arn:aws:iam::111122223333:role/nodes\n" +
	"      username: system:node:{{EC2PrivateDNSName}}\n" +
	"      groups:\n" +
	"        - system:bootstrappers\n" +
	"        - system:nodes\n" +
	"```\n"

func TestKinds(t *testing.T) {
	if got, want := Kinds(terraformIssue), []string{"terraform", "aws-auth"}; !slices.Equal(got, want) {
		t.Errorf("Kinds = %q, want %q", got, want)
	}
	for _, bad := range []string{"", " \n", "\x89PNG\r\n"} {
		if got := Kinds(bad); got != nil {
			t.Errorf("Kinds(%q) = %q, want nil", bad, got)
		}
	}
}
