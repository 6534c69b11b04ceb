package fixes

import (
	"errors"
	"regexp"
	"strings"

	yaml "go.yaml.in/yaml/v3"
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
)

// authSection is one mapRoles or mapUsers value.
type authSection struct {
	Name       string
	Key, Value *yaml.Node
	// Text is the embedded text of a string value; nil for a YAML list.
	Text *Embedded
	// Err is why the authenticator cannot parse Text: it then drops the
	// whole section.
	Err *authParseError
	// Repair makes Text parse, when there is an unambiguous repair. The
	// section's mappings are then read from the repaired text.
	Repair *authRepair
	// Unread says why the authenticator does not read the section at all
	// (a misspelt key, a key outside data), or is "".
	Unread string
}

// authMapping is one entry of mapRoles or mapUsers, or an eksctl
// iamIdentityMapping with an ARN.
type authMapping struct {
	// Section is "mapRoles", "mapUsers" or "iamIdentityMappings".
	Section string
	Node    *yaml.Node
	// ARN, Username and Groups are the values the authenticator reads, or,
	// when it reads none, the ones written under a misspelled key.
	ARN      *Scalar
	Username *Scalar
	Groups   []Scalar
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

	sec int
	at  textMap
}

// authKey is a key of an entry as written, with its value.
type authKey struct {
	Key   Scalar
	Value *yaml.Node
}

// authModel is what an aws-auth document maps.
type authModel struct {
	Form     authForm
	Root     *yaml.Node
	Sections []authSection
	Mappings []authMapping
	// Accounts are the mapAccounts entries (eksctl: account mappings).
	Accounts []Scalar
}

// authSections are the keys the authenticator reads, case-sensitive.
var authSections = []string{"mapRoles", "mapUsers"}

// authOf returns the model of an aws-auth document, built once and shared
// by every rule, cross-document ones included.
func authOf(p *Pass, doc *Document) authModel {
	return Memo(doc, "aws-auth", func() authModel { return readAuth(p.Src, doc, p.NodeOf(doc)) })
}

var configMapKind = regexp.MustCompile(`(?m)^\s*kind:\s*["']?ConfigMap\b`)

// readAuth builds the model of a document whose root node is root (nil
// when it does not parse; its sections are then parsed one by one).
func readAuth(src *Source, doc *Document, root *yaml.Node) authModel {
	m := authModel{Root: root}
	var containers []*yaml.Node
	switch {
	case root == nil:
		m.Form, containers = formSnippet, fallbackSections(src, doc)
		if configMapKind.MatchString(doc.Text) {
			m.Form = formConfigMap
		}
	case ScalarValue(root, "kind") == "ConfigMap":
		m.Form, containers = formConfigMap, []*yaml.Node{Lookup(root, "data"), root}
	case strings.HasPrefix(ScalarValue(root, "apiVersion"), "eksctl.io/"):
		m.Form = formEksctl
		m.readEksctl(src, Lookup(root, "iamIdentityMappings"))
	case Lookup(root, "server", "mapRoles") != nil || Lookup(root, "server", "mapUsers") != nil:
		m.Form, containers = formServer, []*yaml.Node{Lookup(root, "server")}
	default:
		m.Form, containers = formSnippet, []*yaml.Node{Lookup(root, "data"), root}
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

// sectionEntry returns the key and value of section name in container:
// the exact key, or else a key spelt differently (MapRoles, map_roles).
func sectionEntry(container *yaml.Node, name string) (k, v *yaml.Node) {
	if k, v = MapEntry(container, name); v != nil {
		return k, v
	}
	if container = Resolve(container); container == nil || container.Kind != yaml.MappingNode {
		return nil, nil
	}
	for i := 0; i+1 < len(container.Content); i += 2 {
		if normKey(container.Content[i].Value) == strings.ToLower(name) {
			return container.Content[i], Resolve(container.Content[i+1])
		}
	}
	return nil, nil
}

// readSection reads one section: the embedded text of a string value
// (repaired when the authenticator cannot parse it and the repair is
// unambiguous) or a YAML list.
func (m *authModel) readSection(src *Source, name string, key, v *yaml.Node) {
	s := authSection{Name: name, Key: key, Value: v}
	sec := len(m.Sections)
	defer func() { m.Sections = append(m.Sections, s) }()
	if v.Kind == yaml.SequenceNode {
		m.readList(wholeText{src}, name, sec, v, decodeNodes(name, v))
		return
	}
	e, ok := src.EmbeddedScalar(v)
	if !ok {
		return
	}
	s.Text = e
	entries, perr := decodeAuthText(name, e.Value)
	text, at := e.Value, textMap(e)
	if perr != nil {
		s.Err = perr
		r, ok := repairAuthText(name, e.Value)
		if !ok {
			return
		}
		s.Repair = &r
		text, at = r.Text, &repairedText{e: e, edits: r.Edits, src: NewSource(r.Text)}
		entries, _ = decodeAuthText(name, r.Text)
	}
	var root yaml.Node
	if yaml.Unmarshal([]byte(text), &root) == nil {
		m.readList(at, name, sec, Resolve(&root), entries)
	}
}

// decodeNodes decodes the entries of a section written as a YAML list,
// through the same YAML to JSON path as a string section, so that values
// YAML 1.1 reads as booleans or numbers are seen as the authenticator
// sees them. A list that does not decode gives entries that are dropped.
func decodeNodes(section string, list *yaml.Node) []authEntry {
	text, err := yaml.Marshal(list)
	if err == nil {
		entries, perr := decodeAuthText(section, string(text))
		if perr == nil {
			return entries
		}
		err = errors.New(perr.Msg)
	}
	out := make([]authEntry, len(list.Content))
	for i := range out {
		out[i].Drop = "the list cannot be decoded: " + err.Error()
	}
	return out
}

// readList reads the entries of a section's list; entries are what the
// authenticator decoded from the same list, item by item.
func (m *authModel) readList(at textMap, name string, sec int, list *yaml.Node, entries []authEntry) {
	if list == nil || list.Kind != yaml.SequenceNode {
		return
	}
	for i, item := range list.Content {
		if item = Resolve(item); item == nil || item.Kind != yaml.MappingNode {
			continue
		}
		mp := readMapping(at, name, item)
		mp.sec = sec
		if i < len(entries) {
			mp.Entry = entries[i]
		}
		m.Mappings = append(m.Mappings, mp)
	}
}

// The keys people write for each field, compared without case, "_" and "-".
var (
	arnAliases      = []string{"rolearn", "userarn", "arn", "iamarn", "principalarn", "role"}
	usernameAliases = []string{"username", "kubernetesusername", "k8susername"}
	groupsAliases   = []string{"groups", "group", "kubernetesgroups", "k8sgroups"}
)

// normKey folds a key for alias matching.
func normKey(k string) string {
	return strings.NewReplacer("_", "", "-", "", " ", "").Replace(strings.ToLower(k))
}

// readMapping reads one entry: for each field the key the authenticator
// reads (matching case-insensitively as encoding/json does; among keys
// that differ only in case, the one sorting last in the JSON it builds),
// else a misspelled key people use for it.
func readMapping(at textMap, section string, n *yaml.Node) authMapping {
	m := authMapping{Section: section, Node: n, at: at, ShadowedBy: -1}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if k := n.Content[i]; k.Kind == yaml.ScalarNode {
			m.Keys = append(m.Keys, authKey{locate(at, k), Resolve(n.Content[i+1])})
		}
	}
	if v := m.field(arnField(section), arnAliases); v != nil && v.Kind == yaml.ScalarNode {
		s := locate(at, v)
		m.ARN = &s
	}
	if v := m.field("username", usernameAliases); v != nil && v.Kind == yaml.ScalarNode {
		s := locate(at, v)
		m.Username = &s
	}
	m.GroupsValue = m.field("groups", groupsAliases)
	if m.GroupsValue != nil && m.GroupsValue.Kind == yaml.SequenceNode {
		for _, g := range m.GroupsValue.Content {
			if g = Resolve(g); g != nil && g.Kind == yaml.ScalarNode {
				m.Groups = append(m.Groups, locate(at, g))
			}
		}
	}
	return m
}

// arnField returns the key that holds the ARN in a section.
func arnField(section string) string {
	switch section {
	case "mapUsers":
		return "userarn"
	case "iamIdentityMappings":
		return "arn"
	}
	return "rolearn"
}

// field returns the value of the key the authenticator reads for name,
// or of the first key whose folded spelling is one of aliases.
func (m *authMapping) field(name string, aliases []string) *yaml.Node {
	var best *authKey
	for i, k := range m.Keys {
		if strings.EqualFold(k.Key.Value, name) && (m.Section != "iamIdentityMappings" || k.Key.Value == name) &&
			(best == nil || k.Key.Value >= best.Key.Value) {
			best = &m.Keys[i]
		}
	}
	if best != nil {
		return best.Value
	}
	for _, k := range m.Keys {
		if containsFold(aliases, normKey(k.Key.Value)) {
			return k.Value
		}
	}
	return nil
}

// isRole reports whether the entry maps a role: it is in mapRoles, or
// it is an eksctl mapping of a role ARN.
func (m *authMapping) isRole() bool {
	if m.Section != "iamIdentityMappings" {
		return m.Section == "mapRoles"
	}
	a, _ := ParseARN(m.Entry.ARN)
	return a.ResourceType() != "user"
}

// readEksctl reads eksctl iamIdentityMappings: ARN mappings, and account
// mappings (the equivalent of mapAccounts). Service mappings are eksctl's
// own and are skipped.
func (m *authModel) readEksctl(src *Source, list *yaml.Node) {
	if list == nil || list.Kind != yaml.SequenceNode {
		return
	}
	sec := len(m.Sections)
	m.Sections = append(m.Sections, authSection{Name: "iamIdentityMappings", Value: list})
	for _, item := range list.Content {
		item = Resolve(item)
		if acct := Lookup(item, "account"); acct != nil && acct.Kind == yaml.ScalarNode {
			m.Accounts = append(m.Accounts, locate(wholeText{src}, acct))
			continue
		}
		if item == nil || item.Kind != yaml.MappingNode || Lookup(item, "arn") == nil {
			continue
		}
		mp := readMapping(wholeText{src}, "iamIdentityMappings", item)
		mp.sec = sec
		if mp.ARN != nil {
			mp.Entry.ARN = mp.ARN.Value
		}
		if mp.Username != nil {
			mp.Entry.Username = mp.Username.Value
		}
		for _, g := range mp.Groups {
			mp.Entry.Groups = append(mp.Entry.Groups, g.Value)
		}
		m.Mappings = append(m.Mappings, mp)
	}
}

// readAccounts reads mapAccounts: embedded YAML or a YAML list.
func (m *authModel) readAccounts(src *Source, v *yaml.Node) {
	var at textMap = wholeText{src}
	list := v
	if v.Kind == yaml.ScalarNode {
		e, ok := src.EmbeddedScalar(v)
		var root yaml.Node
		if !ok || yaml.Unmarshal([]byte(e.Value), &root) != nil {
			return
		}
		at, list = e, Resolve(&root)
	}
	if list == nil || list.Kind != yaml.SequenceNode {
		return
	}
	for _, a := range list.Content {
		if a = Resolve(a); a != nil && a.Kind == yaml.ScalarNode {
			m.Accounts = append(m.Accounts, locate(at, a))
		}
	}
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

var sectionKeyLine = regexp.MustCompile(`(?m)^([ \t]*)(?:mapRoles|mapUsers|mapAccounts)[ \t]*:`)

// fallbackSections parses the sections of a document that does not parse
// as a whole (an elided snippet, a stray line), each from its key to the
// next line indented no deeper than the key, so that its mappings are
// still checked.
func fallbackSections(src *Source, doc *Document) []*yaml.Node {
	var out []*yaml.Node
	for _, loc := range sectionKeyLine.FindAllStringSubmatchIndex(doc.Text, -1) {
		start, indent := doc.Start+loc[0], loc[3]-loc[2]
		line := src.LineOf(start)
		end := src.LineEnd(line)
		for l := line + 1; l <= src.Lines() && src.LineStart(l) < doc.End; l++ {
			if text := src.Line(l); strings.TrimSpace(text) != "" && indentOf(text) <= indent {
				break
			}
			end = src.LineEnd(l)
		}
		if n, err := src.ParseYAML(start, min(end, doc.End)); err == nil {
			out = append(out, n)
		}
	}
	return out
}
