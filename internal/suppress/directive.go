package suppress

import (
	"fmt"
	"path"
	"slices"
	"strings"

	"github.com/eksdoctor/eksdoctor/core"
)

// Directive is one eksdoctor:ignore or eksdoctor:ignore-file comment.
type Directive struct {
	// Line is the line the comment is on.
	Line int
	// From and To are the lines it covers, inclusive.
	From, To int
	// File is true for eksdoctor:ignore-file, which covers the whole
	// file, findings without a line included.
	File bool
	// Rules are the rule IDs it names that CheckRule accepts.
	Rules []string
	// Reason is the rest of the comment after the rule IDs, or "".
	Reason string
}

// Problem is something wrong with a directive: a malformed comment, a rule
// ID that is not one, a directive with nothing to cover.
type Problem struct {
	Line    int
	Message string
}

// prefix starts every directive; a letter must follow it, so a comment
// such as "# eksdoctor: checked in CI" is not one.
const prefix = "eksdoctor:"

// Directives reads the eksdoctor: comments of a file's text. name is used
// for its extension only: in YAML (.yaml, .yml) comments start with #, in
// everything else (Terraform, JSON with comments, pasted text) with # or
// //. A directive that names some rules wrongly still covers the ones it
// names rightly; each mistake is a Problem.
func Directives(name, text string, known func(id string) bool) ([]Directive, []Problem) {
	src := newSource(text, !isYAML(name))
	var dirs []Directive
	var problems []Problem
	for i, l := range src.lines {
		if l.comment < 0 {
			continue
		}
		d, errs := parseComment(l.text[l.comment:], known)
		for _, err := range errs {
			problems = append(problems, Problem{i + 1, err.Error()})
		}
		if len(d.Rules) == 0 {
			continue
		}
		d.Line = i + 1
		switch {
		case d.File:
			d.From, d.To = 1, len(src.lines)
		case l.code:
			d.From, d.To = i+1, i+1
		default:
			target := src.nextCode(i + 1)
			if target < 0 {
				problems = append(problems, Problem{i + 1, "eksdoctor:ignore has no line after it to cover"})
				continue
			}
			d.From, d.To = target+1, src.blockEnd(target)+1
		}
		dirs = append(dirs, d)
	}
	return dirs, problems
}

// silences reports whether d covers f.
func (d Directive) silences(f core.Finding) bool {
	return slices.Contains(d.Rules, f.Rule) && (d.File || d.From <= f.Line && f.Line <= d.To)
}

// isYAML reports whether name is a YAML file, where // starts no comment.
func isYAML(name string) bool {
	ext := strings.ToLower(path.Ext(name))
	return ext == ".yaml" || ext == ".yml"
}

// parseComment reads a comment, starting at its # or //. It returns the
// zero Directive for a comment that is not a directive, and a Directive
// with no Rules for one that names none rightly.
func parseComment(comment string, known func(id string) bool) (Directive, []error) {
	body := strings.TrimLeft(strings.TrimLeft(comment, "#/"), " \t")
	if !strings.HasPrefix(body, prefix) || len(body) == len(prefix) || !isLetter(body[len(prefix)]) {
		return Directive{}, nil
	}
	keyword, rest := word(body[len(prefix):])
	if keyword != "ignore" && keyword != "ignore-file" {
		return Directive{}, []error{fmt.Errorf(
			"malformed directive %q: write eksdoctor:ignore or eksdoctor:ignore-file, a space, then RULE[,RULE…] [reason]",
			prefix+keyword)}
	}
	d := Directive{File: keyword == "ignore-file"}
	var errs []error
	for more := true; more; {
		var ids string
		ids, rest = word(rest)
		more = strings.HasSuffix(ids, ",")
		for id := range strings.SplitSeq(ids, ",") {
			if id == "" {
				continue
			}
			if err := CheckRule(id, known); err != nil {
				errs = append(errs, fmt.Errorf("%s%s: %w", prefix, keyword, err))
				continue
			}
			d.Rules = append(d.Rules, id)
		}
	}
	if len(d.Rules) == 0 && len(errs) == 0 {
		errs = append(errs, fmt.Errorf("%s%s names no rule: write %s%s RULE[,RULE…] [reason]", prefix, keyword, prefix, keyword))
	}
	d.Reason = strings.TrimSpace(rest)
	return d, errs
}

// word splits s, after its leading blanks, at the next blank: the word
// and what follows it, its leading blanks trimmed.
func word(s string) (w, rest string) {
	s = strings.TrimLeft(s, " \t")
	end := strings.IndexAny(s, " \t")
	if end < 0 {
		return s, ""
	}
	return s[:end], strings.TrimLeft(s[end:], " \t")
}

func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }
