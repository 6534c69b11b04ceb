package fixes

import (
	"slices"
	"strings"

	yaml "go.yaml.in/yaml/v3"

	"github.com/eksdoctor/eksdoctor/analysis"
)

// What the pasted aws-auth says about a principal an error names, beyond
// mappedIdentity's answer, and the aws-auth entry to add for it.

// mappingsPasted reports whether the paste holds aws-auth or access
// entries to look principals up in.
func mappingsPasted(p *analysis.Pass) bool {
	return len(p.OfKind(analysis.KindAWSAuth, analysis.KindAccessEntries)) > 0
}

// pathVariant returns an aws-auth rolearn that names the same role as
// canonical but with an IAM path, which never matches.
func pathVariant(p *analysis.Pass, canonical string) (*analysis.Scalar, bool) {
	want, ok := analysis.ParseARN(canonical)
	if !ok || want.ResourceType() != "role" {
		return nil, false
	}
	for _, d := range authDocs(p) {
		for _, e := range authOf(p, d).Mappings {
			if e.ARN == nil {
				continue
			}
			if a, ok := analysis.ParseARN(e.ARN.Value); ok && a.Path() != "/" && a.ResourceType() == "role" &&
				a.Account == want.Account && strings.EqualFold(a.Name(), want.Name()) {
				return e.ARN, true
			}
		}
	}
	return nil, false
}

// brokenSection returns a pasted aws-auth section that the authenticator
// cannot parse, and so drops whole.
func brokenSection(p *analysis.Pass) (authSection, bool) {
	for _, d := range authDocs(p) {
		for _, s := range authOf(p, d).Sections {
			if s.Err != nil && s.Unread == "" {
				return s, true
			}
		}
	}
	return authSection{}, false
}

// newMapping is an aws-auth entry to add.
type newMapping struct {
	ARN      string
	Username string
	Groups   []string
}

// humanMapping is the entry for a person's or a program's role or user:
// its own group, which grants nothing until a binding does, and a
// username that keeps the session name in the audit log for roles.
func humanMapping(canonical string) newMapping {
	a, _ := analysis.ParseARN(canonical)
	group := ownGroup(authMapping{ARN: &analysis.Scalar{Value: canonical}})
	m := newMapping{ARN: canonical, Username: a.Name(), Groups: []string{group}}
	if a.ResourceType() == "role" {
		m.Username = group + ":{{SessionName}}"
	}
	return m
}

// nodeMapping is the entry for an EC2 node role.
func nodeMapping(canonical string) newMapping {
	return newMapping{ARN: canonical, Username: "system:node:{{EC2PrivateDNSName}}",
		Groups: []string{"system:bootstrappers", "system:nodes"}}
}

// addMappingFix returns the fix that appends m to the mapRoles (or
// mapUsers) string of the first pasted aws-auth ConfigMap where the
// authenticator reads that section as written, in the style of the
// section's last entry; or nil.
func addMappingFix(p *analysis.Pass, m newMapping) *analysis.Fix {
	a, _ := analysis.ParseARN(m.ARN)
	key := "mapRoles"
	if a.ResourceType() == "user" {
		key = "mapUsers"
	}
	for _, d := range authDocs(p) {
		model := authOf(p, d)
		for i, s := range model.Sections {
			if s.Name != key || s.Text == nil || s.Err != nil || s.Repair != nil || s.Unread != "" {
				continue
			}
			if s.Value != nil && s.Value.Style == 0 { // a plain or empty value: no lines to add to
				continue
			}
			var last *yaml.Node
			for _, mp := range model.Mappings {
				if mp.sec == i {
					last = mp.Node
				}
			}
			text, ok := entryText(key, last, m)
			if !ok {
				continue
			}
			end := len(s.Text.Value)
			if end > 0 && !strings.HasSuffix(s.Text.Value, "\n") {
				text = "\n" + text
			}
			return &analysis.Fix{Summary: "Add " + m.ARN + " to " + key, Edits: []analysis.Edit{s.Text.Edit(end, end, text)}}
		}
	}
	return nil
}

// entryText writes m as a list item in the style of the section's last
// entry (nil for an empty section): its indentation, key order and
// quoting.
func entryText(section string, last *yaml.Node, m newMapping) (string, bool) {
	arnKey := arnField(section)
	style := entryStyle{item: 0, key: 2, group: 4, order: []string{arnKey, "username", "groups"}}
	if last != nil {
		if last.Kind != yaml.MappingNode || last.Style&yaml.FlowStyle != 0 {
			return "", false
		}
		style = styleOf(last, arnKey)
	}
	q := func(v string) string {
		if style.quoted {
			return `"` + v + `"`
		}
		return v
	}
	pad := func(n int) string { return strings.Repeat(" ", max(n, 0)) }
	var b strings.Builder
	for i, k := range style.order {
		if i == 0 {
			b.WriteString(pad(style.item) + "- " + pad(style.key-style.item-2))
		} else {
			b.WriteString(pad(style.key))
		}
		switch k {
		case arnKey:
			b.WriteString(q(k) + ": " + q(m.ARN) + "\n")
		case "username":
			b.WriteString(q(k) + ": " + q(m.Username) + "\n")
		case "groups":
			b.WriteString(q(k) + ":\n")
			for _, g := range m.Groups {
				b.WriteString(pad(style.group) + "- " + q(g) + "\n")
			}
		}
	}
	return b.String(), true
}

// entryStyle is how an aws-auth section writes its entries: the columns
// (0-based) of the item dash, the keys and the group dashes, the key order
// and whether keys are quoted (terraform's yamlencode quotes them).
type entryStyle struct {
	item, key, group int
	order            []string
	quoted           bool
}

func styleOf(entry *yaml.Node, arnKey string) entryStyle {
	st := entryStyle{key: entry.Column - 1}
	st.item = max(st.key-2, 0)
	st.group = st.key + 2
	for i := 0; i+1 < len(entry.Content); i += 2 {
		k, v := entry.Content[i], analysis.Resolve(entry.Content[i+1])
		name := strings.ToLower(k.Value)
		switch {
		case name == "rolearn" || name == "userarn":
			st.order = append(st.order, arnKey)
		case name == "username" || name == "groups":
			st.order = append(st.order, name)
		}
		if i == 0 {
			st.quoted = k.Style&yaml.DoubleQuotedStyle != 0
		}
		if name == "groups" && v != nil && v.Kind == yaml.SequenceNode && len(v.Content) > 0 {
			st.group = max(v.Content[0].Column-3, 0)
		}
	}
	for _, k := range []string{arnKey, "username", "groups"} {
		if !slices.Contains(st.order, k) {
			st.order = append(st.order, k)
		}
	}
	return st
}
