package fixes

import (
	"slices"
	"strings"

	yaml "go.yaml.in/yaml/v3"

	"github.com/eksdoctor/eksdoctor/analysis"
)

// policySet is what an IAM document holds: its policy documents and the
// roles they belong to.
type policySet struct {
	Policies []*Policy
	Roles    []*PolicyRole
}

// iamPoliciesKey keeps what policiesOf builds, once for each document.
var iamPoliciesKey = analysis.NewKey[policySet]("iam-policies")

// policiesOf returns the policies and roles of an iam-trust-policy or
// iam-policy document, read once and shared by every rule: a bare policy,
// `aws iam get-role`, `get-policy-version`, `get-role-policy` and
// `list-attached-role-policies` output, and CloudFormation templates
// (YAML or JSON, with policy documents as objects or as JSON strings).
func policiesOf(p *analysis.Pass, doc *analysis.Document) policySet {
	return analysis.Memo(doc, iamPoliciesKey, func() policySet {
		var set policySet
		if doc.Kind == analysis.KindTerraform {
			if readTerraformPolicies != nil {
				set = readTerraformPolicies(p, doc)
			}
			return set
		}
		var at analysis.TextMap = analysis.WholeText{Src: p.Src}
		root := p.NodeOf(doc)
		if doc.Format == analysis.FormatJSON && strings.ContainsAny(doc.Text, smartQuotes) {
			// Read a policy pasted with typographic quotes as IAM will once
			// IAM001 straightens them: same offsets, straight quotes.
			straight := analysis.NewSource(p.Src.Text[:doc.Start] + straightenQuotes(doc.Text) + p.Src.Text[doc.End:])
			root, _ = straight.ParseYAML(doc.Start, doc.End)
			at = straightText{p.Src, straight}
		}
		if root == nil || root.Kind != yaml.MappingNode {
			return set
		}
		trust := doc.Kind == analysis.KindTrustPolicy
		switch {
		case analysis.Lookup(root, "Statement") != nil:
			set.add(policyFromNode(at, root, trust))
		case analysis.Lookup(root, "Role", "AssumeRolePolicyDocument") != nil:
			role := &PolicyRole{Name: analysis.ScalarValue(root, "Role", "RoleName")}
			role.Start, role.End = nodeSpan(at, analysis.Lookup(root, "Role"))
			if arn := analysis.Lookup(root, "Role", "Arn"); arn != nil && arn.Kind == yaml.ScalarNode {
				role.ARN = scalarPtr(at, arn)
			}
			role.Trust = set.addIn(at, analysis.Lookup(root, "Role", "AssumeRolePolicyDocument"), true, "trust policy of role "+role.Name, role)
			set.Roles = append(set.Roles, role)
		case analysis.Lookup(root, "PolicyVersion", "Document") != nil:
			set.addIn(at, analysis.Lookup(root, "PolicyVersion", "Document"), false, "", nil)
		case analysis.Lookup(root, "PolicyDocument") != nil:
			set.addIn(at, analysis.Lookup(root, "PolicyDocument"), false, titleWith("policy", analysis.ScalarValue(root, "PolicyName")), nil)
		case analysis.Lookup(root, "AttachedPolicies") != nil:
			list := analysis.Lookup(root, "AttachedPolicies")
			role := &PolicyRole{}
			role.Start, role.End = nodeSpan(at, list)
			for _, item := range list.Content {
				if arn := analysis.Lookup(item, "PolicyArn"); arn != nil && arn.Kind == yaml.ScalarNode {
					role.ManagedPolicies = append(role.ManagedPolicies, policyScalar(at, arn))
				}
			}
			set.Roles = append(set.Roles, role)
		case analysis.Lookup(root, "Resources") != nil:
			set.cloudFormation(p.Src, analysis.Lookup(root, "Resources"))
		case analysis.Lookup(root, "Effect") != nil:
			// one statement, copied out of its policy
			pol := &Policy{Trust: trust, Name: "statement"}
			pol.Start, pol.End = nodeSpan(at, root)
			pol.Statements = []*Statement{statementFromNode(at, root, 0)}
			set.add(pol)
		case IsConditionBlock(root):
			// a Condition block, or its operator's keys, copied alone: read as
			// a statement of which nothing else is known, and not edited
			pol := &Policy{Trust: trust, Name: "condition"}
			pol.Start, pol.End = nodeSpan(at, root)
			st := &Statement{Start: pol.Start, End: pol.End}
			if c := analysis.Lookup(root, "Condition"); c != nil {
				st.Conditions = conditionsFrom(at, c)
			} else if isOperatorBlock(root) {
				st.Conditions = conditionsFrom(at, root)
			} else {
				st.Conditions = keyConditions(at, root)
			}
			pol.Statements = []*Statement{st}
			set.add(pol)
		}
		return set
	})
}

// IsConditionBlock reports whether a mapping is a policy's Condition
// element copied out of its statement: a Condition key alone, operators
// (StringEquals, StringLike…) with their keys, or the keys of one
// operator, web identity claims such as
// oidc.eks.REGION.amazonaws.com/id/ID:sub.
func IsConditionBlock(n *yaml.Node) bool {
	n = analysis.Resolve(n)
	if n == nil || n.Kind != yaml.MappingNode || len(n.Content) == 0 {
		return false
	}
	if len(n.Content) == 2 && n.Content[0].Value == "Condition" {
		return true
	}
	return isOperatorBlock(n) || slices.ContainsFunc(mappingKeys(n), isClaimKey)
}

// isOperatorBlock reports whether every key of a mapping is a condition
// operator.
func isOperatorBlock(n *yaml.Node) bool {
	return !slices.ContainsFunc(mappingKeys(n), func(k string) bool {
		_, ok := ParseOperator(k)
		return !ok
	})
}

// isClaimKey reports whether a key names a claim of a web identity token:
// ISSUER:sub, ISSUER:aud, ISSUER:amr.
func isClaimKey(k string) bool {
	return strings.Contains(k, "/") && (strings.HasSuffix(k, ":sub") || strings.HasSuffix(k, ":aud") || strings.HasSuffix(k, ":amr"))
}

func mappingKeys(n *yaml.Node) []string {
	var keys []string
	for i := 0; i+1 < len(n.Content); i += 2 {
		keys = append(keys, n.Content[i].Value)
	}
	return keys
}

// keyConditions reads condition keys written without their operator: the
// operator is unknown, and its scalar empty.
func keyConditions(at analysis.TextMap, n *yaml.Node) []*Condition {
	var out []*Condition
	for i := 0; i+1 < len(n.Content); i += 2 {
		out = append(out, &Condition{Key: policyScalar(at, n.Content[i]), Values: policyScalars(at, analysis.Resolve(n.Content[i+1]))})
	}
	return out
}

// titleWith names a thing, adding a name when there is one.
func titleWith(base, name string) string {
	if name == "" {
		return base
	}
	return base + " " + name
}

func (set *policySet) add(pol *Policy) *Policy {
	if pol != nil {
		set.Policies = append(set.Policies, pol)
	}
	return pol
}

// addIn adds the policy document at n: a mapping, or a string holding
// JSON (a CloudFormation !Sub block or a JSON string value).
func (set *policySet) addIn(at analysis.TextMap, n *yaml.Node, trust bool, name string, role *PolicyRole) *Policy {
	n = analysis.Resolve(n)
	if n == nil {
		return nil
	}
	if n.Kind == yaml.ScalarNode {
		_, whole := at.(analysis.WholeText)
		e, ok := at.Source().EmbeddedScalar(n)
		if !whole || !ok {
			return nil
		}
		root, err := analysis.UnmarshalYAML(e.Value)
		if err != nil {
			return nil
		}
		at, n = e, root
	}
	pol := policyFromNode(at, n, trust)
	if pol == nil {
		return nil
	}
	pol.Name, pol.Role = name, role
	if role != nil && !trust {
		role.Inline = append(role.Inline, pol)
	}
	return set.add(pol)
}

// cloudFormation reads the IAM resources of a template: roles with their
// trust policy, inline policies and managed policy ARNs, and policies
// attached to roles of the same template.
func (set *policySet) cloudFormation(src *analysis.Source, resources *yaml.Node) {
	at := analysis.WholeText{Src: src}
	roles := map[string]*PolicyRole{}
	type attachment struct {
		policy *yaml.Node
		name   string
		roles  *yaml.Node
	}
	var attached []attachment
	for i := 0; i+1 < len(resources.Content); i += 2 {
		id, res := resources.Content[i], analysis.Resolve(resources.Content[i+1])
		props := analysis.Lookup(res, "Properties")
		switch typ := analysis.ScalarValue(res, "Type"); {
		case typ == "AWS::IAM::Role":
			role := &PolicyRole{Name: id.Value}
			if name := analysis.Lookup(props, "RoleName"); name != nil && name.Kind == yaml.ScalarNode && name.Tag == "!!str" && !templated(name.Value) {
				role.Name = name.Value
			}
			role.Start, role.End = nodeSpan(at, id)
			roles[id.Value] = role
			set.Roles = append(set.Roles, role)
			role.Trust = set.addIn(at, analysis.Lookup(props, "AssumeRolePolicyDocument"), true, "AssumeRolePolicyDocument of "+id.Value, role)
			if inline := analysis.Lookup(props, "Policies"); inline != nil && inline.Kind == yaml.SequenceNode {
				for _, item := range inline.Content {
					set.addIn(at, analysis.Lookup(item, "PolicyDocument"), false, titleWith("policy", analysis.ScalarValue(item, "PolicyName"))+" of "+id.Value, role)
				}
			}
			if managed := analysis.Lookup(props, "ManagedPolicyArns"); managed != nil {
				role.ManagedPolicies = policyScalars(at, managed)
				role.Start, role.End = nodeSpan(at, managed)
			}
		case strings.HasPrefix(typ, "AWS::IAM::") && strings.HasSuffix(typ, "Policy"):
			attached = append(attached, attachment{analysis.Lookup(props, "PolicyDocument"), id.Value, analysis.Lookup(props, "Roles")})
		}
	}
	for _, a := range attached {
		var role *PolicyRole
		if a.roles != nil && a.roles.Kind == yaml.SequenceNode && len(a.roles.Content) == 1 {
			role = roles[refName(analysis.Resolve(a.roles.Content[0]))]
		}
		set.addIn(at, a.policy, false, a.name, role)
	}
}

// refName returns the logical ID a !Ref (or {"Ref": ...}) names.
func refName(n *yaml.Node) string {
	switch {
	case n == nil:
		return ""
	case n.Kind == yaml.ScalarNode && n.Tag == "!Ref":
		return n.Value
	}
	return analysis.ScalarValue(n, "Ref")
}
