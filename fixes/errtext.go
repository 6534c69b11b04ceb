package fixes

import (
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/eksdoctor/eksdoctor/analysis"

	"github.com/eksdoctor/eksdoctor/internal/prefilter"
)

// The error family reads error output: kubectl, the AWS CLI and SDKs, the
// aws-iam-authenticator, the kubelet. Each rule recognises one error by a
// signature, a few regular expressions written as data with the texts they
// must and must not match, and explains it using whatever else the paste
// holds.

// errLine is one logical line of error output. Tools and documentation
// wrap long AWS errors after a colon ("… operation: \nUser: …"); such a
// line and its continuation are one logical line, joined by one space.
type errLine struct {
	Text string
	// segs are its physical pieces: where each starts in Text and in the
	// whole text; end is where the line ends in the whole text.
	segs []lineSegment
	end  int
}

// lineSegment is one physical line's piece of a logical line.
type lineSegment struct{ at, src int }

// offset maps an offset in the logical line to the whole text. A joining
// space maps to the end of the piece before it.
func (l *errLine) offset(i int) int {
	if i >= len(l.Text) {
		return l.end
	}
	i = max(i, 0)
	k := sort.Search(len(l.segs), func(k int) bool { return l.segs[k].at > i }) - 1
	return l.segs[k].src + i - l.segs[k].at
}

// errLinesKey keeps what errLinesOf builds, once for each document.
var errLinesKey = analysis.NewKey[[]*errLine]("err-lines")

// errLinesOf returns the logical lines of a document, built once.
func errLinesOf(src *analysis.Source, doc *analysis.Document) []*errLine {
	return analysis.Memo(doc, errLinesKey, func() []*errLine {
		var out []*errLine
		var cur *errLine
		var text strings.Builder
		first, last := src.LineOf(doc.Start), src.LineOf(max(doc.Start, doc.End-1))
		for n := first; n <= last; n++ {
			start, end := max(src.LineStart(n), doc.Start), min(src.LineEnd(n), doc.End)
			piece := src.Text[start:end]
			if cur == nil {
				cur = &errLine{}
				text.Reset()
			} else {
				lead := len(piece) - len(strings.TrimLeft(piece, " \t"))
				text.WriteByte(' ')
				piece, start = piece[lead:], start+lead
			}
			joins := continues(piece, n < last && strings.TrimSpace(src.Line(n+1)) != "")
			if joins {
				piece = strings.TrimRight(piece, " \t")
				end = start + len(piece)
			}
			cur.segs = append(cur.segs, lineSegment{at: text.Len(), src: start})
			text.WriteString(piece)
			cur.end = end
			if joins {
				continue
			}
			cur.Text = text.String()
			out = append(out, cur)
			cur = nil
		}
		if cur != nil {
			cur.Text = text.String()
			out = append(out, cur)
		}
		return out
	})
}

// continues reports whether a physical line goes on on the next one: it
// ends with a colon and the next line is not blank.
func continues(text string, nextHasText bool) bool {
	return nextHasText && strings.HasSuffix(strings.TrimRight(text, " \t"), ":")
}

// signature recognises one error in the text: any of its expressions on a
// logical line. keywords prefilter the document: an expression only runs
// when one of them occurs. matches and decoys are examples the tests check:
// every match is found, no decoy is.
type signature struct {
	keywords        []string
	res             []*prefilter.Regexp
	matches, decoys []string
}

// signatures lists every signature, for the tests of their examples.
var signatures []*signature

// newSignature compiles a signature and registers it.
func newSignature(keywords []string, patterns []string, matches, decoys []string) *signature {
	s := &signature{keywords: keywords, matches: matches, decoys: decoys}
	for _, p := range patterns {
		s.res = append(s.res, prefilter.MustCompile(p))
	}
	signatures = append(signatures, s)
	return s
}

// errMatch is one occurrence of a signature.
type errMatch struct {
	line *errLine
	re   *regexp.Regexp
	loc  []int
	// Start and End are its range in the whole text.
	Start, End int
}

// group returns the named submatch, or "".
func (m errMatch) group(name string) string {
	i := m.re.SubexpIndex(name)
	if i < 0 || m.loc[2*i] < 0 {
		return ""
	}
	return m.line.Text[m.loc[2*i]:m.loc[2*i+1]]
}

// text returns the matched text.
func (m errMatch) text() string { return m.line.Text[m.loc[0]:m.loc[1]] }

// mayOccur reports whether one of the keywords occurs in text.
func (s *signature) mayOccur(text string) bool {
	for _, k := range s.keywords {
		if strings.Contains(text, k) {
			return true
		}
	}
	return len(s.keywords) == 0
}

// matchLine returns the signature's first match on a line, if any.
func (s *signature) matchLine(l *errLine) (errMatch, bool) {
	best := errMatch{}
	for _, re := range s.res {
		loc := re.FindStringSubmatchIndex(l.Text)
		if loc != nil && (best.loc == nil || loc[0] < best.loc[0]) {
			best = errMatch{line: l, re: re.Regexp, loc: loc, Start: l.offset(loc[0]), End: l.offset(loc[1])}
		}
	}
	return best, best.loc != nil
}

// on reports whether the signature matches a line.
func (s *signature) on(l *errLine) bool {
	_, ok := s.matchLine(l)
	return ok
}

// find returns the signature's matches in a document, one per logical
// line, leaving out lines that one of the more specific signatures
// explains, on the line itself or on the SDK's "caused by:" lines that
// follow it (in the document, or after a blank line in the next one).
func (s *signature) find(src *analysis.Source, doc *analysis.Document, unless ...*signature) []errMatch {
	if !s.mayOccur(doc.Text) {
		return nil
	}
	var out []errMatch
	lines := errLinesOf(src, doc)
	for i, l := range lines {
		m, ok := s.matchLine(l)
		if !ok || explainedBy(l, unless) || len(unless) > 0 && slices.ContainsFunc(causedBy(src, doc, lines[i+1:]), func(c *errLine) bool {
			return explainedBy(c, unless)
		}) {
			continue
		}
		out = append(out, m)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Start < out[j].Start })
	return out
}

// causedBy returns the "caused by:" lines of an SDK error chain that
// follow a line: the next lines of its document that start so, and when
// they run to the document's end, those that start the text after it
// (a blank line may split a chain into two documents).
func causedBy(src *analysis.Source, doc *analysis.Document, next []*errLine) []*errLine {
	var out []*errLine
	for _, l := range next {
		if !strings.HasPrefix(strings.TrimSpace(l.Text), "caused by:") {
			return out
		}
		out = append(out, l)
	}
	n := src.LineOf(max(doc.Start, doc.End-1)) + 1
	for n <= src.Lines() && strings.TrimSpace(src.Line(n)) == "" {
		n++
	}
	for ; n <= src.Lines(); n++ {
		line := src.Line(n)
		text := strings.TrimSpace(line)
		if !strings.HasPrefix(text, "caused by:") {
			break
		}
		at := src.LineStart(n) + strings.Index(line, text)
		out = append(out, &errLine{Text: text, segs: []lineSegment{{at: 0, src: at}}, end: at + len(text)})
	}
	return out
}

// explainedBy reports whether one of sigs matches the line.
func explainedBy(l *errLine, sigs []*signature) bool {
	for _, s := range sigs {
		if s.on(l) {
			return true
		}
	}
	return false
}

// occurs reports whether the signature matches anywhere in the paste's
// error output.
func (s *signature) occurs(p *analysis.Pass) bool {
	for _, d := range p.OfKind(analysis.KindErrorText) {
		if len(s.find(p.Src, d)) > 0 {
			return true
		}
	}
	return false
}

// errorTextKinds are the kinds the error catalogue's rules read.
var errorTextKinds = []analysis.Kind{analysis.KindErrorText}

// symptom is the Run of a rule of the error catalogue: it calls diagnose
// with the matches of sig in the error output being checked, when there
// are any, leaving out lines that one of unless explains.
func symptom(sig *signature, diagnose func(p *analysis.Pass, ms []errMatch), unless ...*signature) func(*analysis.Pass) {
	return func(p *analysis.Pass) {
		if ms := sig.find(p.Src, p.Doc, unless...); len(ms) > 0 {
			diagnose(p, ms)
		}
	}
}

// times says how often an error was seen, when more than once.
func times(ms []errMatch) string {
	if len(ms) < 2 {
		return ""
	}
	return " (seen " + strconv.Itoa(len(ms)) + " times)"
}

// ErrorExamples returns the error lines the catalogue's signatures are
// documented to match, each as it appears in real output: whatever reads
// a paste must take each of them for error text, or the rule that knows
// it never sees it.
func ErrorExamples() []string {
	var out []string
	for _, s := range signatures {
		out = append(out, s.matches...)
	}
	return out
}

// KnownErrorLine returns the first line of text that a signature of the
// catalogue matches, and whether one does: the classifier's word on
// whether text is error output that a rule reads.
func KnownErrorLine(text string) (string, bool) {
	candidates := catalogueIndex().signaturesIn(text)
	if len(candidates) == 0 {
		return "", false
	}
	for line := range strings.Lines(text) {
		l := &errLine{Text: strings.TrimRight(line, "\r\n"), segs: []lineSegment{{}}}
		if explainedBy(l, candidates) {
			return line, true
		}
	}
	return "", false
}

// keywordIndex finds which signatures' keywords occur in a text in one
// pass: a table by the byte pair a keyword starts with passes over most
// positions at the cost of one look-up, and compares only the keywords
// that start with the pair there.
type keywordIndex struct {
	// byPair holds, for each pair of bytes, 1 + the index in lists of the
	// keywords that start with it, or 0.
	byPair [1 << 16]uint16
	lists  [][]keyword
}

// keyword is a signature's keyword and the signature's index.
type keyword struct {
	text  string
	owner int
}

var (
	catalogueOnce sync.Once
	catalogue     *keywordIndex
)

// catalogueIndex returns the index of every signature's keywords, built
// the first time it is needed.
func catalogueIndex() *keywordIndex {
	catalogueOnce.Do(func() {
		catalogue = &keywordIndex{}
		for i, s := range signatures {
			for _, k := range s.keywords {
				if len(k) < 2 {
					continue
				}
				pair := uint16(k[0])<<8 | uint16(k[1])
				if catalogue.byPair[pair] == 0 {
					catalogue.lists = append(catalogue.lists, nil)
					catalogue.byPair[pair] = uint16(len(catalogue.lists))
				}
				l := catalogue.byPair[pair] - 1
				catalogue.lists[l] = append(catalogue.lists[l], keyword{k, i})
			}
		}
	})
	return catalogue
}

// signaturesIn returns the signatures one of whose keywords occurs in text.
func (x *keywordIndex) signaturesIn(text string) []*signature {
	var found []*signature
	var seen []int
	for i := 0; i+1 < len(text); i++ {
		l := x.byPair[uint16(text[i])<<8|uint16(text[i+1])]
		if l == 0 {
			continue
		}
		for _, kw := range x.lists[l-1] {
			if !slices.Contains(seen, kw.owner) && strings.HasPrefix(text[i:], kw.text) {
				seen = append(seen, kw.owner)
				found = append(found, signatures[kw.owner])
			}
		}
	}
	return found
}

// generalErrors are the rules that explain an error only in general: a
// 401 from the API server, an IAM denial, an RBAC denial. Another error of
// the same paste that says why credentials failed (an expired token, the
// node's role in a pod) explains more, so it comes first among causes.
var generalErrors = []string{"ERR001", "ERR041", "RBAC001"}

// General reports whether a rule explains its error only in general.
func General(ruleID string) bool { return slices.Contains(generalErrors, ruleID) }
