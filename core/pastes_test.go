package core

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"
)

// pasteCase is a real paste from a public thread, with what the thread's
// confirmed resolution says eksdoctor must make of it.
type pasteCase struct {
	file, source, input string
	tags                []string
	// kinds must each be the kind of a document of the paste.
	kinds []string
	// cause is the rule whose finding must come first among the causes;
	// alternatives are separated by "|".
	cause string
	// fires must each report, and quiet must not.
	fires, quiet []string
	// says are words that must be in the message of the first cause
	// (of some finding, without a cause): what the thread's resolution
	// says the report must tell.
	says []string
	// recognised is "no" when the paste holds no EKS access material.
	recognised string
	// maxSeverity is the most serious severity a finding may have, or
	// "none" when there must be no finding.
	maxSeverity string
	// needs are gaps the thread shows that no rule covers yet; they are
	// listed, not checked.
	needs []string
	// failing says why the case does not pass yet: it must fail, and
	// passing makes the test fail until the line is removed.
	failing string
}

// pasteTags are the kinds of paste the corpus collects, each with the
// fewest cases the corpus may hold of it.
var pasteTags = map[string]int{"masked": 15, "fragment": 15, "transcript": 10, "wrapped": 10, "form": 10, "quiet": 10}

// minPastes is the fewest cases the corpus may hold.
const minPastes = 80

// readPasteCases reads the corpus of real pastes in testdata/pastes.
func readPasteCases(t *testing.T) []pasteCase {
	t.Helper()
	files, err := filepath.Glob("../testdata/pastes/*/*.txtar")
	if err != nil || len(files) == 0 {
		t.Fatalf("no real pastes in testdata/pastes (%v)", err)
	}
	var cases []pasteCase
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		ar := txtar.Parse(data)
		c := pasteCase{file: strings.TrimPrefix(file, "../testdata/pastes/"),
			source: strings.TrimSpace(section(ar, "source")), input: section(ar, "input")}
		for line := range strings.Lines(section(ar, "expect")) {
			key, value, _ := strings.Cut(strings.TrimSpace(line), ":")
			value = strings.TrimSpace(value)
			switch key {
			case "tags":
				c.tags = strings.Fields(value)
			case "kinds":
				c.kinds = strings.Fields(value)
			case "cause":
				c.cause = value
			case "fires":
				c.fires = strings.Fields(value)
			case "quiet":
				c.quiet = strings.Fields(value)
			case "says":
				c.says = append(c.says, value)
			case "recognised":
				c.recognised = value
			case "max-severity":
				c.maxSeverity = value
			case "needs":
				c.needs = append(c.needs, value)
			case "failing":
				c.failing = value
			case "":
			default:
				t.Errorf("%s: unknown expectation %q", file, key)
			}
		}
		cases = append(cases, c)
	}
	return cases
}

// TestPasteSources fails when testdata/pastes/SOURCES.md does not list
// every case of the corpus with its tags and source; -update rewrites it.
func TestPasteSources(t *testing.T) {
	cases := readPasteCases(t)
	var b strings.Builder
	b.WriteString("# Sources of the real-paste corpus\n\n")
	b.WriteString("Generated from the cases' `source` sections by `go test ./core -run TestPasteSources -update`.\n")
	b.WriteString("Each case keeps the paste as its author wrote it, with live-looking secrets replaced by fakes of the same shape;\n")
	b.WriteString("its header says what the thread's confirmed resolution was, and its `expect` section what eksdoctor must make of it.\n\n")
	fmt.Fprintf(&b, "%d cases.\n\n| case | tags | source |\n| --- | --- | --- |\n", len(cases))
	for _, c := range cases {
		fmt.Fprintf(&b, "| %s | %s | <%s> |\n", c.file, strings.Join(c.tags, " "), c.source)
	}
	checkGenerated(t, "../testdata/pastes/SOURCES.md", b.String(), "TestPasteSources")
}

// TestRealPastes runs the corpus of real pastes: each is analysed as a
// person would paste it, and must get what the thread's resolution says,
// and every property every input must have.
func TestRealPastes(t *testing.T) {
	cases := readPasteCases(t)
	count := map[string]int{}
	var failing, needs []string
	for _, c := range cases {
		if !strings.HasPrefix(c.source, "https://") {
			t.Errorf("%s: no source URL", c.file)
		}
		if c.input == "" || len(c.tags) == 0 {
			t.Errorf("%s: no input or no tags", c.file)
		}
		for _, tag := range c.tags {
			if _, ok := pasteTags[tag]; !ok {
				t.Errorf("%s: unknown tag %q", c.file, tag)
			}
			count[tag]++
		}
		problems := c.check(Analyze(c.input, Options{}))
		if c.cause == "" && c.fires == nil && c.quiet == nil && c.says == nil && c.recognised == "" && c.maxSeverity == "" && c.kinds == nil {
			problems = append(problems, "asserts nothing")
		}
		switch {
		case c.failing == "" && len(problems) > 0:
			t.Errorf("%s (%s):\n\t%s", c.file, c.source, strings.Join(problems, "\n\t"))
		case c.failing != "" && len(problems) == 0:
			t.Errorf("%s passes now: remove its failing line (%s)", c.file, c.failing)
		case c.failing != "":
			failing = append(failing, fmt.Sprintf("%s: %s", c.file, strings.Join(problems, "; ")))
		}
		for _, n := range c.needs {
			needs = append(needs, c.file+": "+n)
		}
		checkProperties(t, c.file, c.input)
	}
	t.Logf("%d real pastes; by tag: %v", len(cases), count)
	if len(cases) < minPastes {
		t.Errorf("%d real pastes, want at least %d", len(cases), minPastes)
	}
	for tag, least := range pasteTags {
		if count[tag] < least {
			t.Errorf("%d real pastes tagged %s, want at least %d", count[tag], tag, least)
		}
	}
	if len(failing) > 0 {
		t.Logf("%d known to fail:\n\t%s", len(failing), strings.Join(failing, "\n\t"))
	}
	if len(needs) > 0 {
		t.Logf("%d gaps no rule covers yet:\n\t%s", len(needs), strings.Join(needs, "\n\t"))
	}
}

// check returns how the report differs from what the case expects.
func (c pasteCase) check(rep Report) []string {
	var problems []string
	if rep.Error != "" {
		return []string{"error: " + rep.Error}
	}
	fired := map[string]bool{}
	worst := -1
	for _, f := range rep.Findings {
		fired[f.Rule] = true
		rank, _ := SeverityRank(f.Severity)
		worst = max(worst, rank)
	}
	var kinds []string
	for _, d := range rep.Documents {
		kinds = append(kinds, d.Kind)
	}
	for _, k := range c.kinds {
		if !slices.Contains(kinds, k) {
			problems = append(problems, fmt.Sprintf("no %s document (documents: %v)", k, kinds))
		}
	}
	for _, r := range c.fires {
		if !fired[r] {
			problems = append(problems, r+" does not fire")
		}
	}
	for _, r := range c.quiet {
		if fired[r] {
			problems = append(problems, r+" fires: "+firstMessage(rep, r))
		}
	}
	if c.cause != "" {
		first := ""
		if len(rep.Causes) > 0 {
			first = rep.Findings[rep.Causes[0].Finding].Rule
		}
		if !slices.Contains(strings.Split(c.cause, "|"), first) {
			problems = append(problems, fmt.Sprintf("first cause is %q, want %s", first, c.cause))
		}
	}
	for _, words := range c.says {
		if !saysIt(rep, words) {
			problems = append(problems, fmt.Sprintf("no message says %q", words))
		}
	}
	if c.recognised == "no" && rep.Recognised {
		problems = append(problems, "recognised as EKS access material")
	}
	switch c.maxSeverity {
	case "":
	case "none":
		if len(rep.Findings) > 0 {
			problems = append(problems, fmt.Sprintf("%d findings, want none: %s %s", len(rep.Findings), rep.Findings[0].Rule, rep.Findings[0].Message))
		}
	default:
		limit, ok := SeverityRank(c.maxSeverity)
		if !ok {
			problems = append(problems, "unknown max-severity "+c.maxSeverity)
		} else if worst > limit {
			for _, f := range rep.Findings {
				if rank, _ := SeverityRank(f.Severity); rank > limit {
					problems = append(problems, fmt.Sprintf("%s %s above %s: %s", f.Rule, f.Severity, c.maxSeverity, f.Message))
				}
			}
		}
	}
	return problems
}

// firstMessage returns the message of the first finding of rule.
func firstMessage(rep Report, rule string) string {
	for _, f := range rep.Findings {
		if f.Rule == rule {
			return f.Message
		}
	}
	return ""
}

// saysIt reports whether the report's first cause, or any finding when
// there is no cause, says words.
func saysIt(rep Report, words string) bool {
	if len(rep.Causes) > 0 {
		return strings.Contains(rep.Findings[rep.Causes[0].Finding].Message, words)
	}
	return slices.ContainsFunc(rep.Findings, func(f Finding) bool { return strings.Contains(f.Message, words) })
}
