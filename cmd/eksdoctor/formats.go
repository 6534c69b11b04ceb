package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"sort"

	"github.com/eksdoctor/eksdoctor/core"
)

// formats write the findings of a run to stdout, one per --format.
var formats = map[string]func(w io.Writer, results []*result, c *config) error{
	"text":   writeText,
	"json":   writeJSON,
	"report": writeReports,
	"sarif":  writeSARIF,
	"github": writeGitHub,
	"junit":  writeJUnit,
}

// formatNames lists the formats, sorted.
func formatNames() []string {
	names := make([]string, 0, len(formats))
	for name := range formats {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

// writeText writes one line per finding, FILE:LINE:COL: SEVERITY RULE
// message, each file's likeliest cause of its error first.
func writeText(w io.Writer, results []*result, _ *config) error {
	b := bufio.NewWriter(w)
	for _, r := range analysed(results) {
		if len(r.causes) > 0 {
			c := r.causes[0]
			f := r.findings[c.Finding]
			fmt.Fprintf(b, "%s:%d:%d: cause %s %s\n", r.path, f.Line, f.Column, f.Rule, c.Because)
		}
		for _, f := range r.findings {
			fmt.Fprintf(b, "%s:%d:%d: %s %s %s\n", r.path, f.Line, f.Column, f.Severity, f.Rule, f.Message)
		}
	}
	return b.Flush()
}

// jsonRun is --format json: one object for the whole run.
type jsonRun struct {
	Version    string           `json:"version"`
	Files      []jsonFile       `json:"files"`
	Findings   []jsonFinding    `json:"findings"`
	Causes     []jsonCause      `json:"causes"`
	Suppressed []jsonSuppressed `json:"suppressed"`
	Skipped    []jsonSkipped    `json:"skipped"`
	Summary    summary          `json:"summary"`
}

// jsonFile is an analysed input and the documents found in it.
type jsonFile struct {
	Path      string         `json:"path"`
	Documents []jsonDocument `json:"documents"`
}

type jsonDocument struct {
	Kind      string `json:"kind"`
	Title     string `json:"title"`
	StartLine int    `json:"startLine"`
	EndLine   int    `json:"endLine"`
}

// jsonFinding is a finding and its file. Fix is absent without a fix.
type jsonFinding struct {
	File      string   `json:"file"`
	ID        string   `json:"id"`
	Rule      string   `json:"rule"`
	Severity  string   `json:"severity"`
	Title     string   `json:"title"`
	Message   string   `json:"message"`
	Line      int      `json:"line"`
	Column    int      `json:"column"`
	EndLine   int      `json:"endLine"`
	EndColumn int      `json:"endColumn"`
	Fix       *jsonFix `json:"fix,omitempty"`
}

type jsonFix struct {
	Summary string `json:"summary"`
	Kind    string `json:"kind"`
}

// jsonCause is a finding that explains an error in its file: Finding
// indexes the run's findings.
type jsonCause struct {
	File    string `json:"file"`
	Finding int    `json:"finding"`
	ID      string `json:"id"`
	Because string `json:"because"`
}

type jsonSuppressed struct {
	jsonFinding
	Reason string `json:"reason"`
}

type jsonSkipped struct {
	Path   string `json:"path"`
	Reason string `json:"reason"`
}

// writeJSON writes the run as one JSON object.
func writeJSON(w io.Writer, results []*result, c *config) error {
	out := jsonRun{
		Version: version(), Files: []jsonFile{}, Findings: []jsonFinding{}, Causes: []jsonCause{},
		Suppressed: []jsonSuppressed{}, Skipped: []jsonSkipped{}, Summary: c.summarize(results),
	}
	for _, r := range results {
		if r.skipped != "" {
			out.Skipped = append(out.Skipped, jsonSkipped{r.path, r.skipped})
			continue
		}
		file := jsonFile{Path: r.path, Documents: []jsonDocument{}}
		for _, d := range r.documents {
			file.Documents = append(file.Documents, jsonDocument{d.Kind, d.Title, d.StartLine, d.EndLine})
		}
		out.Files = append(out.Files, file)
		for _, cause := range r.causes {
			f := r.findings[cause.Finding]
			out.Causes = append(out.Causes, jsonCause{r.path, len(out.Findings) + cause.Finding, f.ID, cause.Because})
		}
		for _, f := range r.findings {
			out.Findings = append(out.Findings, findingJSON(r.path, f))
		}
		for _, s := range r.suppressed {
			out.Suppressed = append(out.Suppressed, jsonSuppressed{findingJSON(r.path, s.Finding), s.Reason})
		}
	}
	return encodeJSON(w, out)
}

func findingJSON(path string, f core.Finding) jsonFinding {
	out := jsonFinding{
		File: path, ID: f.ID, Rule: f.Rule, Severity: f.Severity, Title: f.Title, Message: f.Message,
		Line: f.Line, Column: f.Column, EndLine: f.EndLine, EndColumn: f.EndColumn,
	}
	if f.Fixable {
		out.Fix = &jsonFix{f.Fix.Summary, f.Fix.Kind}
	}
	return out
}

// fileReport is one element of --format report: an input's path and
// core's report of it, as the page and the library get it (pseudonym
// space: core.Restore gives the real values).
type fileReport struct {
	File string `json:"file"`
	core.Report
}

// writeReports writes the full report of every analysed input as one
// JSON array, in input order, without the suppressed findings.
func writeReports(w io.Writer, results []*result, _ *config) error {
	out := []fileReport{}
	for _, r := range analysed(results) {
		out = append(out, fileReport{r.path, withoutSuppressed(r.report, r.suppressed)})
	}
	return encodeJSON(w, out)
}

// withoutSuppressed returns rep without the suppressed findings, its
// causes indexing what is left.
func withoutSuppressed(rep core.Report, suppressed []suppression) core.Report {
	if len(suppressed) == 0 {
		return rep
	}
	kept := []core.Finding{}
	index := map[int]int{} // from rep.Findings to kept
	for i, f := range rep.Findings {
		if !slices.ContainsFunc(suppressed, func(s suppression) bool { return s.ID == f.ID }) {
			index[i] = len(kept)
			kept = append(kept, f)
		}
	}
	causes := []core.Cause{}
	for _, c := range rep.Causes {
		if i, ok := index[c.Finding]; ok {
			causes = append(causes, core.Cause{Finding: i, Because: c.Because})
		}
	}
	rep.Findings, rep.Causes = kept, causes
	return rep
}

// encodeJSON writes v as indented JSON, leaving <, > and & as they are.
func encodeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
