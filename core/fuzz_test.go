package core

import (
	"testing"
	"unicode/utf8"

	"github.com/tidwall/gjson"

	"github.com/eksdoctor/eksdoctor/analysis"
	"github.com/eksdoctor/eksdoctor/fixes"
	"github.com/eksdoctor/eksdoctor/redact"
)

// addCorpus seeds a fuzz target with every input of the test corpus.
func addCorpus(f *testing.F) {
	for _, s := range corpusSeeds(f) {
		f.Add(s)
	}
}

// FuzzSplit checks the splitter's invariants: documents in order, not
// overlapping, inside the text, with their own text and a contract kind.
func FuzzSplit(f *testing.F) {
	addCorpus(f)
	f.Fuzz(func(t *testing.T, text string) {
		if checkInput(text) != "" {
			return
		}
		src := analysis.NewSource(text)
		docs, _ := splitDocuments(src)
		last := 0
		for i, d := range docs {
			switch {
			case d.Index != i:
				t.Fatalf("document %d has index %d", i, d.Index)
			case d.Start < last || d.End < d.Start || d.End > len(text):
				t.Fatalf("document %d spans [%d,%d) after %d in %d bytes", i, d.Start, d.End, last, len(text))
			case d.Text != text[d.Start:d.End]:
				t.Fatalf("document %d's text is not its span", i)
			case !validKind(d.Kind):
				t.Fatalf("document %d has kind %q", i, d.Kind)
			}
			last = d.End
		}
	})
}

func validKind(k analysis.Kind) bool {
	for _, known := range analysis.AllKinds {
		if k == known {
			return true
		}
	}
	return false
}

// FuzzFixes checks what the rules' fixes promise: each fix applies on its
// own, all of them together never overlap, documents that parsed still
// parse afterwards, and valid UTF-8 stays valid.
func FuzzFixes(f *testing.F) {
	addCorpus(f)
	f.Fuzz(func(t *testing.T, text string) {
		if checkInput(text) != "" {
			return
		}
		red := redact.Redact(text, redact.Options{}).Text
		src := analysis.NewSource(red)
		docs, _ := splitDocuments(src)
		res := analysis.Run(&analysis.Input{Src: src, Docs: docs}, fixes.All)
		for _, found := range res.Findings {
			if found.Fix == nil {
				continue
			}
			if _, err := analysis.Apply(red, found.Fix.Edits); err != nil {
				t.Fatalf("%s's fix does not apply: %v", found.Rule, err)
			}
		}
		taken, _ := chooseFixes(red, res.Findings, func(int) bool { return true })
		fixed, err := analysis.Apply(red, taken)
		if err != nil {
			t.Fatalf("the fixes taken together do not apply: %v", err)
		}
		if !utf8.ValidString(fixed) {
			t.Fatalf("the fixed text is not valid UTF-8")
		}
		if fixed == red {
			return
		}
		after, _ := splitDocuments(analysis.NewSource(fixed))
		if broken(after) > broken(docs) {
			t.Fatalf("fixes broke a document: %d did not parse before, %d after\n%s", broken(docs), broken(after),
				analysis.Unified("before", "after", red, fixed))
		}
	})
}

// broken counts the YAML and JSON documents that do not parse.
func broken(docs []*analysis.Document) int {
	n := 0
	for _, d := range docs {
		if d.ParseError != nil || d.Format == analysis.FormatJSON && !gjson.Valid(d.Text) {
			n++
		}
	}
	return n
}

// FuzzRestore checks that Restore never panics, keeps valid UTF-8 valid,
// and undoes redaction in a text edited around the redacted one, as a
// fixed configuration is.
func FuzzRestore(f *testing.F) {
	addCorpus(f)
	f.Fuzz(func(t *testing.T, original string) {
		red := redact.Redact(original, redact.Options{Identifiers: true}).Text
		back := Restore(original, "# edited\n"+red+"\n# end\n")
		if utf8.ValidString(original) && !utf8.ValidString(back) {
			t.Fatalf("Restore made invalid UTF-8")
		}
		if want := "# edited\n" + original + "\n# end\n"; back != want {
			t.Fatalf("Restore of an edited text:\n got %q\nwant %q", back, want)
		}
	})
}
