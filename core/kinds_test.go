package core

import (
	"slices"
	"testing"

	"github.com/eksdoctor/eksdoctor/analysis"
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

// TestHoldsKinds checks holdsKinds, which HoldsLeftOut asks, against
// Kinds on the classification corpus: for the kinds that cutting the text
// decides, and for kinds that take parsing, which it leaves to Kinds.
func TestHoldsKinds(t *testing.T) {
	sets := [][]analysis.Kind{
		{analysis.KindTerraform},
		{analysis.KindCallerIdentity},
		{analysis.KindTerraform, analysis.KindAWSAuth},
	}
	inputs := append(classifyCorpus(t),
		corpusInput{path: "terraformIssue", text: terraformIssue},
		corpusInput{path: "Terraform after a byte order mark", text: "\ufeffresource \"aws_iam_role\" \"nodes\" {\n  name = \"nodes\"\n}\n"})
	held := map[analysis.Kind]bool{}
	for _, in := range inputs {
		kinds := Kinds(in.text)
		for _, set := range sets {
			want := slices.ContainsFunc(kinds, func(k string) bool { return slices.Contains(set, analysis.Kind(k)) })
			if got := holdsKinds(in.text, set); got != want {
				t.Errorf("%s: holdsKinds(%q) = %v, want %v (kinds %q)", in.path, set, got, want, kinds)
			}
			if want && len(set) == 1 {
				held[set[0]] = true
			}
		}
	}
	for _, k := range cutKinds {
		if !held[k] {
			t.Errorf("no input holds a %s document", k)
		}
	}
	if holdsKinds(terraformIssue, nil) || holdsKinds("", []analysis.Kind{analysis.KindTerraform}) {
		t.Error("holdsKinds is true with no kinds to look for, or for text Analyze refuses")
	}
}
