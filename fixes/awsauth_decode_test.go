package fixes

import (
	"slices"
	"strings"
	"testing"

	"github.com/eksdoctor/eksdoctor/analysis"
)

func TestDecodeAuthText(t *testing.T) {
	tests := []struct {
		name, section, text string
		// errLine is the 1-based line the section fails at, or 0 when it parses.
		errLine int
		errHas  string
		// arns, drops and groups describe the entries when it parses.
		arns   []string
		drops  []string
		groups [][]string
		// ignored and mistyped are those of the first entry.
		ignored, mistyped []string
	}{
		{name: "well formed", section: "mapRoles",
			text: "- rolearn: arn:aws:iam::111122223333:role/node\n  username: system:node:{{EC2PrivateDNSName}}\n  groups:\n    - system:bootstrappers\n    - system:nodes\n",
			arns: []string{"arn:aws:iam::111122223333:role/node"}, drops: []string{""}, groups: [][]string{{"system:bootstrappers", "system:nodes"}}},
		{name: "keys match without case", section: "mapRoles",
			text: "- roleARN: arn:aws:iam::111122223333:role/dev\n  UserName: dev\n  Groups: [devs]\n",
			arns: []string{"arn:aws:iam::111122223333:role/dev"}, drops: []string{""}, groups: [][]string{{"devs"}}},
		{name: "misspelt ARN key drops the entry", section: "mapRoles",
			text: "- role_arn: arn:aws:iam::111122223333:role/dev\n  username: dev\n",
			arns: []string{""}, drops: []string{"one of rolearn or SSO must be supplied"}, groups: [][]string{nil}, ignored: []string{"role_arn"}},
		{name: "userarn under mapRoles is ignored", section: "mapRoles",
			text: "- userarn: arn:aws:iam::111122223333:user/alice\n",
			arns: []string{""}, drops: []string{"one of rolearn or SSO must be supplied"}, groups: [][]string{nil}, ignored: []string{"userarn"}},
		{name: "mapUsers needs userarn", section: "mapUsers",
			text: "- rolearn: arn:aws:iam::111122223333:role/dev\n  username: dev\n",
			arns: []string{""}, drops: []string{"value for userarn must be supplied"}, groups: [][]string{nil}, ignored: []string{"rolearn"}},
		{name: "groups as a string is left empty", section: "mapRoles",
			text: "- rolearn: arn:aws:iam::111122223333:role/dev\n  groups: system:masters\n",
			arns: []string{"arn:aws:iam::111122223333:role/dev"}, drops: []string{""}, groups: [][]string{nil}, mistyped: []string{"groups"}},
		{name: "YAML 1.1 booleans are not strings", section: "mapRoles",
			text: "- rolearn: arn:aws:iam::111122223333:role/dev\n  username: on\n  groups: [yes]\n",
			arns: []string{"arn:aws:iam::111122223333:role/dev"}, drops: []string{""}, groups: [][]string{{""}}, mistyped: []string{"groups", "username"}},
		{name: "invalid sso account", section: "mapRoles",
			text: "- sso:\n    permissionSetName: Admin\n    accountID: \"1234\"\n  username: admin\n",
			arns: []string{""}, drops: []string{"AccountID '1234' is not a valid AWS Account ID"}, groups: [][]string{nil}},
		{name: "an unquoted sso account is a number, left empty", section: "mapRoles",
			text: "- sso:\n    permissionSetName: Admin\n    accountID: 012345678912\n",
			arns: []string{""}, drops: []string{"AccountID '' is not a valid AWS Account ID"}, groups: [][]string{nil}, mistyped: []string{"sso"}},
		{name: "the last of two spellings wins", section: "mapRoles",
			text: "- rolearn: arn:aws:iam::111122223333:role/a\n  roleARN: arn:aws:iam::111122223333:role/b\n",
			arns: []string{"arn:aws:iam::111122223333:role/a"}, drops: []string{""}, groups: [][]string{nil}},
		{name: "unquoted {{SessionName}} drops the section", section: "mapRoles",
			text: "- rolearn: arn:aws:iam::111122223333:role/dev\n  username: {{SessionName}}\n", errLine: 2, errHas: "invalid map key"},
		{name: "a tab drops the section", section: "mapRoles",
			text: "- rolearn: arn:aws:iam::111122223333:role/dev\n\tusername: dev\n", errLine: 2, errHas: "tab"},
		{name: "an over-indented key (scanner error, line as given)", section: "mapRoles",
			text: "- rolearn: arn:aws:iam::111122223333:role/dev\n    username: dev\n", errLine: 2, errHas: "mapping values are not allowed"},
		{name: "an under-indented key (parser error, line one further)", section: "mapRoles",
			text: "- groups:\n- system:nodes\nrolearn: arn:aws:iam::111122223333:role/node\n", errLine: 3, errHas: "did not find expected '-' indicator"},
		{name: "a mapping instead of a list", section: "mapRoles",
			text: "rolearn: arn:aws:iam::111122223333:role/dev\n", errHas: "not a list"},
		{name: "JSON object text is taken as JSON", section: "mapUsers",
			text: `{"userarn": "arn:aws:iam::111122223333:user/alice"}`, errHas: "not a list"},
		{name: "empty is skipped", section: "mapUsers", text: "  \n"},
		{name: "backticks are skipped", section: "mapUsers", text: "``"},
	}
	for _, tt := range tests {
		entries, err := decodeAuthText(tt.section, tt.text)
		switch {
		case tt.errHas != "":
			if err == nil || !strings.Contains(err.Msg, tt.errHas) || err.Line != tt.errLine {
				t.Errorf("%s: error %+v, want %q at line %d", tt.name, err, tt.errHas, tt.errLine)
			}
			continue
		case err != nil:
			t.Errorf("%s: unexpected error %+v", tt.name, err)
			continue
		}
		var arns, drops []string
		var groups [][]string
		for _, e := range entries {
			arns, drops, groups = append(arns, e.ARN), append(drops, e.Drop), append(groups, e.Groups)
		}
		if !slices.Equal(arns, tt.arns) || !slices.Equal(drops, tt.drops) || !slices.EqualFunc(groups, tt.groups, slices.Equal) {
			t.Errorf("%s: got arns %q drops %q groups %q", tt.name, arns, drops, groups)
		}
		if len(entries) > 0 && (!slices.Equal(entries[0].Ignored, tt.ignored) || !slices.Equal(entries[0].Mistyped, tt.mistyped)) {
			t.Errorf("%s: ignored %q mistyped %q, want %q %q", tt.name, entries[0].Ignored, entries[0].Mistyped, tt.ignored, tt.mistyped)
		}
	}
}

func TestRepairAuthText(t *testing.T) {
	tests := []struct {
		name, text, want, what string
	}{
		{"group items and keys at the entry's column (EKS style)",
			"- groups:\n- system:bootstrappers\n- system:nodes\nrolearn: arn:aws:iam::111122223333:role/node\nusername: system:node:{{EC2PrivateDNSName}}\n",
			"- groups:\n  - system:bootstrappers\n  - system:nodes\n  rolearn: arn:aws:iam::111122223333:role/node\n  username: system:node:{{EC2PrivateDNSName}}\n",
			"re-indents 4 lines"},
		{"keys one column too deep, items kept where they are",
			"- groups:\n   - system:bootstrappers\n   rolearn: arn:aws:iam::111122223333:role/node\n",
			"- groups:\n   - system:bootstrappers\n  rolearn: arn:aws:iam::111122223333:role/node\n",
			"re-indents 1 line"},
		{"tabs",
			"- rolearn: arn:aws:iam::111122223333:role/dev\n\tusername: dev\n\tgroups:\n\t\t- devs\n",
			"- rolearn: arn:aws:iam::111122223333:role/dev\n  username: dev\n  groups:\n    - devs\n",
			"replaces the tabs with spaces"},
		{"unquoted templates, trailing comment kept",
			"- rolearn: arn:aws:iam::111122223333:role/ci\n  username: {{SessionName}} # the job\n  groups:\n    - ci\n",
			"- rolearn: arn:aws:iam::111122223333:role/ci\n  username: \"{{SessionName}}\" # the job\n  groups:\n    - ci\n",
			"quotes {{SessionName}}"},
		{"a comment line with a tab follows the next line",
			"- rolearn: arn:aws:iam::111122223333:role/dev\n\t# who\n  username: dev\n",
			"- rolearn: arn:aws:iam::111122223333:role/dev\n  # who\n  username: dev\n",
			"replaces the tabs with spaces"},
		{"a multi-line value is not repaired", "- rolearn: arn:aws:iam::111122223333:role/dev\n    username: |\n      dev\n", "", ""},
		{"a stray line is not repaired", "- rolearn: arn:aws:iam::111122223333:role/dev\n  username: dev\n  just words\n", "", ""},
		{"a group item outside groups is not repaired", "- rolearn: arn:aws:iam::111122223333:role/dev\n   - devs\n", "", ""},
	}
	for _, tt := range tests {
		r, ok := repairAuthText("mapRoles", tt.text)
		if !ok {
			if tt.want != "" {
				t.Errorf("%s: no repair", tt.name)
			}
			continue
		}
		if tt.want == "" {
			t.Errorf("%s: unexpected repair %q", tt.name, r.Text)
			continue
		}
		if r.Text != tt.want || !slices.Contains(r.What, tt.what) {
			t.Errorf("%s: repaired %q (%q), want %q (%q)", tt.name, r.Text, r.What, tt.want, tt.what)
		}
		if _, err := decodeAuthText("mapRoles", r.Text); err != nil {
			t.Errorf("%s: repaired text does not parse: %v", tt.name, err.Msg)
		}
	}
}

// TestRepairedTextOffsets checks that a value in the repaired text maps
// back to the same value in the original, through re-indentation and
// added quotes.
func TestRepairedTextOffsets(t *testing.T) {
	text := "data:\n  mapRoles: |\n    - rolearn: arn:aws:iam::111122223333:role/ci\n        username: {{SessionName}}\n"
	src := analysis.NewSource(text)
	root, err := src.ParseYAML(0, len(text))
	e, ok := src.EmbeddedScalar(analysis.Lookup(root, "data", "mapRoles"))
	if err != nil || !ok {
		t.Fatalf("no mapRoles text (%v)", err)
	}
	r, repaired := repairAuthText("mapRoles", e.Value)
	if !repaired {
		t.Fatalf("no repair of %q", e.Value)
	}
	rt := &repairedText{e: e, edits: r.Edits, src: analysis.NewSource(r.Text)}
	for _, v := range []string{"arn:aws:iam::111122223333:role/ci", "{{SessionName}}"} {
		i := strings.Index(r.Text, v)
		if got := src.Text[rt.Offset(i):rt.Offset(i+len(v))]; got != v {
			t.Errorf("%s maps to %q", v, got)
		}
	}
	fixed, err := analysis.Apply(src.Text, []analysis.Edit{rt.Edit(strings.Index(r.Text, "ci\n"), strings.Index(r.Text, "ci\n")+2, "deployer")})
	if err != nil || !strings.Contains(fixed, "role/deployer\n") {
		t.Errorf("edit through the repaired text gave %q (%v)", fixed, err)
	}
}
