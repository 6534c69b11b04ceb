//go:build !noterraform

package fixes

import (
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/eksdoctor/eksdoctor/analysis"
)

// The IAM roles of a Terraform paste, with the managed policies attached
// to them however the attachment is written (aws_iam_role_policy_attachment
// with or without for_each, aws_iam_policy_attachment, the exclusive
// attachments resource, managed_policy_arns), and what uses them as node
// roles.

// tfRole is an aws_iam_role and what the paste attaches to it.
type tfRole struct {
	*tfBlock
	// Attached are its managed policy attachments.
	Attached []tfAttachment
	// Unresolved says some attachment or inline policy may add permissions
	// that cannot be read statically (a variable's policies, a customer
	// policy, an attachment to a role that cannot be told).
	Unresolved bool
	// NodeUse names what makes it a node role, "" when nothing does:
	// "the managed node group aws_eks_node_group.main"; NodeBlock is that
	// resource.
	NodeUse   string
	NodeBlock *tfBlock
	// AutoMode marks the node role of EKS Auto Mode (compute_config).
	AutoMode bool
	// ClusterRole is the cluster that uses it as its cluster role, if any.
	ClusterRole string
}

// tfAttachment is one managed policy attached to a role.
type tfAttachment struct {
	// Policy is the AWS managed policy's name ("AmazonEKSWorkerNodePolicy",
	// "service-role/X"), or "" for anything else.
	Policy string
	Value  tfValue
	// Block is the resource that attaches it (the role itself for
	// managed_policy_arns).
	Block *tfBlock
	// Maybe marks an attachment made only under a condition.
	Maybe bool
	// Alone marks a block that attaches only this policy to only this
	// role, with no count or for_each: removing the block removes exactly it.
	Alone bool
}

// Has reports whether one of the named policies is attached for certain.
func (r *tfRole) Has(names ...string) bool {
	return slices.ContainsFunc(r.Attached, func(a tfAttachment) bool { return !a.Maybe && slices.Contains(names, a.Policy) })
}

// MayHave reports whether one of the named policies is or may be attached.
func (r *tfRole) MayHave(names ...string) bool {
	return slices.ContainsFunc(r.Attached, func(a tfAttachment) bool { return slices.Contains(names, a.Policy) })
}

// terraformRolesKey keeps what rolesOf builds, once for the whole input.
var terraformRolesKey = analysis.NewKey[[]*tfRole]("terraform-roles")

// rolesOf returns the paste's roles, built once.
func rolesOf(p *analysis.Pass) []*tfRole {
	m := terraformOf(p)
	return analysis.MemoInput(p.Input, terraformRolesKey, func() []*tfRole { return m.roles() })
}

func (m *tfModule) roles() []*tfRole {
	var roles []*tfRole
	byAddr := map[string]*tfRole{}
	for _, b := range m.Resources("aws_iam_role") {
		r := &tfRole{tfBlock: b}
		roles = append(roles, r)
		byAddr[b.Addr] = r
	}
	if len(roles) == 0 {
		return nil
	}
	// target finds the role an attachment's role expression names: a
	// reference, or a literal equal to a role's name. ok is false when it
	// names none that can be told, so any role may be the target.
	target := func(e hclsyntax.Expression, env tfEnv) (*tfRole, bool) {
		for _, ref := range m.Refs(e) {
			if r := byAddr[ref.Addr]; r != nil {
				return r, true
			}
		}
		if v := m.Eval(e, env); v.Known() {
			for _, r := range roles {
				if n := m.Eval(attrExpr(r.Body, "name"), nil); n.Known() && n.Str == v.Str {
					return r, true
				}
			}
			return nil, true // a role outside the paste
		}
		return nil, false
	}
	unresolvedAll := false
	attach := func(r *tfRole, v tfValue, b *tfBlock, maybe, alone bool) {
		a := tfAttachment{Value: v, Block: b, Maybe: maybe || v.Maybe, Alone: alone}
		a.Policy = managedPolicyName(v)
		if a.Policy == "" {
			r.Unresolved = true
		}
		r.Attached = append(r.Attached, a)
	}
	for _, b := range m.Blocks {
		if b.Type != "resource" || len(b.Labels) != 2 {
			continue
		}
		switch b.Labels[0] {
		case "aws_iam_role_policy_attachment", "aws_iam_role_policy":
			insts, complete := m.Instances(b)
			if !complete {
				// an unknown for_each: its roles and policies are unknown
				if r, ok := target(attrExpr(b.Body, "role"), nil); ok && r != nil {
					r.Unresolved = true
				} else if !ok {
					unresolvedAll = true
				}
				continue
			}
			for _, inst := range insts {
				r, ok := target(attrExpr(b.Body, "role"), inst.Env)
				switch {
				case !ok:
					unresolvedAll = true
				case r == nil:
				case b.Labels[0] == "aws_iam_role_policy":
					r.Unresolved = true
				default:
					alone := attrExpr(b.Body, "for_each") == nil && attrExpr(b.Body, "count") == nil
					attach(r, m.Eval(attrExpr(b.Body, "policy_arn"), inst.Env), b, inst.Maybe, alone)
				}
			}
		case "aws_iam_policy_attachment":
			for _, ref := range m.Refs(attrExpr(b.Body, "roles")) {
				if r := byAddr[ref.Addr]; r != nil {
					attach(r, m.Eval(attrExpr(b.Body, "policy_arn"), nil), b, false, false)
				}
			}
		case "aws_iam_role_policy_attachments_exclusive":
			if r, ok := target(attrExpr(b.Body, "role_name"), nil); ok && r != nil {
				m.attachList(r, b, m.Eval(attrExpr(b.Body, "policy_arns"), nil), attach)
			} else if !ok {
				unresolvedAll = true
			}
		}
	}
	for _, r := range roles {
		if e := attrExpr(r.Body, "managed_policy_arns"); e != nil {
			m.attachList(r, r.tfBlock, m.Eval(e, nil), attach)
		}
		if len(nested(r.Body, "inline_policy")) > 0 || dynamicBlock(r.Body, "inline_policy") != nil {
			r.Unresolved = true
		}
		r.Unresolved = r.Unresolved || unresolvedAll
	}
	m.nodeUses(byAddr)
	return roles
}

// attachList attaches each policy of a list value.
func (m *tfModule) attachList(r *tfRole, b *tfBlock, list tfValue, attach func(*tfRole, tfValue, *tfBlock, bool, bool)) {
	if list.Kind != tfTuple {
		r.Unresolved = true
		return
	}
	for _, item := range list.Items {
		attach(r, item, b, item.Maybe, false)
	}
}

// managedPolicyName returns the name of the AWS managed policy a value
// is the ARN of ("AmazonEKSWorkerNodePolicy"), or "". The partition may
// be unknown; so may be the whole prefix when the name is one the rules
// know, as in "${local.policy_prefix}/AmazonEKSWorkerNodePolicy".
func managedPolicyName(v tfValue) string {
	if v.Kind != tfString {
		return ""
	}
	if name := managedName(v.Str); name != "" && strings.HasPrefix(v.Str, "arn:") {
		return name
	}
	if rest, ok := strings.CutPrefix(v.Str, tfHole+"/"); ok && knownManaged(rest) {
		return rest
	}
	// the IPv6 CNI policy is one each account creates, under this name
	if strings.HasSuffix(v.Str, ":policy/"+cniIPv6Policy) {
		return cniIPv6Policy
	}
	return ""
}

// knownManaged reports whether name is an AWS managed policy the node
// role rules name.
func knownManaged(name string) bool {
	_, dangerous := dangerousOnNodes[name]
	return dangerous || slices.Contains(workerPolicies, name) || slices.Contains(registryPolicies, name)
}

// nodeUses marks the roles that nodes use: through a managed node group,
// an instance profile (in a paste with EKS resources), an EC2 access
// entry, or EKS Auto Mode; and the roles clusters use.
func (m *tfModule) nodeUses(byAddr map[string]*tfRole) {
	mark := func(b *tfBlock, e hclsyntax.Expression, use string, auto bool) {
		for _, ref := range m.Refs(e) {
			if r := byAddr[ref.Addr]; r != nil && r.NodeUse == "" {
				r.NodeUse, r.NodeBlock, r.AutoMode = use, b, auto
			}
		}
	}
	for _, b := range m.Resources("aws_eks_node_group") {
		mark(b, attrExpr(b.Body, "node_role_arn"), "the managed node group "+b.Name(), false)
	}
	for _, b := range m.Resources("aws_eks_cluster") {
		mark(b, attrExpr(nestedPath(b.Body, "compute_config"), "node_role_arn"), "EKS Auto Mode nodes of "+b.Name(), true)
		for _, ref := range m.Refs(attrExpr(b.Body, "role_arn")) {
			if r := byAddr[ref.Addr]; r != nil && r.ClusterRole == "" {
				r.ClusterRole = b.Name()
			}
		}
	}
	for _, b := range m.Resources("aws_eks_access_entry") {
		if t := m.Eval(attrExpr(b.Body, "type"), nil); t.Known() && strings.HasPrefix(t.Str, "EC2") {
			mark(b, attrExpr(b.Body, "principal_arn"), "the "+t.Str+" access entry "+b.Name(), false)
		}
	}
	if m.HasEKS() {
		for _, b := range m.Resources("aws_iam_instance_profile") {
			mark(b, attrExpr(b.Body, "role"), "the instance profile "+b.Name(), false)
		}
	}
}

// trustsService reports whether a role's trust policy names the service
// principal host ("ec2.amazonaws.com"), and whether that can be told.
func (m *tfModule) trustsService(r *tfRole, service string) (trusts, known bool) {
	v := m.Eval(attrExpr(r.Body, "assume_role_policy"), nil)
	if v.Kind == tfRefKind && strings.HasPrefix(v.Ref.Addr, "data.aws_iam_policy_document.") {
		doc := m.byAddr[v.Ref.Addr]
		if doc == nil {
			return false, false
		}
		v = m.Eval(&hclsyntax.TupleConsExpr{Exprs: policyDocumentStrings(doc.Body)}, nil)
	}
	if v.Kind == tfUnknown || v.Kind == tfRefKind {
		return false, false
	}
	prefix := strings.TrimSuffix(service, "amazonaws.com")
	found, unknown := false, false
	walkStrings(v, func(s string) {
		switch {
		case strings.Contains(s, service) || strings.HasPrefix(s, prefix+tfHole):
			found = true
		case strings.Contains(s, tfHole):
			unknown = true
		}
	})
	return found, found || !unknown
}

// policyDocumentStrings returns the expressions of an
// aws_iam_policy_document's principals identifiers.
func policyDocumentStrings(body *hclsyntax.Body) []hclsyntax.Expression {
	var out []hclsyntax.Expression
	for _, st := range nested(body, "statement") {
		for _, pr := range nested(st.Body, "principals") {
			if e := attrExpr(pr.Body, "identifiers"); e != nil {
				out = append(out, e)
			}
		}
	}
	return out
}

// walkStrings calls f with every string in v.
func walkStrings(v tfValue, f func(string)) {
	switch v.Kind {
	case tfString:
		f(v.Str)
	case tfTuple, tfObject:
		for _, item := range v.Items {
			walkStrings(item, f)
		}
	case tfUnknown, tfRefKind:
		f(tfHole)
	}
}
