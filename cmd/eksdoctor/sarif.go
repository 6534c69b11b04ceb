package main

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/eksdoctor/eksdoctor/core"
)

// SARIF 2.1.0 (https://docs.oasis-open.org/sarif/sarif/v2.1.0/), the
// part of it code scanning services read. Columns count Unicode code
// points, as the report's do.

const (
	sarifSchema  = "https://json.schemastore.org/sarif-2.1.0.json"
	sarifVersion = "2.1.0"
	srcRoot      = "%SRCROOT%"
	homepage     = "https://github.com/eksdoctor/eksdoctor"
)

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool       sarifTool     `json:"tool"`
	ColumnKind string        `json:"columnKind"`
	Results    []sarifResult `json:"results"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	Version        string      `json:"version"`
	InformationURI string      `json:"informationUri"`
	Rules          []sarifRule `json:"rules"`
}

type sarifRule struct {
	ID                   string          `json:"id"`
	Name                 string          `json:"name"`
	ShortDescription     sarifText       `json:"shortDescription"`
	FullDescription      sarifText       `json:"fullDescription"`
	Help                 sarifText       `json:"help"`
	HelpURI              string          `json:"helpUri,omitempty"`
	DefaultConfiguration sarifRuleConfig `json:"defaultConfiguration"`
	Properties           sarifRuleProps  `json:"properties"`
}

type sarifText struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown,omitempty"`
}

type sarifRuleConfig struct {
	Level string `json:"level"`
}

// sarifRuleProps carry the tags and, for GitHub code scanning, the
// severity as a CVSS-like score.
type sarifRuleProps struct {
	Tags             []string `json:"tags"`
	SecuritySeverity string   `json:"security-severity"`
}

type sarifResult struct {
	RuleID              string            `json:"ruleId"`
	RuleIndex           int               `json:"ruleIndex"`
	Level               string            `json:"level"`
	Message             sarifText         `json:"message"`
	Locations           []sarifLocation   `json:"locations"`
	PartialFingerprints map[string]string `json:"partialFingerprints"`
	Fixes               []sarifFix        `json:"fixes,omitempty"`
}

type sarifLocation struct {
	PhysicalLocation sarifPhysical `json:"physicalLocation"`
}

type sarifPhysical struct {
	ArtifactLocation sarifArtifact `json:"artifactLocation"`
	Region           sarifRegion   `json:"region"`
}

type sarifArtifact struct {
	URI       string `json:"uri"`
	URIBaseID string `json:"uriBaseId,omitempty"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn"`
	EndLine     int `json:"endLine"`
	EndColumn   int `json:"endColumn"`
}

type sarifFix struct {
	Description     sarifText             `json:"description"`
	ArtifactChanges []sarifArtifactChange `json:"artifactChanges"`
}

type sarifArtifactChange struct {
	ArtifactLocation sarifArtifact      `json:"artifactLocation"`
	Replacements     []sarifReplacement `json:"replacements"`
}

type sarifReplacement struct {
	DeletedRegion   sarifRegion `json:"deletedRegion"`
	InsertedContent sarifText   `json:"insertedContent"`
}

// sarifLevels map severities to SARIF levels, as --format github does.
var sarifLevels = map[string]string{"critical": "error", "high": "error", "medium": "warning", "low": "warning", "info": "note"}

// securitySeverity scores severities for GitHub code scanning, which
// shows 9.0 and above as critical, 7.0 high, 4.0 medium, above 0 low.
var securitySeverity = map[string]string{"critical": "9.5", "high": "8.0", "medium": "5.5", "low": "3.0", "info": "0.0"}

// writeSARIF writes the run as a SARIF log with every rule in the
// driver and one result per finding.
func writeSARIF(w io.Writer, results []*result, c *config) error {
	rules := core.Rules()
	index := map[string]int{}
	driver := sarifDriver{Name: "eksdoctor", Version: version(), InformationURI: homepage, Rules: []sarifRule{}}
	for i, r := range rules {
		index[r.ID] = i
		driver.Rules = append(driver.Rules, sarifRuleOf(r))
	}
	run := sarifRun{Tool: sarifTool{driver}, ColumnKind: "unicodeCodePoints", Results: []sarifResult{}}
	wd, _ := os.Getwd()
	for _, r := range analysed(results) {
		loc := artifactOf(r.input, wd)
		lines := strings.Split(r.text, "\n")
		fixes := map[string]sarifFix{}
		if r.file != "" {
			fixes = c.sarifFixes(r, loc)
		}
		seen := map[string]int{}
		for _, f := range r.findings {
			res := sarifResult{
				RuleID: f.Rule, RuleIndex: index[f.Rule], Level: sarifLevels[f.Severity],
				Message:             sarifText{Text: f.Message},
				Locations:           []sarifLocation{{sarifPhysical{loc, regionOf(f.Line, f.Column, f.EndLine, f.EndColumn)}}},
				PartialFingerprints: map[string]string{"eksdoctor/v1": fingerprint(seen, r.path, lines, f)},
			}
			if fix, ok := fixes[f.ID]; ok {
				res.Fixes = []sarifFix{fix}
			}
			run.Results = append(run.Results, res)
		}
	}
	return encodeJSON(w, sarifLog{sarifSchema, sarifVersion, []sarifRun{run}})
}

// sarifRuleOf describes a rule for SARIF consumers.
func sarifRuleOf(r core.RuleInfo) sarifRule {
	family := strings.TrimRight(r.ID, "0123456789")
	out := sarifRule{
		ID: r.ID, Name: r.ID, ShortDescription: sarifText{Text: r.Title},
		FullDescription: sarifText{Text: r.Doc}, Help: sarifText{Text: r.Doc, Markdown: helpMarkdown(r)},
		DefaultConfiguration: sarifRuleConfig{sarifLevels[r.Severity]},
		Properties: sarifRuleProps{
			Tags:             append([]string{"security", "eks", strings.ToLower(family)}, r.Kinds...),
			SecuritySeverity: securitySeverity[r.Severity],
		},
	}
	if len(r.References) > 0 {
		out.HelpURI = r.References[0]
	}
	return out
}

// helpMarkdown is a rule's doc and its references as Markdown.
func helpMarkdown(r core.RuleInfo) string {
	var b strings.Builder
	fmt.Fprintf(&b, "**%s** (%s)\n\n%s\n", r.Title, r.Severity, r.Doc)
	for i, ref := range r.References {
		if i == 0 {
			b.WriteString("\nReferences:\n\n")
		}
		fmt.Fprintf(&b, "- <%s>\n", ref)
	}
	return b.String()
}

// artifactOf locates an input for SARIF: a path relative to the working
// directory under %SRCROOT% when it is inside it, else a file URI.
func artifactOf(in input, wd string) sarifArtifact {
	if in.file == "" {
		return sarifArtifact{URI: "stdin"}
	}
	abs, err := filepath.Abs(in.file)
	if err != nil {
		return sarifArtifact{URI: uriPath(in.path)}
	}
	if rel, err := filepath.Rel(wd, abs); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return sarifArtifact{URI: uriPath(filepath.ToSlash(rel)), URIBaseID: srcRoot}
	}
	return sarifArtifact{URI: (&url.URL{Scheme: "file", Path: filepath.ToSlash(abs)}).String()}
}

// uriPath escapes a slash path for a relative URI reference.
func uriPath(p string) string {
	return (&url.URL{Path: p}).EscapedPath()
}

// regionOf is a SARIF region; an empty one (an insertion point) has its
// end at its start.
func regionOf(line, col, endLine, endCol int) sarifRegion {
	if endLine < line || endLine == line && endCol < col {
		endLine, endCol = line, col
	}
	return sarifRegion{line, col, endLine, endCol}
}

// fingerprint identifies a finding across runs whatever lines move: its
// rule, its file and the text of its first line, numbered among the
// file's findings with the same three.
func fingerprint(seen map[string]int, path string, lines []string, f core.Finding) string {
	line := ""
	if f.Line <= len(lines) {
		line = strings.TrimSpace(lines[f.Line-1])
	}
	sum := sha256.Sum256([]byte(f.Rule + "\x00" + path + "\x00" + line))
	key := hex.EncodeToString(sum[:16])
	seen[key]++
	return fmt.Sprintf("%s:%d", key, seen[key])
}

// sarifFixes returns the fixes of r's findings by finding ID as SARIF
// changes to loc, with the values the output shows. A fix that would
// write a secret, which SARIF must not carry, is left out.
func (c *config) sarifFixes(r *result, loc sarifArtifact) map[string]sarifFix {
	var texts []string
	for _, f := range r.findings {
		for _, e := range f.Fix.Edits {
			texts = append(texts, e.Text)
		}
	}
	real, identified := restoreAll(core.Restore, r.text, texts), restoreAll(core.RestoreIdentifiers, r.text, texts)
	shown := identified
	if c.redact {
		shown = texts
	}
	fixes := map[string]sarifFix{}
	i := 0
	for _, f := range r.findings {
		change := sarifArtifactChange{ArtifactLocation: loc}
		ok := f.Fixable
		for _, e := range f.Fix.Edits {
			ok = ok && real[i] == identified[i]
			change.Replacements = append(change.Replacements, sarifReplacement{
				DeletedRegion:   regionOf(e.Line, e.Column, e.EndLine, e.EndColumn),
				InsertedContent: sarifText{Text: shown[i]},
			})
			i++
		}
		if ok {
			fixes[f.ID] = sarifFix{sarifText{Text: f.Fix.Summary}, []sarifArtifactChange{change}}
		}
	}
	return fixes
}
