package fixes

import (
	"strings"

	yaml "go.yaml.in/yaml/v3"

	"github.com/eksdoctor/eksdoctor/analysis"
)

// The access-entry family checks EKS access entries over one neutral
// model, whatever they were written in: AWS CLI JSON (create, describe,
// list-access-entries, list-associated-access-policies, describe-cluster),
// eksctl accessConfig, CloudFormation AWS::EKS::AccessEntry, ACK AccessEntry
// and Cluster objects, and, through
// the Terraform family's reader, aws_eks_access_entry blocks. A reader
// turns its source into an accessModel whose values are Scalars, so the
// checks point at the text and fix it in place.

// accessEntry is one access entry.
type accessEntry struct {
	// Source is where it is written: "aws-cli", "eksctl", "cloudformation",
	// "ack" or "terraform".
	Source string
	// Start and End locate the entry as a whole (its first key or its
	// principal), for findings about the whole entry.
	Start, End int
	// State marks an entry read back from EKS (describe or list output):
	// it exists, so the API accepted it, and only its effect is checked.
	State bool
	// PrincipalARN, Type and Username are nil when not written; Type nil
	// means STANDARD.
	PrincipalARN, Type, Username *analysis.Scalar
	Groups                       []analysis.Scalar
	Policies                     []accessPolicy
	// GroupsField, UsernameField and PoliciesField are where those
	// fields are written, nil when they are not.
	GroupsField, UsernameField, PoliciesField *accessField
}

// accessField is a field of an entry as written: the range of its key,
// and the edit that removes it (key, value and line), when one is safe.
type accessField struct {
	Start, End int
	Remove     *analysis.Edit
	// Indent is the column of its key, for fixes that add a sibling.
	Indent int
}

// accessPolicy is an access policy association of an entry.
type accessPolicy struct {
	PolicyARN, ScopeType *analysis.Scalar
	Namespaces           []analysis.Scalar
	// NamespacesField is where the namespaces are written, nil when not.
	NamespacesField *accessField
	Start, End      int
}

// accessConfig is a cluster's authentication settings.
type accessConfig struct {
	Mode, BootstrapAdmin *analysis.Scalar
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
	// NodeGroups is the key of an eksctl ClusterConfig's self-managed
	// nodeGroups when it lists some, nil otherwise.
	NodeGroups *analysis.Scalar
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

// accessModelKey keeps what accessModelOf builds, once for each document.
var accessModelKey = analysis.NewKey[accessModel]("access-entries")

// accessModelOf returns the access-entry model of a document, built once:
// access entries in any form, the access commands of error text (what was
// run before the error), or an empty model. A reader for another
// kind (Terraform) adds its case here and its kind to accessEntryKinds.
func accessModelOf(p *analysis.Pass, doc *analysis.Document) accessModel {
	return analysis.Memo(doc, accessModelKey, func() accessModel {
		switch {
		case doc.Kind == analysis.KindAccessEntries && doc.Format == analysis.FormatText,
			doc.Kind == analysis.KindErrorText && AccessCommand(doc.Text) != "":
			return readAccessCommands(p.Src, doc)
		case doc.Kind == analysis.KindAccessEntries:
			return readAccessModel(p.Src, p.NodeOf(doc))
		case doc.Kind == analysis.KindTerraform:
			if readTerraformAccess != nil {
				return readTerraformAccess(p, doc)
			}
		}
		return accessModel{}
	})
}

// entrySchema names an entry's fields in one source.
type entrySchema struct {
	source, principal, typ, username, groups, policies, policyARN, scope, scopeType, namespaces string
}

var (
	cliSchema    = entrySchema{"aws-cli", "principalArn", "type", "username", "kubernetesGroups", "associatedAccessPolicies", "policyArn", "accessScope", "type", "namespaces"}
	eksctlSchema = entrySchema{"eksctl", "principalARN", "type", "kubernetesUsername", "kubernetesGroups", "accessPolicies", "policyARN", "accessScope", "type", "namespaces"}
	cfnSchema    = entrySchema{"cloudformation", "PrincipalArn", "Type", "Username", "KubernetesGroups", "AccessPolicies", "PolicyArn", "AccessScope", "Type", "Namespaces"}
	// ackSchema is the spec of the ACK EKS controller's AccessEntry
	// (eks.services.k8s.aws/v1alpha1).
	ackSchema = entrySchema{"ack", "principalARN", "type", "username", "kubernetesGroups", "accessPolicies", "policyARN", "accessScope", "type", "namespaces"}
	// yamlEntrySchemas are the sources written in block YAML, where a fix
	// can add fields an entry lacks.
	yamlEntrySchemas = []entrySchema{eksctlSchema, cfnSchema, ackSchema}
)

// readAccessModel reads every shape the classifier files as access
// entries.
func readAccessModel(src *analysis.Source, root *yaml.Node) accessModel {
	var m accessModel
	r := &accessReader{src: src}
	switch {
	case root == nil:
	case strings.HasPrefix(analysis.ScalarValue(root, "apiVersion"), "eksctl.io/") || analysis.Lookup(root, "accessConfig", "accessEntries") != nil:
		// an eksctl ClusterConfig, or its accessConfig pasted alone
		m.Cluster, m.Region = analysis.ScalarValue(root, "metadata", "name"), analysis.ScalarValue(root, "metadata", "region")
		cfg := analysis.Lookup(root, "accessConfig")
		m.Config = r.config(cfg, "authenticationMode", "bootstrapClusterCreatorAdminPermissions", true)
		for _, item := range analysis.Items(analysis.Lookup(cfg, "accessEntries")) {
			m.Entries = append(m.Entries, r.entry(item, eksctlSchema, false))
		}
		if k, v := analysis.MapEntry(root, "nodeGroups"); len(analysis.Items(v)) > 0 {
			s := analysis.Locate(analysis.WholeText{Src: r.src}, k)
			m.NodeGroups = &s
		}
	case strings.HasPrefix(analysis.ScalarValue(root, "apiVersion"), "eks.services.k8s.aws/"):
		// an ACK AccessEntry, or an ACK Cluster with its accessConfig
		spec := analysis.Lookup(root, "spec")
		m.Cluster = analysis.ScalarValue(spec, "clusterName")
		if analysis.ScalarValue(root, "kind") == "Cluster" {
			m.Cluster = analysis.ScalarValue(spec, "name")
			m.Config = r.config(analysis.Lookup(spec, "accessConfig"), "authenticationMode", "bootstrapClusterCreatorAdminPermissions", true)
		} else if spec != nil {
			m.Entries = append(m.Entries, r.entry(spec, ackSchema, false))
		}
	case analysis.Lookup(root, "Resources") != nil:
		r.cloudFormation(&m, analysis.Lookup(root, "Resources"))
	default:
		r.cli(&m, root)
	}
	return m
}

// accessReader reads nodes of the whole text into the model.
type accessReader struct{ src *analysis.Source }

// scalar locates the scalar at key in n, or returns nil.
func (r *accessReader) scalar(n *yaml.Node, key string) *analysis.Scalar {
	if v := analysis.Lookup(n, key); v != nil && v.Kind == yaml.ScalarNode && v.Tag != "!!null" {
		s := analysis.Locate(analysis.WholeText{Src: r.src}, v)
		return &s
	}
	return nil
}

// scalars locates the scalar items of the list at key in n.
func (r *accessReader) scalars(n *yaml.Node, key string) []analysis.Scalar {
	var out []analysis.Scalar
	for _, v := range analysis.Items(analysis.Lookup(n, key)) {
		if v.Kind == yaml.ScalarNode {
			out = append(out, analysis.Locate(analysis.WholeText{Src: r.src}, v))
		}
	}
	return out
}

// field returns where key is written in mapping n, or nil.
func (r *accessReader) field(n *yaml.Node, key string) *accessField {
	k, v := analysis.MapEntry(n, key)
	if k == nil {
		return nil
	}
	start, end := r.src.ScalarSpan(k)
	f := &accessField{Start: start, End: end, Indent: k.Column - 1}
	if v != nil && n.Style&yaml.FlowStyle == 0 && r.src.Line(k.Line)[:k.Column-1] == strings.Repeat(" ", k.Column-1) {
		e := analysis.Delete(r.src.LineStart(k.Line), r.src.LineStart(lastLine(v, r.src)+1))
		f.Remove = &e
	}
	return f
}

// lastLine returns the last line a node's text reaches.
func lastLine(n *yaml.Node, src *analysis.Source) int {
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
	for _, pn := range analysis.Items(analysis.Lookup(n, s.policies)) {
		scope := analysis.Lookup(pn, s.scope)
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
	if resources = analysis.Resolve(resources); resources == nil || resources.Kind != yaml.MappingNode {
		return
	}
	for i := 1; i < len(resources.Content); i += 2 {
		res := analysis.Resolve(resources.Content[i])
		props := analysis.Lookup(res, "Properties")
		switch analysis.ScalarValue(res, "Type") {
		case "AWS::EKS::AccessEntry":
			if props == nil || props.Kind != yaml.MappingNode {
				continue
			}
			m.Entries = append(m.Entries, r.entry(props, cfnSchema, false))
			if name := analysis.ScalarValue(props, "ClusterName"); m.Cluster == "" {
				m.Cluster = name
			}
		case "AWS::EKS::Cluster":
			m.Config = r.config(analysis.Lookup(props, "AccessConfig"), "AuthenticationMode", "BootstrapClusterCreatorAdminPermissions", true)
			if name := analysis.ScalarValue(props, "Name"); name != "" {
				m.Cluster = name
			}
		}
	}
}

// cli reads AWS CLI output and input JSON.
func (r *accessReader) cli(m *accessModel, root *yaml.Node) {
	m.Cluster = analysis.ScalarValue(root, "clusterName")
	if cluster := analysis.Lookup(root, "cluster"); cluster != nil {
		m.Cluster = analysis.ScalarValue(cluster, "name")
		m.Region = regionOf(analysis.ScalarValue(cluster, "arn"))
		root = cluster
	}
	for _, at := range []*yaml.Node{analysis.Lookup(root, "accessConfig"), root} {
		if c := r.config(at, "authenticationMode", "bootstrapClusterCreatorAdminPermissions", false); c != nil && m.Config == nil {
			m.Config = c
		}
	}
	entry := analysis.Lookup(root, "accessEntry")
	if entry == nil && analysis.Lookup(root, "principalArn") != nil {
		entry = root
	}
	if entry != nil {
		state := analysis.Lookup(entry, "accessEntryArn") != nil || analysis.Lookup(entry, "createdAt") != nil || analysis.Lookup(root, "associatedAccessPolicies") != nil
		e := r.entry(entry, cliSchema, state)
		if m.Cluster == "" {
			m.Cluster = analysis.ScalarValue(entry, "clusterName")
		}
		m.Region = regionOf(analysis.ScalarValue(entry, "accessEntryArn"))
		m.Entries = append(m.Entries, e)
	}
	for _, item := range analysis.Items(analysis.Lookup(root, "accessEntries")) {
		if item.Kind == yaml.ScalarNode {
			s := analysis.Locate(analysis.WholeText{Src: r.src}, item)
			m.Entries = append(m.Entries, accessEntry{Source: "aws-cli", State: true, PrincipalARN: &s, Start: s.Start, End: s.End})
		} else {
			m.Entries = append(m.Entries, r.entry(item, cliSchema, analysis.Lookup(item, "accessEntryArn") != nil))
		}
	}
}

// regionOf returns the region of an ARN, or "".
func regionOf(arn string) string {
	a, _ := analysis.ParseARN(arn)
	return a.Region
}

// scalarAt returns the Scalar of value written at [start, end) of the
// whole text (quotes excluded), for readers whose parser gives byte ranges
// instead of YAML nodes, such as the Terraform family's reader of
// aws_eks_access_entry blocks. Its Replace edits the whole text.
func scalarAt(src *analysis.Source, value string, start, end int) analysis.Scalar {
	return analysis.Scalar{Value: value, Start: start, End: end, At: analysis.WholeText{Src: src}, AtStart: start, AtEnd: end}
}
