//go:build !noterraform

package fixes

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/eksdoctor/eksdoctor/analysis"
)

// Node role rules: the managed policies a node role needs, where the CNI
// policy belongs, and what must never be on a role every pod can reach
// through the instance metadata service.

// The CNI policies: the AWS managed one for IPv4 and the one each account
// creates for IPv6.
const (
	cniPolicy     = "AmazonEKS_CNI_Policy"
	cniIPv6Policy = "AmazonEKS_CNI_IPv6_Policy"
)

// nodeRoles returns the roles nodes use whose trust policy trusts EC2 or
// cannot be read.
func nodeRoles(p *analysis.Pass) []*tfRole {
	m := terraformOf(p)
	var out []*tfRole
	for _, r := range rolesOf(p) {
		if r.NodeUse == "" {
			continue
		}
		if trusts, known := m.trustsService(r, "ec2.amazonaws.com"); trusts || !known {
			out = append(out, r)
		}
	}
	return out
}

// runNodeRolePolicies is the Run of tfNodeRolePolicies (TF001).
func runNodeRolePolicies(p *analysis.Pass) {
	m := terraformOf(p)
	for _, r := range nodeRoles(p) {
		if r.Unresolved {
			continue
		}
		var missing []string
		if !r.MayHave(workerPolicies...) {
			// AmazonEKSWorkerNodePolicy, or the minimal one on Auto Mode
			missing = append(missing, workerPolicies[map[bool]int{false: 0, true: 1}[r.AutoMode]])
		}
		if !r.MayHave(registryPolicies...) {
			missing = append(missing, registryPolicies[0])
		}
		if len(missing) == 0 {
			continue
		}
		start, end := r.NameSpan()
		p.Reportf(start, end, m.attachFix(r, missing),
			"%s is the node role of %s but lacks %s: %s.", r.Name(), r.NodeUse,
			strings.Join(missing, " and "), missingEffect(missing))
	}
}

// missingEffect says what nodes cannot do without the missing policies.
func missingEffect(missing []string) string {
	var parts []string
	for _, name := range missing {
		switch name {
		case workerPolicies[0], workerPolicies[1]:
			parts = append(parts, "without "+name+" node components cannot describe the instance and the cluster and the Pod Identity agent gets no credentials")
		default:
			parts = append(parts, "without "+name+" nodes cannot pull the Amazon ECR images of the networking add-ons")
		}
	}
	return strings.Join(parts, "; ") + ", so the nodes do not become Ready"
}

// attachFix adds an aws_iam_role_policy_attachment per missing policy
// after the role, written like the role's other attachments: their
// policy ARN prefix (partition and all) and their reference to the role.
func (m *tfModule) attachFix(r *tfRole, missing []string) *analysis.Fix {
	roleText := ""
	arnText := func(name string) string { return analysis.HCLString("arn:aws:iam::aws:policy/" + name) }
	for _, a := range r.Attached {
		if !a.Alone || a.Policy == "" || a.Value.Expr == nil {
			continue
		}
		src := m.text(a.Value.Expr)
		if suffix := "/" + a.Policy + `"`; strings.HasSuffix(src, suffix) {
			prefix := strings.TrimSuffix(src, suffix)
			arnText = func(name string) string { return prefix + "/" + name + `"` }
		}
		roleText = m.text(attrExpr(a.Block.Body, "role"))
		break
	}
	if roleText == "" {
		if attrExpr(r.Body, "count") != nil || attrExpr(r.Body, "for_each") != nil {
			return nil
		}
		roleText = r.Addr + ".name"
	}
	var lines, addrs []string
	for _, name := range missing {
		res := m.freeName("aws_iam_role_policy_attachment", r.Labels[1]+"_"+name)
		addrs = append(addrs, "aws_iam_role_policy_attachment."+res)
		lines = append(lines, fmt.Sprintf(`resource "aws_iam_role_policy_attachment" %q {`, res))
		lines = append(lines, alignedAttrs("  ", [2]string{"policy_arn", arnText(name)}, [2]string{"role", roleText})...)
		lines = append(lines, "}", "")
	}
	fix := &analysis.Fix{Summary: "Attach " + strings.Join(missing, " and ") + " to the node role",
		Edits: []analysis.Edit{m.insertAfter(r.Block, lines[:len(lines)-1])}}
	if dep := m.dependsOnAttachments(r); dep != nil {
		fix.Edits = append(fix.Edits, m.appendToTuple(dep, addrs))
	}
	return fix
}

// dependsOnAttachments returns the node group's depends_on list when it
// lists attachments of the role (as the provider's documentation
// advises, so that nodes are created after, and deleted before, their
// permissions), or nil.
func (m *tfModule) dependsOnAttachments(r *tfRole) *hclsyntax.TupleConsExpr {
	if r.NodeBlock == nil {
		return nil
	}
	dep, ok := attrExpr(r.NodeBlock.Body, "depends_on").(*hclsyntax.TupleConsExpr)
	if !ok {
		return nil
	}
	for _, a := range r.Attached {
		if a.Block != r.tfBlock && m.RefersTo(dep, a.Block.Addr) {
			return dep
		}
	}
	return nil
}

// text returns the source text of an expression.
func (m *tfModule) text(e hclsyntax.Expression) string {
	r := e.Range()
	return m.src.Text[r.Start.Byte:r.End.Byte]
}

// tfNameChars are the characters a Terraform resource name cannot have.
var tfNameChars = regexp.MustCompile(`[^A-Za-z0-9_-]+`)

// freeName returns a resource name not yet used for the type.
func (m *tfModule) freeName(typ, want string) string {
	want = tfNameChars.ReplaceAllString(want, "_")
	name := want
	for i := 2; m.byAddr[typ+"."+name] != nil; i++ {
		name = fmt.Sprintf("%s_%d", want, i)
	}
	return name
}

// runNodeRoleCNI is the Run of tfNodeRoleCNI (TF002).
func runNodeRoleCNI(p *analysis.Pass) {
	m := terraformOf(p)
	creds := podCredsOf(p)
	for _, r := range nodeRoles(p) {
		if r.AutoMode {
			continue
		}
		found := false
		for _, a := range r.Attached {
			if a.Policy != cniPolicy && a.Policy != cniIPv6Policy || a.Maybe {
				continue
			}
			found = true
			start, end := r.NameSpan()
			if a.Value.Expr != nil {
				rng := a.Value.Expr.Range()
				start, end = rng.Start.Byte, rng.End.Byte
			}
			if creds.AWSNode == "" {
				p.Reportf(start, end, nil, "%s is attached to the node role %s, so every pod on those nodes can manage network "+
					"interfaces through the instance metadata service. Give kube-system/aws-node its own role (IRSA or Pod "+
					"Identity) on the vpc-cni add-on, then remove this attachment.", a.Policy, r.Name())
				continue
			}
			var fix *analysis.Fix
			if a.Alone && !a.Maybe && a.Block != r.tfBlock {
				fix = &analysis.Fix{Summary: "Remove " + a.Policy + " from the node role", Edits: []analysis.Edit{m.deleteBlock(a.Block.Block)}, Harden: true}
			}
			p.Reportf(start, end, fix, "%s already gives kube-system/aws-node its own role, so %s on the node role %s only lets "+
				"every other pod manage network interfaces through the instance metadata service.", creds.AWSNode, a.Policy, r.Name())
		}
		if !found && !r.Unresolved && creds.CNIAddon != "" {
			start, end := r.NameSpan()
			p.Report(analysis.Finding{Severity: analysis.High, Start: start, End: end, Message: fmt.Sprintf(
				"Neither the node role %s nor %s gives kube-system/aws-node the CNI permissions: the VPC CNI cannot assign "+
					"pod IPs. Give aws-node its own role with AmazonEKS_CNI_Policy (service_account_role_arn or "+
					"pod_identity_association on the add-on).", r.Name(), creds.CNIAddon)})
		}
	}
}

// nodePolicies returns the policies of a node role the paste writes: its
// inline policies and the customer policies attached to it.
func nodePolicies(p *analysis.Pass, r *tfRole) []*Policy {
	set := terraformPoliciesOf(p)
	out := set.Inline[r.Addr]
	for _, a := range r.Attached {
		if pol := set.Managed[a.Value.Ref.Addr]; a.Value.Kind == tfRefKind && pol != nil {
			out = append(out, pol)
		}
	}
	return out
}

// reportRunInstances reports a node role statement that lets every pod
// launch EC2 instances.
func reportRunInstances(p *analysis.Pass, s *Statement, r *tfRole) {
	if !s.Allows() || s.NotAction {
		return
	}
	for _, a := range s.Actions {
		// an action that also grants cluster access ("*") is reported by reportNodeGrant
		if actionMatches(a.Value, "ec2:RunInstances") && !actionMatches(a.Value, "eks:CreateAccessEntry") {
			p.Reportf(a.Start, a.End, nil, "The node role %s allows %s: any pod on its nodes can launch EC2 instances "+
				"(and, with iam:PassRole, give them any role it may pass).", r.Name(), a.Value)
			return
		}
	}
}

// runNodeRoleDangerous is the Run of tfNodeRoleDangerous (TF003).
func runNodeRoleDangerous(p *analysis.Pass) {
	for _, r := range nodeRoles(p) {
		if r.ClusterRole != "" {
			start, end := r.NameSpan()
			p.Reportf(start, end, nil, "%s is both the cluster role of %s and the node role of %s: "+
				"every pod gets the control plane's permissions. Use a separate role for the nodes.", r.Name(), r.ClusterRole, r.NodeUse)
			continue
		}
		for _, a := range r.Attached {
			bad, ok := dangerousOnNodes[a.Policy]
			if !ok || a.Policy == cniPolicy || a.Value.Expr == nil {
				continue
			}
			rng := a.Value.Expr.Range()
			p.Report(analysis.Finding{Severity: bad.sev, Start: rng.Start.Byte, End: rng.End.Byte, Message: fmt.Sprintf(
				"%s on the node role %s gives every pod on those nodes %s. Give the workload that needs it its own role "+
					"(IRSA or EKS Pod Identity) and remove it from the node role.", a.Policy, r.Name(), bad.why)})
		}
		for _, pol := range nodePolicies(p, r) {
			for _, s := range pol.Statements {
				reportNodeGrant(p, s)
				reportRunInstances(p, s, r)
			}
		}
	}
}
