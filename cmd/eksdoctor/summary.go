package main

import (
	"fmt"
	"io"
	"maps"
	"strings"

	"github.com/eksdoctor/eksdoctor/core"
)

// severities are the severity names, most serious first.
var severities = []string{"critical", "high", "medium", "low", "info"}

// writeNotes writes to w what the findings leave out: skipped inputs
// (those named on the command line always, the others with -v) and, with
// -v, each input's documents and suppressed findings.
func (c *config) writeNotes(w io.Writer, results []*result) {
	for _, r := range results {
		if r.skipped != "" {
			if r.named || c.verbose {
				fmt.Fprintf(w, "%s: skipped: %s\n", r.path, r.skipped)
			}
			continue
		}
		if !c.verbose {
			continue
		}
		for _, d := range r.documents {
			fmt.Fprintf(w, "%s:%d-%d: [%s] %s\n", r.path, d.StartLine, d.EndLine, d.Kind, d.Title)
		}
		for _, s := range r.suppressed {
			fmt.Fprintf(w, "%s:%d:%d: suppressed %s %s (%s)\n", r.path, s.Line, s.Column, s.Rule, s.Message, s.Reason)
		}
	}
}

// summary counts what a run did.
type summary struct {
	Files      int            `json:"files"`
	Analysed   int            `json:"analysed"`
	Skipped    int            `json:"skipped"`
	Findings   map[string]int `json:"findings"` // by severity, every severity present
	Suppressed int            `json:"suppressed"`
	Fixed      int            `json:"fixed"` // findings whose fixes --fix wrote
}

// summarize counts the results.
func (c *config) summarize(results []*result) summary {
	s := summary{Files: len(results), Findings: map[string]int{}}
	for _, sev := range severities {
		s.Findings[sev] = 0
	}
	for _, r := range results {
		if r.skipped != "" {
			s.Skipped++
			continue
		}
		s.Analysed++
		s.Suppressed += len(r.suppressed)
		for _, f := range r.findings {
			s.Findings[f.Severity]++
			if c.fixes(r, f) {
				s.Fixed++
			}
		}
	}
	return s
}

// writeSummary writes the run's summary line, and how to get the files
// the rules generated when --artifacts did not ask for them. It goes to
// stderr, as trivy's and kube-linter's do, so that stdout holds the
// chosen format alone.
func writeSummary(w io.Writer, results []*result, c *config) {
	s := c.summarize(results)
	var counts []string
	for _, sev := range severities {
		if n := s.Findings[sev]; n > 0 {
			counts = append(counts, fmt.Sprintf("%d %s", n, sev))
		}
	}
	findings := "no findings"
	if len(counts) > 0 {
		findings = plural(sum(s.Findings), "finding") + " (" + strings.Join(counts, ", ") + ")"
	}
	line := fmt.Sprintf("eksdoctor: %s analysed, %d skipped; %s", plural(s.Analysed, "file"), s.Skipped, findings)
	if s.Suppressed > 0 {
		line += fmt.Sprintf(", %d suppressed", s.Suppressed)
	}
	if s.Fixed > 0 {
		line += fmt.Sprintf("; fixed %s", plural(s.Fixed, "finding"))
	}
	fmt.Fprintln(w, line+".")
	if n := countArtifacts(results); n > 0 && c.artifacts == "" {
		fmt.Fprintf(w, "eksdoctor: the rules generated %s (migration plans, example Roles); write them with --artifacts DIR.\n", plural(n, "file"))
	}
}

// countArtifacts counts the files the rules generated for the analysed
// inputs.
func countArtifacts(results []*result) (n int) {
	for _, r := range analysed(results) {
		n += len(r.report.Artifacts)
	}
	return n
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

func sum(m map[string]int) (n int) {
	for v := range maps.Values(m) {
		n += v
	}
	return n
}

// severityRank is core.SeverityRank for names known to be severities.
func severityRank(name string) int {
	rank, _ := core.SeverityRank(name)
	return rank
}
