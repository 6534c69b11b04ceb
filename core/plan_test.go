package core

import (
	"strings"
	"testing"
)

func TestAfterPlans(t *testing.T) {
	for _, tt := range []struct{ name, in, want string }{
		{"markers, a changed value, an unknown one",
			"  ~ resource \"aws_eks_cluster\" \"this\" {\n      ~ version = \"1.29\" -> \"1.30\"\n      + arn     = (known after apply)\n        name    = \"prod\"\n    }\n",
			"    resource \"aws_eks_cluster\" \"this\" {\n        version =           \"1.30\"\n        arn     =  known_after_apply \n        name    = \"prod\"\n    }\n"},
		{"a removed attribute and a removed block",
			"  ~ resource \"aws_eks_access_entry\" \"x\" {\n      - user_name = \"a\" -> null\n      - scope {\n          - type = \"cluster\" -> null\n        }\n        id = \"c:arn\"\n    }\n",
			"    resource \"aws_eks_access_entry\" \"x\" {\n" + blanks(31) + "\n" + blanks(15) + "\n" + blanks(36) + "\n" + blanks(9) + "\n        id = \"c:arn\"\n    }\n"},
		{"a changed heredoc keeps its unchanged and added lines",
			"  ~ resource \"kubernetes_config_map\" \"aws_auth\" {\n      ~ data = {\n          ~ \"mapRoles\" = <<~EOT\n                - groups: [a]\n              - - rolearn: x\n              + - rolearn: y\n            EOT\n        }\n    }\n",
			"    resource \"kubernetes_config_map\" \"aws_auth\" {\n        data = {\n            \"mapRoles\" = <<-EOT\n                - groups: [a]\n" + blanks(28) + "\n                - rolearn: y\n            EOT\n        }\n    }\n"},
		{"a created heredoc has no markers inside",
			"  + resource \"kubernetes_config_map\" \"aws_auth\" {\n      + data = {\n          + mapRoles = <<-EOT\n                - rolearn: x\n            EOT\n        }\n    }\n",
			"    resource \"kubernetes_config_map\" \"aws_auth\" {\n        data = {\n            mapRoles = <<-EOT\n                - rolearn: x\n            EOT\n        }\n    }\n"},
		{"a replaced resource, cut off", "-/+ resource \"aws_eks_cluster\" \"this\" { # forces replacement\n      ~ id = \"a\" -> (known after apply)\n",
			"    resource \"aws_eks_cluster\" \"this\" { # forces replacement\n        id =         known_after_apply \n"},
		{"configuration is left alone", "resource \"aws_iam_role\" \"x\" {\n  name = \"a -> b\"\n}\n", "resource \"aws_iam_role\" \"x\" {\n  name = \"a -> b\"\n}\n"},
		{"a diff of YAML is left alone", "- rolearn: x\n+ rolearn: y\n", "- rolearn: x\n+ rolearn: y\n"},
		{"CRLF line breaks", "  ~ resource \"a\" \"b\" {\r\n      ~ x = 1 -> 2\r\n    }\r\n", "    resource \"a\" \"b\" {\r\n        x =      2\r\n    }\r\n"},
	} {
		got := afterPlans(tt.in)
		if got != tt.want {
			t.Errorf("%s:\n got %q\nwant %q", tt.name, got, tt.want)
		}
		if len(got) != len(tt.in) || strings.Count(got, "\n") != strings.Count(tt.in, "\n") {
			t.Errorf("%s: the length or the lines changed", tt.name)
		}
	}
}

// blanks returns n spaces.
func blanks(n int) string { return strings.Repeat(" ", n) }

// FuzzAfterPlans checks that rewriting plans keeps every offset and line.
func FuzzAfterPlans(f *testing.F) {
	addCorpus(f)
	f.Add("  ~ resource \"a\" \"b\" {\n      ~ x = <<~EOT\n              - a\n              +\n            EOT\n      - y {\n")
	f.Fuzz(func(t *testing.T, text string) {
		got := afterPlans(text)
		if len(got) != len(text) || strings.Count(got, "\n") != strings.Count(text, "\n") {
			t.Fatalf("afterPlans changed the length or the lines of %q", text)
		}
	})
}
