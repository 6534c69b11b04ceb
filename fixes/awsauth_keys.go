package fixes

import (
	"slices"
	"strings"

	yaml "go.yaml.in/yaml/v3"
	sigsyaml "sigs.k8s.io/yaml"

	"github.com/eksdoctor/eksdoctor/analysis"
)

// The rules about keys and values: sections and entry keys the
// authenticator does not read, values of the wrong type, and group items
// that YAML folds together.

var authSectionKey = &analysis.Rule{
	ID:       "AUTH005",
	Title:    "aws-auth section the authenticator does not read",
	Severity: analysis.High,
	Kinds:    awsAuthKinds,
	Doc: "The authenticator reads exactly three keys of the ConfigMap's data, case-sensitively: mapRoles, mapUsers and " +
		"mapAccounts. MapRoles, maproles or map_roles, or a mapRoles placed beside data instead of under it, is ignored " +
		"without an error, so none of its principals can log in. Spell the key exactly and put it under data.",
	Refs: []string{authenticatorConfigMap, authConfigMapDoc},
	Run: func(p *analysis.Pass) {
		m := authOf(p, p.Doc)
		for i, s := range m.Sections {
			if s.Unread == "" || s.Key == nil && s.KeySpan == [2]int{} ||
				s.Err == nil && !slices.ContainsFunc(m.Mappings, func(mp authMapping) bool { return mp.sec == i }) {
				continue
			}
			start, end, rename := s.KeySpan[0], s.KeySpan[1], analysis.Edit{}
			if s.Key != nil {
				k := analysis.Locate(analysis.WholeText{Src: p.Src}, s.Key)
				start, end, rename = k.Start, k.End, k.Replace(s.Name)
			} else if key := p.Src.Text[start:end]; strings.HasPrefix(key, `"`) { // a Terraform key
				rename = analysis.Replace(start, end, `"`+s.Name+`"`)
			} else {
				rename = analysis.Replace(start, end, s.Name)
			}
			var fix *analysis.Fix
			if strings.Trim(p.Src.Text[start:end], `"`) != s.Name {
				fix = &analysis.Fix{Summary: "Rename the key to " + s.Name, Edits: []analysis.Edit{rename}}
			}
			p.Reportf(start, end, fix, "The authenticator ignores this section: %s. None of its entries apply.", s.Unread)
		}
	},
}

var authEntryKey = &analysis.Rule{
	ID:       "AUTH006",
	Title:    "aws-auth entry key the authenticator ignores or misreads",
	Severity: analysis.Medium,
	Kinds:    awsAuthKinds,
	Doc: "Each entry is decoded with Go's encoding/json into the fields rolearn (or userarn), username, groups, userid " +
		"and sso. Keys match case-insensitively on current EKS, but the authenticator releases 0.5.8 to 0.5.27 matched " +
		"them exactly, so roleARN or userARN silently dropped the entry there. Any other key (role_arn, arn, group, " +
		"userarn under mapRoles) is ignored: without its ARN the entry is dropped, without groups it maps no group. " +
		"Write the keys in lower case: rolearn or userarn, username, groups.",
	Refs: []string{authenticatorTypes, authenticatorConfigMap, "https://github.com/kubernetes-sigs/aws-iam-authenticator/issues/312"},
	Run: func(p *analysis.Pass) {
		for _, m := range authOf(p, p.Doc).Mappings {
			if m.Section == "iamIdentityMappings" {
				continue
			}
			for _, k := range m.Keys {
				checkEntryKey(p, m, k)
			}
		}
	},
}

// checkEntryKey reports one key that is not the lower-case name of a
// field: a case variant, an alias of a field, or an unknown key.
func checkEntryKey(p *analysis.Pass, m authMapping, k authKey) {
	key := k.Key.Value
	field := authField(m.Section, key)
	if field == key {
		return
	}
	rename := func(to string) *analysis.Fix {
		return &analysis.Fix{Summary: "Rename " + key + " to " + to, Edits: []analysis.Edit{k.Key.Replace(to)}}
	}
	if field != "" {
		p.Report(analysis.Finding{Start: k.Key.Start, End: k.Key.End, Severity: analysis.Low, Fix: rename(field), Message: key +
			" works on current EKS, where keys match case-insensitively, but authenticator releases 0.5.8 to 0.5.27 " +
			"ignored it. Write " + field + "."})
		return
	}
	target, severity, effect := "", analysis.Low, "it has no effect"
	switch n := normKey(key); {
	case slices.Contains(arnAliases, n):
		target, severity = arnField(m.Section), analysis.High
		effect = "the entry has no " + target + ", so the authenticator drops it (" + m.Entry.Drop + ")"
		if m.Entry.Drop == "" {
			target, severity, effect = "", analysis.Low, "it has no effect"
		}
	case slices.Contains(usernameAliases, n):
		target, severity, effect = "username", analysis.Medium, "the entry maps no username"
	case slices.Contains(groupsAliases, n):
		target, severity, effect = "groups", analysis.Medium, "the entry maps no groups"
	}
	for _, other := range m.Keys {
		if target != "" && authField(m.Section, other.Key.Value) == target {
			target, severity, effect = "", analysis.Low, "it has no effect"
		}
	}
	msg := "The authenticator ignores the key " + key + " in " + m.Section + ": " + effect + "."
	var fix *analysis.Fix
	if target != "" {
		fix = rename(target)
		msg += " Write " + target + "."
	}
	p.Report(analysis.Finding{Start: k.Key.Start, End: k.Key.End, Severity: severity, Fix: fix, Message: msg})
}

var authValueType = &analysis.Rule{
	ID:       "AUTH007",
	Title:    "aws-auth value the authenticator reads as the wrong type",
	Severity: analysis.High,
	Kinds:    awsAuthKinds,
	Doc: "groups must be a list and rolearn, userarn, username and each group a string. 'groups: system:masters' is a " +
		"string, and a bare yes, on, no or number is a boolean or number to the authenticator's YAML parser: encoding/json " +
		"then leaves the field empty, so the principal authenticates with no groups or no username and gets Forbidden. " +
		"Write groups as a list (one '- group' per line) and quote values YAML would not read as strings. mapAccounts is " +
		"a list of account ids: an item written as an object (- default: 111122223333) fails to decode, so the " +
		"authenticator logs 'Errors parsing configmap' and drops it, and eksctl's iamidentitymapping commands fail with " +
		"'unmarshalling mapAccounts'.",
	Refs: []string{authenticatorTypes, authenticatorConfigMap, authConfigMapDoc},
	Run: func(p *analysis.Pass) {
		model := authOf(p, p.Doc)
		for _, o := range model.AccountObjects {
			var fix *analysis.Fix
			if o.Rewrite != nil {
				fix = &analysis.Fix{Summary: "Write the account id alone", Edits: []analysis.Edit{*o.Rewrite}}
			}
			p.Report(analysis.Finding{Start: o.Start, End: o.End, Severity: analysis.Medium, Fix: fix, Message: "mapAccounts " +
				"items are account ids, and this one is an object: the authenticator cannot decode it into a string, so it " +
				"drops it and logs 'Errors parsing configmap', and eksctl's iamidentitymapping commands fail. Write the account id alone."})
		}
		for _, m := range model.Mappings {
			if len(m.Entry.Mistyped) == 0 {
				continue
			}
			if g := m.GroupsValue; g != nil && g.Kind == yaml.ScalarNode && slices.Contains(m.Entry.Mistyped, "groups") {
				reportGroupsString(p, m, g)
			}
			for _, s := range mistypedScalars(m) {
				start, end := s.At.Source().ScalarSpan(s.Node)
				p.Report(analysis.Finding{Start: s.Start, End: s.End, Fix: &analysis.Fix{Summary: "Quote " + s.Value,
					Edits: []analysis.Edit{s.At.Edit(start, end, `"`+s.Value+`"`)}},
					Message: s.Value + " is not a string to the authenticator's YAML parser, so the value is dropped. Quote it."})
			}
		}
	},
}

// reportGroupsString reports groups written as a string, with the fix that
// writes them as a block list (commas separate groups).
func reportGroupsString(p *analysis.Pass, m authMapping, g *yaml.Node) {
	s := analysis.Locate(m.at, g)
	src := m.at.Source()
	start, end := src.ScalarSpan(g)
	quote := src.Text[start:s.AtStart]
	for start > 0 && (src.Text[start-1] == ' ' || src.Text[start-1] == '\t') {
		start--
	}
	indent := "\n" + strings.Repeat(" ", groupKeyColumn(m)+2) + "- "
	var items []string
	for _, part := range strings.Split(g.Value, ",") {
		if part = strings.TrimSpace(part); part != "" {
			items = append(items, indent+quote+part+quote)
		}
	}
	var fix *analysis.Fix
	if len(items) > 0 {
		fix = &analysis.Fix{Summary: "Write groups as a list", Edits: []analysis.Edit{m.at.Edit(start, end, strings.Join(items, ""))}}
	}
	p.Report(analysis.Finding{Start: s.Start, End: s.End, Fix: fix, Message: "groups is the string " + quoteOr(g.Value, `""`) +
		", not a list, so the authenticator maps no groups for " + entryName(m) + "."})
}

// groupKeyColumn returns the 0-based column of the entry's groups key.
func groupKeyColumn(m authMapping) int {
	for _, k := range m.Keys {
		if k.Value == m.GroupsValue {
			return k.Key.Node.Column - 1
		}
	}
	return 0
}

// mistypedScalars returns the plain scalars of an entry that the
// authenticator's YAML parser does not read as strings.
func mistypedScalars(m authMapping) []analysis.Scalar {
	var out []analysis.Scalar
	check := func(s *analysis.Scalar) {
		if s != nil && s.Node.Style == 0 && !plainIsString(s.Value) {
			out = append(out, *s)
		}
	}
	check(m.ARN)
	check(m.Username)
	for i := range m.Groups {
		check(&m.Groups[i])
	}
	return out
}

// plainIsString reports whether a plain YAML scalar is a string to
// sigs.k8s.io/yaml (YAML 1.1: yes, on and numbers are not).
func plainIsString(v string) bool {
	j, err := sigsyaml.YAMLToJSON([]byte(v))
	return err == nil && len(j) > 0 && j[0] == '"'
}

// entryName names an entry in messages: its ARN, or its line.
func entryName(m authMapping) string {
	if m.ARN != nil && m.ARN.Value != "" {
		return m.ARN.Value
	}
	return "this entry"
}

var authMergedGroups = &analysis.Rule{
	ID:       "AUTH008",
	Title:    "over-indented group item merges two groups",
	Severity: analysis.High,
	Kinds:    awsAuthKinds,
	Doc: "A group item indented one space deeper than the item above it is not a new item: YAML folds the line into " +
		"the previous value, so '- system:bootstrappers' followed by ' - system:nodes' becomes the single group " +
		"'system:bootstrappers - system:nodes'. The text still parses, so nothing warns you, but the principal gets " +
		"neither group; a node role mapped this way cannot join. Line the items up under each other.",
	Refs: []string{"https://github.com/kubernetes-sigs/aws-iam-authenticator/blob/master/pkg/mapper/configmap/yaml/aws-auth-space-out-of-place.yaml",
		authConfigMapDoc},
	Run: func(p *analysis.Pass) {
		for _, m := range authOf(p, p.Doc).Mappings {
			for _, g := range m.Groups {
				if lines := foldedItemLines(g); len(lines) > 0 {
					reportMergedGroup(p, g, lines)
				}
			}
		}
	},
}

// foldedItemLines returns the lines that YAML folded into the plain
// scalar g and that start with "- ": items indented too deep.
func foldedItemLines(g analysis.Scalar) []int {
	if g.Node.Style != 0 || !strings.Contains(g.Value, " - ") {
		return nil
	}
	src := g.At.Source()
	rest := strings.TrimPrefix(g.Value, strings.TrimRight(src.Text[g.AtStart:src.LineEnd(g.Node.Line)], " \t"))
	var lines []int
	for line := g.Node.Line + 1; rest != "" && line <= src.Lines(); line++ {
		content := strings.TrimSpace(src.Line(line))
		if !strings.HasPrefix(rest, " "+content) {
			return nil
		}
		rest = rest[len(content)+1:]
		if strings.HasPrefix(content, "- ") {
			lines = append(lines, line)
		}
	}
	return lines
}

func reportMergedGroup(p *analysis.Pass, g analysis.Scalar, lines []int) {
	src := g.At.Source()
	itemIndent := strings.Repeat(" ", analysis.IndentOf(src.Line(g.Node.Line)))
	fix := &analysis.Fix{Summary: "Line up the group items"}
	for _, line := range lines {
		text := src.Line(line)
		fix.Edits = append(fix.Edits, g.At.Edit(src.LineStart(line), src.LineStart(line)+len(text)-len(strings.TrimLeft(text, " \t")), itemIndent))
	}
	parts := strings.Split(g.Value, " - ")
	p.Reportf(g.Start, g.End, fix, "%q is one group: the next item is indented deeper than this one, so YAML folds it "+
		"into this value. The principal gets none of %s.", g.Value, strings.Join(parts, ", "))
}
