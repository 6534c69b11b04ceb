package core

import (
	"slices"
	"strings"

	"github.com/eksdoctor/eksdoctor/analysis"
	"github.com/eksdoctor/eksdoctor/fixes"
)

// causesOf ranks the findings that explain the errors of a paste: for
// each error, those that say why before those that explain it only in
// general, the most serious first, the findings of other rules at the
// places its rule says the paste shows a cause, then the error's own
// finding, which explains the error in general.
func causesOf(in *analysis.Input, found []analysis.Finding) []Cause {
	out := []Cause{}
	var errs []int
	for i, f := range found {
		if aboutError(f) {
			errs = append(errs, i)
		}
	}
	slices.SortStableFunc(errs, func(a, b int) int {
		if ga, gb := fixes.General(found[a].Rule), fixes.General(found[b].Rule); ga != gb {
			return map[bool]int{true: 1, false: -1}[ga]
		}
		return found[b].Severity.Rank() - found[a].Severity.Rank()
	})
	listed := map[int]bool{}
	add := func(i int, because string) {
		if !listed[i] {
			listed[i] = true
			out = append(out, Cause{Finding: i, Because: because})
		}
	}
	for _, e := range errs {
		for _, c := range found[e].Causes {
			if j := findingAt(found, c); j >= 0 {
				add(j, c.Because)
			}
		}
		add(e, firstSentence(found[e].Message))
	}
	return out
}

// aboutError reports whether a finding is about a pasted error: its rule
// reads error output.
func aboutError(f analysis.Finding) bool {
	r := fixes.RuleByID(f.Rule)
	return r != nil && slices.Contains(r.Kinds, analysis.KindErrorText)
}

// findingAt returns the finding, not about an error, that points into the
// place c is shown at: the most serious, then the narrowest. -1 when no
// finding does.
func findingAt(found []analysis.Finding, c analysis.Cause) int {
	best := -1
	for i, f := range found {
		if aboutError(f) || !overlaps(f.Start, f.End, c.Start, c.End) {
			continue
		}
		if best < 0 || f.Severity.Rank() > found[best].Severity.Rank() ||
			f.Severity.Rank() == found[best].Severity.Rank() && f.End-f.Start < found[best].End-found[best].Start {
			best = i
		}
	}
	return best
}

// overlaps reports whether two byte ranges share a byte, or an empty one
// lies within the other.
func overlaps(aStart, aEnd, bStart, bEnd int) bool {
	return aStart < bEnd && bStart < aEnd || aStart == aEnd && bStart <= aStart && aStart <= bEnd ||
		bStart == bEnd && aStart <= bStart && bStart <= aEnd
}

// firstSentence returns the first sentence of a message.
func firstSentence(msg string) string {
	for i := 0; i+1 < len(msg); i++ {
		if (msg[i] == '.' || msg[i] == ':') && msg[i+1] == ' ' {
			return strings.TrimSuffix(msg[:i], ":") + "."
		}
	}
	return msg
}

// recognised reports whether a document is EKS access material: a kind
// the rules read, or error output with an error a rule knows.
func recognised(d *analysis.Document) bool {
	switch d.Kind {
	case analysis.KindUnknown, analysis.KindK8sOther, analysis.KindWorkload:
		return false
	case analysis.KindErrorText:
		_, known := fixes.KnownErrorLine(d.Text)
		return known
	}
	return true
}

// nothingRecognised is the next step of a paste with no EKS access
// material in it.
var nothingRecognised = Step{
	Title: "Nothing recognised",
	Detail: "Nothing in this paste is EKS access material, so nothing was checked. Paste the error you see (kubectl, the AWS CLI, " +
		"an SDK or controller log), and the configuration involved: the aws-auth ConfigMap (kubectl get cm aws-auth -n kube-system -o yaml), " +
		"access entries (aws eks list-access-entries), Roles and bindings, the kubeconfig, or the IAM role's trust policy (aws iam get-role).",
}
