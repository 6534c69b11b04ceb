package suppress

import (
	"path/filepath"
	"slices"

	"github.com/eksdoctor/eksdoctor/core"
)

// Policy is everything that silences findings: the directives in each
// file, a config file, the CLI's --skip and a baseline. Its zero value
// silences only what directives name. It is not safe for concurrent use.
type Policy struct {
	// Config is the config file in effect, or nil.
	Config *Config
	// Skip are rule IDs suppressed everywhere (the CLI's --skip), each
	// checked with CheckRule by the caller.
	Skip []string
	// Baseline holds the reviewed findings, or nil.
	Baseline *Baseline
	// Known says whether a rule exists (see CheckRule); nil accepts every
	// well-formed ID.
	Known func(id string) bool
}

// Source says what silenced a finding.
type Source string

// The sources of a suppression, most specific first: Filter tries them
// in this order.
const (
	ByInline     Source = "inline"      // an eksdoctor:ignore directive
	ByIgnoreFile Source = "ignore-file" // an eksdoctor:ignore-file directive
	ByPath       Source = "path"        // an entry of the config file's paths
	ByConfig     Source = "config"      // the config file's skip
	ByFlag       Source = "flag"        // Policy.Skip, the CLI's --skip
	ByBaseline   Source = "baseline"    // an entry of the baseline
)

// Suppressed is a finding that a policy silenced, and why.
type Suppressed struct {
	Finding core.Finding
	By      Source
	// Line is the directive's line for ByInline and ByIgnoreFile, else 0.
	Line int
	// Reason is the directive's reason, or the glob of the paths entry
	// for ByPath; "" otherwise.
	Reason string
}

// Filter sorts the findings of one file into those to report and those
// silenced, keeping their order; every finding is in exactly one of kept
// and suppressed. path is the file's path as the caller opened it (see
// Name), text its contents, which the findings' lines refer to. problems
// are the directives of text that are wrong (see Directives).
func (p *Policy) Filter(path, text string, findings []core.Finding) (kept []core.Finding, suppressed []Suppressed, problems []Problem) {
	name := p.Name(path)
	dirs, problems := Directives(path, text, p.Known)
	pathSkips := p.Config.pathSkips(path)
	// by[i] is what silences findings[i]; the baseline sees the rest.
	by := make([]Suppressed, len(findings))
	var rest []core.Finding
	var restAt []int
	for i, f := range findings {
		if s, ok := p.silence(dirs, pathSkips, f); ok {
			by[i] = s
		} else {
			rest, restAt = append(rest, f), append(restAt, i)
		}
	}
	for j, hit := range p.Baseline.match(name, text, rest) {
		if hit {
			by[restAt[j]] = Suppressed{Finding: rest[j], By: ByBaseline}
		}
	}
	kept = make([]core.Finding, 0, len(rest))
	for i, f := range findings {
		if by[i].By != "" {
			suppressed = append(suppressed, by[i])
		} else {
			kept = append(kept, f)
		}
	}
	return kept, suppressed, problems
}

// silence returns the first source but the baseline that silences f,
// given the directives of its file and the rules paths entries skip in it
// (see Config.pathSkips).
func (p *Policy) silence(dirs []Directive, pathSkips map[string]string, f core.Finding) (Suppressed, bool) {
	for _, d := range dirs {
		if d.silences(f) {
			by := ByInline
			if d.File {
				by = ByIgnoreFile
			}
			return Suppressed{Finding: f, By: by, Line: d.Line, Reason: d.Reason}, true
		}
	}
	if glob, ok := pathSkips[f.Rule]; ok {
		return Suppressed{Finding: f, By: ByPath, Reason: glob}, true
	}
	if p.Config != nil && slices.Contains(p.Config.Skip, f.Rule) {
		return Suppressed{Finding: f, By: ByConfig}, true
	}
	if slices.Contains(p.Skip, f.Rule) {
		return Suppressed{Finding: f, By: ByFlag}, true
	}
	return Suppressed{}, false
}

// Excluded reports whether the config file's exclude globs match path:
// the CLI does not analyse it.
func (p *Policy) Excluded(path string) bool {
	name, ok := p.Config.name(path)
	return ok && slices.ContainsFunc(p.Config.Exclude, func(glob string) bool { return match(glob, name) })
}

// Name is what globs and baseline entries call path: relative to the
// config file's directory when the file is inside it, else path itself,
// cleaned; slash-separated either way.
func (p *Policy) Name(path string) string {
	if name, ok := p.Config.name(path); ok {
		return name
	}
	return filepath.ToSlash(filepath.Clean(path))
}
