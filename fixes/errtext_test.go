package fixes

import (
	"strings"
	"testing"

	"github.com/eksdoctor/eksdoctor/analysis"
)

func errDoc(text string) (*analysis.Source, *analysis.Document) {
	return analysis.NewSource(text), &analysis.Document{Kind: analysis.KindErrorText, Start: 0, End: len(text), Text: text}
}

// TestSignatureExamples checks every signature against its own examples:
// each match is found, no decoy is.
func TestSignatureExamples(t *testing.T) {
	if len(signatures) < 40 {
		t.Fatalf("only %d signatures registered", len(signatures))
	}
	for i, s := range signatures {
		if len(s.matches) == 0 || len(s.decoys) == 0 {
			t.Errorf("signature %d (%s): needs at least one match and one decoy", i, s.res[0])
		}
		for _, m := range s.matches {
			src, doc := errDoc(m)
			if len(s.find(src, doc)) == 0 {
				t.Errorf("signature %s does not match its example %q", s.res[0], m)
			}
		}
		for _, d := range s.decoys {
			src, doc := errDoc(d)
			if got := s.find(src, doc); len(got) > 0 {
				t.Errorf("signature %s matches its decoy %q (%q)", s.res[0], d, got[0].text())
			}
		}
	}
}

// TestErrLines checks how physical lines join into logical lines and
// that offsets map back to the text.
func TestErrLines(t *testing.T) {
	tests := []struct {
		text string
		want []string
	}{
		{"a\nb\n", []string{"a", "b"}},
		{"An error occurred (X) when calling the Y operation: \nUser: u is not authorized to perform: \neks:DescribeCluster on resource: r\n",
			[]string{"An error occurred (X) when calling the Y operation: User: u is not authorized to perform: eks:DescribeCluster on resource: r"}},
		{"Description:\n\nAn error occurred\n", []string{"Description:", "", "An error occurred"}},
		{"key:\n   indented value", []string{"key: indented value"}},
	}
	for _, tt := range tests {
		src, doc := errDoc(tt.text)
		var got []string
		for _, l := range errLinesOf(src, doc) {
			got = append(got, l.Text)
			for i := range l.Text {
				if c := tt.text[l.offset(i)]; l.Text[i] != ' ' && c != l.Text[i] {
					t.Errorf("%q: offset of %q maps to %q", tt.text, l.Text[i], c)
				}
			}
		}
		if strings.Join(got, "|") != strings.Join(tt.want, "|") {
			t.Errorf("errLinesOf(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

func TestParseIAMDenial(t *testing.T) {
	tests := []struct {
		text                   string
		user, action, resource string
		explicit               bool
		policy                 string
	}{
		{"User: arn:aws:iam::111122223333:user/dev is not authorized to perform: eks:DescribeCluster on resource: arn:aws:eks:eu-west-1:111122223333:cluster/prod with an explicit deny in a service control policy",
			"arn:aws:iam::111122223333:user/dev", "eks:DescribeCluster", "arn:aws:eks:eu-west-1:111122223333:cluster/prod", true, "service control policy"},
		{"User: arn:aws:sts::111122223333:assumed-role/app/1 is not authorized to perform: s3:GetObject on resource: arn:aws:s3:::b/k because no identity-based policy allows the s3:GetObject action",
			"arn:aws:sts::111122223333:assumed-role/app/1", "s3:GetObject", "arn:aws:s3:::b/k", false, "identity-based policy"},
		{"could not get token: AccessDenied: User: ... is not authorized to perform: sts:AssumeRole on resource: ...",
			"", "sts:AssumeRole", "", false, ""},
		{"An error occurred (UnauthorizedOperation) when calling the DescribeInstances operation: You are not authorized to perform this operation.",
			"", "", "", false, ""},
	}
	for _, tt := range tests {
		d := parseIAMDenial(tt.text)
		if d.User != tt.user || d.Action != tt.action || d.Resource != tt.resource || d.Explicit != tt.explicit || d.Policy != tt.policy {
			t.Errorf("parseIAMDenial(%q) = %+v", tt.text, d)
		}
	}
	if d := parseIAMDenial(tests[3].text); d.Operation != "DescribeInstances" {
		t.Errorf("operation = %q, want DescribeInstances", d.Operation)
	}
}

func TestExecFlags(t *testing.T) {
	text := "apiVersion: v1\nkind: Config\nusers:\n- name: u\n  user:\n    exec:\n      command: /usr/local/bin/aws\n" +
		"      args: [--region, eu-west-1, eks, get-token, --cluster-name=prod, --role-arn, arn:aws:iam::111122223333:role/admin]\n" +
		"      env:\n      - name: AWS_PROFILE\n        value: dev\n"
	src := analysis.NewSource(text)
	root, err := src.ParseYAML(0, len(text))
	if err != nil {
		t.Fatal(err)
	}
	doc := &analysis.Document{Kind: analysis.KindKubeconfig, Format: analysis.FormatYAML, End: len(text), Text: text, YAML: root}
	kc := kubeconfigOf(&analysis.Pass{Input: &analysis.Input{Src: src, Docs: []*analysis.Document{doc}}}, doc)
	e := kc.Users[0].Exec
	if !e.isAWSCLI() || e.isAuthenticator() {
		t.Errorf("plugin %q: isAWSCLI %v, isAuthenticator %v", e.plugin(), e.isAWSCLI(), e.isAuthenticator())
	}
	if n := e.clusterName(); n == nil || n.Value != "prod" || text[n.Start:n.End] != "prod" {
		t.Errorf("clusterName = %+v", n)
	}
	if e.region() != "eu-west-1" || e.profile() != "dev" || e.role().Text() != "arn:aws:iam::111122223333:role/admin" {
		t.Errorf("region %q, profile %q, role %q", e.region(), e.profile(), e.role().Text())
	}
}

func TestClusterIdentify(t *testing.T) {
	tests := []struct {
		name, server string
		want         eksCluster
	}{
		{"arn:aws:eks:eu-west-1:111122223333:cluster/prod", "https://ABC.gr7.eu-west-1.eks.amazonaws.com", eksCluster{"prod", "eu-west-1"}},
		{"cluster-one.us-west-2.eksctl.io", "https://42.sk1.us-west-2.eks.amazonaws.com", eksCluster{"cluster-one", "us-west-2"}},
		{"arn:aws:eks:region:111222333444:cluster/ExampleCluster", "https://endpoint.amazonaws.com", eksCluster{"ExampleCluster", ""}},
		{"kubernetes", "${server}", eksCluster{}},
		{"arn:aws-cn:eks:cn-north-1:111122223333:cluster/x", "https://X.yl4.cn-north-1.eks.amazonaws.com.cn", eksCluster{"x", "cn-north-1"}},
	}
	for _, tt := range tests {
		c := kcCluster{Name: &analysis.Scalar{Value: tt.name}, Server: &analysis.Scalar{Value: tt.server}}
		if got := c.identify(); got != tt.want {
			t.Errorf("identify(%q, %q) = %+v, want %+v", tt.name, tt.server, got, tt.want)
		}
	}
}
