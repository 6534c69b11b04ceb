package fixes

import (
	"fmt"
	"strings"
	"testing"

	"github.com/eksdoctor/eksdoctor/analysis"
)

// TestReadAccessModel reads every access-entry shape into the neutral
// model and renders it in one line per entry.
func TestReadAccessModel(t *testing.T) {
	tests := []struct {
		name, text string
		want       []string
		mode       string
	}{
		{"describe-access-entry", `{
    "accessEntry": {
        "clusterName": "prod",
        "principalArn": "arn:aws:iam::111122223333:role/ci-deployer",
        "kubernetesGroups": ["deployers"],
        "accessEntryArn": "arn:aws:eks:eu-west-1:111122223333:access-entry/prod/role/111122223333/ci-deployer/a6c7",
        "username": "arn:aws:sts::111122223333:assumed-role/ci-deployer/{{SessionName}}",
        "type": "STANDARD"
    }
}`, []string{"aws-cli state arn:aws:iam::111122223333:role/ci-deployer STANDARD user=arn:aws:sts::111122223333:assumed-role/ci-deployer/{{SessionName}} groups=[deployers]"}, ""},
		{"list-access-entries", `{"accessEntries": ["arn:aws:iam::111122223333:role/a", "arn:aws:iam::111122223333:user/b"]}`,
			[]string{"aws-cli state arn:aws:iam::111122223333:role/a STANDARD groups=[]", "aws-cli state arn:aws:iam::111122223333:user/b STANDARD groups=[]"}, ""},
		{"list-associated-access-policies", `{"clusterName": "prod", "principalArn": "arn:aws:iam::111122223333:role/readonly",
  "associatedAccessPolicies": [{"policyArn": "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy",
    "accessScope": {"type": "namespace", "namespaces": ["payments", "dev-*"]}}]}`,
			[]string{"aws-cli state arn:aws:iam::111122223333:role/readonly STANDARD groups=[] policy=AmazonEKSViewPolicy/namespace[payments dev-*]"}, ""},
		{"describe-cluster", `{"cluster": {"name": "prod", "accessConfig": {"authenticationMode": "API_AND_CONFIG_MAP"}}}`, nil, "API_AND_CONFIG_MAP current"},
		{"eksctl", `apiVersion: eksctl.io/v1alpha5
kind: ClusterConfig
metadata:
  name: prod
accessConfig:
  authenticationMode: API
  accessEntries:
    - principalARN: arn:aws:iam::111122223333:role/admin
      kubernetesUsername: admin
      accessPolicies:
        - policyARN: arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy
          accessScope:
            type: cluster
    - principalARN: arn:aws:iam::111122223333:role/node
      type: EC2_LINUX
`, []string{"eksctl request arn:aws:iam::111122223333:role/admin STANDARD user=admin groups=[] policy=AmazonEKSClusterAdminPolicy/cluster[]",
			"eksctl request arn:aws:iam::111122223333:role/node EC2_LINUX groups=[]"}, "API desired"},
		{"cloudformation", `Resources:
  Cluster:
    Type: AWS::EKS::Cluster
    Properties:
      Name: prod
      AccessConfig:
        AuthenticationMode: API_AND_CONFIG_MAP
  Dev:
    Type: AWS::EKS::AccessEntry
    Properties:
      ClusterName: !Ref Cluster
      PrincipalArn: arn:aws:iam::111122223333:role/developer
      KubernetesGroups: [developers]
`, []string{"cloudformation request arn:aws:iam::111122223333:role/developer STANDARD groups=[developers]"}, "API_AND_CONFIG_MAP desired"},
		{"ack-access-entry", `apiVersion: eks.services.k8s.aws/v1alpha1
kind: AccessEntry
metadata:
  name: argo
spec:
  clusterName: prod
  principalARN: arn:aws:iam::111122223333:role/argo
  username: argo
  kubernetesGroups: [deployers]
  accessPolicies:
    - policyARN: arn:aws:eks::aws:cluster-access-policy/AmazonEKSEditPolicy
      accessScope:
        type: namespace
        namespaces: [apps]
`, []string{"ack request arn:aws:iam::111122223333:role/argo STANDARD user=argo groups=[deployers] policy=AmazonEKSEditPolicy/namespace[apps]"}, ""},
		{"cli-commands", `aws eks create-access-entry --cluster-name prod \
  --principal-arn "arn:aws:iam::111122223333:role/dev" \
  --username dev:{{SessionName}} --kubernetes-groups developers 'on-call'
aws --region eu-west-1 eks associate-access-policy --cluster-name prod --principal-arn arn:aws:iam::111122223333:role/dev ` + "`" + `
  --policy-arn arn:aws:eks::aws:cluster-access-policy/AmazonEKSEditPolicy --access-scope type=namespace,namespaces=dev,stage
aws eks associate-access-policy --cluster-name prod --principal-arn=arn:aws:iam::111122223333:role/ci --policy-arn arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy --access-scope '{"type": "namespace", "namespaces": ["ci"]}' # read-only
aws eks update-cluster-config --name prod --access-config authenticationMode=API_AND_CONFIG_MAP
`, []string{"aws-cli-command request arn:aws:iam::111122223333:role/dev STANDARD user=dev:{{SessionName}} groups=[developers on-call] policy=AmazonEKSEditPolicy/namespace[dev stage]",
			"aws-cli-command request arn:aws:iam::111122223333:role/ci STANDARD groups=[] policy=AmazonEKSViewPolicy/namespace[ci]"}, "API_AND_CONFIG_MAP desired"},
		{"ack-cluster", `apiVersion: eks.services.k8s.aws/v1alpha1
kind: Cluster
metadata:
  name: prod
spec:
  name: prod
  accessConfig:
    authenticationMode: API_AND_CONFIG_MAP
`, nil, "API_AND_CONFIG_MAP desired"},
	}
	for _, tt := range tests {
		in := testInput(t, tt.text, analysis.KindAccessEntries)
		p := &analysis.Pass{Input: in, Rule: &analysis.Rule{ID: "TEST"}, Out: &analysis.Result{}}
		m := accessModelOf(p, in.Docs[0])
		var got []string
		for _, e := range m.Entries {
			got = append(got, renderEntry(e))
		}
		if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
			t.Errorf("%s:\ngot  %q\nwant %q", tt.name, got, tt.want)
		}
		mode := ""
		if c := m.Config; c != nil && c.Mode != nil {
			mode = c.Mode.Value + map[bool]string{true: " desired", false: " current"}[c.Desired]
		}
		if mode != tt.mode {
			t.Errorf("%s: mode %q, want %q", tt.name, mode, tt.mode)
		}
		for _, e := range m.Entries {
			for _, s := range entryScalars(e) {
				if tt.text[s.Start:s.End] != s.Value {
					t.Errorf("%s: %q located at %q", tt.name, s.Value, tt.text[s.Start:s.End])
				}
			}
		}
	}
}

// entryScalars returns every value read for an entry.
func entryScalars(e accessEntry) []analysis.Scalar {
	var out []analysis.Scalar
	add := func(s *analysis.Scalar) {
		if s != nil {
			out = append(out, *s)
		}
	}
	add(e.PrincipalARN)
	add(e.Type)
	add(e.Username)
	out = append(out, e.Groups...)
	for _, pol := range e.Policies {
		add(pol.PolicyARN)
		add(pol.ScopeType)
		out = append(out, pol.Namespaces...)
	}
	return out
}

func renderEntry(e accessEntry) string {
	state := map[bool]string{true: "state", false: "request"}[e.State]
	out := fmt.Sprintf("%s %s %s %s", e.Source, state, e.PrincipalARN.Value, e.entryType())
	if e.Username != nil {
		out += " user=" + e.Username.Value
	}
	var groups []string
	for _, g := range e.Groups {
		groups = append(groups, g.Value)
	}
	out += fmt.Sprintf(" groups=[%s]", strings.Join(groups, " "))
	for _, pol := range e.Policies {
		var ns []string
		for _, n := range pol.Namespaces {
			ns = append(ns, n.Value)
		}
		name := pol.PolicyARN.Value[strings.LastIndex(pol.PolicyARN.Value, "/")+1:]
		out += fmt.Sprintf(" policy=%s/%s[%s]", name, pol.ScopeType.Value, strings.Join(ns, " "))
	}
	return out
}

// TestScalarAt checks that a value located by byte range, as an HCL
// reader would, reports and fixes like one located from a YAML node.
func TestScalarAt(t *testing.T) {
	text := "resource \"aws_eks_access_entry\" \"dev\" {\n  principal_arn = \"arn:aws:sts::111122223333:assumed-role/dev/alice\"\n}\n"
	src := analysis.NewSource(text)
	start := strings.Index(text, "arn:aws:sts")
	end := strings.Index(text[start:], `"`) + start
	s := scalarAt(src, text[start:end], start, end)
	why, fixed := accessPrincipalProblem(s.Value)
	if why == "" || fixed != "arn:aws:iam::111122223333:role/dev" {
		t.Fatalf("accessPrincipalProblem(%q) = %q, %q", s.Value, why, fixed)
	}
	got, err := analysis.Apply(text, []analysis.Edit{s.Replace(fixed)})
	if err != nil || !strings.Contains(got, `principal_arn = "arn:aws:iam::111122223333:role/dev"`) {
		t.Errorf("Replace gave %q (%v)", got, err)
	}
}
