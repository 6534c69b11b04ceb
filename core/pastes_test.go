package core

import (
	"fmt"
	"os"
	"path"
	"slices"
	"strings"
	"testing"
)

// pasteFamilies are the folders of the real-world corpus that a paste
// mixes, in the order an issue tends to show them: the error first, then
// the configuration.
var pasteFamilies = []string{"errors", "aws-auth", "rbac", "kubeconfig", "iam", "terraform"}

// corpusFile is one file of the real-world corpus.
type corpusFile struct {
	name, text string
}

// realWorld reads the real-world corpus, one list per family.
func realWorld(t testing.TB) [][]corpusFile {
	var out [][]corpusFile
	for _, family := range pasteFamilies {
		dir := "../testdata/realworld/" + family
		entries, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		var files []corpusFile
		for _, e := range entries {
			b, err := os.ReadFile(dir + "/" + e.Name())
			if err != nil {
				t.Fatal(err)
			}
			files = append(files, corpusFile{e.Name(), string(b)})
		}
		slices.SortFunc(files, func(a, b corpusFile) int { return len(a.text) - len(b.text) })
		out = append(out, files)
	}
	return out
}

// fenceLanguages maps a corpus file's extension to the language a person
// would tag its markdown fence with.
var fenceLanguages = map[string]string{".yaml": "yaml", ".yml": "yaml", ".json": "json", ".tf": "hcl", ".sh": "sh", ".txt": "console"}

// paste builds a realistic paste of at most n bytes, like a GitHub issue:
// a line of prose and a fenced block for each document, taking files from
// each family in turn, from seed on, and repeating the corpus when n is
// larger than it. Files are taken smallest first, so small pastes mix
// families too.
func paste(corpus [][]corpusFile, n, seed int) string {
	var b strings.Builder
	next := make([]int, len(corpus))
	for i := range next {
		next[i] = seed
	}
	for misses := 0; misses < len(corpus); {
		misses = 0
		for i := range corpus {
			f := corpus[(i+seed)%len(corpus)]
			k := &next[(i+seed)%len(corpus)]
			file := f[*k%len(f)]
			section := fmt.Sprintf("Here is %s:\n\n```%s\n%s\n```\n\n", file.name, fenceLanguages[path.Ext(file.name)], strings.TrimRight(file.text, "\n"))
			if b.Len()+len(section) > n {
				// the smallest of the family, if it fits, keeps small pastes mixed
				if *k%len(f) == 0 {
					misses++
				}
				*k = 0
				continue
			}
			b.WriteString(section)
			*k++
		}
	}
	return b.String()
}

// sizeClasses are the input sizes the benchmarks measure.
var sizeClasses = []struct {
	name string
	n    int
}{{"1KB", 1 << 10}, {"10KB", 10 << 10}, {"100KB", 100 << 10}, {"1MB", 1 << 20}, {"5MB", MaxInputBytes}}

// typicalPastes are realistic pastes of 1 to 20 KB, the sizes people paste
// while an incident runs, each starting from a different file.
func typicalPastes(corpus [][]corpusFile) []string {
	var out []string
	for seed := range 4 {
		for _, kb := range []int{1, 2, 5, 10, 15, 20} {
			out = append(out, paste(corpus, kb<<10, seed))
		}
	}
	return out
}
