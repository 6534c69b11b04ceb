package fixes

import (
	"fmt"
	"strings"

	yaml "go.yaml.in/yaml/v3"

	"github.com/eksdoctor/eksdoctor/analysis"
)

// The rules about how aws-auth is written: what the authenticator cannot
// parse, does not read, or reads differently from what the text says.

var authUnparsable = &analysis.Rule{
	ID:       "AUTH003",
	Title:    "mapRoles or mapUsers the authenticator cannot parse",
	Severity: analysis.Critical,
	Kinds:    awsAuthKinds,
	Doc: "aws-iam-authenticator converts each section from YAML to JSON before it reads the entries. One syntax error " +
		"(a tab, an entry or group item indented too far or not far enough, an unquoted {{SessionName}} that YAML reads as " +
		"a mapping) and it drops the whole section without rejecting the ConfigMap: with mapRoles gone the node roles go " +
		"too, so nodes stop authenticating and turn NotReady, and every mapped role gets Unauthorized. The authenticator " +
		"logs it as 'Errors parsing configmap: [yaml: line N: …]'. Indent with spaces only, start each entry with '- ' and " +
		"line its keys up under the first one, and quote values that start with {{. Clusters created since mid-2023 reject " +
		"such a ConfigMap with a validating webhook; older ones accept it silently. An error on a line where a value was " +
		"masked before pasting is most likely the masking's, and is not reported.",
	Refs: []string{authenticatorConfigMap, authConfigMapDoc, authenticatorPR607,
		authenticatorDocs},
	Run: func(p *analysis.Pass) {
		m := authOf(p, p.Doc)
		for _, s := range m.Sections {
			if s.Err != nil && s.Text != nil {
				reportUnparsable(p, s)
			}
		}
		for _, mp := range m.Mappings {
			if m.Sections[mp.sec].Text == nil {
				reportFlowTemplates(p, mp)
			}
		}
	},
}

func reportUnparsable(p *analysis.Pass, s authSection) {
	line, col := unparsablePosition(s)
	at := s.Text.LineOffset(line, col)
	if maskedNear(p.Src, at) {
		return
	}
	cause := strings.TrimPrefix(yamlErrorLine.ReplaceAllString(s.Err.Msg, "yaml: $2"), "yaml: ")
	switch {
	case strings.Contains(s.Err.Msg, "invalid map key"):
		cause = "a value starting with {{ is unquoted, so YAML reads it as a mapping instead of a string"
	case strings.Contains(s.Err.Msg, "tab") || strings.Contains(s.Err.Msg, "cannot start any token"):
		cause = "a tab indents the line, and YAML allows only spaces"
	}
	logged := ""
	if yamlErrorLine.MatchString(s.Err.Msg) {
		logged = " (the authenticator logs \"" + s.Err.Msg + "\")"
	}
	f := analysis.Finding{Start: at, End: at, Message: fmt.Sprintf(
		"aws-iam-authenticator cannot parse %s: %s, at line %d, column %d of the block%s. It drops the whole section: %s.",
		s.Name, cause, line, col, logged, droppedConsequence(s.Name))}
	if s.Name == "mapUsers" {
		f.Severity = analysis.High
	}
	if s.Repair != nil {
		f.Fix = &analysis.Fix{Summary: "Repair the " + s.Name + " block (" + strings.Join(s.Repair.What, ", ") + ")"}
		for _, e := range s.Repair.Edits {
			f.Fix.Edits = append(f.Fix.Edits, s.Text.Edit(e.Start, e.End, e.New))
		}
	}
	p.Report(f)
}

// droppedConsequence says what losing a whole section does.
func droppedConsequence(section string) string {
	if section == "mapUsers" {
		return "every IAM user it maps gets Unauthorized"
	}
	return "every role it maps, node roles included, gets Unauthorized, so nodes stop authenticating and turn NotReady"
}

// unparsablePosition returns the 1-based line and column of the section's
// text where the authenticator's parser stopped: the tab, the unquoted
// {{, or the first character of the line.
func unparsablePosition(s authSection) (line, col int) {
	line = max(s.Err.Line, 1)
	src := analysis.NewSource(s.Text.Value)
	text := src.Line(line)
	col = len([]rune(text)) - len([]rune(strings.TrimLeft(text, " \t"))) + 1
	switch {
	case strings.Contains(s.Err.Msg, "invalid map key") && strings.Contains(text, "{{"):
		col = len([]rune(text[:strings.Index(text, "{{")])) + 1
	case strings.Contains(text, "\t") && (strings.Contains(s.Err.Msg, "tab") || strings.Contains(s.Err.Msg, "cannot start")):
		col = len([]rune(text[:strings.Index(text, "\t")])) + 1
	}
	return line, col
}

// reportFlowTemplates reports an unquoted {{…}} username or group in a
// section written as a YAML list, where it is a mapping, not a string.
func reportFlowTemplates(p *analysis.Pass, m authMapping) {
	var values []*yaml.Node
	for _, k := range m.Keys {
		switch {
		case k.Value == nil:
		case k.Value.Kind == yaml.SequenceNode:
			values = append(values, k.Value.Content...)
		default:
			values = append(values, k.Value)
		}
	}
	for _, v := range values {
		if v.Kind != yaml.MappingNode || v.Style&yaml.FlowStyle == 0 {
			continue
		}
		start := p.Src.NodeStart(v)
		rest := p.Src.Text[start:p.Src.LineEnd(p.Src.LineOf(start))]
		end := strings.Index(rest, "}}")
		if !strings.HasPrefix(rest, "{{") || end < 0 {
			continue
		}
		q, ok := quoteTemplate(rest)
		end += start + 2
		var fix *analysis.Fix
		if ok {
			fix = &analysis.Fix{Summary: "Quote " + p.Src.Text[start:end], Edits: []analysis.Edit{analysis.Insert(start, q), analysis.Insert(end, q)}}
		}
		p.Report(analysis.Finding{Start: start, End: end, Fix: fix, Severity: analysis.High, Message: p.Src.Text[start:end] +
			" is unquoted, so YAML reads it as a mapping, not a string, and the entry cannot be decoded. Quote it."})
	}
}

var authListNotString = &analysis.Rule{
	ID:       "AUTH004",
	Title:    "aws-auth section written as a YAML list, not a string",
	Severity: analysis.High,
	Kinds:    awsAuthKinds,
	Doc: "ConfigMap data values are strings, so mapRoles and mapUsers hold their entries as text: a literal block that " +
		"starts with 'mapRoles: |'. Without the '|' the entries become a YAML list, the API server refuses the ConfigMap " +
		"(cannot unmarshal array into Go struct field ConfigMap.data of type string) and none of the mappings reach " +
		"the authenticator. Add the '|' after the key and keep the entries indented below it.",
	Refs: []string{authConfigMapDoc, authenticatorConfigMap, "https://kubernetes.io/docs/concepts/configuration/configmap/"},
	Run: func(p *analysis.Pass) {
		m := authOf(p, p.Doc)
		if m.Form != formConfigMap {
			return
		}
		for _, s := range m.Sections {
			if s.Key == nil || s.Value.Kind == yaml.ScalarNode || s.Unread != "" {
				continue
			}
			start, end := p.Src.ScalarSpan(s.Key)
			fix := blockIndicatorFix(p, s)
			kind := "list"
			if s.Value.Kind == yaml.MappingNode {
				kind = "mapping"
			}
			p.Reportf(start, end, fix, "%s is a YAML %s, but ConfigMap data values must be strings: the | after %s: is missing. "+
				"The API server rejects the ConfigMap, so none of these mappings reach the authenticator.", s.Name, kind, s.Name)
		}
	},
}

// blockIndicatorFix turns a section written as a block YAML list into a
// literal block: it adds " |" after the key, and indents the list when it
// sits at the key's own column.
func blockIndicatorFix(p *analysis.Pass, s authSection) *analysis.Fix {
	if s.Value.Kind != yaml.SequenceNode || s.Value.Style&yaml.FlowStyle != 0 || s.Value.Line <= s.Key.Line {
		return nil
	}
	_, keyEnd := p.Src.ScalarSpan(s.Key)
	colon := strings.IndexByte(p.Src.Text[keyEnd:p.Src.LineEnd(s.Key.Line)], ':')
	if colon < 0 {
		return nil
	}
	fix := &analysis.Fix{Summary: "Add | to make " + s.Name + " a literal block", Edits: []analysis.Edit{analysis.Insert(keyEnd+colon+1, " |")}}
	keyCol := s.Key.Column - 1
	if s.Value.Column-1 > keyCol {
		if outdentedComment(p.Src, s.Value.Line, keyCol, s.Value.Column-1) {
			return nil
		}
		return fix
	}
	for line := s.Value.Line; line <= p.Src.Lines(); line++ {
		text := p.Src.Line(line)
		if strings.TrimSpace(text) == "" {
			continue
		}
		if ind := analysis.IndentOf(text); ind < keyCol || ind == keyCol && !strings.HasPrefix(text[ind:], "-") {
			break
		}
		fix.Edits = append(fix.Edits, analysis.Insert(p.Src.LineStart(line), "  "))
	}
	return fix
}

// outdentedComment reports whether a comment line indented less than col
// sits among the lines of a value that starts on line from and ends before
// the next line indented keyCol or less: YAML skips it in a list, but it
// would end a literal block there.
func outdentedComment(src *analysis.Source, from, keyCol, col int) bool {
	for line := from + 1; line <= src.Lines(); line++ {
		text := src.Line(line)
		trimmed := strings.TrimSpace(text)
		switch ind := analysis.IndentOf(text); {
		case trimmed == "":
		case strings.HasPrefix(trimmed, "#"):
			if ind < col {
				return true
			}
		case ind <= keyCol:
			return false
		}
	}
	return false
}
