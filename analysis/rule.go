package analysis

import (
	"fmt"
	"slices"
	"sort"
	"strings"
)

// Rule is one check: a stable ID, the words the report and the site show,
// and the function that finds problems. Rules are values listed in All.
type Rule struct {
	// ID is the family prefix and a number, e.g. "AUTH001". It never changes
	// meaning once released.
	ID string
	// Title says in a few lower-case words what the rule finds.
	Title string
	// Severity is the default severity of its findings.
	Severity Severity
	// Kinds are the document kinds the rule reads.
	Kinds []Kind
	// Doc explains, in plain words, why it matters and how to fix it.
	Doc string
	// Refs are the authoritative sources (URLs) for the rule's facts.
	Refs []string
	// Cross makes the rule run once over all documents (Pass.Doc is nil)
	// instead of once per document of one of its Kinds.
	Cross bool
	// Run inspects the input and reports through the pass. nil means this
	// build leaves the rule out (see the noterraform build tag in
	// terraform_rules.go): it is listed and documented but never run.
	Run func(*Pass)
}

// Finding is one problem a rule found, with the fix when one is known.
type Finding struct {
	// Rule is the ID of the rule that reported it.
	Rule string
	// Severity is the rule's, unless the rule set a different one.
	Severity Severity
	// Message explains this occurrence in plain words.
	Message string
	// Document is the index of the document it is about, or -1. A
	// cross-document rule's findings belong to the document at Start.
	Document int
	// Start and End are the byte range it points at in the analysed text.
	Start, End int
	// Fix repairs it, or is nil.
	Fix *Fix
	// Causes are, for a finding about a pasted error, what else in the
	// paste explains that error, most likely first.
	Causes []Cause
}

// Cause is something the paste shows that explains an error: where it is
// written, and one sentence tying it to the error. A finding of another
// rule at that place is then the error's cause.
type Cause struct {
	Start, End int
	Because    string
}

// Step is a next step the report suggests: something to check, run or paste.
type Step struct {
	Title  string `json:"title"`
	Detail string `json:"detail"`
	// Command is an exact command to copy and run, or "".
	Command string `json:"command"`
}

// Artifact is a file a rule generates for the person to download or copy:
// a migration plan, a least-privilege Role, a Terraform block.
type Artifact struct {
	Title string `json:"title"`
	// Filename is a suggested file name; its extension says the format.
	Filename string `json:"filename"`
	Content  string `json:"content"`
}

// Input is what the rules see: the analysed (already redacted) text and
// the documents it was split into.
type Input struct {
	Src  *Source
	Docs []*Document

	memo memo
}

// Result is what running the rules produced.
type Result struct {
	Findings  []Finding
	Next      []Step
	Artifacts []Artifact

	// suggested holds the steps of Next, so that a step suggested again
	// (once per finding of a rule, say) is found in constant time.
	suggested map[Step]bool
}

// Pass is one run of one rule, over one document or, for a cross-document
// rule, over all of them.
type Pass struct {
	*Input
	// Doc is the document being checked; nil for a cross-document rule.
	Doc  *Document
	Rule *Rule
	// Out collects what the pass reports: findings, next steps, artifacts.
	Out *Result
}

// Report records a finding. Its rule, document and (when unset) severity
// are filled in from the pass.
func (p *Pass) Report(f Finding) {
	f.Rule = p.Rule.ID
	if f.Severity == "" {
		f.Severity = p.Rule.Severity
	}
	if p.Doc != nil {
		f.Document = p.Doc.Index
	} else {
		f.Document = p.DocumentAt(f.Start)
	}
	if f.Fix != nil {
		if where := p.unfixable(f.Fix); where != "" {
			f.Message = strings.TrimSpace(f.Message) + " No fix is applied here: " + where + ": " + lowerFirst(f.Fix.Summary) + "."
			f.Fix = nil
		}
	}
	p.Out.Findings = append(p.Out.Findings, f)
}

// unfixable says where to make the change instead, when fix cannot be
// applied: an edit is out of the text (of a value the text does not write
// in one place, such as one Terraform computes) or in a document that is a
// command's output. It is "" when fix can be applied.
func (p *Pass) unfixable(fix *Fix) string {
	switch {
	case fix.Check(len(p.Src.Text)) != nil:
		return "the value is computed from others, so make the change where it is set"
	case p.editsOutput(fix):
		return "this is a command's output, so make the change in the configuration it shows"
	}
	return ""
}

// lowerFirst returns s with its first letter in lower case, unless the
// word is an acronym or a name (its second letter is in capitals too).
func lowerFirst(s string) string {
	if len(s) < 2 || s[0] < 'A' || s[0] > 'Z' || s[1] >= 'A' && s[1] <= 'Z' {
		return s
	}
	return string(s[0]+'a'-'A') + s[1:]
}

// editsOutput reports whether an edit of fix is in a document that is a
// command's output.
func (p *Pass) editsOutput(fix *Fix) bool {
	return slices.ContainsFunc(fix.Edits, func(e Edit) bool {
		// an edit ends in, or holds, a document after the one it starts in
		for i := p.firstEndingAfter(e.Start); i < len(p.Docs) && p.Docs[i].Start < max(e.End, e.Start+1); i++ {
			if d := p.Docs[i]; d.Output && e.Start < d.End && max(e.End, e.Start+1) > d.Start {
				return true
			}
		}
		return false
	})
}

// Reportf records a finding at [start, end) with a formatted message and
// an optional fix.
func (p *Pass) Reportf(start, end int, fix *Fix, format string, args ...any) {
	p.Report(Finding{Message: fmt.Sprintf(format, args...), Start: start, End: end, Fix: fix})
}

// Suggest adds a next step; the same step suggested twice is listed once.
func (p *Pass) Suggest(title, detail string) { p.suggest(Step{Title: title, Detail: detail}) }

// SuggestCommand adds a next step that is a command to run, with a detail
// saying what it shows or does.
func (p *Pass) SuggestCommand(title, command, detail string) {
	p.suggest(Step{Title: title, Detail: detail, Command: command})
}

func (p *Pass) suggest(step Step) {
	if p.Out.suggested == nil {
		p.Out.suggested = map[Step]bool{}
	}
	if !p.Out.suggested[step] {
		p.Out.suggested[step] = true
		p.Out.Next = append(p.Out.Next, step)
	}
}

// Attach adds an artifact; one with the same file name replaces it.
func (p *Pass) Attach(a Artifact) {
	for i, old := range p.Out.Artifacts {
		if old.Filename == a.Filename {
			p.Out.Artifacts[i] = a
			return
		}
	}
	p.Out.Artifacts = append(p.Out.Artifacts, a)
}

// DocumentAt returns the index of the document that holds byte offset
// off, or -1.
func (in *Input) DocumentAt(off int) int {
	if i := in.firstEndingAfter(off); i < len(in.Docs) && in.Docs[i].Start <= off {
		return in.Docs[i].Index
	}
	return -1
}

// firstEndingAfter returns the index of the first document that ends
// after off (an empty one counts as one byte long), or len(in.Docs):
// documents are in order and do not overlap.
func (in *Input) firstEndingAfter(off int) int {
	return sort.Search(len(in.Docs), func(i int) bool { return max(in.Docs[i].End, in.Docs[i].Start+1) > off })
}

// OfKind returns the documents of the given kinds, in order.
func (in *Input) OfKind(kinds ...Kind) []*Document {
	var docs []*Document
	for _, d := range in.Docs {
		if slices.Contains(kinds, d.Kind) {
			docs = append(docs, d)
		}
	}
	return docs
}

// Run runs rules over the input: each per-document rule on every document
// of its kinds, each cross-document rule once when a document of its kinds
// is present. It skips the rules this build leaves out (nil Run). Between
// rules it yields (see Source.Yield).
func Run(in *Input, rules []*Rule) Result {
	var out Result
	for _, r := range rules {
		if r.Run == nil {
			continue
		}
		in.Src.Yield()
		if r.Cross {
			if len(in.OfKind(r.Kinds...)) > 0 {
				r.Run(&Pass{Input: in, Rule: r, Out: &out})
			}
			continue
		}
		for _, d := range in.OfKind(r.Kinds...) {
			r.Run(&Pass{Input: in, Doc: d, Rule: r, Out: &out})
		}
	}
	return out
}
