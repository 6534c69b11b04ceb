//go:build !noterraform

package fixes

import (
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/eksdoctor/eksdoctor/analysis"
)

// moduleOf parses text as one terraform document.
func moduleOf(t *testing.T, text string) (*tfModule, *analysis.Pass) {
	t.Helper()
	src := analysis.NewSource(text)
	doc := &analysis.Document{Kind: analysis.KindTerraform, Format: analysis.FormatHCL, Start: 0, End: len(text), Text: text}
	p := &analysis.Pass{Input: &analysis.Input{Src: src, Docs: []*analysis.Document{doc}}, Rule: &analysis.Rule{ID: "TF000"}, Out: &analysis.Result{}}
	return terraformOf(p), p
}

// show renders a value for comparison: strings with ? for holes, tuples
// and objects in brackets, references as <addr.attr>, maybe-values with ~.
func show(v tfValue) string {
	var s string
	switch v.Kind {
	case tfString:
		s = strings.ReplaceAll(v.Str, tfHole, "?")
	case tfNumber:
		s = strconv.FormatFloat(v.Num, 'g', -1, 64)
	case tfBool:
		s = map[bool]string{true: "true", false: "false"}[v.Bool]
	case tfNull:
		s = "null"
	case tfRefKind:
		s = "<" + v.Ref.Addr
		if v.Ref.Attr != "" {
			s += "." + v.Ref.Attr
		}
		s += ">"
	case tfTuple, tfObject:
		var parts []string
		for i, item := range v.Items {
			if v.Kind == tfObject {
				parts = append(parts, strings.ReplaceAll(v.Keys[i], tfHole, "?")+"="+show(item))
			} else {
				parts = append(parts, show(item))
			}
		}
		s = "[" + strings.Join(parts, " ") + "]"
	default:
		s = "unknown"
	}
	if v.Maybe {
		s = "~" + s
	}
	return s
}

func TestTerraformEval(t *testing.T) {
	const module = `
locals {
  partition     = data.aws_partition.current.partition
  policy_prefix = "arn:${local.partition}:iam::aws:policy"
  ipv4_cni = { for k, v in { AmazonEKS_CNI_Policy = "${local.policy_prefix}/AmazonEKS_CNI_Policy" } : k => v if var.attach_cni }
  names    = ["a", "b"]
  upper    = { for n in local.names : n => "x-${n}" }
  loop     = local.loop
}
`
	m, _ := moduleOf(t, module)
	tests := []struct{ expr, want string }{
		{`"plain"`, "plain"},
		{`"arn:${data.aws_partition.current.partition}:iam::aws:policy/X"`, "arn:?:iam::aws:policy/X"},
		{`"${local.policy_prefix}/AmazonEKSWorkerNodePolicy"`, "arn:?:iam::aws:policy/AmazonEKSWorkerNodePolicy"},
		{`aws_iam_role.node.arn`, "<aws_iam_role.node.arn>"},
		{`aws_iam_role.this[0].name`, "<aws_iam_role.this.name>"},
		{`aws_iam_role.this[each.key].name`, "<aws_iam_role.this.name>"},
		{`data.aws_iam_policy_document.assume[0].json`, "<data.aws_iam_policy_document.assume.json>"},
		{`var.cluster_name`, "<var.cluster_name>"},
		{`module.eks.cluster_name`, "<module.eks.cluster_name>"},
		{`merge({ A = "1" }, local.ipv4_cni)`, "[A=1 AmazonEKS_CNI_Policy=~arn:?:iam::aws:policy/AmazonEKS_CNI_Policy]"},
		{`{ for k, v in merge({ W = "w" }, local.ipv4_cni) : k => v if var.create }`, "[W=~w AmazonEKS_CNI_Policy=~arn:?:iam::aws:policy/AmazonEKS_CNI_Policy]"},
		{`local.upper`, "[a=x-a b=x-b]"},
		{`toset(["a", "b"])`, "[a b]"},
		{`concat(["a"], ["b"])`, "[a b]"},
		{`var.create ? aws_iam_role.this[0].arn : null`, "~<aws_iam_role.this.arn>"},
		{`true ? "yes" : "no"`, "yes"},
		{`"a" == "a"`, "true"},
		{`var.x == "a"`, "unknown"},
		{`local.loop`, "unknown"},
		{`jsonencode({ Statement = [{ Action = "sts:AssumeRole" }] })`, "[Statement=[[Action=sts:AssumeRole]]]"},
		{`try(aws_iam_role.this[0].arn, "")`, "<aws_iam_role.this.arn>"},
		{`format("%s", "x")`, "?"},
		{"<<EOF\n{\"a\": \"${var.b}\"}\nEOF\n", "{\"a\": \"?\"}\n"},
	}
	for _, tt := range tests {
		e, diags := hclsyntax.ParseExpression([]byte(tt.expr), "test.tf", hcl.Pos{Line: 1, Column: 1})
		if diags.HasErrors() {
			t.Fatalf("%s: %v", tt.expr, diags)
		}
		if got := show(m.Eval(e, nil)); got != tt.want {
			t.Errorf("Eval(%s) = %s, want %s", tt.expr, got, tt.want)
		}
	}
}

func TestModuleSourceIs(t *testing.T) {
	tests := []struct {
		src, want string
		ok        bool
	}{
		{"terraform-aws-modules/eks/aws", eksModule, true},
		{"git::https://github.com/terraform-aws-modules/terraform-aws-eks.git?ref=v20.8.5", eksModule, true},
		{"github.com/terraform-aws-modules/terraform-aws-eks", eksModule, true},
		{"terraform-aws-modules/eks/aws//modules/eks-managed-node-group", eksModule, false},
		{"terraform-aws-modules/iam/aws//modules/iam-role-for-service-accounts", irsaModuleV6, true},
		{"terraform-aws-modules/iam/aws//modules/iam-role-for-service-accounts-eks", irsaModuleV6, false},
		{"../../modules/iam-role-for-service-accounts", irsaModuleV6, true},
		{"./modules/eks", eksModule, false},
		{"cloudposse/eks-cluster/aws", eksModule, false},
	}
	for _, tt := range tests {
		if got := moduleSourceIs(tt.src, tt.want); got != tt.ok {
			t.Errorf("moduleSourceIs(%q, %q) = %v, want %v", tt.src, tt.want, got, tt.ok)
		}
	}
}

func TestManagedPolicyName(t *testing.T) {
	tests := []struct{ str, want string }{
		{"arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy", "AmazonEKSWorkerNodePolicy"},
		{"arn:" + tfHole + ":iam::aws:policy/AmazonEC2ContainerRegistryReadOnly", "AmazonEC2ContainerRegistryReadOnly"},
		{"arn:aws-cn:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy", "AmazonEBSCSIDriverPolicy"},
		{tfHole + "/AmazonEKSWorkerNodePolicy", "AmazonEKSWorkerNodePolicy"},
		{tfHole + "/SomethingElse", ""},
		{"arn:aws:iam::aws:policy/" + tfHole, ""},
		{"arn:aws:iam::111122223333:policy/AmazonEKS_CNI_IPv6_Policy", cniIPv6Policy},
		{"arn:aws:iam::111122223333:policy/node-extra", ""},
	}
	for _, tt := range tests {
		if got := managedPolicyName(tfValue{Kind: tfString, Str: tt.str}); got != tt.want {
			t.Errorf("managedPolicyName(%q) = %q, want %q", strings.ReplaceAll(tt.str, tfHole, "?"), got, tt.want)
		}
	}
}

// TestTerraformEvalBounds checks that locals that double at every step,
// as strings or as nested lists, stay bounded: past the limits a value
// counts as unknown, whatever builds on it after.
func TestTerraformEvalBounds(t *testing.T) {
	var b strings.Builder
	b.WriteString("locals {\n  s0 = \"x\"\n  t0 = [\"x\"]\n")
	for i := 1; i <= 40; i++ {
		fmt.Fprintf(&b, "  s%d = \"${local.s%d}${local.s%d}\"\n  t%d = [local.t%d, local.t%d]\n", i, i-1, i-1, i, i-1, i-1)
	}
	b.WriteString("}\n")
	m, _ := moduleOf(t, b.String())
	eval := func(expr string) tfValue {
		e, _ := hclsyntax.ParseExpression([]byte(expr), "test.tf", hcl.Pos{Line: 1, Column: 1})
		return m.Eval(e, nil)
	}
	if v := eval("local.s3"); show(v) != "xxxxxxxx" {
		t.Errorf("Eval(local.s3) = %s, want xxxxxxxx", show(v))
	}
	if v := eval("local.s40"); len(v.Str) > tfMaxString || v.Known() {
		t.Errorf("Eval(local.s40) is a known string of %d bytes, want an unknown one within the bound", len(v.Str))
	}
	if v := eval("local.t40"); v.weight > tfMaxItems {
		t.Errorf("Eval(local.t40) holds %d values, more than the bound %d", v.weight, tfMaxItems)
	}
	// t15 holds 3*2^15-2 values, past the bound
	if v := eval("local.t15"); v.Kind != tfUnknown {
		t.Errorf("Eval(local.t15) holds %d values; past the bound it should be unknown", v.weight)
	}
}
