//go:build !noterraform

package fixes

import (
	"fmt"
	"path"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/eksdoctor/eksdoctor/analysis"
)

// The Terraform family reads the terraform documents of a paste as one
// module: every resource, data source, module call, variable and local,
// whichever document (markdown fence, file) it came from, so references
// across them resolve. Each document is parsed once with hclsyntax, whose
// byte ranges are offsets in the whole text; fixes are byte-range edits
// at those offsets, as hclwrite does, so comments and layout survive.

// readTerraformPolicies, readTerraformAccess, readTerraformAuth and
// readTerraformServiceAccounts plug the family's readers into the IAM,
// IRSA, PODID, access-entry and aws-auth rules, which then check the
// policies, access entries, aws-auth ConfigMaps and ServiceAccounts
// written in Terraform as well.
var (
	readTerraformPolicies        = terraformPolicySet
	readTerraformAccess          = terraformAccessModel
	readTerraformAuth            = terraformAuthModel
	readTerraformServiceAccounts = terraformServiceAccounts
)

// tfBlock is a top-level block of a terraform document.
type tfBlock struct {
	*hclsyntax.Block
	// Addr is how other blocks refer to it: "aws_iam_role.node",
	// "data.aws_iam_policy_document.assume", "module.eks", "var.region".
	Addr string
}

// tfModule is what the terraform documents of a paste declare.
type tfModule struct {
	Blocks []*tfBlock
	// Inputs are EKS module inputs pasted without their module block
	// (access_entries = {…}, map_roles = […]), one block of them for each
	// document. Only the readers of those inputs see them, not the rules
	// about a module call's other settings.
	Inputs []*tfBlock
	byAddr map[string]*tfBlock
	locals map[string]*hclsyntax.Attribute
	// localValues holds each local's value once evaluated; a local being
	// evaluated is there as unknown, so a cycle ends.
	localValues map[string]tfValue
	src         *analysis.Source
}

// tfMaxParse bounds the terraform documents the family reads: hclsyntax
// allocates a few hundred bytes per byte of input for its tokens, and a
// pasted configuration is far smaller.
const tfMaxParse = 256 << 10

// hclKey keeps what tfFileOf builds, once for each document.
var hclKey = analysis.NewKey[*hclsyntax.Body]("hcl")

// tfFileOf parses a terraform document once. Its ranges are offsets in
// the whole text. A document that does not fully parse keeps the blocks
// hclsyntax recovered whole; one larger than tfMaxParse is not read.
func tfFileOf(p *analysis.Pass, doc *analysis.Document) *hclsyntax.Body {
	return analysis.Memo(doc, hclKey, func() *hclsyntax.Body {
		if len(doc.Text) > tfMaxParse {
			p.Suggest("Paste less Terraform", fmt.Sprintf("A Terraform document of %d KiB is more than eksdoctor reads (%d KiB); "+
				"paste the files that declare the cluster, node groups, roles and access entries.", len(doc.Text)>>10, tfMaxParse>>10))
			return nil
		}
		return parseBody(p.Src, doc.Start, doc.End, maxCutOff)
	})
}

// maxCutOff bounds how many blocks, one inside the other, parseBody
// reads when the text stops inside them: each is parsed again.
const maxCutOff = 4

// parseBody parses the text [start, end) as a Terraform body. When it
// does not fully parse, the body keeps the blocks hclsyntax recovered
// whole and, when the text stops inside a block (a paste cut off, as plans
// quoted in issues often are), that block read up to the end, for at most
// depth blocks one inside the other.
func parseBody(src *analysis.Source, start, end, depth int) *hclsyntax.Body {
	file, diags := hclsyntax.ParseConfig([]byte(src.Text[start:end]), "main.tf", hclPos(src, start))
	body, _ := file.Body.(*hclsyntax.Body)
	if body != nil && diags.HasErrors() {
		body.Blocks = wholeBlocks(body.Blocks, src.Text)
		if b := cutOffBlock(src, end, diags, depth); b != nil {
			body.Blocks = append(body.Blocks, b)
		}
	}
	return body
}

// hclPos returns the hcl position of offset off.
func hclPos(src *analysis.Source, off int) hcl.Pos {
	line, col := src.Position(off)
	return hcl.Pos{Line: line, Column: col, Byte: off}
}

// cutOffBlock reads the outermost block that the text before end leaves
// open: its header, and its body up to end parsed as a body of its own;
// its range ends where the text does. It is nil when there is none, it
// does not read, or depth is spent.
func cutOffBlock(src *analysis.Source, end int, diags hcl.Diagnostics, depth int) *hclsyntax.Block {
	brace := -1
	for _, d := range diags {
		if d.Summary == "Unclosed configuration block" && d.Subject != nil && (brace < 0 || d.Subject.Start.Byte < brace) {
			brace = d.Subject.Start.Byte
		}
	}
	if depth == 0 || brace < 0 || brace >= end || src.Text[brace] != '{' {
		return nil
	}
	line := src.LineOf(brace)
	start := src.LineStart(line) + analysis.IndentOf(src.Line(line))
	header, headerDiags := hclsyntax.ParseConfig([]byte(src.Text[start:brace+1]+"}"), "main.tf", hclPos(src, start))
	hb, _ := header.Body.(*hclsyntax.Body)
	if headerDiags.HasErrors() || hb == nil || len(hb.Blocks) != 1 {
		return nil
	}
	b := hb.Blocks[0]
	b.Body = parseBody(src, brace+1, end, depth-1)
	if b.Body == nil {
		return nil
	}
	at := hcl.Range{Filename: "main.tf", Start: hclPos(src, end), End: hclPos(src, end)}
	b.Body.SrcRange, b.Body.EndRange, b.CloseBraceRange = hcl.RangeBetween(b.OpenBraceRange, at), at, at
	return b
}

// wholeBlocks returns, of the blocks hclsyntax recovered from a document
// with syntax errors, those whose own text parses without error, as parsed
// so. Recovering, hclsyntax can leave a block without its closing tokens
// (a list whose range ends inside its last element, a call whose range
// ends before it starts) and it reports only the first error; the rules
// slice the text by these ranges.
func wholeBlocks(blocks []*hclsyntax.Block, text string) []*hclsyntax.Block {
	var out []*hclsyntax.Block
	for _, b := range blocks {
		r := b.Range()
		if r.Start.Byte < 0 || r.Start.Byte > r.End.Byte || r.End.Byte > len(text) {
			continue
		}
		file, diags := hclsyntax.ParseConfig([]byte(text[r.Start.Byte:r.End.Byte]), "main.tf", r.Start)
		if body, ok := file.Body.(*hclsyntax.Body); ok && !diags.HasErrors() && len(body.Blocks) == 1 {
			out = append(out, body.Blocks[0])
		}
	}
	return out
}

// terraformModuleKey keeps what terraformOf builds, once for the whole input.
var terraformModuleKey = analysis.NewKey[*tfModule]("terraform-module")

// terraformOf returns the module the paste's terraform documents declare,
// built once and shared by every Terraform rule.
func terraformOf(p *analysis.Pass) *tfModule {
	docs := p.OfKind(analysis.KindTerraform)
	if len(docs) == 0 {
		return newTFModule(p.Src)
	}
	return analysis.MemoInput(p.Input, terraformModuleKey, func() *tfModule {
		m := newTFModule(p.Src)
		for _, doc := range docs {
			body := tfFileOf(p, doc)
			if body == nil {
				continue
			}
			for _, b := range body.Blocks {
				m.add(b)
			}
			if inputs := moduleInputs(body); inputs != nil {
				m.Inputs = append(m.Inputs, inputs)
			}
		}
		return m
	})
}

// moduleInputs returns the top-level attributes of a document that are
// EKS module inputs, as a block of their own, or nil.
func moduleInputs(body *hclsyntax.Body) *tfBlock {
	attrs := hclsyntax.Attributes{}
	var first *hclsyntax.Attribute
	for _, a := range sortedAttrs(body) {
		if slices.Contains(EKSModuleInputs, a.Name) {
			attrs[a.Name] = a
			if first == nil {
				first = a
			}
		}
	}
	if first == nil {
		return nil
	}
	return &tfBlock{Block: &hclsyntax.Block{Type: "module", Body: &hclsyntax.Body{Attributes: attrs, SrcRange: body.SrcRange, EndRange: body.EndRange},
		TypeRange: first.NameRange, LabelRanges: []hcl.Range{first.NameRange}}}
}

// eksInputBlocks returns the blocks that set EKS module inputs: the
// calls of the module and of its aws-auth submodule, and inputs pasted
// alone.
func (m *tfModule) eksInputBlocks() []*tfBlock {
	return append(m.Modules(eksModule, awsAuthModule), m.Inputs...)
}

func newTFModule(src *analysis.Source) *tfModule {
	return &tfModule{byAddr: map[string]*tfBlock{}, locals: map[string]*hclsyntax.Attribute{}, localValues: map[string]tfValue{}, src: src}
}

// add records a top-level block under its address; the first of two
// blocks with one address wins.
func (m *tfModule) add(b *hclsyntax.Block) {
	var addr string
	switch {
	case b.Type == "resource" && len(b.Labels) == 2:
		addr = b.Labels[0] + "." + b.Labels[1]
	case b.Type == "data" && len(b.Labels) == 2:
		addr = "data." + b.Labels[0] + "." + b.Labels[1]
	case (b.Type == "module" || b.Type == "variable") && len(b.Labels) == 1:
		addr = map[string]string{"module": "module.", "variable": "var."}[b.Type] + b.Labels[0]
	case b.Type == "locals":
		for _, a := range sortedAttrs(b.Body) {
			if _, ok := m.locals[a.Name]; !ok {
				m.locals[a.Name] = a
			}
		}
	}
	tb := &tfBlock{Block: b, Addr: addr}
	m.Blocks = append(m.Blocks, tb)
	if _, taken := m.byAddr[addr]; addr != "" && !taken {
		m.byAddr[addr] = tb
	}
}

// Resources returns the resources of a type, in text order.
func (m *tfModule) Resources(typ string) []*tfBlock {
	var out []*tfBlock
	for _, b := range m.Blocks {
		if b.Type == "resource" && len(b.Labels) == 2 && b.Labels[0] == typ {
			out = append(out, b)
		}
	}
	return out
}

// Modules returns the module calls whose source is one of the registry
// modules named, e.g. "terraform-aws-modules/eks/aws", with or without a
// //submodule path (matched by its last element).
func (m *tfModule) Modules(sources ...string) []*tfBlock {
	var out []*tfBlock
	for _, b := range m.Blocks {
		if b.Type != "module" || len(b.Labels) != 1 {
			continue
		}
		src := m.Eval(attrExpr(b.Body, "source"), nil).Str
		if slices.ContainsFunc(sources, func(s string) bool { return moduleSourceIs(src, s) }) {
			out = append(out, b)
		}
	}
	return out
}

// moduleSourceIs reports whether a module source names want: a registry
// address ("terraform-aws-modules/eks/aws", optionally "//modules/x"),
// matched also in its GitHub form.
func moduleSourceIs(src, want string) bool {
	src = strings.TrimPrefix(strings.TrimPrefix(src, "git::"), "https://")
	src, _, _ = strings.Cut(src, "?ref=")
	wantBase, wantSub, _ := strings.Cut(want, "//")
	if strings.HasPrefix(src, "./") || strings.HasPrefix(src, "../") {
		// a local copy of a submodule, as the module's own examples use
		return wantSub != "" && path.Base(src) == path.Base(wantSub)
	}
	srcBase, srcSub, _ := strings.Cut(src, "//")
	if srcSub != wantSub {
		return false
	}
	if srcBase == wantBase {
		return true
	}
	// terraform-aws-modules/eks/aws is github.com/terraform-aws-modules/terraform-aws-eks
	parts := strings.Split(wantBase, "/")
	return len(parts) == 3 && strings.TrimSuffix(srcBase, ".git") == "github.com/"+parts[0]+"/terraform-"+parts[2]+"-"+parts[1]
}

// HasEKS reports whether the paste declares anything of EKS: a cluster,
// node group, access entry or add-on, or the EKS module.
func (m *tfModule) HasEKS() bool {
	for _, b := range m.Blocks {
		if b.Type == "resource" && len(b.Labels) == 2 && strings.HasPrefix(b.Labels[0], "aws_eks_") {
			return true
		}
	}
	return len(m.Modules(eksModule)) > 0
}

// The terraform-aws-modules sources the family reads.
const (
	eksModule      = "terraform-aws-modules/eks/aws"
	awsAuthModule  = "terraform-aws-modules/eks/aws//modules/aws-auth"
	irsaModuleV5   = "terraform-aws-modules/iam/aws//modules/iam-role-for-service-accounts-eks"
	irsaModuleV6   = "terraform-aws-modules/iam/aws//modules/iam-role-for-service-accounts"
	podIDModule    = "terraform-aws-modules/eks-pod-identity/aws"
	oidcRoleModule = "terraform-aws-modules/iam/aws//modules/iam-assumable-role-with-oidc"
	// karpenterModule creates Karpenter's controller role: for IRSA
	// before v20, with a Pod Identity association from v20 when asked to.
	karpenterModule = "terraform-aws-modules/eks/aws//modules/karpenter"
	// blueprintsAddonModule is EKS Blueprints' module for one add-on:
	// its Helm release and its IRSA role.
	blueprintsAddonModule = "aws-ia/eks-blueprints-addon/aws"
)

// sortedAttrs returns a body's attributes in text order (hclsyntax keeps
// them in a map).
func sortedAttrs(body *hclsyntax.Body) []*hclsyntax.Attribute {
	if body == nil {
		return nil
	}
	out := make([]*hclsyntax.Attribute, 0, len(body.Attributes))
	for _, a := range body.Attributes {
		out = append(out, a)
	}
	slices.SortFunc(out, func(a, b *hclsyntax.Attribute) int { return a.SrcRange.Start.Byte - b.SrcRange.Start.Byte })
	return out
}

// attrExpr returns the expression of a body's attribute, or nil.
func attrExpr(body *hclsyntax.Body, name string) hclsyntax.Expression {
	if body == nil {
		return nil
	}
	if a := body.Attributes[name]; a != nil {
		return a.Expr
	}
	return nil
}

// nested returns a body's blocks of a type, in text order.
func nested(body *hclsyntax.Body, typ string) []*hclsyntax.Block {
	if body == nil {
		return nil
	}
	var out []*hclsyntax.Block
	for _, b := range body.Blocks {
		if b.Type == typ {
			out = append(out, b)
		}
	}
	return out
}

// dynamicBlock returns a body's `dynamic "typ"` block, or nil: its
// content is generated, so rules treat the block as present but unknown.
func dynamicBlock(body *hclsyntax.Body, typ string) *hclsyntax.Block {
	for _, b := range nested(body, "dynamic") {
		if len(b.Labels) == 1 && b.Labels[0] == typ {
			return b
		}
	}
	return nil
}

// nestedPath follows single nested blocks by type: nestedPath(body,
// "access_config") is the access_config block's body, or nil.
func nestedPath(body *hclsyntax.Body, types ...string) *hclsyntax.Body {
	for _, typ := range types {
		blocks := nested(body, typ)
		if len(blocks) == 0 {
			return nil
		}
		body = blocks[0].Body
	}
	return body
}

// Name names a resource or module for messages: `aws_iam_role.node`.
func (b *tfBlock) Name() string {
	if b.Addr != "" {
		return strings.TrimPrefix(b.Addr, "data.")
	}
	return b.Type
}

// NameSpan is where a finding about the whole block points: its last
// label, the resource or module name.
func (b *tfBlock) NameSpan() (start, end int) {
	if n := len(b.LabelRanges); n > 0 {
		return b.LabelRanges[n-1].Start.Byte, b.LabelRanges[n-1].End.Byte
	}
	return b.TypeRange.Start.Byte, b.TypeRange.End.Byte
}
