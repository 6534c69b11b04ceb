package fixes

import (
	"strings"

	yaml "go.yaml.in/yaml/v3"
)

// The access-entry family checks EKS access entries over one neutral
// model, whatever they were written in: AWS CLI JSON (create, describe,
// list-access-entries, list-associated-access-policies, describe-cluster),
// eksctl accessConfig, CloudFormation AWS::EKS::AccessEntry, and, through
// the Terraform family's reader, aws_eks_access_entry blocks. A reader
// turns its source into an accessModel whose values are Scalars, so the
// checks point at the text and fix it in place.

// accessEntry is one access entry.
type accessEntry struct {
	// Source is where it is written: "aws-cli", "eksctl", "cloudformation"
	// or "terraform".
	Source string
	// Start and End locate the entry as a whole (its first key or its
	// principal), for findings about the whole entry.
	Start, End int
	// State marks an entry read back from EKS (describe or list output):
	// it exists, so the API accepted it, and only its effect is checked.
	State bool
	// PrincipalARN, Type and Username are nil when not written; Type nil
	// means STANDARD.
	PrincipalARN, Type, Username *Scalar
	Groups                       []Scalar
	Policies                     []accessPolicy
	// GroupsField, UsernameField and PoliciesField are where those
	// fields are written, nil when they are not.
	GroupsField, UsernameField, PoliciesField *accessField
}

// accessField is a field of an entry as written: the range of its key,
// and the edit that removes it (key, value and line), when one is safe.
type accessField struct {
	Start, End int
	Remove     *Edit
	// Indent is the column of its key, for fixes that add a sibling.
	Indent int
}

// accessPolicy is an access policy association of an entry.
type accessPolicy struct {
	PolicyARN, ScopeType *Scalar
	Namespaces           []Scalar
	// NamespacesField is where the namespaces are written, nil when not.
	NamespacesField *accessField
	Start, End      int
}

// accessConfig is a cluster's authentication settings.
type accessConfig struct {
	Mode, BootstrapAdmin *Scalar
	// Desired is true when the document asks for these settings (eksctl,
	// CloudFormation, Terraform) and false when it reports the cluster's
	// current ones (describe-cluster).
	Desired bool
}

// accessModel is what a document says about access entries.
type accessModel struct {
	Entries []accessEntry
	// Config is nil when the document says nothing about the mode.
	Config *accessConfig
	// Cluster and Region are "" unless the document names them.
	Cluster, Region string
}

// entryType returns the entry's type, STANDARD when none is written.
func (e accessEntry) entryType() string {
	if e.Type == nil {
		return "STANDARD"
	}
	return e.Type.Value
}

// isNodeType reports whether the entry is for nodes of a type that takes
// no groups, username or policies.
func (e accessEntry) isNodeType() bool {
	switch e.entryType() {
	case "EC2_LINUX", "EC2_WINDOWS", "FARGATE_LINUX", "HYBRID_LINUX", "HYPERPOD_LINUX":
		return true
	}
	return false
}

// accessEntryTypes are the types the EKS API accepts.
var accessEntryTypes = []string{"STANDARD", "EC2_LINUX", "EC2_WINDOWS", "FARGATE_LINUX", "HYBRID_LINUX", "EC2", "HYPERPOD_LINUX"}

// authModes are the authentication modes, in the only order a cluster can
// move through them.
var authModes = []string{"CONFIG_MAP", "API_AND_CONFIG_MAP", "API"}

// accessModelOf returns the access-entry model of a document, built once;
// documents of other kinds give an empty model. A reader for another
// kind (Terraform) adds its case here and its kind to accessEntryKinds.
func accessModelOf(p *Pass, doc *Document) accessModel {
	return Memo(doc, "access-entries", func() accessModel {
		switch doc.Kind {
		case KindAccessEntries:
			return readAccessModel(p.Src, p.NodeOf(doc))
		case KindTerraform:
			if readTerraformAccess != nil {
				return readTerraformAccess(p, doc)
			}
		}
		return accessModel{}
	})
}

// readTerraformAccess is the Terraform family's reader of the access
// entries, policy associations and access_config of a Terraform document,
// which every access-entry rule then checks. nil until that family sets
// it (never, in a build with the noterraform tag).
var readTerraformAccess func(p *Pass, doc *Document) accessModel

// entrySchema names an entry's fields in one source.
type entrySchema struct {
	source, principal, typ, username, groups, policies, policyARN, scope, scopeType, namespaces string
}

var (
	cliSchema    = entrySchema{"aws-cli", "principalArn", "type", "username", "kubernetesGroups", "associatedAccessPolicies", "policyArn", "accessScope", "type", "namespaces"}
	eksctlSchema = entrySchema{"eksctl", "principalARN", "type", "kubernetesUsername", "kubernetesGroups", "accessPolicies", "policyARN", "accessScope", "type", "namespaces"}
	cfnSchema    = entrySchema{"cloudformation", "PrincipalArn", "Type", "Username", "KubernetesGroups", "AccessPolicies", "PolicyArn", "AccessScope", "Type", "Namespaces"}
)

// readAccessModel reads every shape the classifier files as access
// entries.
func readAccessModel(src *Source, root *yaml.Node) accessModel {
	var m accessModel
	r := &accessReader{src: src}
	switch {
	case root == nil:
	case strings.HasPrefix(ScalarValue(root, "apiVersion"), "eksctl.io/"):
		m.Cluster, m.Region = ScalarValue(root, "metadata", "name"), ScalarValue(root, "metadata", "region")
		cfg := Lookup(root, "accessConfig")
		m.Config = r.config(cfg, "authenticationMode", "bootstrapClusterCreatorAdminPermissions", true)
		for _, item := range items(Lookup(cfg, "accessEntries")) {
			m.Entries = append(m.Entries, r.entry(item, eksctlSchema, false))
		}
	case Lookup(root, "Resources") != nil:
		r.cloudFormation(&m, Lookup(root, "Resources"))
	default:
		r.cli(&m, root)
	}
	return m
}

// items returns the items of a sequence node.
func items(n *yaml.Node) []*yaml.Node {
	if n = Resolve(n); n == nil || n.Kind != yaml.SequenceNode {
		return nil
	}
	var out []*yaml.Node
	for _, c := range n.Content {
		if c = Resolve(c); c != nil {
			out = append(out, c)
		}
	}
	return out
}

// accessReader reads nodes of the whole text into the model.
type accessReader struct{ src *Source }

// scalar locates the scalar at key in n, or returns nil.
func (r *accessReader) scalar(n *yaml.Node, key string) *Scalar {
	if v := Lookup(n, key); v != nil && v.Kind == yaml.ScalarNode && v.Tag != "!!null" {
		s := locate(wholeText{r.src}, v)
		return &s
	}
	return nil
}

// scalars locates the scalar items of the list at key in n.
func (r *accessReader) scalars(n *yaml.Node, key string) []Scalar {
	var out []Scalar
	for _, v := range items(Lookup(n, key)) {
		if v.Kind == yaml.ScalarNode {
			out = append(out, locate(wholeText{r.src}, v))
		}
	}
	return out
}

// field returns where key is written in mapping n, or nil.
func (r *accessReader) field(n *yaml.Node, key string) *accessField {
	k, v := MapEntry(n, key)
	if k == nil {
		return nil
	}
	start, end := r.src.ScalarSpan(k)
	f := &accessField{Start: start, End: end, Indent: k.Column - 1}
	if v != nil && n.Style&yaml.FlowStyle == 0 && r.src.Line(k.Line)[:k.Column-1] == strings.Repeat(" ", k.Column-1) {
		e := Delete(r.src.LineStart(k.Line), r.src.LineStart(lastLine(v, r.src)+1))
		f.Remove = &e
	}
	return f
}

// lastLine returns the last line a node's text reaches.
func lastLine(n *yaml.Node, src *Source) int {
	last := n.Line
	if n.Kind == yaml.ScalarNode {
		_, end := src.ScalarSpan(n)
		return src.LineOf(max(end-1, 0))
	}
	for _, c := range n.Content {
		last = max(last, lastLine(c, src))
	}
	return last
}

// entry reads one entry written with the field names of schema.
func (r *accessReader) entry(n *yaml.Node, s entrySchema, state bool) accessEntry {
	e := accessEntry{Source: s.source, State: state,
		PrincipalARN: r.scalar(n, s.principal), Type: r.scalar(n, s.typ), Username: r.scalar(n, s.username),
		Groups: r.scalars(n, s.groups), GroupsField: r.field(n, s.groups), UsernameField: r.field(n, s.username),
		PoliciesField: r.field(n, s.policies)}
	if n.Kind == yaml.MappingNode && len(n.Content) > 0 {
		e.Start, e.End = r.src.ScalarSpan(n.Content[0])
	}
	if e.PrincipalARN != nil {
		e.Start, e.End = e.PrincipalARN.Start, e.PrincipalARN.End
	}
	for _, pn := range items(Lookup(n, s.policies)) {
		scope := Lookup(pn, s.scope)
		pol := accessPolicy{PolicyARN: r.scalar(pn, s.policyARN), ScopeType: r.scalar(scope, s.scopeType),
			Namespaces: r.scalars(scope, s.namespaces), NamespacesField: r.field(scope, s.namespaces)}
		if pn.Kind == yaml.MappingNode && len(pn.Content) > 0 {
			pol.Start, pol.End = r.src.ScalarSpan(pn.Content[0])
		}
		if pol.PolicyARN != nil {
			pol.Start, pol.End = pol.PolicyARN.Start, pol.PolicyARN.End
		}
		e.Policies = append(e.Policies, pol)
	}
	return e
}

// config reads authentication settings from mapping n.
func (r *accessReader) config(n *yaml.Node, mode, bootstrap string, desired bool) *accessConfig {
	c := &accessConfig{Mode: r.scalar(n, mode), BootstrapAdmin: r.scalar(n, bootstrap), Desired: desired}
	if c.Mode == nil && c.BootstrapAdmin == nil {
		return nil
	}
	return c
}

// cloudFormation reads AWS::EKS::AccessEntry and AWS::EKS::Cluster
// resources.
func (r *accessReader) cloudFormation(m *accessModel, resources *yaml.Node) {
	if resources = Resolve(resources); resources == nil || resources.Kind != yaml.MappingNode {
		return
	}
	for i := 1; i < len(resources.Content); i += 2 {
		res := Resolve(resources.Content[i])
		props := Lookup(res, "Properties")
		switch ScalarValue(res, "Type") {
		case "AWS::EKS::AccessEntry":
			if props == nil || props.Kind != yaml.MappingNode {
				continue
			}
			m.Entries = append(m.Entries, r.entry(props, cfnSchema, false))
			if name := ScalarValue(props, "ClusterName"); m.Cluster == "" {
				m.Cluster = name
			}
		case "AWS::EKS::Cluster":
			m.Config = r.config(Lookup(props, "AccessConfig"), "AuthenticationMode", "BootstrapClusterCreatorAdminPermissions", true)
			if name := ScalarValue(props, "Name"); name != "" {
				m.Cluster = name
			}
		}
	}
}

// cli reads AWS CLI output and input JSON.
func (r *accessReader) cli(m *accessModel, root *yaml.Node) {
	m.Cluster = ScalarValue(root, "clusterName")
	if cluster := Lookup(root, "cluster"); cluster != nil {
		m.Cluster = ScalarValue(cluster, "name")
		m.Region = regionOf(ScalarValue(cluster, "arn"))
		root = cluster
	}
	for _, at := range []*yaml.Node{Lookup(root, "accessConfig"), root} {
		if c := r.config(at, "authenticationMode", "bootstrapClusterCreatorAdminPermissions", false); c != nil && m.Config == nil {
			m.Config = c
		}
	}
	entry := Lookup(root, "accessEntry")
	if entry == nil && Lookup(root, "principalArn") != nil {
		entry = root
	}
	if entry != nil {
		state := Lookup(entry, "accessEntryArn") != nil || Lookup(entry, "createdAt") != nil || Lookup(root, "associatedAccessPolicies") != nil
		e := r.entry(entry, cliSchema, state)
		if m.Cluster == "" {
			m.Cluster = ScalarValue(entry, "clusterName")
		}
		m.Region = regionOf(ScalarValue(entry, "accessEntryArn"))
		m.Entries = append(m.Entries, e)
	}
	for _, item := range items(Lookup(root, "accessEntries")) {
		if item.Kind == yaml.ScalarNode {
			s := locate(wholeText{r.src}, item)
			m.Entries = append(m.Entries, accessEntry{Source: "aws-cli", State: true, PrincipalARN: &s, Start: s.Start, End: s.End})
		} else {
			m.Entries = append(m.Entries, r.entry(item, cliSchema, Lookup(item, "accessEntryArn") != nil))
		}
	}
}

// regionOf returns the region of an ARN, or "".
func regionOf(arn string) string {
	a, _ := ParseARN(arn)
	return a.Region
}

// scalarAt returns the Scalar of value written at [start, end) of the
// whole text (quotes excluded), for readers whose parser gives byte ranges
// instead of YAML nodes, such as the Terraform family's reader of
// aws_eks_access_entry blocks. Its Replace edits the whole text.
func scalarAt(src *Source, value string, start, end int) Scalar {
	return Scalar{Value: value, Start: start, End: end, at: wholeText{src}, start: start, end: end}
}
