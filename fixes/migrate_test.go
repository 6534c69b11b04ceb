package fixes

import (
	"strings"
	"testing"

	"github.com/eksdoctor/eksdoctor/analysis"
)

const migrationInput = `apiVersion: v1
kind: ConfigMap
metadata:
  name: aws-auth
  namespace: kube-system
data:
  mapRoles: |
    - rolearn: arn:aws:iam::111122223333:role/eks-node-group-role
      username: system:node:{{EC2PrivateDNSName}}
      groups:
        - system:bootstrappers
        - system:nodes
    - rolearn: arn:aws:iam::111122223333:role/eks-windows-node-role
      username: system:node:{{EC2PrivateDNSName}}
      groups:
        - eks:kube-proxy-windows
        - system:bootstrappers
        - system:nodes
    - rolearn: arn:aws:iam::111122223333:role/PlatformAdmin
      username: platform-admin
      groups:
        - system:masters
        - platform
    - rolearn: arn:aws:iam::111122223333:role/developer
      username: old-developer
    - rolearn: arn:aws:iam::111122223333:role/developer
      username: developer:{{SessionName}}
      groups:
        - developers
    - rolearn: arn:aws:iam::111122223333:role/teams/data/analyst
      username: analyst
      groups:
        - analysts
    - rolearn: arn:aws:iam::111122223333:role/ci
      username: "{{SessionName}}"
      groups:
        - deployers
    - rolearn: arn:aws:iam::111122223333:role/monitoring
      username: monitoring
      groups:
        - system:monitoring
    - rolearn: arn:aws:iam::111122223333:role/eks-fargate-pod-execution-role
      username: system:node:{{SessionName}}
      groups:
        - system:bootstrappers
        - system:nodes
        - system:node-proxier
  mapUsers: |
    - userarn: arn:aws:iam::111122223333:user/alice
      username: alice
      groups:
        - ops
    - userarn: arn:aws:iam::111122223333:user/bob
      username: bob
---
{"cluster": {"name": "prod", "arn": "arn:aws:eks:eu-west-1:111122223333:cluster/prod",
  "accessConfig": {"authenticationMode": "API_AND_CONFIG_MAP"}}}
---
{"accessEntries": ["arn:aws:iam::111122223333:user/bob"]}
`

// TestMigrationPlan checks the migration's semantics on a realistic
// aws-auth: which entries move, as what, and what stays behind.
func TestMigrationPlan(t *testing.T) {
	in := testInput(t, migrationInput, analysis.KindAWSAuth, analysis.KindAccessEntries, analysis.KindAccessEntries)
	p := &analysis.Pass{Input: in, Rule: authMigration, Out: &analysis.Result{}}
	plan := planMigration(p)
	var got []string
	for _, e := range plan.Entries {
		got = append(got, e.describe()+map[bool]string{true: " (dormant)", false: ""}[e.Dormant != ""])
	}
	want := []string{
		"arn:aws:iam::111122223333:role/eks-node-group-role -> EC2_LINUX",
		"arn:aws:iam::111122223333:role/eks-windows-node-role -> EC2_WINDOWS",
		"arn:aws:iam::111122223333:role/PlatformAdmin -> STANDARD, username platform-admin, groups platform, AmazonEKSClusterAdminPolicy (cluster)",
		"arn:aws:iam::111122223333:role/developer -> STANDARD, username developer:{{SessionName}}, groups developers",
		"arn:aws:iam::111122223333:role/analyst -> STANDARD, username analyst, groups analysts (dormant)",
		"arn:aws:iam::111122223333:role/ci -> STANDARD, groups deployers",
		"arn:aws:iam::111122223333:user/alice -> STANDARD, username alice, groups ops",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("entries:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if plan.Cluster != "prod" || plan.Region != "eu-west-1" || plan.Mode != "API_AND_CONFIG_MAP" {
		t.Errorf("cluster %q region %q mode %q", plan.Cluster, plan.Region, plan.Mode)
	}
	if len(plan.Existing) != 1 || plan.Existing[0] != "arn:aws:iam::111122223333:user/bob" {
		t.Errorf("existing %q", plan.Existing)
	}
	var skipped []string
	for _, s := range plan.Skipped {
		skipped = append(skipped, s.What)
	}
	if strings.Join(skipped, ",") != "arn:aws:iam::111122223333:role/monitoring,arn:aws:iam::111122223333:role/eks-fargate-pod-execution-role" {
		t.Errorf("skipped %q", skipped)
	}
	if !plan.blocked() {
		t.Errorf("a system:monitoring mapping must keep the cluster on API_AND_CONFIG_MAP")
	}
	var ci migrationEntry
	for _, e := range plan.Entries {
		if e.Name == "ci" {
			ci = e
		}
	}
	if len(ci.Notes) == 0 || !strings.Contains(ci.Notes[0], "colon before {{SessionName}}") {
		t.Errorf("ci notes %q", ci.Notes)
	}
}

// TestMigrationArtifacts checks the three renderings: each creates the
// same entries, the aws CLI script skips the mode step the cluster has
// already taken, dormant entries are commented out, and the eksctl config
// is itself a valid access-entry configuration.
func TestMigrationArtifacts(t *testing.T) {
	in := testInput(t, migrationInput, analysis.KindAWSAuth, analysis.KindAccessEntries, analysis.KindAccessEntries)
	p := &analysis.Pass{Input: in, Rule: authMigration, Out: &analysis.Result{}}
	authMigration.Run(p)
	files := map[string]string{}
	for _, a := range p.Out.Artifacts {
		files[a.Filename] = a.Content
	}
	shell, tf, eksctl := files["aws-auth-to-access-entries.sh"], files["aws-auth-to-access-entries.tf"], files["aws-auth-to-access-entries.eksctl.yaml"]
	for _, want := range []string{
		`CLUSTER="${CLUSTER:-prod}"`,
		`--role-name eks-windows-node-role --query Role.Arn --output text)" --type EC2_WINDOWS`,
		"--policy-arn arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy \\\n  --access-scope type=cluster",
		"--username 'developer:{{SessionName}}'",
		`# aws eks create-access-entry --cluster-name "$CLUSTER" \`,
		`--user-name alice --query User.Arn`,
	} {
		if !strings.Contains(shell, want) {
			t.Errorf("the script lacks %q:\n%s", want, shell)
		}
	}
	for _, unwanted := range []string{"authenticationMode=API_AND_CONFIG_MAP", "--user-name bob", "eks-fargate-pod-execution-role --query", "authenticationMode=API\n"} {
		if strings.Contains(shell, unwanted) {
			t.Errorf("the script has %q", unwanted)
		}
	}
	for _, want := range []string{
		"data \"aws_iam_role\" \"platformadmin\" {\n  name = \"PlatformAdmin\"\n}",
		"  kubernetes_groups = [\"platform\"]\n",
		"access_scope {\n    type = \"cluster\"\n  }",
		"data \"aws_iam_user\" \"alice\" {\n  user_name = \"alice\"\n}",
		"# resource \"aws_eks_access_entry\" \"analyst\" {",
		"  type          = \"EC2_LINUX\"\n",
	} {
		if !strings.Contains(tf, want) {
			t.Errorf("the Terraform lacks %q:\n%s", want, tf)
		}
	}
	if strings.Count(tf, "{") != strings.Count(tf, "}") {
		t.Errorf("the Terraform braces do not balance:\n%s", tf)
	}
	doc := testInput(t, eksctl, analysis.KindAccessEntries)
	m := accessModelOf(&analysis.Pass{Input: doc, Out: &analysis.Result{}}, doc.Docs[0])
	if len(m.Entries) != 6 || m.Cluster != "prod" {
		t.Fatalf("the eksctl config reads as %d entries for %q (dormant analyst left out):\n%s", len(m.Entries), m.Cluster, eksctl)
	}
	for _, r := range []*analysis.Rule{aeSystemGroup, aeReservedUsername, aeSessionNameColon, aeEntryType, aePrincipal, aePolicy, aeDuplicate} {
		out := &analysis.Result{}
		r.Run(&analysis.Pass{Input: doc, Doc: doc.Docs[0], Rule: r, Out: out})
		for _, f := range out.Findings {
			t.Errorf("%s on the generated eksctl config: %s", r.ID, f.Message)
		}
	}
}
