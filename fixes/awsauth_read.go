package fixes

import (
	"errors"
	"regexp"
	"strings"

	yaml "go.yaml.in/yaml/v3"

	"github.com/eksdoctor/eksdoctor/analysis"
)

// Reading an aws-auth document into its model: sections, entries and
// accounts, from embedded text, YAML lists or eksctl mappings.

// sectionEntry returns the key and value of section name in container:
// the exact key, or else a key spelt differently (MapRoles, map_roles).
func sectionEntry(container *yaml.Node, name string) (k, v *yaml.Node) {
	if k, v = analysis.MapEntry(container, name); v != nil {
		return k, v
	}
	if container = analysis.Resolve(container); container == nil || container.Kind != yaml.MappingNode {
		return nil, nil
	}
	for i := 0; i+1 < len(container.Content); i += 2 {
		if normKey(container.Content[i].Value) == strings.ToLower(name) {
			return container.Content[i], analysis.Resolve(container.Content[i+1])
		}
	}
	return nil, nil
}

// readSection reads one section: the embedded text of a string value
// (repaired when the authenticator cannot parse it and the repair is
// unambiguous) or a YAML list.
func (m *authModel) readSection(src *analysis.Source, name string, key, v *yaml.Node) {
	s := authSection{Name: name, Key: key, Value: v}
	sec := len(m.Sections)
	defer func() { m.Sections = append(m.Sections, s) }()
	if v.Kind == yaml.SequenceNode {
		m.readList(analysis.WholeText{Src: src}, name, sec, v, decodeNodes(name, v))
		return
	}
	if e, ok := src.EmbeddedScalar(v); ok {
		m.readText(&s, sec, e)
	}
}

// readText reads a section written as text (a YAML string, a Terraform
// heredoc) as the authenticator does.
func (m *authModel) readText(s *authSection, sec int, e *analysis.Embedded) {
	name := s.Name
	s.Text = e
	if analysis.DeepAt(e.Value, analysis.FormatYAML) >= 0 {
		return // too deep to parse (analysis.MaxDepth): read as no entries
	}
	entries, perr := decodeAuthText(name, e.Value)
	text, at := e.Value, analysis.TextMap(e)
	if perr != nil {
		s.Err = perr
		r, ok := repairAuthText(name, e.Value)
		if !ok {
			return
		}
		s.Repair = &r
		text, at = r.Text, &repairedText{e: e, edits: r.Edits, src: analysis.NewSource(r.Text)}
		entries, _ = decodeAuthText(name, r.Text)
	}
	if root, err := analysis.UnmarshalYAML(text); err == nil {
		m.readList(at, name, sec, root, entries)
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
func (m *authModel) readList(at analysis.TextMap, name string, sec int, list *yaml.Node, entries []authEntry) {
	if list == nil || list.Kind != yaml.SequenceNode {
		return
	}
	for i, item := range list.Content {
		if item = analysis.Resolve(item); item == nil || item.Kind != yaml.MappingNode {
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

// keySeparators are dropped from keys for alias matching.
var keySeparators = strings.NewReplacer("_", "", "-", "", " ", "")

// normKey folds a key for alias matching.
func normKey(k string) string {
	return keySeparators.Replace(strings.ToLower(k))
}

// readMapping reads one entry: for each field the key the authenticator
// reads (matching case-insensitively as encoding/json does; among keys
// that differ only in case, the one sorting last in the JSON it builds),
// else a misspelled key people use for it.
func readMapping(at analysis.TextMap, section string, n *yaml.Node) authMapping {
	m := authMapping{Section: section, Node: n, at: at, ShadowedBy: -1}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if k := n.Content[i]; k.Kind == yaml.ScalarNode {
			m.Keys = append(m.Keys, authKey{analysis.Locate(at, k), analysis.Resolve(n.Content[i+1])})
		}
	}
	if v := m.field(arnField(section), arnAliases); v != nil && v.Kind == yaml.ScalarNode {
		s := analysis.Locate(at, v)
		m.ARN = &s
	}
	if v := m.field("username", usernameAliases); v != nil && v.Kind == yaml.ScalarNode {
		s := analysis.Locate(at, v)
		m.Username = &s
	}
	m.GroupsValue = m.field("groups", groupsAliases)
	if m.GroupsValue != nil && m.GroupsValue.Kind == yaml.SequenceNode {
		for _, g := range m.GroupsValue.Content {
			if g = analysis.Resolve(g); g != nil && g.Kind == yaml.ScalarNode {
				m.Groups = append(m.Groups, analysis.Locate(at, g))
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

// readEksctl reads eksctl iamIdentityMappings: ARN mappings, and account
// mappings (the equivalent of mapAccounts). Service mappings are eksctl's
// own and are skipped.
func (m *authModel) readEksctl(at analysis.TextMap, list *yaml.Node) {
	if list == nil || list.Kind != yaml.SequenceNode {
		return
	}
	sec := len(m.Sections)
	m.Sections = append(m.Sections, authSection{Name: "iamIdentityMappings", Value: list})
	for _, item := range list.Content {
		item = analysis.Resolve(item)
		if acct := analysis.Lookup(item, "account"); acct != nil && acct.Kind == yaml.ScalarNode {
			m.Accounts = append(m.Accounts, analysis.Locate(at, acct))
			continue
		}
		if item == nil || item.Kind != yaml.MappingNode || analysis.Lookup(item, "arn") == nil {
			continue
		}
		mp := readMapping(at, "iamIdentityMappings", item)
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
func (m *authModel) readAccounts(src *analysis.Source, v *yaml.Node) {
	var at analysis.TextMap = analysis.WholeText{Src: src}
	list := v
	if v.Kind == yaml.ScalarNode {
		e, ok := src.EmbeddedScalar(v)
		if !ok {
			return
		}
		root, err := analysis.UnmarshalYAML(e.Value)
		if err != nil {
			return
		}
		at, list = e, root
	}
	m.readAccountList(at, list)
}

// readAccountList reads the items of a mapAccounts list.
func (m *authModel) readAccountList(at analysis.TextMap, list *yaml.Node) {
	if list == nil || list.Kind != yaml.SequenceNode {
		return
	}
	for _, a := range list.Content {
		switch a = analysis.Resolve(a); {
		case a == nil:
		case a.Kind == yaml.ScalarNode:
			m.Accounts = append(m.Accounts, analysis.Locate(at, a))
		case a.Kind == yaml.MappingNode && len(a.Content) >= 2:
			m.AccountObjects = append(m.AccountObjects, readAccountObject(at, a))
		}
	}
}

// readAccountObject locates a mapAccounts item written as an object and,
// when it holds one scalar value, the edit that writes that value alone.
func readAccountObject(at analysis.TextMap, n *yaml.Node) accountObject {
	first, last := n.Content[0], n.Content[len(n.Content)-1]
	src := at.Source()
	start, _ := src.ScalarSpan(first)
	_, end := src.ScalarSpan(last)
	o := accountObject{Start: at.Offset(start), End: at.Offset(end)}
	if len(n.Content) == 2 && last.Kind == yaml.ScalarNode && n.Style&yaml.FlowStyle == 0 {
		e := at.Edit(start, end, `"`+last.Value+`"`)
		o.Rewrite = &e
	}
	return o
}

var sectionKeyLine = regexp.MustCompile(`(?m)^([ \t]*)(?:mapRoles|mapUsers|mapAccounts)[ \t]*:`)

// fallbackSections parses the sections of a document that does not parse
// as a whole (an elided snippet, a stray line), each from its key to the
// next line indented no deeper than the key, so that its mappings are
// still checked.
func fallbackSections(src *analysis.Source, doc *analysis.Document) []*yaml.Node {
	var out []*yaml.Node
	for _, loc := range sectionKeyLine.FindAllStringSubmatchIndex(doc.Text, -1) {
		start, indent := doc.Start+loc[0], loc[3]-loc[2]
		line := src.LineOf(start)
		end := src.LineEnd(line)
		for l := line + 1; l <= src.Lines() && src.LineStart(l) < doc.End; l++ {
			if text := src.Line(l); strings.TrimSpace(text) != "" && analysis.IndentOf(text) <= indent {
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

// entryKey is a line of an aws-auth entry: its key, quoted or not, after
// an optional list dash, and the space after the colon.
var entryKey = regexp.MustCompile(`^(- +)?("?)(rolearn|userarn|username|groups)"?[ \t]*:[ \t]*`)

// readEntryLines reads an excerpt of mapRoles or mapUsers entries whose
// lines do not parse as YAML together (copied from the middle of an
// entry, its indentation lost or mixed), a line at a time: a key after a
// dash starts an entry, a key without one adds to it, and the dashed items
// after groups are its groups. Keys before the first dash belong to an
// entry the excerpt cuts: that mapping is Partial.
func (m *authModel) readEntryLines(src *analysis.Source, doc *analysis.Document) {
	var entries []*yaml.Node
	partial := map[*yaml.Node]bool{}
	var entry, groups *yaml.Node
	for line := src.LineOf(doc.Start); line <= src.LineOf(max(doc.End-1, doc.Start)); line++ {
		text := src.Line(line)
		start := src.LineStart(line) + analysis.IndentOf(text)
		rest := strings.TrimRight(src.Text[start:src.LineEnd(line)], " \t\r")
		loc := entryKey.FindStringSubmatchIndex(rest)
		switch {
		case loc != nil:
			if entry == nil || loc[2] >= 0 {
				entry = &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
				partial[entry] = loc[2] < 0
				entries = append(entries, entry)
			}
			k := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: rest[loc[6]:loc[7]]}
			k.Line, k.Column = src.Position(start + loc[4])
			if loc[5] > loc[4] {
				k.Style = yaml.DoubleQuotedStyle
			}
			v := parsedValue(src, start+loc[1], start+len(rest))
			groups = nil
			if k.Value == "groups" && v.Tag == "!!null" {
				v.Kind, v.Tag = yaml.SequenceNode, "!!seq"
				groups = v
			}
			entry.Content = append(entry.Content, k, v)
		case groups != nil && strings.HasPrefix(rest, "- "):
			if v := parsedValue(src, start+2, start+len(rest)); v.Kind == yaml.ScalarNode && v.Tag != "!!null" {
				groups.Content = append(groups.Content, v)
			}
		}
	}
	for _, name := range []string{"mapRoles", "mapUsers"} {
		list := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
		for _, e := range entries {
			if (analysis.Lookup(e, "userarn") != nil) == (name == "mapUsers") {
				list.Content = append(list.Content, e)
			}
		}
		if len(list.Content) == 0 {
			continue
		}
		list.Line, list.Column = list.Content[0].Content[0].Line, list.Content[0].Content[0].Column
		first := len(m.Mappings)
		m.readList(analysis.WholeText{Src: src}, name, len(m.Sections), list, decodeNodes(name, list))
		m.Sections = append(m.Sections, authSection{Name: name, Value: list})
		for i := first; i < len(m.Mappings); i++ {
			m.Mappings[i].Partial = partial[m.Mappings[i].Node]
		}
	}
}

// parsedValue parses the value written at [start, end) as YAML, its
// node placed there; a null scalar when there is none.
func parsedValue(src *analysis.Source, start, end int) *yaml.Node {
	if start < end {
		if v, err := src.ParseYAML(start, end); err == nil && v != nil && v.Kind != 0 {
			return v
		}
	}
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null"}
}
