//go:build !noterraform

package fixes

import (
	"fmt"
	"maps"
	"regexp"
	"slices"

	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/eksdoctor/eksdoctor/analysis"
)

// Launch template rules: IMDSv2 and the hop limit on the launch templates
// nodes start from. Whether pods need the instance metadata service
// decides the hop limit: 1 when they get credentials from IRSA or Pod
// Identity, 2 when they may still take the node role from it.

// nodeTemplate is a launch template nodes start from. guess is "" when a
// node group or Auto Scaling group of the paste uses it, else why it looks
// like a node's.
type nodeTemplate struct {
	*tfBlock
	guess string
}

// note is what a finding on the template adds when no node group of the
// paste was seen to use it.
func (t nodeTemplate) note() string {
	if t.guess == "" {
		return ""
	}
	return " No node group in the paste uses " + t.Name() + ", but it looks like a node's: " + t.guess + "."
}

// nodeLaunchTemplates returns the launch templates nodes start from: those
// of managed node groups, in a paste with EKS resources those of Auto
// Scaling groups, and those that look like a node's (nodeLook).
func nodeLaunchTemplates(p *analysis.Pass) []nodeTemplate {
	m := terraformOf(p)
	used := map[string]bool{}
	for _, b := range m.Resources("aws_eks_node_group") {
		m.bodyRefs(b.Body, used)
	}
	if m.HasEKS() {
		for _, b := range m.Resources("aws_autoscaling_group") {
			m.bodyRefs(b.Body, used)
		}
	}
	var out []nodeTemplate
	for _, b := range m.Resources("aws_launch_template") {
		if used[b.Addr] {
			out = append(out, nodeTemplate{b, ""})
		} else if why := nodeLook(p, m, b); why != "" {
			out = append(out, nodeTemplate{b, why})
		}
	}
	return out
}

// nodeLook says why a launch template looks like an EKS node's, as tfsec
// and Checkov assume of every launch template: user data that joins a
// cluster, an EKS-optimised AMI (in the template or a data source it
// refers to), or a name for nodes. "" when it does not.
func nodeLook(p *analysis.Pass, m *tfModule, lt *tfBlock) string {
	text := p.Src.Text[lt.Range().Start.Byte:lt.Range().End.Byte]
	refs := map[string]bool{}
	m.bodyRefs(lt.Body, refs)
	for _, addr := range slices.Sorted(maps.Keys(refs)) {
		if b := m.byAddr[addr]; b != nil && b.Type == "data" {
			text += p.Src.Text[b.Range().Start.Byte:b.Range().End.Byte]
		}
	}
	switch {
	case nodeUserData.MatchString(text):
		return "its user data joins nodes to an EKS cluster"
	case eksAMI.MatchString(text):
		return "it starts an EKS-optimised AMI"
	case nodeRoleName.MatchString(lt.Name()) || nodeName.MatchString(lt.Name()) || workerName.MatchString(lt.Name()):
		return "its name says it is for nodes"
	}
	return ""
}

var (
	// nodeUserData is what user data that joins EKS says: the AL2
	// bootstrap script, or nodeadm's NodeConfig on AL2023.
	nodeUserData = regexp.MustCompile(`/etc/eks/bootstrap\.sh|node\.eks\.aws|nodeadm`)
	// eksAMI names an EKS-optimised AMI: its SSM parameter or image name.
	eksAMI = regexp.MustCompile(`/aws/service/eks/optimized-ami|/aws/service/bottlerocket/aws-k8s|amazon-eks-(?:gpu-|arm64-)?node|amazon-eks-node-al2023`)
	// workerName is a name for EKS workers.
	workerName = regexp.MustCompile(`(?i)worker`)
)

// bodyRefs adds the addresses every attribute of a body, nested blocks
// included, refers to.
func (m *tfModule) bodyRefs(body *hclsyntax.Body, into map[string]bool) {
	for _, a := range sortedAttrs(body) {
		for _, r := range m.Refs(a.Expr) {
			into[r.Addr] = true
		}
	}
	for _, b := range body.Blocks {
		m.bodyRefs(b.Body, into)
	}
}

// podsHopLimit returns the hop limit nodes should have and why: 1 when
// the paste shows pods using IRSA or Pod Identity, else 2.
func podsHopLimit(p *analysis.Pass) (int, string) {
	c := podCredsOf(p)
	switch {
	case c.IRSA != "":
		return 1, "pods get credentials from IRSA (" + c.IRSA + "), so they do not need the instance metadata service"
	case c.PodIdentity != "":
		return 1, "pods get credentials from EKS Pod Identity (" + c.PodIdentity + "), so they do not need the instance metadata service"
	}
	return 2, "nothing here shows pods using IRSA or Pod Identity, so some may still take the node role from the instance " +
		"metadata service; set it to 1 once every pod that calls AWS has its own role"
}

// runLaunchTemplateIMDSv1 is the Run of tfLaunchTemplateIMDSv1 (TF004).
func runLaunchTemplateIMDSv1(p *analysis.Pass) {
	m := terraformOf(p)
	hops, why := podsHopLimit(p)
	hopLine := [2]string{"http_put_response_hop_limit", fmt.Sprint(hops)}
	for _, lt := range nodeLaunchTemplates(p) {
		if dynamicBlock(lt.Body, "metadata_options") != nil {
			continue
		}
		opts := nested(lt.Body, "metadata_options")
		if len(opts) == 0 {
			lines := append([]string{"metadata_options {"}, alignedAttrs("  ",
				[2]string{"http_endpoint", `"enabled"`}, [2]string{"http_tokens", `"required"`}, hopLine)...)
			edit := m.insertBlock(lt.Block, append(lines, "}"))
			start, end := lt.NameSpan()
			p.Report(analysis.Finding{Severity: analysis.Medium, Start: start, End: end,
				Fix: &analysis.Fix{Summary: "Require IMDSv2 with a hop limit of " + hopLine[1], Edits: []analysis.Edit{edit}, Harden: true},
				Message: fmt.Sprintf("%s has no metadata_options, so whether nodes answer IMDSv1 depends on the AMI. "+
					"Require IMDSv2; hop limit %d because %s.%s", lt.Name(), hops, why, lt.note())})
			continue
		}
		block := opts[0]
		if v := m.Eval(attrExpr(block.Body, "http_endpoint"), nil); v.Known() && v.Str == "disabled" {
			continue
		}
		var add [][2]string
		if attrExpr(block.Body, "http_put_response_hop_limit") == nil {
			add = append(add, hopLine)
		}
		tokens := block.Body.Attributes["http_tokens"]
		switch v := m.Eval(attrExprOf(tokens), nil); {
		case tokens == nil:
			add = append([][2]string{{"http_tokens", `"required"`}}, add...)
			p.Report(analysis.Finding{Severity: analysis.Medium, Start: block.TypeRange.Start.Byte, End: block.TypeRange.End.Byte,
				Fix: &analysis.Fix{Summary: "Require IMDSv2", Edits: m.insertAttrs(block, add), Harden: true},
				Message: fmt.Sprintf("metadata_options of %s does not set http_tokens, so whether nodes answer IMDSv1 "+
					"depends on the AMI. Require IMDSv2%s.%s", lt.Name(), hopNote(add, hops, why), lt.note())})
		case v.Known() && v.Str == "optional":
			fix := &analysis.Fix{Summary: "Require IMDSv2", Edits: []analysis.Edit{replaceExpr(tokens.Expr, `"required"`)}, Harden: true}
			if len(add) > 0 {
				fix.Edits = append(fix.Edits, m.insertAttrs(block, add)...)
			}
			rng := tokens.Expr.Range()
			p.Reportf(rng.Start.Byte, rng.End.Byte, fix, "http_tokens = \"optional\" lets every pod on the nodes of %s "+
				"read the node role's credentials with a single unauthenticated request. Require IMDSv2%s.%s",
				lt.Name(), hopNote(add, hops, why), lt.note())
		}
	}
}

// attrExprOf returns an attribute's expression, or nil.
func attrExprOf(a *hclsyntax.Attribute) hclsyntax.Expression {
	if a == nil {
		return nil
	}
	return a.Expr
}

// hopNote explains the hop limit a fix adds, if it adds one.
func hopNote(add [][2]string, hops int, why string) string {
	for _, a := range add {
		if a[0] == "http_put_response_hop_limit" {
			return fmt.Sprintf("; hop limit %d because %s", hops, why)
		}
	}
	return ""
}

// runLaunchTemplateHops is the Run of tfLaunchTemplateHops (TF005).
func runLaunchTemplateHops(p *analysis.Pass) {
	hops, why := podsHopLimit(p)
	for _, lt := range nodeLaunchTemplates(p) {
		for _, block := range nested(lt.Body, "metadata_options") {
			e := attrExpr(block.Body, "http_put_response_hop_limit")
			v := terraformOf(p).Eval(e, nil)
			if v.Kind != tfNumber || v.Num <= 1 || v.Num == 2 && hops == 2 {
				continue
			}
			rng := e.Range()
			what := "lets every pod read the node role's credentials from the instance metadata service"
			if v.Num > 2 {
				what = "is more than any pod needs"
			}
			p.Reportf(rng.Start.Byte, rng.End.Byte,
				&analysis.Fix{Summary: fmt.Sprintf("Set the hop limit to %d", hops), Edits: []analysis.Edit{replaceExpr(e, fmt.Sprint(hops))}, Harden: true},
				"A hop limit of %g on %s %s. Set it to %d: %s.%s", v.Num, lt.Name(), what, hops, why, lt.note())
		}
	}
}
