package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/eksdoctor/eksdoctor/core"
	"github.com/eksdoctor/eksdoctor/internal/suppress"
)

// config is what the analyze flags ask for.
type config struct {
	format    string
	threshold int // the severity rank --fail-on fails at
	verbose   bool
	redact    bool // pseudonyms for identifiers too; no values restored
	harden    bool // hardening fixes too, in --diff, --fix and the report
	fix       fixMode
	diff      bool
	artifacts string
	sel       selection
	filter    filter
	// policy is what suppresses findings (filter applies it), and
	// baseline the file --write-baseline records the findings into.
	policy   *suppress.Policy
	baseline string
	// baselineRead is the baseline file --baseline reads.
	baselineRead string
}

// noThreshold is the severity rank of --fail-on none: nothing reaches it.
const noThreshold = 99

const analyzeSynopsis = `[flags] [PATH...]

Reads each file named and, recursively and in lexical order, the files
under each directory named whose names say they may hold EKS material
(.yaml .yml .json .tf .md .txt .log, kubeconfig, *.kubeconfig,
.kube/config; --all-files for every file), skipping .git, node_modules,
vendor and .terraform. "-" reads stdin, as does no PATH. Empty, binary
and unrecognised files are skipped (counted in the summary, listed with
-v). --include and --exclude take path.Match patterns (* does not cross
a slash) matched against paths relative to the directory named, or
their parent directories; a pattern without a slash matches any one
path element ("*.md", "testdata"). Files named on the command line are
always read.

Findings go to stdout in --format; the summary, -v notes and errors to
stderr. Messages show the file's own account ids and names; secrets stay
masked. --diff, --fix and --artifacts give real values, secrets
included: they are your files. Exit status: 0 clean, 1 a finding at or
above --fail-on, 2 a usage or I/O error.

Flags:`

// analyze runs the analyze command.
func analyze(args []string, e env) int {
	c, paths, status, stop := parseAnalyze(args, e)
	if stop {
		return status
	}
	if len(paths) == 0 {
		paths = []string{"-"}
	}
	inputs, errs := collect(paths, c.sel)
	for _, err := range errs {
		fmt.Fprintf(e.stderr, "eksdoctor: %v\n", err)
		status = exitError
	}
	inputs = slices.DeleteFunc(inputs, c.leftOut)
	var results []*result
	for _, in := range inputs {
		r, err := c.analyzeInput(in, e.stdin)
		if err != nil {
			fmt.Fprintf(e.stderr, "eksdoctor: %v\n", err)
			status = exitError
			continue
		}
		for _, p := range r.problems {
			fmt.Fprintf(e.stderr, "eksdoctor: %s\n", p)
			status = exitError
		}
		results = append(results, r)
	}
	out := formats[c.format]
	if c.diff {
		out = writeDiff
	}
	if err := out(e.stdout, results, c); err != nil {
		fmt.Fprintf(e.stderr, "eksdoctor: %v\n", err)
		status = exitError
	}
	if err := c.writeFiles(results); err != nil {
		fmt.Fprintf(e.stderr, "eksdoctor: %v\n", err)
		status = exitError
	}
	if c.baseline != "" {
		if err := writeBaseline(c.baseline, c.policy, results); err != nil {
			fmt.Fprintf(e.stderr, "eksdoctor: %v\n", err)
			return exitError
		}
		fmt.Fprintf(e.stderr, "eksdoctor: recorded the findings in %s; --baseline %s suppresses them\n", c.baseline, c.baseline)
		return status
	}
	c.writeNotes(e.stderr, results)
	writeSummary(e.stderr, results, c)
	if b := c.policy.Baseline; b != nil && len(b.Stale()) > 0 {
		fmt.Fprintf(e.stderr, "eksdoctor: %d baseline entries match no finding any more (fixed, or the line changed); --write-baseline records a new one\n", len(b.Stale()))
	}
	if status == exitOK && slices.ContainsFunc(results, c.failing) {
		status = exitFindings
	}
	return status
}

// leftOut reports whether an input found under a directory is one to
// leave out: excluded by the config file, or eksdoctor's own config or
// baseline.
func (c *config) leftOut(in input) bool {
	if in.file == "" || in.named {
		return false
	}
	own := filepath.Base(in.file) == suppress.ConfigName || sameFile(in.file, c.baseline) || sameFile(in.file, c.baselineRead)
	return own || c.policy.Excluded(in.file)
}

// sameFile reports whether two paths name the same file; "" names none.
func sameFile(a, b string) bool {
	if a == "" || b == "" {
		return false
	}
	x, errA := os.Stat(a)
	y, errB := os.Stat(b)
	return errA == nil && errB == nil && os.SameFile(x, y)
}

// parseAnalyze reads the analyze flags and returns the paths.
func parseAnalyze(args []string, e env) (c *config, paths []string, status int, stop bool) {
	fs := newFlags("analyze", analyzeSynopsis, e)
	c = &config{}
	fs.StringVar(&c.format, "format", "text", "output `format`: "+strings.Join(formatNames(), ", "))
	failOn := fs.String("fail-on", "high", "exit 1 when a finding at or above this `severity` exists: critical, high, medium, low, info or none")
	fs.BoolVar(&c.verbose, "v", false, "also list each input's documents, skipped inputs and suppressed findings (stderr)")
	fs.BoolVar(&c.redact, "redact", false, "show pseudonyms for account ids and role, user and cluster names too, as a share link does (secrets are always masked)")
	fs.BoolVar(&c.harden, "harden", false, "also apply hardening fixes, which take privilege away (repairs are always applied)")
	fs.Var(&c.fix, "fix", "write the repairs into the files; --fix=all adds the hardening fixes")
	fs.BoolVar(&c.diff, "diff", false, "print the fixes as a unified diff (git apply accepts it) instead of the findings")
	fs.StringVar(&c.artifacts, "artifacts", "", "write the files rules generate (migration plans, least-privilege Roles) under `DIR`")
	fs.Var((*globs)(&c.sel.include), "include", "read only files under a directory that match a `glob` (repeatable, comma-separated)")
	fs.Var((*globs)(&c.sel.exclude), "exclude", "skip files and directories that match a `glob` (repeatable, comma-separated)")
	fs.BoolVar(&c.sel.all, "all-files", false, "read every file under a directory, whatever its name")
	var sup suppressFlags
	sup.register(fs)
	paths, status, stop = parse(fs, args)
	if stop {
		return nil, nil, status, true
	}
	usageError := func(format string, args ...any) (*config, []string, int, bool) {
		fmt.Fprintf(e.stderr, "eksdoctor analyze: "+format+"\n", args...)
		return nil, nil, exitError, true
	}
	policy, err := sup.policy()
	if err != nil {
		return usageError("%v", err)
	}
	c.policy, c.filter, c.baseline, c.baselineRead = policy, policyFilter(policy), sup.writeBaseline, sup.baseline
	if policy.Config != nil && policy.Config.FailOn != "" && !flagSet(fs, "fail-on") {
		*failOn = policy.Config.FailOn
	}
	rank, ok := core.SeverityRank(*failOn)
	if *failOn == "none" {
		rank, ok = noThreshold, true
	}
	if !ok {
		return usageError("--fail-on %q is not a severity (critical, high, medium, low, info or none)", *failOn)
	}
	c.threshold = rank
	if formats[c.format] == nil {
		return usageError("--format %q is not one of %s", c.format, strings.Join(formatNames(), ", "))
	}
	c.harden = c.harden || c.fix == fixAll
	return c, paths, exitOK, false
}

// result is the analysis of one input.
type result struct {
	input
	text string
	// report is core's, in pseudonym space.
	report core.Report
	// findings are those the filter kept and suppressed those it did not,
	// with the values the output shows, as are causes, which index
	// findings, and documents.
	findings   []core.Finding
	suppressed []suppression
	// problems are what is wrong in its eksdoctor:ignore directives.
	problems  []string
	causes    []core.Cause
	documents []core.Document
	// skipped says why the input was not analysed, or is "".
	skipped string
}

// analyzeInput reads and analyses one input. Only an input that cannot
// be read, or that the core fails on, is an error; one that is empty,
// binary or holds nothing eksdoctor knows is skipped.
func (c *config) analyzeInput(in input, stdin io.Reader) (*result, error) {
	text, err := read(in, stdin)
	if err != nil {
		return nil, err
	}
	r := &result{input: in, text: text}
	opts := core.Options{RedactIdentifiers: c.redact, Harden: c.harden}
	r.report = core.Analyze(text, opts)
	if r.skipped = skipReason(text, r.report); r.skipped != "" {
		return r, nil
	}
	if r.report.Error != "" {
		return nil, fmt.Errorf("%s: %s", in.path, r.report.Error)
	}
	c.keep(r)
	if slices.ContainsFunc(r.suppressed, func(s suppression) bool { return s.Fix.Applied }) {
		// Fix exactly what is reported: no fix of a suppressed finding.
		opts.Apply = chosenFixes(r.findings, c.harden)
		r.report = core.Analyze(text, opts)
		c.keep(r)
	}
	return r, nil
}

// keep sets r's findings, suppressed findings, causes and documents from
// its report, with the values the output shows, through the filter.
func (c *config) keep(r *result) {
	rep := r.report
	all := slices.Clone(rep.Findings)
	causes := slices.Clone(rep.Causes)
	r.documents = slices.Clone(rep.Documents)
	if !c.redact {
		var texts []string
		for _, d := range r.documents {
			texts = append(texts, d.Title)
		}
		for _, f := range all {
			texts = append(texts, f.Message, f.Fix.Summary)
		}
		for _, cause := range causes {
			texts = append(texts, cause.Because)
		}
		texts = restoreAll(core.RestoreIdentifiers, r.text, texts)
		for i := range r.documents {
			r.documents[i].Title, texts = texts[0], texts[1:]
		}
		for i := range all {
			all[i].Message, all[i].Fix.Summary, texts = texts[0], texts[1], texts[2:]
		}
		for i := range causes {
			causes[i].Because, texts = texts[0], texts[1:]
		}
	}
	name := r.file
	if name == "" {
		name = r.path
	}
	r.findings, r.suppressed, r.problems = c.filter(name, r.text, all)
	r.causes = nil
	for _, cause := range causes {
		id := all[cause.Finding].ID
		if i := slices.IndexFunc(r.findings, func(f core.Finding) bool { return f.ID == id }); i >= 0 {
			r.causes = append(r.causes, core.Cause{Finding: i, Because: cause.Because})
		}
	}
}

// restoreAll applies restore (core.Restore or core.RestoreIdentifiers)
// to each of texts with original's values, redacting original once for
// all of them.
func restoreAll(restore func(original, text string) string, original string, texts []string) []string {
	const sep = "\x00" // never in an input the core analyses
	return strings.Split(restore(original, strings.Join(texts, sep)), sep)
}

// chosenFixes returns the IDs of the findings whose fixes to apply: the
// repairs, and the hardening fixes too when harden is set.
func chosenFixes(findings []core.Finding, harden bool) []string {
	ids := []string{}
	for _, f := range findings {
		if f.Fixable && (harden || f.Fix.Kind == "repair") {
			ids = append(ids, f.ID)
		}
	}
	return ids
}

// read reads an input whole, up to one byte past what the core accepts,
// so that the core tells it is too large.
func read(in input, stdin io.Reader) (string, error) {
	r := stdin
	if in.file != "" {
		f, err := os.Open(in.file)
		if err != nil {
			return "", err
		}
		defer f.Close()
		r = f
	}
	b, err := io.ReadAll(io.LimitReader(r, core.MaxInputBytes+1))
	if err != nil {
		return "", fmt.Errorf("%s: %v", in.path, err)
	}
	return string(b), nil
}

// skipReason says why an input with this report is skipped rather than
// reported on, or returns "" for one that was analysed (or that the core
// failed on).
func skipReason(text string, rep core.Report) string {
	switch {
	case rep.Error == "" && !rep.Recognised:
		return "nothing recognised"
	case rep.Error == "":
		return ""
	case strings.TrimSpace(text) == "":
		return "empty"
	case len(text) > core.MaxInputBytes:
		return fmt.Sprintf("larger than %d MiB", core.MaxInputBytes>>20)
	case core.Kinds(text) == nil: // refused as input, not failed on
		return "not text (binary, or not UTF-8)"
	}
	return ""
}

// failing reports whether r has a finding at or above --fail-on that
// --fix did not repair.
func (c *config) failing(r *result) bool {
	return slices.ContainsFunc(r.findings, func(f core.Finding) bool {
		return severityRank(f.Severity) >= c.threshold && !c.fixes(r, f)
	})
}

// fixes reports whether --fix writes the fix of r's finding f.
func (c *config) fixes(r *result, f core.Finding) bool {
	return c.fix != "" && r.file != "" && f.Fix.Applied
}

// analysed returns the results that were not skipped.
func analysed(results []*result) []*result {
	return slices.DeleteFunc(slices.Clone(results), func(r *result) bool { return r.skipped != "" })
}
