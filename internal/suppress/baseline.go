package suppress

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/eksdoctor/eksdoctor/core"
)

// BaselineVersion is the version of the baseline format Write writes and
// ReadBaseline reads.
const BaselineVersion = 1

// Baseline is a set of reviewed findings, each known by a fingerprint
// that survives lines added or removed elsewhere in its file (see Add).
// It is not safe for concurrent use.
type Baseline struct {
	Entries []Entry
	// seen are the files matched against; matched the indexes of the
	// entries a finding matched.
	seen    map[string]bool
	matched map[int]bool
}

// Entry is one finding of a baseline. Rule and File say what and where;
// Fingerprint alone decides what it matches; Line and Message are for
// people reading the file.
type Entry struct {
	Rule        string `json:"rule"`
	File        string `json:"file"`
	Fingerprint string `json:"fingerprint"`
	Line        int    `json:"line"`
	Message     string `json:"message"`
}

// baselineFile is a baseline as written.
type baselineFile struct {
	Version  int     `json:"version"`
	Findings []Entry `json:"findings"`
}

// Add records the findings of one file: name is what Policy.Name calls
// the file, text its contents. A finding's fingerprint is a hash of its
// rule, name, its source lines (Line to EndLine, each trimmed of blanks)
// and its rank among the findings given with the same three; so it stays
// the same when lines are added above and changes when its own lines do.
// Give Add the findings Filter keeps with no baseline in the policy, so
// that ranks are counted among the same findings when matching.
func (b *Baseline) Add(name, text string, findings []core.Finding) {
	for i, fp := range fingerprints(name, text, findings) {
		f := findings[i]
		b.Entries = append(b.Entries, Entry{Rule: f.Rule, File: name, Fingerprint: fp, Line: f.Line, Message: f.Message})
	}
}

// Write writes b as JSON, its entries sorted by file, line and rule.
func (b *Baseline) Write(w io.Writer) error {
	entries := append([]Entry{}, b.Entries...)
	slices.SortStableFunc(entries, func(x, y Entry) int {
		return cmp.Or(strings.Compare(x.File, y.File), cmp.Compare(x.Line, y.Line), strings.Compare(x.Rule, y.Rule))
	})
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(baselineFile{Version: BaselineVersion, Findings: entries})
}

// ReadBaseline reads a baseline Write wrote.
func ReadBaseline(r io.Reader) (*Baseline, error) {
	var file baselineFile
	if err := json.NewDecoder(r).Decode(&file); err != nil {
		return nil, fmt.Errorf("baseline: %w", err)
	}
	if file.Version != BaselineVersion {
		return nil, fmt.Errorf("baseline: version %d is not one this eksdoctor reads (%d)", file.Version, BaselineVersion)
	}
	for i, e := range file.Findings {
		if e.Rule == "" || e.File == "" || e.Fingerprint == "" {
			return nil, fmt.Errorf("baseline: finding %d lacks its rule, file or fingerprint", i+1)
		}
	}
	return &Baseline{Entries: file.Findings}, nil
}

// Stale returns the entries that matched no finding of their file, among
// the files matched against so far: findings fixed since, or whose lines
// changed. Entries of files never filtered are not stale.
func (b *Baseline) Stale() []Entry {
	var stale []Entry
	for i, e := range b.Entries {
		if b.seen[e.File] && !b.matched[i] {
			stale = append(stale, e)
		}
	}
	return stale
}

// match reports which findings of the file called name an entry of b
// holds; none for a nil b. Ranks make fingerprints unique in a file, so
// an entry matches one finding at most.
func (b *Baseline) match(name, text string, findings []core.Finding) []bool {
	hits := make([]bool, len(findings))
	if b == nil {
		return hits
	}
	if b.seen == nil {
		b.seen, b.matched = map[string]bool{}, map[int]bool{}
	}
	b.seen[name] = true
	entries := map[string]int{} // fingerprint → entry
	for i, e := range b.Entries {
		if e.File == name {
			entries[e.Fingerprint] = i
		}
	}
	for i, fp := range fingerprints(name, text, findings) {
		if e, ok := entries[fp]; ok {
			hits[i], b.matched[e] = true, true
		}
	}
	return hits
}

// fingerprints returns the fingerprint of each finding of the file called
// name whose contents are text (see Add).
func fingerprints(name, text string, findings []core.Finding) []string {
	lines := strings.Split(text, "\n")
	rank := map[string]int{}
	out := make([]string, len(findings))
	for i, f := range findings {
		var src []string
		for n := max(f.Line, 1); n <= max(f.EndLine, f.Line) && n <= len(lines); n++ {
			src = append(src, strings.TrimSpace(lines[n-1]))
		}
		key := f.Rule + "\x00" + name + "\x00" + strings.Join(src, "\n")
		sum := sha256.Sum256([]byte(key + "\x00" + strconv.Itoa(rank[key])))
		rank[key]++
		out[i] = hex.EncodeToString(sum[:16])
	}
	return out
}
