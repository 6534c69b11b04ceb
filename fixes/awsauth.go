package fixes

import (
	"regexp"
	"strings"

	yaml "go.yaml.in/yaml/v3"

	"github.com/eksdoctor/eksdoctor/analysis"
)

// The aws-auth family reads the identity mappings of the aws-auth
// ConfigMap (YAML or `kubectl get -o json`, block scalars or JSON
// strings), of snippets with top-level mapRoles, of the authenticator's own
// server configuration (lists under server) and of eksctl
// iamIdentityMappings into one model shared by its rules. Each entry
// carries both where it is written and what aws-iam-authenticator reads
// from it.

// authForm says what kind of text a document's mappings come from.
type authForm int

const (
	// formConfigMap is an aws-auth ConfigMap: sections under data, as strings.
	formConfigMap authForm = iota
	// formSnippet is a paste of the sections alone (top-level mapRoles…).
	formSnippet
	// formServer is the authenticator's configuration file: lists under server.
	formServer
	// formEksctl is an eksctl ClusterConfig with iamIdentityMappings.
	formEksctl
	// formEntries is the entries of one section alone, as people copy
	// them out of a ConfigMap or a grep of it: a list of rolearn or
	// userarn mappings.
	formEntries
	// formTerraform is the aws-auth ConfigMaps a Terraform document
	// writes, their sections as heredocs.
	formTerraform
	// formTable is the table eksctl get iamidentitymapping prints: what
	// eksctl read from the ConfigMap, which no fix can edit.
	formTable
)

// authSection is one mapRoles or mapUsers value.
type authSection struct {
	Name       string
	Key, Value *yaml.Node
	// Text is the embedded text of a string value; nil for a YAML list.
	Text *analysis.Embedded
	// Err is why the authenticator cannot parse Text: it then drops the
	// whole section.
	Err *authParseError
	// Repair makes Text parse, when there is an unambiguous repair. The
	// section's mappings are then read from the repaired text.
	Repair *authRepair
	// Unread says why the authenticator does not read the section at all
	// (a misspelt key, a key outside data), or is "".
	Unread string
	// KeySpan is where the key of a section written in Terraform is, which
	// has no Key node.
	KeySpan [2]int
	// Merged marks a section whose entries are added to others written
	// elsewhere: the EKS module's inputs, beside its node groups' roles.
	Merged bool
}

// authMapping is one entry of mapRoles or mapUsers, or an eksctl
// iamIdentityMapping with an ARN.
type authMapping struct {
	// Section is "mapRoles", "mapUsers" or "iamIdentityMappings".
	Section string
	Node    *yaml.Node
	// ARN, Username and Groups are the values the authenticator reads, or,
	// when it reads none, the ones written under a misspelled key.
	ARN      *analysis.Scalar
	Username *analysis.Scalar
	Groups   []analysis.Scalar
	// GroupsValue is the value written for groups, whatever its type.
	GroupsValue *yaml.Node
	// Keys are the entry's keys as written.
	Keys []authKey
	// Entry is what the authenticator reads from it.
	Entry authEntry
	// ShadowedBy is the index in Mappings of the entry the authenticator
	// uses instead of this one for the same principal, or -1.
	ShadowedBy int
	// CaseTwin marks a user mapped again with an ARN that differs only in
	// case: which of the two applies is random.
	CaseTwin bool
	// Partial marks an entry that the paste cuts above what it shows: the
	// keys it does not show are not known to be missing.
	Partial bool

	sec int
	at  analysis.TextMap
}

// authKey is a key of an entry as written, with its value.
type authKey struct {
	Key   analysis.Scalar
	Value *yaml.Node
}

// authModel is what an aws-auth document maps.
type authModel struct {
	Form     authForm
	Root     *yaml.Node
	Sections []authSection
	Mappings []authMapping
	// Accounts are the mapAccounts entries (eksctl: account mappings).
	Accounts []analysis.Scalar
	// AccountObjects are mapAccounts items written as objects
	// (- default: 111122223333), which the authenticator cannot read.
	AccountObjects []accountObject
}

// accountObject is a mapAccounts item that is an object, not a string.
type accountObject struct {
	// Start and End locate the item in the whole text.
	Start, End int
	// Rewrite replaces the item with the account id it holds, quoted; nil
	// when it holds more than one value or none.
	Rewrite *analysis.Edit
}

// authDocsKey keeps what authDocs finds, once for the whole input.
var authDocsKey = analysis.NewKey[[]*analysis.Document]("aws-auth-docs")

// authDocs returns, in order, the documents that hold aws-auth mappings:
// aws-auth documents, and Terraform that writes an aws-auth ConfigMap or
// the EKS module's aws-auth inputs. Rules across documents read aws-auth
// from them, wherever it was written.
func authDocs(p *analysis.Pass) []*analysis.Document {
	return analysis.MemoInput(p.Input, authDocsKey, func() []*analysis.Document {
		var docs []*analysis.Document
		for _, d := range p.OfKind(analysis.KindAWSAuth, analysis.KindTerraform) {
			if m := authOf(p, d); d.Kind == analysis.KindAWSAuth || len(m.Sections) > 0 || len(m.Accounts) > 0 {
				docs = append(docs, d)
			}
		}
		return docs
	})
}

// authModelKey keeps what authOf builds, once for each document.
var authModelKey = analysis.NewKey[authModel]("aws-auth")

// authOf returns the model of an aws-auth document, or of the aws-auth
// ConfigMaps a Terraform document writes, built once and shared by every
// rule, cross-document ones included.
func authOf(p *analysis.Pass, doc *analysis.Document) authModel {
	return analysis.Memo(doc, authModelKey, func() authModel {
		if doc.Kind == analysis.KindTerraform {
			if readTerraformAuth == nil {
				return authModel{}
			}
			return readTerraformAuth(p, doc)
		}
		return readAuth(p.Src, doc, p.NodeOf(doc))
	})
}

var configMapKind = regexp.MustCompile(`(?m)^\s*kind:\s*["']?ConfigMap\b`)

// readAuth builds the model of a document whose root node is root (nil
// when it does not parse; its sections are then parsed one by one).
func readAuth(src *analysis.Source, doc *analysis.Document, root *yaml.Node) authModel {
	m := authModel{Root: root}
	var containers []*yaml.Node
	switch {
	case root == nil && doc.Format == analysis.FormatText && IdentityMappingHeader(src.Line(src.LineOf(doc.Start))):
		m.Form = formTable
		m.readEksctl(analysis.WholeText{Src: src}, identityMappingRows(src, doc)) // output: no fix applies
	case root == nil:
		m.Form, containers = formSnippet, fallbackSections(src, doc)
		if configMapKind.MatchString(doc.Text) {
			m.Form = formConfigMap
		}
		if len(containers) == 0 {
			m.readEntryLines(src, doc)
		}
	case root.Kind == yaml.SequenceNode:
		m.Form = formEntries
		m.readSection(src, EntriesSection(root), nil, root)
	case analysis.ScalarValue(root, "kind") == "ConfigMap":
		m.Form, containers = formConfigMap, []*yaml.Node{analysis.Lookup(root, "data"), root}
	case strings.HasPrefix(analysis.ScalarValue(root, "apiVersion"), "eksctl.io/"):
		m.Form = formEksctl
		m.readEksctl(analysis.WholeText{Src: src}, analysis.Lookup(root, "iamIdentityMappings"))
	case analysis.Lookup(root, "server", "mapRoles") != nil || analysis.Lookup(root, "server", "mapUsers") != nil:
		m.Form, containers = formServer, []*yaml.Node{analysis.Lookup(root, "server")}
	default:
		m.Form, containers = formSnippet, []*yaml.Node{analysis.Lookup(root, "data"), root}
	}
	for i, c := range containers {
		for _, name := range []string{"mapRoles", "mapUsers", "mapAccounts"} {
			k, v := sectionEntry(c, name)
			switch {
			case v == nil:
			case name == "mapAccounts":
				m.readAccounts(src, v)
			default:
				m.readSection(src, name, k, v)
				if s := &m.Sections[len(m.Sections)-1]; k.Value != name {
					s.Unread = "the key is spelt " + k.Value + ", and the authenticator reads only " + name
				} else if m.Form == formConfigMap && i > 0 && root != nil {
					s.Unread = name + " is not under data, so it is not part of the ConfigMap's data"
				}
			}
		}
	}
	m.resolveShadowing()
	return m
}

// EntriesSection returns the aws-auth section a list of entries belongs
// to, "mapRoles" or "mapUsers", by the ARN key its entries use, or "" when
// the list holds no aws-auth entry.
func EntriesSection(list *yaml.Node) string {
	for _, item := range analysis.Items(list) {
		for _, field := range []string{"rolearn", "userarn"} {
			if analysis.Lookup(item, field) != nil {
				return map[string]string{"rolearn": "mapRoles", "userarn": "mapUsers"}[field]
			}
		}
	}
	return ""
}

// isRole reports whether the entry maps a role: it is in mapRoles, or
// it is an eksctl mapping of a role ARN.
func (m *authMapping) isRole() bool {
	if m.Section != "iamIdentityMappings" {
		return m.Section == "mapRoles"
	}
	a, _ := analysis.ParseARN(m.Entry.ARN)
	return a.ResourceType() != "user"
}

// resolveShadowing works out which entry the authenticator uses for each
// principal: roles are keyed by their lower-cased ARN and the last entry
// wins; users by their exact ARN, the last wins, and entries differing
// only in case are all kept (which one matches is random); a user ARN
// that a role entry also maps is never reached, as roles are looked up
// first.
func (m *authModel) resolveShadowing() {
	last := map[string]int{}
	userSpellings := map[string]map[string]bool{}
	for i, mp := range m.Mappings {
		if key := mp.principalKey(); key != "" {
			last[key] = i
			if !mp.isRole() {
				lower := strings.ToLower(mp.Entry.ARN)
				if userSpellings[lower] == nil {
					userSpellings[lower] = map[string]bool{}
				}
				userSpellings[lower][mp.Entry.ARN] = true
			}
		}
	}
	for i := range m.Mappings {
		mp := &m.Mappings[i]
		key := mp.principalKey()
		if key == "" {
			continue
		}
		if j := last[key]; j != i {
			mp.ShadowedBy = j
		}
		if !mp.isRole() {
			lower := strings.ToLower(mp.Entry.ARN)
			mp.CaseTwin = len(userSpellings[lower]) > 1
			if j, ok := last["role:"+lower]; ok {
				mp.ShadowedBy = j
			}
		}
	}
}

// principalKey is the key the authenticator stores an entry under, or ""
// for an entry it drops.
func (m *authMapping) principalKey() string {
	switch e := m.Entry; {
	case e.Drop != "":
		return ""
	case e.SSO != nil:
		return "sso:" + strings.ToLower(e.SSO.AccountID+"/"+e.SSO.PermissionSetName)
	case m.isRole():
		return "role:" + strings.ToLower(e.ARN)
	}
	return "user:" + m.Entry.ARN
}
