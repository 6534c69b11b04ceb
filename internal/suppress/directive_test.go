package suppress

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/eksdoctor/eksdoctor/core"
)

// known accepts the IDs of eksdoctor's rules, as the CLI's will.
var known = func() func(string) bool {
	ids := map[string]bool{}
	for _, r := range core.Rules() {
		ids[r.ID] = true
	}
	return func(id string) bool { return ids[id] }
}()

// example returns a gallery example with insert added before each of its
// lines given as keys (1-based lines of the example as it is).
func example(t *testing.T, name string, insert map[int]string) string {
	t.Helper()
	data, err := os.ReadFile("../../site/examples/" + name)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for i, l := range strings.SplitAfter(string(data), "\n") {
		b.WriteString(insert[i+1])
		b.WriteString(l)
	}
	return b.String()
}

// spans renders directives as "LINE:FROM-TO RULES (REASON)", one a line.
func spans(dirs []Directive) string {
	var out []string
	for _, d := range dirs {
		s := fmt.Sprintf("%d:%d-%d %s", d.Line, d.From, d.To, strings.Join(d.Rules, ","))
		if d.File {
			s += " file"
		}
		if d.Reason != "" {
			s += " (" + d.Reason + ")"
		}
		out = append(out, s)
	}
	return strings.Join(out, "\n")
}

func TestDirectiveSpans(t *testing.T) {
	for _, tt := range []struct {
		name, file, text string
		want             string
	}{{
		name: "above an aws-auth mapRoles item: the item only",
		file: "aws-auth.yaml",
		text: example(t, "aws-auth-masters.yaml", map[int]string{14: "    # eksdoctor:ignore AUTH002 CI deployer, reviewed in SEC-1142\n"}),
		want: "14:15-18 AUTH002 (CI deployer, reviewed in SEC-1142)",
	}, {
		name: "above a key: its block scalar",
		file: "aws-auth.yaml",
		text: example(t, "aws-auth-masters.yaml", map[int]string{8: "  # eksdoctor:ignore AUTH002,AUTH021\n"}),
		want: "8:9-22 AUTH002,AUTH021",
	}, {
		name: "at the end of a line: that line",
		file: "aws-auth.yaml",
		text: example(t, "aws-auth-masters.yaml", nil) + "        - system:masters # eksdoctor:ignore AUTH002 break-glass\n",
		want: "27:27-27 AUTH002 (break-glass)",
	}, {
		name: "ignore-file anywhere, findings without a line included",
		file: "aws-auth.yaml",
		text: example(t, "aws-auth-masters.yaml", map[int]string{3: "# eksdoctor:ignore-file AUTH021 migrating to access entries in Q3\n"}),
		want: "3:1-28 AUTH021 file (migrating to access entries in Q3)",
	}, {
		name: "above a Terraform resource: to its closing brace, nested blocks included",
		file: "nodes.tf",
		text: example(t, "terraform-nodes.tf", map[int]string{
			25: "# eksdoctor:ignore TF003 consumers poll SQS until IRSA lands (PLAT-88)\n",
			30: "// eksdoctor:ignore TF004\n",
		}),
		want: "25:26-29 TF003 (consumers poll SQS until IRSA lands (PLAT-88))\n31:32-40 TF004",
	}, {
		name: "braces in strings and comments do not count",
		file: "main.tf",
		text: "# eksdoctor:ignore TF003\nresource \"aws_iam_role\" \"x\" { # {\n  name = \"a{b\"\n}\nresource \"aws_iam_role\" \"y\" {\n}\n",
		want: "1:2-4 TF003",
	}, {
		name: "JSON with comments: the object opened on the next line",
		file: "entries.json",
		text: `{
  "accessEntries": [
    // eksdoctor:ignore AE001 break-glass entry
    {
      "principalArn": "arn:aws:iam::111122223333:role/Admin",
      "kubernetesGroups": ["system:masters"]
    },
    {
      "principalArn": "arn:aws:iam::111122223333:role/Dev",
      "kubernetesGroups": ["system:masters"]
    }
  ]
}`,
		want: "3:4-7 AE001 (break-glass entry)",
	}, {
		name: "a key whose list items are not indented covers them",
		file: "crb.yaml",
		text: "# eksdoctor:ignore RBAC011\nsubjects:\n- kind: User\n  name: arn:aws:iam::111122223333:role/oncall\n\n- kind: Group\n  name: oncall\nroleRef:\n  kind: ClusterRole\n",
		want: "1:2-7 RBAC011",
	}, {
		name: "stacked directives and comments skip to the next code line",
		file: "rbac.yaml",
		text: "rules:\n  # eksdoctor:ignore RBAC023 read-only audit tool\n  # keeps its own comment\n  # eksdoctor:ignore RBAC027\n  - apiGroups: [\"\"]\n    resources: [\"secrets\"]\n    verbs: [\"*\"]\n  - apiGroups: [\"\"]\n",
		want: "2:5-7 RBAC023 (read-only audit tool)\n4:5-7 RBAC027",
	}, {
		name: "IDs separated by comma and space, reason after them",
		file: "aws-auth.yaml",
		text: "x: 1 # eksdoctor:ignore AUTH001, AUTH002 two reasons\n",
		want: "1:1-1 AUTH001,AUTH002 (two reasons)",
	}, {
		name: "not directives: inside a string, // in YAML, prose after eksdoctor:",
		file: "cm.yaml",
		text: "a: \"x # eksdoctor:ignore AUTH002\"\nb: 'it''s # eksdoctor:ignore AUTH002'\nc: 1 // eksdoctor:ignore AUTH002\n# eksdoctor: checked in CI\nd: e#eksdoctor:ignore AUTH002\n",
		want: "",
	}, {
		name: "CRLF line ends",
		file: "cm.yaml",
		text: "a:\r\n  # eksdoctor:ignore AUTH002\r\n  - b\r\n  - c\r\n",
		want: "2:3-3 AUTH002",
	}} {
		t.Run(tt.name, func(t *testing.T) {
			dirs, problems := Directives(tt.file, tt.text, known)
			if len(problems) > 0 {
				t.Errorf("problems: %v", problems)
			}
			if got := spans(dirs); got != tt.want {
				t.Errorf("got\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}

func TestDirectiveProblems(t *testing.T) {
	for _, tt := range []struct {
		text  string
		want  []string // "LINE: message" of each problem
		spans string   // of the directives that still apply
	}{
		{"# eksdoctor:ignore AUTH999\na: 1\n", []string{"1: eksdoctor:ignore: unknown rule AUTH999"}, ""},
		{"# eksdoctor:ignore *\na: 1\n", []string{`1: eksdoctor:ignore: "*" is not allowed: name the rules to suppress (e.g. AUTH002)`}, ""},
		{"a: 1 # eksdoctor:ignore auth002\n", []string{`1: eksdoctor:ignore: "auth002" is not a rule ID (family letters and three digits, e.g. AUTH002)`}, ""},
		{"# eksdoctor:ignore AUTH002,AUTH999 half right\na: 1\n", []string{"1: eksdoctor:ignore: unknown rule AUTH999"}, "1:2-2 AUTH002 (half right)"},
		{"# eksdoctor:ignore reviewed by Sam\na: 1\n", []string{`1: eksdoctor:ignore: "reviewed" is not a rule ID (family letters and three digits, e.g. AUTH002)`}, ""},
		{"a: 1\n# eksdoctor:ignore\n", []string{"2: eksdoctor:ignore names no rule: write eksdoctor:ignore RULE[,RULE…] [reason]"}, ""},
		{"# eksdoctor:ignroe AUTH002\na: 1\n", []string{`1: malformed directive "eksdoctor:ignroe": write eksdoctor:ignore or eksdoctor:ignore-file, a space, then RULE[,RULE…] [reason]`}, ""},
		{"#eksdoctor:ignore=AUTH002\na: 1\n", []string{`1: malformed directive "eksdoctor:ignore=AUTH002": write eksdoctor:ignore or eksdoctor:ignore-file, a space, then RULE[,RULE…] [reason]`}, ""},
		{"a: 1\n# eksdoctor:ignore AUTH002\n\n", []string{"2: eksdoctor:ignore has no line after it to cover"}, ""},
	} {
		dirs, problems := Directives("aws-auth.yaml", tt.text, known)
		var got []string
		for _, p := range problems {
			got = append(got, fmt.Sprintf("%d: %s", p.Line, p.Message))
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("%q: problems\n%s\nwant\n%s", tt.text, strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
		}
		if s := spans(dirs); s != tt.spans {
			t.Errorf("%q: directives %q, want %q", tt.text, s, tt.spans)
		}
	}
}

func TestCheckRule(t *testing.T) {
	for id, want := range map[string]string{
		"AUTH002":  "",
		"ERR001":   "",
		"PODID006": "",
		"RBAC999":  "unknown rule RBAC999",
		"*":        `"*" is not allowed: name the rules to suppress (e.g. AUTH002)`,
		"AUTH02":   `"AUTH02" is not a rule ID (family letters and three digits, e.g. AUTH002)`,
		"002":      `"002" is not a rule ID (family letters and three digits, e.g. AUTH002)`,
		"":         `"" is not a rule ID (family letters and three digits, e.g. AUTH002)`,
	} {
		got := ""
		if err := CheckRule(id, known); err != nil {
			got = err.Error()
		}
		if got != want {
			t.Errorf("CheckRule(%q) = %q, want %q", id, got, want)
		}
	}
	if err := CheckRule("ZZZ123", nil); err != nil {
		t.Errorf("CheckRule without known: %v", err)
	}
}
