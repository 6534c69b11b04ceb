// Package pastes builds realistic pastes of any size from the real-world
// corpus (testdata/realworld) for the benchmarks: what a person pastes
// into a GitHub issue while an incident runs, an error first and then the
// configuration, each document in a fenced block after a line of prose.
package pastes

import (
	"fmt"
	"os"
	"path"
	"slices"
	"strings"
)

// Families are the folders of the corpus that a paste mixes, in the order
// an issue tends to show them.
var Families = []string{"errors", "aws-auth", "rbac", "kubeconfig", "iam", "terraform"}

// Sizes are the size classes the benchmarks measure, up to the largest
// input eksdoctor accepts (5 MiB).
var Sizes = []struct {
	Name  string
	Bytes int
}{{"1KB", 1 << 10}, {"10KB", 10 << 10}, {"100KB", 100 << 10}, {"1MB", 1 << 20}, {"5MB", 5 << 20}}

// Corpus is the real-world corpus, one list of files per family, each
// list smallest first.
type Corpus [][]file

type file struct {
	name, text string
}

// Load reads the corpus from dir, the testdata/realworld folder.
func Load(dir string) (Corpus, error) {
	var c Corpus
	for _, family := range Families {
		entries, err := os.ReadDir(path.Join(dir, family))
		if err != nil {
			return nil, err
		}
		var files []file
		for _, e := range entries {
			b, err := os.ReadFile(path.Join(dir, family, e.Name()))
			if err != nil {
				return nil, err
			}
			files = append(files, file{e.Name(), string(b)})
		}
		slices.SortStableFunc(files, func(a, b file) int { return len(a.text) - len(b.text) })
		c = append(c, files)
	}
	return c, nil
}

// Without returns the corpus without a family.
func (c Corpus) Without(family string) Corpus {
	i := slices.Index(Families, family)
	if i < 0 {
		return c
	}
	return slices.Delete(slices.Clone(c), i, i+1)
}

// fenceLanguages maps a file's extension to the language a person tags
// its fence with.
var fenceLanguages = map[string]string{".yaml": "yaml", ".yml": "yaml", ".json": "json", ".tf": "hcl", ".sh": "sh", ".txt": "console"}

// Paste returns a paste of at most n bytes (and as close to n as the
// files allow). It takes a file from each family in turn, starting with
// family and file number seed, and goes back to a family's smallest file
// when the next one does not fit, so small pastes mix families too and
// large ones repeat the corpus.
func (c Corpus) Paste(n, seed int) string {
	var b strings.Builder
	next := make([]int, len(c))
	for i := range next {
		next[i] = seed
	}
	for misses := 0; misses < len(c); {
		misses = 0
		for i := range c {
			family := (i + seed) % len(c)
			files, k := c[family], &next[family]
			f := files[*k%len(files)]
			section := fmt.Sprintf("Here is %s:\n\n```%s\n%s\n```\n\n", f.name, fenceLanguages[path.Ext(f.name)], strings.TrimRight(f.text, "\n"))
			if b.Len()+len(section) > n {
				if *k%len(files) == 0 {
					misses++ // not even the smallest fits
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

// WarmUpRounds is how many times the benchmarks analyse the typical
// pastes before they time anything. A browser compiles each WebAssembly
// function the first time it runs, and recompiles the hot ones with its
// optimising tier while they run: in Chromium on these machines, the time
// of a round over the typical pastes stops falling after the third. The
// cold start is a budget of its own (internal/dev/e2e, BenchmarkStartup).
const WarmUpRounds = 3

// Typical returns realistic pastes of 1 to 20 KB, the sizes people paste
// while an incident runs, each mix starting from a different file.
func (c Corpus) Typical() []string {
	var out []string
	for seed := range 4 {
		for _, kb := range []int{1, 2, 5, 10, 15, 20} {
			out = append(out, c.Paste(kb<<10, seed))
		}
	}
	return out
}
