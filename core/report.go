package core

import "github.com/eksdoctor/eksdoctor/analysis"

// SchemaVersion is the version of the Report format.
const SchemaVersion = 1

// Report is the result of Analyze: schema 1 of the report contract that
// the page, embedding pages and acceptance checks rely on. Fields are only
// ever added.
type Report struct {
	Schema    int        `json:"schema"`
	Documents []Document `json:"documents"`
	// Findings are sorted by line, then rule.
	Findings []Finding `json:"findings"`
	// Redacted is the input with pseudonyms in place of secrets and
	// identifiers; the input itself when redaction is off.
	Redacted   string      `json:"redacted"`
	Redactions []Redaction `json:"redactions"`
	// Fixed is the whole input with every non-conflicting repair applied
	// (hardening fixes too with Options.Harden; exactly the chosen ones
	// with Options.Apply), in pseudonym space; "" when nothing is fixed.
	Fixed string `json:"fixed"`
	// Diff is the unified diff from Redacted to Fixed.
	Diff string `json:"diff"`
	// Next are what to check, run or paste next.
	Next []Step `json:"next"`
	// Artifacts are files the rules generated, such as a migration plan.
	Artifacts []Artifact `json:"artifacts"`
	// Causes are the findings that explain an error the paste holds, most
	// likely first, each with a sentence tying it to the error; empty when
	// the paste holds no error.
	Causes []Cause `json:"causes"`
	// Recognised is false when nothing in the paste is EKS access
	// material (a ConfigMap, RBAC, a kubeconfig, a policy, an error a rule
	// knows…): "nothing recognised" rather than "no problems".
	Recognised bool `json:"recognised"`
	// Error is "" or a sentence saying why the input cannot be analysed.
	Error string `json:"error"`
}

// Cause is a finding that explains a pasted error: its index in
// Findings, and one sentence tying it to the error.
type Cause struct {
	Finding int    `json:"finding"`
	Because string `json:"because"`
}

// Document is one classified part of the input. Lines are 1-based lines
// of the input.
type Document struct {
	Index     int    `json:"index"`
	Kind      string `json:"kind"`
	Title     string `json:"title"`
	StartLine int    `json:"startLine"`
	EndLine   int    `json:"endLine"`
	// Format is the document's syntax: yaml, json, hcl or text.
	Format string `json:"format"`
	// Fixed is the document alone with the applied fixes that change it
	// (pseudonym space), to copy or save as Filename; both "" when no
	// applied fix changes it.
	Fixed    string `json:"fixed,omitempty"`
	Filename string `json:"filename,omitempty"`
}

// Finding is one problem found. Line and Column (1-based, columns in
// Unicode code points) are positions in the input; EndLine and EndColumn
// end the range it points at.
type Finding struct {
	// ID names the finding for choosing fixes (Options.Apply): its rule
	// and where it starts, e.g. "AUTH001@31:7", the same for the same
	// text whatever the options.
	ID        string     `json:"id"`
	Rule      string     `json:"rule"`
	Severity  string     `json:"severity"`
	Title     string     `json:"title"`
	Message   string     `json:"message"`
	Document  int        `json:"document"`
	Line      int        `json:"line"`
	Column    int        `json:"column"`
	EndLine   int        `json:"endLine"`
	EndColumn int        `json:"endColumn"`
	Fixable   bool       `json:"fixable"`
	Fix       FixSummary `json:"fix"`
	// Folded, when not 0, is how many findings of the rule this one
	// stands for: a report lists the first 100 findings of a rule one by
	// one and folds the rest into one, the first of them, whose message
	// counts them and whose fix lists no edits (Fixed and Diff hold them
	// all; Options.Apply with its ID applies them all).
	Folded int `json:"folded,omitempty"`
}

// FixSummary describes a finding's fix. Summary is "" when the finding
// has none; Applied says whether Report.Fixed includes it (a hardening
// fix without Options.Harden, a fix Options.Apply does not choose, or one
// that conflicts with an earlier one, is left out). Kind is "repair" (restores what was intended) or
// "harden" (takes privilege away), "" without a fix.
type FixSummary struct {
	Summary string `json:"summary"`
	Applied bool   `json:"applied"`
	Kind    string `json:"kind"`
	// Edits are the fix's changes to the input, in input order; absent
	// without a fix.
	Edits []FixEdit `json:"edits,omitempty"`
}

// FixEdit is one change a fix makes: the input's text from Line:Column up
// to EndLine:EndColumn (1-based, columns in Unicode code points, the end
// excluded; equal for an insertion) becomes Text. Positions are in the
// input as given; Text is in pseudonym space, like Report.Fixed (Restore
// gives the real values).
type FixEdit struct {
	Line      int    `json:"line"`
	Column    int    `json:"column"`
	EndLine   int    `json:"endLine"`
	EndColumn int    `json:"endColumn"`
	Text      string `json:"text"`
}

// Step is a next step a report suggests: something to check, run or
// paste.
type Step struct {
	Title  string `json:"title"`
	Detail string `json:"detail"`
	// Command is an exact command to copy and run, or "".
	Command string `json:"command"`
}

// Artifact is a file a rule generated for the person to download or
// copy: a migration plan, a least-privilege Role, a Terraform block.
type Artifact struct {
	Title string `json:"title"`
	// Filename is a suggested file name; its extension says the format.
	Filename string `json:"filename"`
	Content  string `json:"content"`
}

// Redaction counts the occurrences of one pseudonym. It never carries the
// original value.
type Redaction struct {
	Kind        string `json:"kind"`
	Placeholder string `json:"placeholder"`
	Count       int    `json:"count"`
}

// ErrorReport is the report of an input that cannot be analysed: msg in
// Error and every list empty.
func ErrorReport(msg string) Report {
	return Report{
		Schema: SchemaVersion, Documents: []Document{}, Findings: []Finding{},
		Redactions: []Redaction{}, Next: []Step{}, Artifacts: []Artifact{}, Causes: []Cause{}, Error: msg,
	}
}

// SeverityRank orders the severity names of the report: "critical" is 4,
// "info" 0; ok is false for a name that is not a severity.
func SeverityRank(name string) (rank int, ok bool) {
	sev, ok := analysis.ParseSeverity(name)
	return sev.Rank(), ok
}
