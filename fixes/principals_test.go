package fixes

import (
	"strings"
	"testing"

	"github.com/eksdoctor/eksdoctor/analysis"
)

func TestUnmatchableARN(t *testing.T) {
	tests := []struct{ arn, why, fixed string }{
		{"arn:aws:iam::111122223333:role/dev", "", ""},
		{"arn:aws:iam::111122223333:user/ops/alice", "", ""},
		{"arn:aws:iam::111122223333:root", "", ""},
		{"arn:aws:sts::111122223333:federated-user/bob", "", ""},
		{"arn:aws:sts::111122223333:assumed-role/dev/alice@example.com", "assumed-role", "arn:aws:iam::111122223333:role/dev"},
		{"arn:aws:iam::111122223333:instance-profile/node", "instance profile", ""},
		{"arn:aws:iam::111122223333:group/admins", "group", ""},
		{"arn:aws:iam:eu-west-1:111122223333:role/dev", "region", "arn:aws:iam::111122223333:role/dev"},
		{"arn:aws:iam::11112222333:role/dev", "12-digit", ""},
		{"arn:aws-gov:iam::111122223333:role/dev", "partition", ""},
		{"arn:aws:eks:eu-west-1:111122223333:cluster/prod", "eks", ""},
		{"arn:aws:iam::111122223333:role/*", "wildcard", ""},
		{" arn:aws:iam::111122223333:role/dev", "blanks", "arn:aws:iam::111122223333:role/dev"},
		{"dev-role", "not an ARN", ""},
	}
	for _, tt := range tests {
		why, fixed := unmatchableARN(tt.arn)
		if tt.why == "" && why != "" || !strings.Contains(why, tt.why) || fixed != tt.fixed {
			t.Errorf("unmatchableARN(%q) = %q, %q; want %q, %q", tt.arn, why, fixed, tt.why, tt.fixed)
		}
	}
}

func TestGroupTypo(t *testing.T) {
	tests := []struct{ group, want string }{
		{"system:master", "system:masters"},
		{"System:Masters", "system:masters"},
		{"system:node", "system:nodes"},
		{"system:nodes>", "system:nodes"},
		{"system:bootstraper", "system:bootstrappers"},
		{"eks:kube-proxy-window", "eks:kube-proxy-windows"},
		{"system:masters", ""},
		{"system:bootstrappers - system:nodes", ""},
		{"developers", ""},
		{"system:node-proxy", "system:node-proxier"},
	}
	for _, tt := range tests {
		got, ok := groupTypo(tt.group)
		if tt.want == "" && ok || tt.want != "" && got != tt.want {
			t.Errorf("groupTypo(%q) = %q, %v; want %q", tt.group, got, ok, tt.want)
		}
	}
}

// testInput splits text at "---" lines into documents of the given kinds,
// YAML or JSON by their first character, as the splitter would.
func testInput(t *testing.T, text string, kinds ...analysis.Kind) *analysis.Input {
	t.Helper()
	src := analysis.NewSource(text)
	in := &analysis.Input{Src: src}
	start := 0
	for i, kind := range kinds {
		end := len(text)
		if j := strings.Index(text[start:], "\n---\n"); j >= 0 && i < len(kinds)-1 {
			end = start + j + 1
		}
		d := &analysis.Document{Index: i, Kind: kind, Start: start, End: end, Text: text[start:end], Format: analysis.FormatYAML}
		if strings.HasPrefix(strings.TrimSpace(d.Text), "{") {
			d.Format = analysis.FormatJSON
		} else if strings.HasPrefix(d.Text, "aws ") {
			d.Format = analysis.FormatText // commands
		} else if root, err := src.ParseYAML(start, end); err == nil {
			d.YAML = root
		} else {
			t.Fatalf("document %d does not parse: %v", i, err)
		}
		in.Docs = append(in.Docs, d)
		start = end + len("---\n")
	}
	return in
}

func TestMappedIdentity(t *testing.T) {
	authText := `apiVersion: v1
kind: ConfigMap
metadata:
  name: aws-auth
  namespace: kube-system
data:
  mapRoles: |
    - rolearn: arn:aws:iam::111122223333:role/Developer
      username: dev-old
    - rolearn: arn:aws:iam::111122223333:role/developer
      username: developer
      groups:
        - developers
    - rolearn: arn:aws:iam::111122223333:role/teams/payments
      username: payments
  mapUsers: |
    - userarn: arn:aws:iam::111122223333:user/ops/alice
      username: alice
  mapAccounts: |
    - "444455556666"
`
	entryText := `{
    "accessEntry": {
        "clusterName": "prod",
        "principalArn": "arn:aws:iam::111122223333:role/platform/ci-deployer",
        "kubernetesGroups": ["deployers"],
        "accessEntryArn": "arn:aws:eks:eu-west-1:111122223333:access-entry/prod/role/111122223333/ci-deployer/a6c7",
        "type": "STANDARD"
    }
}
`
	modeText := `{"cluster": {"name": "prod", "accessConfig": {"authenticationMode": "%s"}}}
`
	tests := []struct {
		name, text string
		kinds      []analysis.Kind
		arn, who   string
	}{
		{"the last role entry wins, case-insensitively", authText, []analysis.Kind{analysis.KindAWSAuth},
			"arn:aws:iam::111122223333:role/DEVELOPER", "aws-auth mapRoles: username developer with groups developers"},
		{"a role with a path in aws-auth never matches", authText, []analysis.Kind{analysis.KindAWSAuth},
			"arn:aws:iam::111122223333:role/payments", ""},
		{"a user matches with its path", authText, []analysis.Kind{analysis.KindAWSAuth},
			"arn:aws:iam::111122223333:user/ops/alice", "aws-auth mapUsers: username alice with no groups"},
		{"mapAccounts lets the account in", authText, []analysis.Kind{analysis.KindAWSAuth},
			"arn:aws:iam::444455556666:role/anyone", "aws-auth mapAccounts: username arn:aws:iam::444455556666:role/anyone with no groups"},
		{"an access entry with a path matches the role", entryText + "---\n" + authText, []analysis.Kind{analysis.KindAccessEntries, analysis.KindAWSAuth},
			"arn:aws:iam::111122223333:role/ci-deployer", "access entry (STANDARD): groups deployers"},
		{"API mode ignores aws-auth", strings.Replace(modeText, "%s", "API", 1) + "---\n" + authText,
			[]analysis.Kind{analysis.KindAccessEntries, analysis.KindAWSAuth}, "arn:aws:iam::111122223333:role/developer", ""},
		{"CONFIG_MAP mode ignores access entries", strings.Replace(modeText, "%s", "CONFIG_MAP", 1) + "---\n" + entryText,
			[]analysis.Kind{analysis.KindAccessEntries, analysis.KindAccessEntries}, "arn:aws:iam::111122223333:role/ci-deployer", ""},
		{"not mapped", authText, []analysis.Kind{analysis.KindAWSAuth}, "arn:aws:iam::111122223333:role/stranger", ""},
	}
	for _, tt := range tests {
		in := testInput(t, tt.text, tt.kinds...)
		p := &analysis.Pass{Input: in, Rule: &analysis.Rule{ID: "TEST"}, Out: &analysis.Result{}}
		who, where, ok := mappedIdentity(p, tt.arn)
		if who != tt.who || ok != (tt.who != "") {
			t.Errorf("%s: mappedIdentity = %q, %v; want %q", tt.name, who, ok, tt.who)
		}
		if at := tt.text[where:min(where+80, len(tt.text))]; ok && !strings.Contains(at, strings.Split(tt.arn, ":")[4]) {
			t.Errorf("%s: where %d points at %q", tt.name, where, at)
		}
	}
}
