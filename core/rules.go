package core

import (
	"fmt"
	"strings"

	"github.com/eksdoctor/eksdoctor/fixes"
)

// Version is the eksdoctor version, set at build time with
// -ldflags "-X github.com/eksdoctor/eksdoctor/core.Version=…".
var Version = "dev"

// RuleInfo describes a rule for people: what rules() returns to
// JavaScript and what the site renders its rule docs from.
type RuleInfo struct {
	ID         string   `json:"id"`
	Title      string   `json:"title"`
	Severity   string   `json:"severity"`
	Kinds      []string `json:"kinds"`
	Doc        string   `json:"doc"`
	References []string `json:"references"`
}

// Rules lists every rule, sorted by ID.
func Rules() []RuleInfo {
	out := make([]RuleInfo, 0, len(fixes.All))
	for _, r := range fixes.All {
		info := RuleInfo{ID: r.ID, Title: r.Title, Severity: string(r.Severity), Doc: r.Doc,
			Kinds: []string{}, References: append([]string{}, r.Refs...)}
		for _, k := range r.Kinds {
			info.Kinds = append(info.Kinds, string(k))
		}
		out = append(out, info)
	}
	return out
}

// KindsLeftOut returns the document kinds this build does not analyse:
// ["terraform"] when built with -tags noterraform, empty otherwise. Their
// documents are still split, classified and listed in a report, but the
// rules that read them are left out.
func KindsLeftOut() []string {
	kinds := []string{}
	for _, k := range fixes.LeftOut() {
		kinds = append(kinds, string(k))
	}
	return kinds
}

// RulesMarkdown renders every rule as a Markdown page: an index by family,
// then each rule with its severity, the kinds it reads, its doc and its
// references. docs/rules.md is this page.
func RulesMarkdown() string {
	var b strings.Builder
	rules := Rules()
	b.WriteString("# Rules\n\n")
	fmt.Fprintf(&b, "eksdoctor has %d rules. This page is generated from the registry (`fixes.All`); "+
		"`go test ./core -run TestRulesDoc -update` rewrites it.\n\n", len(rules))
	b.WriteString("| Rule | Severity | Title |\n|---|---|---|\n")
	for _, r := range rules {
		fmt.Fprintf(&b, "| [%s](#%s) | %s | %s |\n", r.ID, strings.ToLower(r.ID), r.Severity, r.Title)
	}
	for _, r := range rules {
		fmt.Fprintf(&b, "\n## %s\n\n**%s** · %s · reads %s\n\n%s\n", r.ID, r.Title, r.Severity, strings.Join(r.Kinds, ", "), r.Doc)
		if len(r.References) > 0 {
			b.WriteString("\nReferences:\n\n")
			for _, ref := range r.References {
				fmt.Fprintf(&b, "- <%s>\n", ref)
			}
		}
	}
	return b.String()
}
