// Package core is eksdoctor's public API: Analyze reads what a person
// pasted and returns a Report; Restore puts their real values back into
// text from a report. It splits the paste into documents, classifies them,
// redacts secrets before anything else reads them, runs the rules and
// applies their fixes.
package core

import (
	"cmp"
	"encoding/json"
	"fmt"
	"runtime"
	"slices"
	"sort"
	"strings"

	"github.com/eksdoctor/eksdoctor/analysis"

	"github.com/eksdoctor/eksdoctor/fixes"
	"github.com/eksdoctor/eksdoctor/redact"
)

// Options control an analysis. The zero value is the safe default:
// secrets and account identifiers are redacted.
type Options struct {
	// KeepSecrets turns redaction off (JSON: "redact": false), for callers
	// that analyse their own text locally and want real values in the report.
	KeepSecrets bool
	// RedactIdentifiers also replaces role, user and cluster names
	// (JSON: "redactIdentifiers": true).
	RedactIdentifiers bool
	// Harden applies hardening fixes too (JSON: "harden": true); by
	// default Report.Fixed holds repairs only.
	Harden bool
	// Apply, when not nil, chooses the fixes to apply instead (JSON:
	// "apply": ["AUTH001@31:7", …]): those of the findings with these IDs,
	// repairs and hardening alike; an empty, non-nil list applies none.
	Apply []string
}

// ParseOptions reads options from the JSON the JavaScript API takes,
// e.g. {"redact": true}. Absent fields keep their defaults; "" is the
// defaults.
func ParseOptions(text string) (Options, error) {
	var raw struct {
		Redact            *bool     `json:"redact"`
		RedactIdentifiers bool      `json:"redactIdentifiers"`
		Harden            bool      `json:"harden"`
		Apply             *[]string `json:"apply"`
	}
	if text != "" {
		if err := json.Unmarshal([]byte(text), &raw); err != nil {
			return Options{}, fmt.Errorf("options are not valid JSON: %v", err)
		}
	}
	opts := Options{KeepSecrets: raw.Redact != nil && !*raw.Redact, RedactIdentifiers: raw.RedactIdentifiers, Harden: raw.Harden}
	if raw.Apply != nil {
		opts.Apply = append([]string{}, *raw.Apply...)
	}
	return opts, nil
}

// Analyze reads text, which may hold several documents (a markdown issue,
// a YAML stream, concatenated JSON, Terraform, error output), and reports
// what each part is, what is wrong, and the fixed text. It never panics:
// an internal error becomes Report.Error.
func Analyze(text string, opts Options) Report {
	return analyze(text, opts, fixes.All)
}

// AnalyzeUnlessLeftOut is Analyze for a build that leaves kinds out
// (KindsLeftOut): when text holds a document of one of them, it stops as
// soon as the text is split, which is where an analysis starts, and ok is
// false: another build has to analyse it. It never panics.
func AnalyzeUnlessLeftOut(text string, opts Options) (rep Report, ok bool) {
	return analyzeUnless(text, opts, fixes.All, fixes.LeftOut())
}

// Kinds returns the kind of each document of text, in order, split and
// classified as Analyze does but without redaction or rules, or nil when
// Analyze would refuse the input. With KindsLeftOut it tells whether this
// build analyses the whole paste. It never panics.
func Kinds(text string) (kinds []string) {
	defer func() {
		if recover() != nil {
			kinds = nil
		}
	}()
	if checkInput(text) != "" {
		return nil
	}
	for _, d := range inputOf(text).Docs {
		kinds = append(kinds, string(d.Kind))
	}
	return kinds
}

// HoldsLeftOut reports whether text holds a document of a kind this build
// leaves out (KindsLeftOut), as Kinds would tell, for a small part of its
// cost: it cuts the text into blocks and parses none of them. The kinds a
// build leaves out must be kinds that cutting decides; another kind makes
// it fall back on Kinds. It never panics.
func HoldsLeftOut(text string) bool {
	return holdsKinds(text, fixes.LeftOut())
}

// holdsKinds reports whether text holds a document of one of kinds.
func holdsKinds(text string, kinds []analysis.Kind) (holds bool) {
	defer func() {
		if recover() != nil {
			holds = false
		}
	}()
	if len(kinds) == 0 || checkInput(text) != "" {
		return false
	}
	if slices.ContainsFunc(kinds, func(k analysis.Kind) bool { return !slices.Contains(cutKinds, k) }) {
		return slices.ContainsFunc(Kinds(text), func(k string) bool { return slices.Contains(kinds, analysis.Kind(k)) })
	}
	src := analysis.NewSource(afterPlans(readable(text)))
	for _, b := range blocks(src, splitFiles(src)) {
		if slices.Contains(kinds, cutKind(b)) && src.CheckDepth(b.start, b.end, b.format) == nil {
			return true
		}
	}
	return false
}

// analyze is Analyze with the rules to run.
func analyze(text string, opts Options, rules []*analysis.Rule) Report {
	rep, _ := analyzeUnless(text, opts, rules, nil)
	return rep
}

// analyzeUnless is analyze, but stops with ok false, and no report, when
// the text holds a document of one of the kinds in stop.
func analyzeUnless(text string, opts Options, rules []*analysis.Rule, stop []analysis.Kind) (rep Report, ok bool) {
	defer func() {
		if r := recover(); r != nil {
			rep, ok = ErrorReport(internalError(r)), true
		}
	}()
	if msg := checkInput(text); msg != "" {
		return ErrorReport(msg), true
	}
	red := redact.Result{Text: text}
	if !opts.KeepSecrets {
		red = redact.Redact(text, redact.Options{Identifiers: opts.RedactIdentifiers})
	}
	src, docs, stoppedAt := readDocuments(red.Text)
	if slices.ContainsFunc(docs, func(d *analysis.Document) bool { return slices.Contains(stop, d.Kind) }) {
		return Report{}, false
	}
	if len(docs) > 0 && !slices.ContainsFunc(docs, func(d *analysis.Document) bool { return tooDeep(d) == nil }) {
		return ErrorReport(deepNotes(docs, newPositions(text, red).at)[0]), true
	}
	in := &analysis.Input{Src: src, Docs: docs}
	res := analysis.Run(in, rules)
	rep = buildReport(text, red, in, res, opts)
	if stoppedAt >= 0 {
		line, _ := newPositions(text, red).at(stoppedAt)
		rep.Next = append(rep.Next, Step{
			Title:  fmt.Sprintf("Only the first %d documents were analysed", MaxDocuments),
			Detail: fmt.Sprintf("The paste holds more; analysis stopped at line %d. Paste the part that matters.", line),
		})
	}
	return rep, true
}

// Restore returns text with the original values of original put back in
// place of their pseudonyms: use it on Report.Fixed or Report.Redacted to
// get the user's real configuration.
func Restore(original, text string) string {
	return redact.Restore(original, text)
}

// RestoreIdentifiers is Restore for text to show: it puts back account
// ids, names and hosts, and leaves secrets (keys, tokens, passwords,
// Secret data) as their pseudonyms. Use it on findings' messages to show
// people their own values without printing their credentials.
func RestoreIdentifiers(original, text string) string {
	return redact.RestoreIdentifiers(original, text)
}

// Unified returns the unified diff that turns before into after, under
// the file labels from and to (such as "a/aws-auth.yaml"), or "" when they
// are equal: the same diff as Report.Diff, for texts of the caller's.
func Unified(from, to, before, after string) string {
	return analysis.Unified(from, to, before, after)
}

// internalError describes a recovered panic without echoing arbitrary
// panic values, which could quote the input.
func internalError(r any) string {
	if err, ok := r.(runtime.Error); ok {
		return "eksdoctor hit an internal error and could not analyse this input (" + err.Error() + "); please report it."
	}
	return "eksdoctor hit an internal error and could not analyse this input; please report it."
}

// buildReport turns the rules' results into the report: positions in the
// original input, findings sorted, fixes applied and diffed.
func buildReport(original string, red redact.Result, in *analysis.Input, res analysis.Result, opts Options) Report {
	rep := ErrorReport("")
	rep.Redacted = red.Text
	pos := newPositions(original, red)
	for _, d := range in.Docs {
		startLine, _ := pos.at(d.Start)
		endLine, _ := pos.at(max(d.Start, d.End-1))
		rep.Documents = append(rep.Documents, Document{
			Index: d.Index, Kind: string(d.Kind), Title: d.Title, StartLine: startLine, EndLine: endLine, Format: string(d.Format),
		})
	}
	found := res.Findings
	sort.SliceStable(found, func(i, j int) bool {
		a, b := found[i], found[j]
		if la, lb := in.Src.LineOf(a.Start), in.Src.LineOf(b.Start); la != lb {
			return la < lb
		}
		if a.Rule != b.Rule {
			return a.Rule < b.Rule
		}
		return a.Start < b.Start
	})
	ids := map[string]int{}
	for _, f := range found {
		line, col := pos.at(f.Start)
		endLine, endCol := pos.at(f.End)
		out := Finding{
			ID: findingID(ids, f.Rule, line, col), Rule: f.Rule, Severity: string(f.Severity), Title: fixes.RuleByID(f.Rule).Title,
			Message: f.Message, Document: f.Document, Line: line, Column: col, EndLine: endLine, EndColumn: endCol, Fixable: f.Fix != nil,
		}
		if f.Fix != nil {
			out.Fix.Summary, out.Fix.Kind, out.Fix.Edits = f.Fix.Summary, fixKind(f.Fix), fixEdits(pos, f.Fix.Edits)
		}
		rep.Findings = append(rep.Findings, out)
	}
	shownBy := folding(rep.Findings)
	chosen := func(i int) bool { return !found[i].Fix.Harden || opts.Harden }
	if opts.Apply != nil {
		asked := map[string]bool{}
		for _, id := range opts.Apply {
			asked[id] = true
		}
		chosen = func(i int) bool { return asked[rep.Findings[shownBy[i]].ID] }
	}
	taken, applied := chooseFixes(red.Text, found, chosen)
	if fixed, err := analysis.Apply(red.Text, taken); err == nil && fixed != red.Text {
		rep.Fixed = fixed
		rep.Diff = analysis.Unified("redacted", "fixed", red.Text, fixed)
		for i := range rep.Findings {
			rep.Findings[i].Fix.Applied = applied[i]
		}
		fixDocuments(rep.Documents, in.Docs, red.Text, taken)
	}
	rep.Redactions = countRedactions(red.Replacements)
	for _, s := range res.Next {
		rep.Next = append(rep.Next, Step(s))
	}
	for _, note := range deepNotes(in.Docs, pos.at) {
		rep.Next = append(rep.Next, Step{Title: "A document nests too deeply to read", Detail: note})
	}
	for _, a := range res.Artifacts {
		rep.Artifacts = append(rep.Artifacts, Artifact(a))
	}
	rep.Findings, rep.Causes = fold(rep.Findings, causesOf(in, found), shownBy)
	rep.Recognised = len(found) > 0 || slices.ContainsFunc(in.Docs, recognised)
	if !rep.Recognised {
		rep.Next = append(rep.Next, nothingRecognised)
	}
	return rep
}

// findingID names a finding by its rule and where it starts, e.g.
// "AUTH001@31:7": the same for the same text whatever the options, so a
// caller can choose fixes by it. seen numbers a rule's second finding at
// one place "AUTH001@31:7#2".
func findingID(seen map[string]int, rule string, line, col int) string {
	id := fmt.Sprintf("%s@%d:%d", rule, line, col)
	seen[id]++
	if n := seen[id]; n > 1 {
		return fmt.Sprintf("%s#%d", id, n)
	}
	return id
}

// chooseFixes takes the fix of every finding, in report order, that is
// chosen and does not conflict with one taken before it, and returns
// their edits and which findings' fixes they are. The text is spliced
// once, by the caller: a fix whose own edits are valid and which
// conflicts with no taken edit keeps the taken edits valid.
func chooseFixes(text string, found []analysis.Finding, chosen func(int) bool) ([]analysis.Edit, []bool) {
	applied := make([]bool, len(found))
	var taken []analysis.Edit
	for i, f := range found {
		if f.Fix == nil || !chosen(i) || f.Fix.Check(len(text)) != nil || f.Fix.Conflicts(taken) {
			continue
		}
		taken = f.Fix.AddTo(taken)
		applied[i] = true
	}
	return taken, applied
}

// fixDocuments sets the fixed text of each document that edits change and
// that holds them whole, with a file name to save it as.
func fixDocuments(out []Document, docs []*analysis.Document, text string, edits []analysis.Edit) {
	names := map[string]int{}
	for i, d := range docs {
		var inside []analysis.Edit
		whole := true
		for _, e := range edits {
			switch {
			case e.Start >= d.Start && e.End <= d.End:
				inside = append(inside, analysis.Edit{Start: e.Start - d.Start, End: e.End - d.Start, New: e.New})
			case e.Start < d.End && e.End > d.Start:
				whole = false
			}
		}
		if len(inside) == 0 || !whole {
			continue
		}
		if fixed, err := analysis.Apply(text[d.Start:d.End], inside); err == nil {
			out[i].Fixed, out[i].Filename = fixed, fileName(names, d)
		}
	}
}

// fileName suggests a file name for a document from its kind and format:
// aws-auth.yaml, role.yaml, trust-policy.json, terraform.tf; names
// repeats "role-2.yaml".
func fileName(names map[string]int, d *analysis.Document) string {
	base := strings.TrimPrefix(strings.TrimPrefix(string(d.Kind), "k8s-"), "iam-")
	ext := map[analysis.Format]string{analysis.FormatYAML: "yaml", analysis.FormatJSON: "json", analysis.FormatHCL: "tf"}[d.Format]
	if ext == "" {
		ext = "txt"
	}
	name := base + "." + ext
	names[name]++
	if n := names[name]; n > 1 {
		name = fmt.Sprintf("%s-%d.%s", base, n, ext)
	}
	return name
}

// fixEdits returns a fix's edits, in input order, at their positions in
// the original input.
func fixEdits(pos positions, edits []analysis.Edit) []FixEdit {
	out := make([]FixEdit, 0, len(edits))
	for _, e := range edits {
		line, col := pos.at(e.Start)
		endLine, endCol := pos.at(e.End)
		out = append(out, FixEdit{Line: line, Column: col, EndLine: endLine, EndColumn: endCol, Text: e.New})
	}
	slices.SortStableFunc(out, func(a, b FixEdit) int {
		return cmp.Or(cmp.Compare(a.Line, b.Line), cmp.Compare(a.Column, b.Column))
	})
	return out
}

// fixKind names a fix's kind as the report does.
func fixKind(f *analysis.Fix) string {
	if f.Harden {
		return "harden"
	}
	return "repair"
}

func countRedactions(reps []redact.Replacement) []Redaction {
	out := []Redaction{}
	index := map[string]int{}
	for _, r := range reps {
		if i, ok := index[r.Pseudonym]; ok {
			out[i].Count++
			continue
		}
		index[r.Pseudonym] = len(out)
		out = append(out, Redaction{Kind: r.Kind, Placeholder: r.Pseudonym, Count: 1})
	}
	return out
}
