package analysis

import (
	"testing"

	yaml "go.yaml.in/yaml/v3"
)

func TestMaskOf(t *testing.T) {
	for _, tt := range []struct {
		value string
		want  Mask
	}{
		{"arn:aws:iam::XXXXXXXXXXXX:role/gitlab-ci/gitlab-runner", Masked},
		{"arn:aws:iam::xxxxxxxxxxxx:role/EKSWorkerNode", Masked},
		{"arn:aws:iam::REDACTED:role/eks-node-group-role", Masked},
		{"arn:aws:iam::[REDACTED]:role/admin", Masked},
		{"***", Masked},
		{"*****", Masked},
		{"#####", Masked},
		{"arn:aws:iam::<account-id>:role/admin", Masked},
		{"arn:aws:iam::<ACCOUNT_ID>:role/admin", Masked},
		{"arn:aws:iam::ACCOUNT_ID:role/admin", Masked},
		{"arn:aws:iam::AWS_ACCOUNT_ID:role/admin", Masked},
		{"https://XXXXXXXX.gr7.us-east-1.eks.amazonaws.com", Masked},
		{"k8s-aws-v1.aHR0cHM6Ly9zdHMu...", Masked},
		{"arn:aws:sts::123456789012:assumed-role/node/i-XXXX", Masked},
		{"your-account-id", Masked},
		{"<ARN of instance role (not instance profile)>", Unfilled},
		{"<endpoint url of the cluster>", Unfilled},
		{"ARN of instance role (not instance profile)", Unfilled},
		{"arn:aws:iam::<AWS_ACCOUNT_ID>:role/kube-system-<SELF_GENERATED_UUID>", Masked},
		{"NODE_INSTANCE_ROLE_ARN", Masked},
		{"arn:aws:eks:ca-central-1:{ACCOUNT_ID}:cluster/dev", Masked},
		{"arn:aws:eks: TRIMMED:cluster/TRIMMED-cluster", Masked},
		{"arn:aws:iam::xxxxxxxxxx:role/k8sDev", Masked},
		{"arn:aws:iam::${AWS_ACCOUNT_ID}:role/admin", Templated},
		{"arn:aws:iam::$ACCOUNT:role/admin", Templated},
		{"{{ .Values.serviceAccount.roleArn }}", Templated},
		{"$(aws sts get-caller-identity --query Account --output text)", Templated},
		// written values, and decoys that look like masks
		{"arn:aws:iam::123456789012:role/admin", Written},
		{"arn:aws:iam::111122223333:role/eks-node-group-role", Written},
		{"system:node:{{EC2PrivateDNSName}}", Written},
		{"developer:{{SessionName}}", Written},
		{"arn:aws:iam::210987654321:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_Admin_0a1b2c3d4e5f", Written},
		{"my-cluster", Written},
		{"LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tREDACTED0000000000000001=", Written},
		{"AKIAREDACTED00000001", Written},
		{"arn:aws:iam::100000000001:role/redacted0003", Written},
		{"arn:aws:iam::111122223333:role/EKS_ADMIN_ROLE", Written},
		{"arn:aws:iam::111122223333:role/ROLE_NAME", Masked},
		{"system:masters", Written},
		{"exxon-mobil", Written},
		{"xx", Written},
		{"", Written},
	} {
		if got := MaskOf(tt.value); got != tt.want {
			t.Errorf("MaskOf(%q) = %v, want %v", tt.value, got, tt.want)
		}
	}
}

func TestMaskOfAccount(t *testing.T) {
	for _, tt := range []struct {
		account string
		want    Mask
	}{
		{"12345678", Masked},
		{"1234", Masked},
		{"123456789", Masked},
		{"1234567890123", Masked},
		{"11112222333", Written},
		{"21098765", Written},
		{"000_ID_000", Masked},
		{"11111111111", Masked},
		{"111111111111", Masked},
		{"000000000000", Masked},
		{"XXXXXXXXXXXX", Masked},
		{"123456789012", Written},
		{"483920175521", Written},
		{"111122223333", Written},
		{"", Written}, // an ARN with no account: not masked, and no panic
	} {
		if got := MaskOfAccount(tt.account); got != tt.want {
			t.Errorf("MaskOfAccount(%q) = %v, want %v", tt.account, got, tt.want)
		}
	}
}

func TestHasMask(t *testing.T) {
	for text, want := range map[string]bool{
		"rolearn: arn:aws:iam::XXXXXXXXXXXX:role/x":     true,
		"certificate-authority-data: REDACTED":          true,
		"token: ***":                                    true,
		"server: https://<endpoint>":                    false,
		"the account id is redacted below":              true,
		"rolearn: arn:aws:iam::123456789012:role/x":     false,
		"username: system:node:{{EC2PrivateDNSName}}\n": false,
	} {
		if got := HasMask(text); got != want {
			t.Errorf("HasMask(%q) = %v, want %v", text, got, want)
		}
	}
}

// TestParseYAMLReadsMasks checks that a masked value YAML would read as an
// alias or a comment is read as the masked scalar, at its place.
func TestParseYAMLReadsMasks(t *testing.T) {
	text := "clusters:\n- cluster:\n    certificate-authority-data: ***\n    server: https://***.eks.amazonaws.com\n  name: test\nargs:\n- ***\n- '#'\ntoken: ####\n"
	src := NewSource(text)
	root, err := src.ParseYAML(0, len(text))
	if err != nil {
		t.Fatal(err)
	}
	cluster := Lookup(Items(Lookup(root, "clusters"))[0], "cluster")
	for _, tt := range []struct {
		n    *yaml.Node
		want string
	}{
		{Lookup(cluster, "certificate-authority-data"), "***"},
		{Lookup(cluster, "server"), "https://***.eks.amazonaws.com"},
		{Items(Lookup(root, "args"))[0], "***"},
		{Items(Lookup(root, "args"))[1], "#"},
		{Lookup(root, "token"), "####"},
	} {
		if tt.n == nil || tt.n.Value != tt.want {
			t.Errorf("got %v, want %q", tt.n, tt.want)
			continue
		}
		if start, end := src.ScalarSpan(tt.n); text[start:end] != tt.want && text[start+1:end-1] != tt.want {
			t.Errorf("%q is at %q", tt.want, text[start:end])
		}
	}
}
