package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/eksdoctor/eksdoctor/core"
	"github.com/eksdoctor/eksdoctor/internal/suppress"
)

// filter is where findings are suppressed: given a file's path, its text
// and its findings (messages as the output shows them), it returns the
// findings to report, those it suppresses, each with why, and what is
// wrong in the file's eksdoctor:ignore directives. It is the one place of
// the analyze flow that drops findings; suppressed findings fail nothing
// and have no fix applied.
type filter func(path, text string, findings []core.Finding) (kept []core.Finding, suppressed []suppression, problems []string)

// suppression is a finding left out of the results, and why.
type suppression struct {
	core.Finding
	Reason string `json:"reason"`
}

// suppressFlags are the flags that say what to suppress.
type suppressFlags struct {
	skip          ruleList
	config        string
	baseline      string
	writeBaseline string
}

// register adds the flags to fs.
func (s *suppressFlags) register(fs *flag.FlagSet) {
	fs.Var(&s.skip, "skip", "suppress the findings of these `rules` (comma-separated IDs, repeatable)")
	fs.StringVar(&s.config, "config", "", "read suppressions and defaults from this `file` instead of the "+suppress.ConfigName+
		" found in the working directory or above it, up to the repository's root")
	fs.StringVar(&s.baseline, "baseline", "", "suppress the findings recorded in this baseline `file` (written by --write-baseline)")
	fs.StringVar(&s.writeBaseline, "write-baseline", "", "record every finding reported into a baseline `file`, for --baseline to suppress later")
}

// policy builds the suppression policy of a run: the config file named or
// found from the working directory, --skip and the baseline.
func (s *suppressFlags) policy() (*suppress.Policy, error) {
	p := &suppress.Policy{Known: knownRule}
	for _, id := range s.skip {
		if err := suppress.CheckRule(strings.ToUpper(id), knownRule); err != nil {
			return nil, fmt.Errorf("--skip %q: %v (eksdoctor rules lists them)", id, err)
		}
		p.Skip = append(p.Skip, strings.ToUpper(id))
	}
	name := s.config
	if name == "" {
		dir, err := os.Getwd()
		if err != nil {
			return nil, err
		}
		if name, err = suppress.Find(dir); err != nil {
			return nil, err
		}
	}
	if name != "" {
		config, err := suppress.Load(name, knownRule)
		if err != nil {
			return nil, err
		}
		p.Config = config
	}
	if s.baseline != "" && s.writeBaseline != "" {
		return nil, fmt.Errorf("--baseline and --write-baseline do not go together: a new baseline records every finding")
	}
	if s.baseline != "" {
		f, err := os.Open(s.baseline)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		if p.Baseline, err = suppress.ReadBaseline(f); err != nil {
			return nil, fmt.Errorf("%s: %v", s.baseline, err)
		}
	}
	return p, nil
}

// knownRule reports whether a rule has this ID.
func knownRule(id string) bool { return ruleIDs()[id] }

// ruleIDs are the IDs of the rules, read from the registry once.
var ruleIDs = sync.OnceValue(func() map[string]bool {
	ids := map[string]bool{}
	for _, r := range core.Rules() {
		ids[r.ID] = true
	}
	return ids
})

// policyFilter returns the filter that applies p.
func policyFilter(p *suppress.Policy) filter {
	return func(path, text string, findings []core.Finding) ([]core.Finding, []suppression, []string) {
		kept, silenced, problems := p.Filter(path, text, findings)
		var suppressed []suppression
		for _, s := range silenced {
			suppressed = append(suppressed, suppression{s.Finding, why(s, p)})
		}
		var out []string
		for _, pr := range problems {
			out = append(out, fmt.Sprintf("%s:%d: %s", path, pr.Line, pr.Message))
		}
		return kept, suppressed, out
	}
}

// why says what suppressed a finding, in a few words.
func why(s suppress.Suppressed, p *suppress.Policy) string {
	var what string
	switch s.By {
	case suppress.ByInline, suppress.ByIgnoreFile:
		what = fmt.Sprintf("eksdoctor:%s on line %d", map[bool]string{true: "ignore", false: "ignore-file"}[s.By == suppress.ByInline], s.Line)
	case suppress.ByPath:
		what = fmt.Sprintf("%s, paths %q", filepath.Base(p.Config.Path), s.Reason)
		return what
	case suppress.ByConfig:
		what = filepath.Base(p.Config.Path) + " skip"
	case suppress.ByFlag:
		what = "--skip " + s.Finding.Rule
	case suppress.ByBaseline:
		what = "the baseline"
	}
	if s.Reason != "" {
		what += ": " + s.Reason
	}
	return what
}

// writeBaseline records the findings of the results analysed into name.
func writeBaseline(name string, p *suppress.Policy, results []*result) error {
	b := &suppress.Baseline{}
	for _, r := range analysed(results) {
		if r.file != "" {
			b.Add(p.Name(r.file), r.text, r.findings)
		}
	}
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	if err := b.Write(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// ruleList is a repeatable flag of comma-separated rule IDs.
type ruleList []string

func (l *ruleList) String() string { return strings.Join(*l, ",") }

func (l *ruleList) Set(v string) error {
	for id := range strings.SplitSeq(v, ",") {
		if id = strings.TrimSpace(id); id != "" {
			*l = append(*l, id)
		}
	}
	return nil
}
