package main

import (
	"slices"
	"strings"

	"github.com/eksdoctor/eksdoctor/core"
)

// filter is where findings are suppressed: given a file's path, its text
// and its findings (messages as the output shows them), it returns the
// findings to report and those it suppresses, each with why. It is the
// one place of the analyze flow that drops findings; suppressed findings
// fail nothing and have no fix applied.
type filter func(path, text string, findings []core.Finding) (kept []core.Finding, suppressed []suppression)

// suppression is a finding left out of the results, and why.
type suppression struct {
	core.Finding
	Reason string `json:"reason"`
}

// skipRules returns the filter of --skip: it suppresses the findings of
// the rules named (IDs, in any case).
func skipRules(ids []string) filter {
	return func(_, _ string, findings []core.Finding) (kept []core.Finding, suppressed []suppression) {
		for _, f := range findings {
			if slices.ContainsFunc(ids, func(id string) bool { return strings.EqualFold(id, f.Rule) }) {
				suppressed = append(suppressed, suppression{f, "--skip " + f.Rule})
			} else {
				kept = append(kept, f)
			}
		}
		return kept, suppressed
	}
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
