package fixes

import (
	"regexp"
	"strings"

	"github.com/eksdoctor/eksdoctor/analysis"
)

// A section the authenticator cannot parse is repaired only when its
// lines can be read unambiguously by what each one is: an entry start
// ("- rolearn: …"), a key of the entry ("username: …"), an item of its
// groups ("- system:nodes") or a key of its sso matcher. The repair then
// rewrites only leading whitespace (tabs, over- and under-indentation)
// and quotes {{…}} values that YAML would read as a mapping. It keeps
// every line, so positions in the repaired text map back to the original
// line by line, and it is offered only when the result parses into the
// entries and groups the lines show.

// authRepair is an unambiguous repair of a section's text.
type authRepair struct {
	// Edits are in the section text's coordinates, sorted and disjoint.
	Edits []analysis.Edit
	// Text is the repaired text.
	Text string
	// What says what it changes, for people.
	What []string
}

const repairKey = `"[A-Za-z_-]+"|'[A-Za-z_-]+'|[A-Za-z_-]+`

var (
	repairEntry = regexp.MustCompile(`^-[ \t]+(` + repairKey + `)[ \t]*:(?:[ \t]+(.*))?$`)
	repairPair  = regexp.MustCompile(`^(` + repairKey + `)[ \t]*:(?:[ \t]+(.*))?$`)
	repairItem  = regexp.MustCompile(`^-[ \t]+(.+)$`)
	ssoKeys     = []string{"permissionSetName", "accountID", "partition"}
)

// repairLine is one line of a section's text, as the repair reads it.
type repairLine struct {
	start, body int // where the line and its content start
	level       int // 0 entry start, 1 entry key, 2 group item or sso key; -1 comment
	groupItem   bool
	value       string // the value after the key or dash
	valueAt     int    // where value starts
}

// repairAuthText returns the repair of a section's text, when there is an
// unambiguous one that makes the authenticator parse it.
func repairAuthText(section, text string) (authRepair, bool) {
	lines, ok := readRepairLines(text)
	if !ok {
		return authRepair{}, false
	}
	var r authRepair
	indent := repairIndents(text, lines)
	tabs, moved := false, 0
	for i, l := range lines {
		want := strings.Repeat(" ", indent[i])
		if l.level < 0 && !strings.Contains(text[l.start:l.body], "\t") {
			continue
		}
		if ws := text[l.start:l.body]; ws != want {
			r.Edits = append(r.Edits, analysis.Replace(l.start, l.body, want))
			tabs = tabs || strings.Contains(ws, "\t")
			moved++
		}
		if q, ok := quoteTemplate(l.value); ok && l.level >= 0 {
			r.Edits = append(r.Edits, analysis.Insert(l.valueAt, q), analysis.Insert(l.valueAt+templateEnd(l.value), q))
			r.What = append(r.What, "quotes "+strings.TrimSpace(l.value[:templateEnd(l.value)]))
		}
	}
	if tabs {
		r.What = append([]string{"replaces the tabs with spaces"}, r.What...)
	}
	if moved > 0 && !tabs {
		r.What = append([]string{"re-indents " + plural(moved, "line")}, r.What...)
	}
	if len(r.Edits) == 0 {
		return authRepair{}, false
	}
	fixed, err := analysis.Apply(text, r.Edits)
	if err != nil {
		return authRepair{}, false
	}
	r.Text = fixed
	entries, perr := decodeAuthText(section, fixed)
	if perr != nil || !repairMatches(entries, lines) {
		return authRepair{}, false
	}
	return r, true
}

// readRepairLines classifies every line; ok is false when a line is not
// one the repair understands.
func readRepairLines(text string) ([]repairLine, bool) {
	var out []repairLine
	inGroups, inSSO, inEntry := false, false, false
	for lineStart := 0; lineStart < len(text); {
		end := len(text)
		if i := strings.IndexByte(text[lineStart:], '\n'); i >= 0 {
			end = lineStart + i
		}
		body := end - len(strings.TrimLeft(text[lineStart:end], " \t"))
		content := strings.TrimRight(text[body:end], " \t\r")
		l := repairLine{start: lineStart, body: body, valueAt: body + len(content)}
		lineStart = end + 1
		key := ""
		// value sets the line's value from submatch 2 of a match, if any.
		value := func(m []int, keyGroup int) {
			if keyGroup > 0 {
				key = strings.Trim(content[m[2*keyGroup]:m[2*keyGroup+1]], `"'`)
			}
			if v := len(m) - 2; m[v] >= 0 {
				l.value, l.valueAt = content[m[v]:m[v+1]], body+m[v]
			}
		}
		switch {
		case content == "":
			continue
		case strings.HasPrefix(content, "#"):
			l.level = -1
		case repairEntry.MatchString(content):
			value(repairEntry.FindStringSubmatchIndex(content), 1)
			l.level, inEntry = 0, true
		case inEntry && repairPair.MatchString(content):
			value(repairPair.FindStringSubmatchIndex(content), 1)
			l.level = 1
			if inSSO && containsFold(ssoKeys, key) {
				l.level, key = 2, ""
			}
		case inGroups && repairItem.MatchString(content):
			value(repairItem.FindStringSubmatchIndex(content), 0)
			l.level, l.groupItem = 2, true
		default:
			return nil, false
		}
		if l.level == 0 || l.level == 1 && key != "" {
			inGroups = strings.EqualFold(key, "groups") && l.value == ""
			inSSO = strings.EqualFold(key, "sso") && l.value == ""
			if l.value == "" && !inGroups && !inSSO || strings.HasPrefix(l.value, "|") || strings.HasPrefix(l.value, ">") {
				return nil, false
			}
		}
		out = append(out, l)
	}
	return out, inEntry
}

// repairIndents returns the indentation each line gets: entries at the
// column the first one uses, keys two further, group items where most
// well-placed items already are relative to their key (or EKS's style),
// sso keys two past their key, comments with the next line.
func repairIndents(text string, lines []repairLine) []int {
	base := 0
	for _, l := range lines {
		if l.level == 0 {
			if ws := text[l.start:l.body]; !strings.Contains(ws, "\t") {
				base = len(ws)
			}
			break
		}
	}
	itemOffset := groupItemOffset(text, lines, base)
	indent := make([]int, len(lines))
	for i, l := range lines {
		switch {
		case l.level == 0:
			indent[i] = base
		case l.level == 1:
			indent[i] = base + 2
		case l.groupItem:
			indent[i] = base + 2 + itemOffset
		case l.level == 2:
			indent[i] = base + 4
		}
	}
	for i := len(lines) - 1; i >= 0; i-- {
		if lines[i].level < 0 {
			indent[i] = base
			if i+1 < len(lines) {
				indent[i] = indent[i+1]
			}
		}
	}
	return indent
}

// groupItemOffset returns how far group items sit right of their groups
// key: the offset most space-indented items already use, else 0 when the
// entries start with groups (as EKS and eksctl write them), else 2.
func groupItemOffset(text string, lines []repairLine, base int) int {
	counts := map[int]int{}
	best, bestCount := -1, 0
	groupsFirst := false
	for i, l := range lines {
		if l.level == 0 && l.value == "" {
			groupsFirst = true
		}
		if !l.groupItem || strings.Contains(text[l.start:l.body], "\t") {
			continue
		}
		if off := l.body - l.start - base - 2; off >= 0 && i > 0 {
			counts[off]++
			if counts[off] > bestCount || counts[off] == bestCount && off < best {
				best, bestCount = off, counts[off]
			}
		}
	}
	switch {
	case best >= 0:
		return best
	case groupsFirst:
		return 0
	}
	return 2
}

// repairMatches reports whether the repaired entries are the ones the
// lines show: as many entries, each with as many groups.
func repairMatches(entries []authEntry, lines []repairLine) bool {
	n, groups := -1, []int{}
	for _, l := range lines {
		switch {
		case l.level == 0:
			n++
			groups = append(groups, 0)
		case l.groupItem:
			groups[n]++
		}
	}
	if len(entries) != n+1 {
		return false
	}
	for i, e := range entries {
		if len(e.Groups) != groups[i] && groups[i] > 0 {
			return false
		}
	}
	return true
}

// quoteTemplate returns the quote to put around a value that starts with
// {{, which YAML would otherwise read as a flow mapping.
func quoteTemplate(value string) (string, bool) {
	if !strings.HasPrefix(value, "{{") {
		return "", false
	}
	v := value[:templateEnd(value)]
	switch {
	case !strings.Contains(v, `"`):
		return `"`, true
	case !strings.Contains(v, `'`):
		return `'`, true
	}
	return "", false
}

// templateEnd returns the length of a value without a trailing comment
// and blanks.
func templateEnd(value string) int {
	if i := strings.Index(value, " #"); i >= 0 {
		value = value[:i]
	}
	return len(strings.TrimRight(value, " \t\r"))
}

// containsFold reports whether list holds s, ignoring case.
func containsFold(list []string, s string) bool {
	for _, v := range list {
		if strings.EqualFold(v, s) {
			return true
		}
	}
	return false
}

// repairedText is the TextMap of a section's repaired text: offsets map
// back to the original text through the repair's edits, which only
// change leading whitespace and add quotes, so every value keeps its
// place.
type repairedText struct {
	e     *analysis.Embedded
	edits []analysis.Edit
	src   *analysis.Source
}

func (r *repairedText) Source() *analysis.Source { return r.src }

// original maps an offset of the repaired text to the section's text.
func (r *repairedText) original(i int) int {
	delta := 0
	for _, e := range r.edits {
		rs := e.Start + delta
		switch {
		case i < rs:
			return i - delta
		case i < rs+len(e.New):
			return e.Start
		}
		delta += len(e.New) - (e.End - e.Start)
	}
	return i - delta
}

func (r *repairedText) Offset(i int) int { return r.e.Offset(r.original(i)) }
func (r *repairedText) Edit(s, end int, text string) analysis.Edit {
	return r.e.Edit(r.original(s), r.original(end), text)
}
