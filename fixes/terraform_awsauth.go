//go:build !noterraform

package fixes

import (
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	yaml "go.yaml.in/yaml/v3"

	"github.com/eksdoctor/eksdoctor/analysis"
)

// configMapResources are the Terraform kubernetes provider's resources
// that write a ConfigMap's data.
var configMapResources = []string{"kubernetes_config_map", "kubernetes_config_map_v1", "kubernetes_config_map_v1_data"}

// terraformAuthModel reads the aws-auth mappings a Terraform document
// writes: the data of kubernetes_config_map(_v1)(_data) "aws-auth"
// resources, a section as a heredoc or as yamlencode of a list, and the
// EKS module's map_roles/aws_auth_roles inputs (and their users and
// accounts), in a module call or pasted alone. Each is read as the
// authenticator reads it, at its place in the text, so the aws-auth rules
// check it; their fixes edit a heredoc in place, and a value written as
// a string in HCL.
func terraformAuthModel(p *analysis.Pass, doc *analysis.Document) authModel {
	m := authModel{Form: formTerraform}
	body := tfFileOf(p, doc)
	if body == nil {
		return m
	}
	tf := terraformOf(p)
	for _, b := range body.Blocks {
		if b.Type != "resource" || len(b.Labels) != 2 || !slices.Contains(configMapResources, b.Labels[0]) {
			continue
		}
		// the name, or the id a plan shows (namespace/name)
		if name, id := tf.Eval(attrExpr(nestedPath(b.Body, "metadata"), "name"), nil), tf.Eval(attrExpr(b.Body, "id"), nil); name.Str != "aws-auth" && id.Str != "kube-system/aws-auth" {
			continue
		}
		data, ok := b.Body.Attributes["data"]
		if !ok {
			continue
		}
		obj, ok := data.Expr.(*hclsyntax.ObjectConsExpr)
		if !ok {
			continue
		}
		for _, item := range obj.Items {
			key := tf.objectKey(item.KeyExpr, nil, 0)
			read := len(m.Sections)
			m.readDataSection(tf, key, item.ValueExpr)
			for i := read; i < len(m.Sections); i++ {
				r := item.KeyExpr.Range()
				m.Sections[i].KeySpan = [2]int{r.Start.Byte, r.End.Byte}
			}
		}
	}
	for _, mod := range analysis.MemoInput(p.Input, eksInputsKey, tf.eksInputBlocks) {
		if r := mod.Range(); r.Start.Byte < doc.Start || r.Start.Byte >= doc.End {
			continue
		}
		for _, a := range sortedAttrs(mod.Body) {
			if name, ok := moduleAuthInputs[a.Name]; ok {
				read := len(m.Sections)
				m.readValueSection(tf, name, "", tf.Eval(a.Expr, nil))
				for i := read; i < len(m.Sections); i++ {
					m.Sections[i].KeySpan, m.Sections[i].Merged = [2]int{a.NameRange.Start.Byte, a.NameRange.End.Byte}, true
				}
			}
		}
	}
	m.resolveShadowing()
	return m
}

// eksInputsKey keeps the blocks that set EKS module inputs, found once
// for the whole paste.
var eksInputsKey = analysis.NewKey[[]*tfBlock]("eks-inputs")

// moduleAuthInputs are the EKS module's aws-auth inputs (map_* before
// v18, aws_auth_* in v19 and the v20 aws-auth submodule) and the
// sections they fill.
var moduleAuthInputs = map[string]string{"map_roles": "mapRoles", "map_users": "mapUsers", "map_accounts": "mapAccounts",
	"aws_auth_roles": "mapRoles", "aws_auth_users": "mapUsers", "aws_auth_accounts": "mapAccounts"}

// readDataSection reads the section key of a ConfigMap's data: a heredoc
// as text, yamlencode(…) of a list as its value.
func (m *authModel) readDataSection(tf *tfModule, key string, value hclsyntax.Expression) {
	i := slices.IndexFunc(authSectionNames, func(name string) bool { return normKey(key) == strings.ToLower(name) })
	if i < 0 {
		return
	}
	name, unread := authSectionNames[i], ""
	if key != name {
		unread = "the key is spelt " + key + ", and the authenticator reads only " + name
	}
	if r := value.Range(); r.Start.Byte < r.End.Byte && strings.HasPrefix(tf.src.Text[r.Start.Byte:], "<<") {
		m.readHeredocSection(tf.src, name, unread, r)
	} else if call, ok := value.(*hclsyntax.FunctionCallExpr); ok && call.Name == "yamlencode" {
		m.readValueSection(tf, name, unread, tf.Eval(value, nil))
	}
}

// authSectionNames are the sections of aws-auth's data.
var authSectionNames = []string{"mapRoles", "mapUsers", "mapAccounts"}

// readHeredocSection reads a section written as a heredoc at r; unread
// says why the authenticator does not read it, or is "".
func (m *authModel) readHeredocSection(src *analysis.Source, name, unread string, r hcl.Range) {
	e, ok := src.EmbeddedHeredoc(src.LineOf(r.Start.Byte), src.LineOf(r.End.Byte-1))
	if !ok {
		return
	}
	if name == "mapAccounts" {
		if root, err := analysis.UnmarshalYAML(e.Value); err == nil {
			m.readAccountList(e, root)
		}
		return
	}
	s := authSection{Name: name, Value: &yaml.Node{Kind: yaml.ScalarNode, Style: yaml.LiteralStyle, Value: e.Value}, Unread: unread}
	m.readText(&s, len(m.Sections), e)
	m.Sections = append(m.Sections, s)
}

// readValueSection reads a section given as an HCL list (a module input,
// yamlencode of a list): its entries become YAML nodes placed where their
// values are written, read as the authenticator reads what Terraform
// encodes. Only values written as strings can be fixed.
func (m *authModel) readValueSection(tf *tfModule, name, unread string, v tfValue) {
	if v.Kind != tfTuple {
		return
	}
	b := hclNodes{tf: tf, at: hclValues{src: tf.src, spans: map[[2]int]bool{}}}
	list := b.node(v)
	if name == "mapAccounts" {
		m.readAccountList(b.at, list)
		return
	}
	s := authSection{Name: name, Value: list, Unread: unread}
	sec := len(m.Sections)
	m.readList(b.at, name, sec, list, decodeNodes(name, list))
	m.Sections = append(m.Sections, s)
}

// hclNodes turns statically evaluated HCL values into YAML nodes whose
// lines and columns are where the values are written.
type hclNodes struct {
	tf *tfModule
	at hclValues
}

// node returns the YAML node of v: objects and tuples in flow style (no
// fix may add YAML lines to HCL), strings known in full as quoted
// scalars, and anything else as a templated placeholder of its text.
func (b hclNodes) node(v tfValue) *yaml.Node {
	n := &yaml.Node{}
	if v.Expr != nil {
		n.Line, n.Column = b.tf.src.Position(v.Expr.Range().Start.Byte)
	}
	switch v.Kind {
	case tfObject:
		n.Kind, n.Style, n.Tag = yaml.MappingNode, yaml.FlowStyle, "!!map"
		for i, k := range v.Keys {
			key := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: k}
			if i < len(v.KeyRanges) && v.KeyRanges[i].Filename != "" {
				start, end := v.KeyRanges[i].Start.Byte, v.KeyRanges[i].End.Byte
				if strings.HasPrefix(b.tf.src.Text[start:end], `"`) {
					key.Style, start, end = yaml.DoubleQuotedStyle, start+1, end-1
				}
				key.Line, key.Column = b.tf.src.Position(v.KeyRanges[i].Start.Byte)
				b.at.spans[[2]int{start, end}] = true
			}
			n.Content = append(n.Content, key, b.node(v.Items[i]))
		}
	case tfTuple:
		n.Kind, n.Style, n.Tag = yaml.SequenceNode, yaml.FlowStyle, "!!seq"
		for _, item := range v.Items {
			n.Content = append(n.Content, b.node(item))
		}
	case tfString, tfNumber, tfBool:
		n.Kind, n.Tag = yaml.ScalarNode, map[tfKind]string{tfString: "!!str", tfNumber: "!!int", tfBool: "!!bool"}[v.Kind]
		if s := b.tf.scalar(v); s != nil {
			n.Value = s.Value
			if v.Kind == tfString {
				n.Style = yaml.DoubleQuotedStyle
				b.at.spans[[2]int{s.Start, s.End}] = true
			}
			break
		}
		n.Tag, n.Value = "!!str", b.placeholder(v)
	default:
		n.Kind, n.Tag, n.Value = yaml.ScalarNode, "!!str", b.placeholder(v)
	}
	return n
}

// placeholder stands for a value known only when Terraform runs, in a
// form the masking rules read as templated: a template as written
// ("arn:aws:iam::${local.account}:role/x"), any other expression inside
// ${…}.
func (b hclNodes) placeholder(v tfValue) string {
	if v.Expr == nil {
		return "${…}"
	}
	r := v.Expr.Range()
	text := b.tf.src.Text[r.Start.Byte:r.End.Byte]
	if inner, ok := strings.CutPrefix(text, `"`); ok && strings.Contains(text, "${") {
		return strings.TrimSuffix(inner, `"`)
	}
	return "${" + text + "}"
}

// hclValues is the TextMap of aws-auth entries written as HCL values:
// a value or key written as a string or identifier can be replaced (with
// HCL escapes); any other edit, which would write YAML into HCL, is out
// of range, so Apply refuses the fix that holds it.
type hclValues struct {
	src   *analysis.Source
	spans map[[2]int]bool
}

func (h hclValues) Source() *analysis.Source { return h.src }
func (h hclValues) Offset(i int) int         { return i }
func (h hclValues) Edit(s, e int, t string) analysis.Edit {
	if !h.spans[[2]int{s, e}] {
		return analysis.Replace(-1, -1, "")
	}
	return hclText{h.src}.Edit(s, e, t)
}
