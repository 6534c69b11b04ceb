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

// terraformAuthModel reads the aws-auth ConfigMaps a Terraform document
// writes with the kubernetes provider: each section of data given as a
// heredoc is read as the authenticator reads it, at its place in the
// text, so the aws-auth rules check it and their fixes edit the heredoc.
// Sections computed from expressions (yamlencode of a variable) are not
// read.
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
		if name := tf.Eval(attrExpr(nestedPath(b.Body, "metadata"), "name"), nil); name.Str != "aws-auth" {
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
			key := hcl.ExprAsKeyword(item.KeyExpr)
			if key == "" {
				key = tf.Eval(item.KeyExpr, nil).Str
			}
			m.readHeredocSection(p.Src, key, item.ValueExpr)
		}
	}
	m.resolveShadowing()
	return m
}

// readHeredocSection reads the section key of a ConfigMap's data when its
// value is a heredoc.
func (m *authModel) readHeredocSection(src *analysis.Source, key string, value hclsyntax.Expression) {
	i := slices.IndexFunc([]string{"mapRoles", "mapUsers", "mapAccounts"}, func(name string) bool { return normKey(key) == strings.ToLower(name) })
	r := value.Range()
	if i < 0 || r.Start.Byte >= r.End.Byte || !strings.HasPrefix(src.Text[r.Start.Byte:], "<<") {
		return
	}
	e, ok := src.EmbeddedHeredoc(src.LineOf(r.Start.Byte), src.LineOf(r.End.Byte-1))
	if !ok {
		return
	}
	name := []string{"mapRoles", "mapUsers", "mapAccounts"}[i]
	if name == "mapAccounts" {
		var root yaml.Node
		if yaml.Unmarshal([]byte(e.Value), &root) == nil {
			m.readAccountList(e, analysis.Resolve(&root))
		}
		return
	}
	s := authSection{Name: name, Value: &yaml.Node{Kind: yaml.ScalarNode, Style: yaml.LiteralStyle, Value: e.Value}}
	if key != name {
		s.Unread = "the key is spelt " + key + ", and the authenticator reads only " + name
	}
	m.readText(&s, len(m.Sections), e)
	m.Sections = append(m.Sections, s)
}
