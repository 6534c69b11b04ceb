package fixes

import (
	"strings"

	yaml "go.yaml.in/yaml/v3"

	"github.com/eksdoctor/eksdoctor/analysis"
)

// The policy model is one neutral form of an IAM policy document, whatever
// syntax it was written in: JSON, YAML (CloudFormation), JSON embedded in
// a YAML string, and (built by the Terraform family) jsonencode(...),
// heredocs and aws_iam_policy_document blocks. Every value keeps its byte
// span in the whole text, so the IAM, IRSA and PODID rules report and fix
// the text they read, and the trust simulator names what decided.

// Policy is one IAM policy document.
type Policy struct {
	// Name says where the document is, e.g. "AssumeRolePolicyDocument of
	// KarpenterNodeRole"; "" for a policy pasted on its own.
	Name string
	// Trust is true for a role's trust policy (who may assume the role).
	Trust bool
	// Role is the role the document belongs to, when the text says.
	Role *PolicyRole
	// Statements in document order.
	Statements []*Statement
	// Start and End are the document's byte range in the whole text.
	Start, End int
}

// PolicyRole is an IAM role described next to its policies: an
// AWS::IAM::Role, or the Role of `aws iam get-role` output.
type PolicyRole struct {
	// Name is the role's name or logical ID.
	Name string
	// ARN is the role's ARN, when the text gives it.
	ARN *analysis.Scalar
	// Ref is the Terraform address of a role declared in Terraform
	// (aws_iam_role.lbc, module.lbc_irsa), which references to its ARN
	// start with.
	Ref string
	// Trust is the role's trust policy.
	Trust *Policy
	// Inline are its inline identity policies.
	Inline []*Policy
	// ManagedPolicies are the ARNs of the managed policies attached to it.
	ManagedPolicies []analysis.Scalar
	// Start and End are where role-level findings point: the role's name or
	// the list of managed policies.
	Start, End int
}

// Statement is one statement of a policy.
type Statement struct {
	// Index is its position in the policy, from 0.
	Index int
	Sid   *analysis.Scalar
	// Effect is nil when the statement has none.
	Effect *analysis.Scalar
	// Principals are the principals of Principal (or NotPrincipal, then
	// NotPrincipal is true).
	Principals   []Principal
	NotPrincipal bool
	// Actions are the values of Action (or NotAction).
	Actions   []analysis.Scalar
	NotAction bool
	// Resources are the values of Resource (or NotResource); ResourceKey is
	// the key itself, nil when there is neither.
	Resources   []analysis.Scalar
	NotResource bool
	ResourceKey *analysis.Scalar
	// Conditions are every operator/key pair of Condition, in order.
	Conditions []*Condition
	// Start and End are the statement's byte range in the whole text.
	Start, End int
	// Editor makes structural edits of the statement in its own syntax; nil
	// when the syntax offers none, and then rules offer no such fix.
	Editor StatementEditor
}

// Principal is one principal type of a statement with its values. A
// Principal written as the bare string "*" has Type "*".
type Principal struct {
	Type string
	// Key is the type's key in the text; nil for the bare "*".
	Key    *analysis.Scalar
	Values []analysis.Scalar
}

// Condition is one condition key under one operator.
type Condition struct {
	// Operator is the operator as written, e.g. "StringEquals".
	Operator analysis.Scalar
	// Key is the condition key as written.
	Key analysis.Scalar
	// Values are the key's values (ORed).
	Values []analysis.Scalar
	// Shadowed marks an operator or key written again later in the same
	// object: JSON decoders, IAM's and Terraform's among them, keep only
	// the last one, so this one has no effect.
	Shadowed bool
}

// Span returns where a finding about the condition's test points: its
// value when it has one, else its key.
func (c *Condition) Span() (start, end int) {
	if len(c.Values) == 1 {
		return c.Values[0].Start, c.Values[0].End
	}
	return c.Key.Start, c.Key.End
}

// StatementEditor makes structural edits of one statement, keeping the
// formatting of the text around them.
type StatementEditor interface {
	// AddAction adds an action to the statement's Action.
	AddAction(action string) ([]analysis.Edit, bool)
	// SetActions makes the statement's Action the list actions, at least
	// as long as the current one.
	SetActions(actions []string) ([]analysis.Edit, bool)
	// AddCondition adds key: value under operator, creating the operator
	// block or the Condition element when they are missing.
	AddCondition(operator, key, value string) (analysis.Edit, bool)
}

// Allows reports whether the statement's effect is Allow.
func (s *Statement) Allows() bool { return s.Effect != nil && s.Effect.Value == "Allow" }

// Denies reports whether the statement's effect is Deny.
func (s *Statement) Denies() bool { return s.Effect != nil && s.Effect.Value == "Deny" }

// PrincipalsOf returns the values of the statement's principals of type
// typ ("Federated", "Service", "AWS").
func (s *Statement) PrincipalsOf(typ string) []analysis.Scalar {
	var out []analysis.Scalar
	for _, p := range s.Principals {
		if p.Type == typ {
			out = append(out, p.Values...)
		}
	}
	return out
}

// ActiveConditions returns the conditions that take effect: all but the
// shadowed ones.
func (s *Statement) ActiveConditions() []*Condition {
	var out []*Condition
	for _, c := range s.Conditions {
		if !c.Shadowed {
			out = append(out, c)
		}
	}
	return out
}

// editable reports whether a fix may replace the scalar's text: it is not
// a CloudFormation intrinsic (!Sub, !GetAtt) nor a template value.
func editable(s analysis.Scalar) bool {
	return s.At != nil && (s.Node == nil || s.Node.Tag == "" || strings.HasPrefix(s.Node.Tag, "!!")) && !templated(s.Value)
}

// NewTextScalar returns a scalar for text the caller parsed itself (the
// Terraform family's HCL): value is written at [start, end) of src and a
// replacement is spliced in as is.
func NewTextScalar(src *analysis.Source, value string, start, end int) analysis.Scalar {
	return analysis.Scalar{Value: value, Start: start, End: end, At: analysis.WholeText{Src: src}, AtStart: start, AtEnd: end}
}

// policyFromNode reads the policy document at n, a mapping with a
// Statement, living in at.
func policyFromNode(at analysis.TextMap, n *yaml.Node, trust bool) *Policy {
	n = analysis.Resolve(n)
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	start, end := nodeSpan(at, n)
	pol := &Policy{Trust: trust, Start: start, End: end}
	_, st := analysis.MapEntry(n, "Statement")
	var items []*yaml.Node
	switch {
	case st == nil:
	case st.Kind == yaml.SequenceNode:
		items = st.Content
	case st.Kind == yaml.MappingNode:
		items = []*yaml.Node{st}
	}
	for _, item := range items {
		if item = analysis.Resolve(item); item != nil && item.Kind == yaml.MappingNode {
			pol.Statements = append(pol.Statements, statementFromNode(at, item, len(pol.Statements)))
		}
	}
	return pol
}

// statementFromNode reads one statement mapping.
func statementFromNode(at analysis.TextMap, n *yaml.Node, index int) *Statement {
	s := &Statement{Index: index, Editor: nodeEditor{at, n}}
	s.Start, s.End = nodeSpan(at, n)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], analysis.Resolve(n.Content[i+1])
		if v == nil {
			continue
		}
		switch k.Value {
		case "Sid":
			s.Sid = scalarPtr(at, v)
		case "Effect":
			s.Effect = scalarPtr(at, v)
		case "Principal", "NotPrincipal":
			s.Principals, s.NotPrincipal = principalsFrom(at, v), k.Value == "NotPrincipal"
		case "Action", "NotAction":
			s.Actions, s.NotAction = policyScalars(at, v), k.Value == "NotAction"
		case "Resource", "NotResource":
			key := policyScalar(at, k)
			s.Resources, s.NotResource, s.ResourceKey = policyScalars(at, v), k.Value == "NotResource", &key
		case "Condition":
			s.Conditions = conditionsFrom(at, v)
		}
	}
	return s
}

func principalsFrom(at analysis.TextMap, v *yaml.Node) []Principal {
	if v.Kind == yaml.ScalarNode {
		return []Principal{{Type: "*", Values: []analysis.Scalar{policyScalar(at, v)}}}
	}
	if v.Kind != yaml.MappingNode {
		return nil
	}
	var out []Principal
	for i := 0; i+1 < len(v.Content); i += 2 {
		key := policyScalar(at, v.Content[i])
		out = append(out, Principal{Type: key.Value, Key: &key, Values: policyScalars(at, analysis.Resolve(v.Content[i+1]))})
	}
	return out
}

// conditionsFrom reads a Condition element: operators, each a mapping of
// keys to values. Earlier duplicates of an operator, or of a key within an
// operator, are marked shadowed.
func conditionsFrom(at analysis.TextMap, v *yaml.Node) []*Condition {
	if v.Kind != yaml.MappingNode {
		return nil
	}
	var out []*Condition
	lastOp := map[string]int{}
	for i := 0; i+1 < len(v.Content); i += 2 {
		lastOp[v.Content[i].Value] = i
	}
	for i := 0; i+1 < len(v.Content); i += 2 {
		op, block := policyScalar(at, v.Content[i]), analysis.Resolve(v.Content[i+1])
		if block == nil || block.Kind != yaml.MappingNode {
			continue
		}
		lastKey := map[string]int{}
		for j := 0; j+1 < len(block.Content); j += 2 {
			lastKey[strings.ToLower(block.Content[j].Value)] = j
		}
		for j := 0; j+1 < len(block.Content); j += 2 {
			out = append(out, &Condition{
				Operator: op, Key: policyScalar(at, block.Content[j]),
				Values:   policyScalars(at, analysis.Resolve(block.Content[j+1])),
				Shadowed: lastOp[op.Value] != i || lastKey[strings.ToLower(block.Content[j].Value)] != j,
			})
		}
	}
	return out
}

// policyScalars returns the scalar values of a value that may be one
// scalar or a list of them. A CloudFormation {"Fn::Sub": "..."} stands for
// its string.
func policyScalars(at analysis.TextMap, v *yaml.Node) []analysis.Scalar {
	switch {
	case v == nil:
		return nil
	case v.Kind == yaml.ScalarNode:
		return []analysis.Scalar{policyScalar(at, v)}
	case v.Kind == yaml.SequenceNode:
		var out []analysis.Scalar
		for _, item := range v.Content {
			out = append(out, policyScalars(at, analysis.Resolve(item))...)
		}
		return out
	case v.Kind == yaml.MappingNode && len(v.Content) == 2 && v.Content[0].Value == "Fn::Sub":
		if s := analysis.Resolve(v.Content[1]); s != nil && s.Kind == yaml.ScalarNode {
			sc := policyScalar(at, s)
			sc.At = nil // an intrinsic's argument is not the value itself
			return []analysis.Scalar{sc}
		}
	}
	return nil
}

func scalarPtr(at analysis.TextMap, v *yaml.Node) *analysis.Scalar {
	if v.Kind != yaml.ScalarNode {
		return nil
	}
	s := policyScalar(at, v)
	return &s
}

// policyScalar locates a scalar.
func policyScalar(at analysis.TextMap, n *yaml.Node) analysis.Scalar { return analysis.Locate(at, n) }
