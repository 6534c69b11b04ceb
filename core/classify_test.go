package core

import (
	"io/fs"
	"os"
	"strings"
	"testing"

	"github.com/eksdoctor/eksdoctor/analysis"
)

// TestClassification runs the classification corpus: every file listed
// in testdata/classify.txt must split into documents of exactly the kinds
// listed, in order.
func TestClassification(t *testing.T) {
	corpus := classifyCorpus(t)
	for _, in := range corpus {
		rep := Analyze(in.text, Options{})
		var kinds []string
		for _, d := range rep.Documents {
			kinds = append(kinds, d.Kind)
		}
		if got := strings.Join(kinds, " "); got != in.kinds || rep.Error != "" {
			t.Errorf("%s: kinds %q (error %q), want %q", in.path, got, rep.Error, in.kinds)
		}
	}
	if len(corpus) < 60 {
		t.Errorf("the corpus has %d inputs, want at least 60", len(corpus))
	}
}

// corpusInput is an input of the classification corpus.
type corpusInput struct {
	path, text string
	// kinds are the kinds of its documents, in order, joined by spaces.
	kinds string
}

// classifyCorpus reads the inputs testdata/classify.txt lists.
func classifyCorpus(t *testing.T) []corpusInput {
	manifest, err := os.ReadFile("../testdata/classify.txt")
	if err != nil {
		t.Fatal(err)
	}
	var corpus []corpusInput
	for _, line := range strings.Split(string(manifest), "\n") {
		fields := strings.Fields(line)
		if len(fields) == 0 || strings.HasPrefix(fields[0], "#") {
			continue
		}
		text, err := os.ReadFile("../testdata/" + fields[0])
		if err != nil {
			t.Fatalf("%s: %v", fields[0], err)
		}
		corpus = append(corpus, corpusInput{fields[0], string(text), strings.Join(fields[1:], " ")})
	}
	return corpus
}

// TestClassificationCoverage requires the corpus to hold every real-world
// file and at least one document of every kind.
func TestClassificationCoverage(t *testing.T) {
	manifest, err := os.ReadFile("../testdata/classify.txt")
	if err != nil {
		t.Fatal(err)
	}
	listed := string(manifest)
	err = fs.WalkDir(os.DirFS("../testdata"), "realworld", func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && d.Name() != "SOURCES.md" && !strings.Contains(listed, "\n"+path+" ") {
			t.Errorf("%s is not in testdata/classify.txt", path)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range analysis.AllKinds {
		if !strings.Contains(listed, " "+string(k)+"\n") && !strings.Contains(listed, " "+string(k)+" ") {
			t.Errorf("no input of kind %s in testdata/classify.txt", k)
		}
	}
}
