//go:build !noterraform

package fixes

import (
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/eksdoctor/eksdoctor/analysis"
)

// Security group rule: ingress from anywhere to the ports of the control
// plane (443) and of the kubelet (10250), on the security groups of the
// cluster and its nodes, however the rule is written: an ingress block of
// aws_security_group, aws_security_group_rule,
// aws_vpc_security_group_ingress_rule, or the EKS module's additional rules.

// sgKinds returns the security groups the paste uses for the cluster or
// its nodes, by address, with "cluster" or "node".
func (m *tfModule) sgKinds(p *analysis.Pass) map[string]string {
	kinds := map[string]string{}
	mark := func(e hclsyntax.Expression, kind string) {
		for _, r := range m.Refs(e) {
			if strings.HasPrefix(r.Addr, "aws_security_group.") && kinds[r.Addr] == "" {
				kinds[r.Addr] = kind
			}
		}
	}
	for _, c := range m.Resources("aws_eks_cluster") {
		mark(attrExpr(nestedPath(c.Body, "vpc_config"), "security_group_ids"), "cluster")
	}
	for _, lt := range nodeLaunchTemplates(p) {
		mark(attrExpr(lt.Body, "vpc_security_group_ids"), "node")
		for _, ni := range nested(lt.Body, "network_interfaces") {
			mark(attrExpr(ni.Body, "security_groups"), "node")
		}
	}
	for _, sg := range m.Resources("aws_security_group") {
		tags := m.Eval(attrExpr(sg.Body, "tags"), nil)
		for _, k := range tags.Keys {
			if strings.HasPrefix(k, "kubernetes.io/cluster/") && kinds[sg.Addr] == "" {
				kinds[sg.Addr] = "node"
			}
		}
	}
	return kinds
}

// sgTarget says which EKS security group a rule's security_group_id names:
// one of kinds, the cluster security group EKS creates
// (aws_eks_cluster.x.vpc_config[0].cluster_security_group_id), or one the
// EKS module creates; "" for anything else.
func (m *tfModule) sgTarget(e hclsyntax.Expression, kinds map[string]string) string {
	for _, r := range m.Refs(e) {
		switch {
		case kinds[r.Addr] != "":
			return kinds[r.Addr]
		case strings.HasPrefix(r.Addr, "aws_eks_cluster."):
			return "cluster"
		case strings.HasPrefix(r.Addr, "module.") && strings.Contains(r.Attr, "security_group_id"):
			if strings.HasPrefix(r.Attr, "node_") {
				return "node"
			}
			if strings.HasPrefix(r.Attr, "cluster_") {
				return "cluster"
			}
		}
	}
	return ""
}

// sgIngress is one ingress rule as written.
type sgIngress struct {
	kind             string // "cluster" or "node"
	protocol         tfValue
	fromPort, toPort tfValue
	// open is where 0.0.0.0/0 or ::/0 is written, nil when the source is
	// not the whole internet or cannot be told.
	open hclsyntax.Expression
}

// openPorts returns the EKS ports the rule opens to the internet: "all"
// for every port, else 443 and 10250 when its range covers them.
func (r sgIngress) openPorts() []string {
	if r.open == nil {
		return nil
	}
	if proto := r.protocol; proto.Known() && (proto.Str == "-1" || proto.Str == "all") || proto.Kind == tfNumber && proto.Num == -1 {
		return []string{"all"}
	}
	if proto := r.protocol; !(proto.Known() && (proto.Str == "tcp" || proto.Str == "6") || proto.Kind == tfNumber && proto.Num == 6) {
		return nil
	}
	from, to := portOf(r.fromPort), portOf(r.toPort)
	var out []string
	for _, port := range []int{443, 10250} {
		if from >= 0 && to >= 0 && from <= port && port <= to {
			out = append(out, fmt.Sprint(port))
		}
	}
	return out
}

// portOf returns a known port number, or -1.
func portOf(v tfValue) int {
	if v.Kind == tfNumber {
		return int(v.Num)
	}
	return -1
}

// openSource returns where a CIDR attribute (a list, or one CIDR) lets
// in the whole internet, or nil.
func (m *tfModule) openSource(v tfValue) hclsyntax.Expression {
	items := []tfValue{v}
	if v.Kind == tfTuple {
		items = v.Items
	}
	for _, item := range items {
		if item.Known() && (item.Str == "0.0.0.0/0" || item.Str == "::/0") && item.Expr != nil {
			return item.Expr
		}
	}
	return nil
}

// ingressRules returns the ingress rules on EKS security groups.
func (m *tfModule) ingressRules(p *analysis.Pass) []sgIngress {
	kinds := m.sgKinds(p)
	var out []sgIngress
	for _, sg := range m.Resources("aws_security_group") {
		if kinds[sg.Addr] == "" {
			continue
		}
		for _, in := range nested(sg.Body, "ingress") {
			out = append(out, m.ingressOf(kinds[sg.Addr], in.Body, nil, "protocol", "cidr_blocks", "ipv6_cidr_blocks"))
		}
	}
	for _, typ := range []string{"aws_security_group_rule", "aws_vpc_security_group_ingress_rule"} {
		for _, b := range m.Resources(typ) {
			insts, _ := m.Instances(b)
			for _, inst := range insts {
				if t := m.Eval(attrExpr(b.Body, "type"), inst.Env); typ == "aws_security_group_rule" && !(t.Known() && t.Str == "ingress") {
					continue
				}
				kind := m.sgTarget(attrExpr(b.Body, "security_group_id"), kinds)
				if kind == "" {
					continue
				}
				if typ == "aws_security_group_rule" {
					out = append(out, m.ingressOf(kind, b.Body, inst.Env, "protocol", "cidr_blocks", "ipv6_cidr_blocks"))
				} else {
					out = append(out, m.ingressOf(kind, b.Body, inst.Env, "ip_protocol", "cidr_ipv4", "cidr_ipv6"))
				}
			}
		}
	}
	for _, mod := range m.Modules(eksModule) {
		for _, input := range [][2]string{{"cluster_security_group_additional_rules", "cluster"},
			{"security_group_additional_rules", "cluster"}, {"node_security_group_additional_rules", "node"}} {
			kind := input[1]
			rules := m.Eval(attrExpr(mod.Body, input[0]), nil)
			for _, r := range rules.Items {
				if t, _ := r.Get("type"); !(t.Known() && t.Str == "ingress") {
					continue
				}
				rule := sgIngress{kind: kind}
				rule.protocol, _ = r.Get("protocol")
				rule.fromPort, _ = r.Get("from_port")
				rule.toPort, _ = r.Get("to_port")
				for _, key := range []string{"cidr_blocks", "ipv6_cidr_blocks"} {
					if v, ok := r.Get(key); ok && rule.open == nil {
						rule.open = m.openSource(v)
					}
				}
				out = append(out, rule)
			}
		}
	}
	return out
}

// ingressOf reads one rule from a body with the given attribute names.
func (m *tfModule) ingressOf(kind string, body *hclsyntax.Body, env tfEnv, protocol string, cidrs ...string) sgIngress {
	r := sgIngress{kind: kind, protocol: m.Eval(attrExpr(body, protocol), env),
		fromPort: m.Eval(attrExpr(body, "from_port"), env), toPort: m.Eval(attrExpr(body, "to_port"), env)}
	for _, c := range cidrs {
		if r.open == nil {
			r.open = m.openSource(m.Eval(attrExpr(body, c), env))
		}
	}
	return r
}

// runOpenIngress is the Run of tfOpenIngress (TF011).
func runOpenIngress(p *analysis.Pass) {
	m := terraformOf(p)
	for _, r := range m.ingressRules(p) {
		ports := r.openPorts()
		if len(ports) == 0 {
			continue
		}
		sev, what := analysis.Medium, "port 443"
		switch {
		case ports[0] == "all":
			sev, what = analysis.High, "every port, the kubelet's 10250 and the API server's 443 among them,"
		case ports[len(ports)-1] == "10250":
			sev, what = analysis.High, "port "+strings.Join(ports, " and ")
		}
		rng := r.open.Range()
		p.Report(analysis.Finding{Severity: sev, Start: rng.Start.Byte, End: rng.End.Byte, Message: fmt.Sprintf(
			"This rule opens %s of the %s security group to the whole internet. Allow the other EKS security group or "+
				"the VPC's CIDR instead.", what, r.kind)})
	}
}
