package core

import (
	"slices"
	"testing"

	"github.com/eksdoctor/eksdoctor/analysis"
	"github.com/eksdoctor/eksdoctor/fixes"
)

// TestErrorExamplesAreErrorText keeps the classifier and the error
// catalogue in step: every line a rule's signature is documented to match
// must be read as error text, alone and inside a markdown issue, or the
// rule never sees it.
func TestErrorExamplesAreErrorText(t *testing.T) {
	examples := fixes.ErrorExamples()
	if len(examples) < 50 {
		t.Fatalf("only %d examples: the catalogue's signatures are not registered", len(examples))
	}
	for _, ex := range examples {
		for _, paste := range []string{ex + "\n", "I get this when I run kubectl:\n\n```\n" + ex + "\n```\n"} {
			if kinds := Kinds(paste); !slices.Contains(kinds, string(analysis.KindErrorText)) {
				t.Errorf("read as %v, not error text:\n%s", kinds, paste)
			}
		}
	}
}
