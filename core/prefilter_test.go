package core

import (
	"regexp"
	"strings"
	"testing"

	"github.com/eksdoctor/eksdoctor/internal/prefilter"
)

// prefilterTexts are every document and line of the corpus, and texts
// that hold a prefilter's literal without matching.
func prefilterTexts(t *testing.T) []string {
	texts := []string{"", "isForbidden", "xforbidden: User \"a\"", "not AUTHORIZED to perform", "  error: x", "x error: y",
		"W1234 12:00:00", "W1234 12:00", "executable aws not found", "executable  not found", "ERROR:", "level=warn",
		"`` x", "    ```", "~~~~", "resource {", "resource \"a\" \"b\" {", "data x", "<<EOF", "<<-", "kind: x",
		"\"Statement\"", "“Statement”", "sts:AssumeRole \"Principal\"", "clusters:", " contexts :", "mapRoles:",
		"❯ kubectl get pods", "➜  aws sts get-caller-identity", "PS C:\\> kubectl get ns", "time=\"x\" level=error", "kubectl-who-can x"}
	for _, seed := range corpusSeeds(t) {
		texts = append(texts, seed)
		for line := range strings.Lines(seed) {
			texts = append(texts, line)
		}
	}
	return texts
}

// TestPrefiltersKeepMatches checks that a prefilter never hides a match:
// every guarded expression answers as its expression does.
func TestPrefiltersKeepMatches(t *testing.T) {
	guards := map[string]*prefilter.Regexp{"fenceLine": fenceLine, "hclHeader": hclHeader, "whoamiHeader": whoamiHeader, "heredoc": heredoc,
		"kindLine": kindLine, "authSections": authSections, "kubeconfigs": kubeconfigs, "policyText": policyText, "trustText": trustText,
		"signalStart": signalStart}
	for _, text := range prefilterTexts(t) {
		for name, g := range guards {
			if got, want := g.MatchString(text), g.Regexp.MatchString(text); got != want {
				t.Errorf("%s says %v, its expression %v, on %q", name, got, want, text)
			}
		}
	}
}

// TestAlternationMatchesItsExpression checks the alternation against the
// regular expression it stands for.
func TestAlternationMatchesItsExpression(t *testing.T) {
	joined := regexp.MustCompile(anyOf(errorSignatures...))
	for _, text := range prefilterTexts(t) {
		if got, want := errorSignature.MatchString(text), joined.MatchString(text); got != want {
			t.Errorf("alternation says %v, expression says %v, on %q", got, want, text)
		}
	}
}
