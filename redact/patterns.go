package redact

import (
	"fmt"
	"regexp"
	"strings"
)

// pattern is one kind of value to redact, as data: how to find it, which
// values to leave alone, how its pseudonyms look, and examples that the
// tests check against it.
type pattern struct {
	kind string
	// keywords prefilter the text: the regular expression only runs when
	// one of them occurs. foldCase matches them case-insensitively.
	keywords []string
	foldCase bool
	re       *regexp.Regexp
	// group is the submatch holding the value (0 for the whole match).
	group int
	// keep reports values that look like the kind but are not secrets,
	// such as AWS documentation examples.
	keep func(value string) bool
	// pseudonym returns the n-th pseudonym (n from 1) for an original value.
	pseudonym func(n int, original string) string
	// identifier marks names redacted only with Options.Identifiers.
	identifier bool
	// matches and decoys are examples: each of matches redacts exactly the
	// value between « and », and none of decoys redacts anything.
	matches, decoys []string
}

// mayMatch reports whether one of the pattern's keywords occurs in text.
func (p *pattern) mayMatch(text string) bool {
	for _, k := range p.keywords {
		if p.foldCase && containsFold(text, k) || !p.foldCase && strings.Contains(text, k) {
			return true
		}
	}
	return len(p.keywords) == 0
}

// find returns the pattern's matches in text that are not kept.
func (p *pattern) find(text string) []match {
	var out []match
	for _, loc := range p.re.FindAllStringSubmatchIndex(text, -1) {
		start, end := loc[2*p.group], loc[2*p.group+1]
		if start < 0 {
			continue
		}
		value := text[start:end]
		if p.keep != nil && p.keep(value) {
			continue
		}
		out = append(out, match{start, end, value, p})
	}
	return out
}

// containsFold reports whether text contains the lower-case ASCII keyword
// in any case, without copying text.
func containsFold(text, keyword string) bool {
	first := keyword[0]
	upper := first &^ 0x20
	for i := 0; i+len(keyword) <= len(text); i++ {
		if c := text[i]; (c == first || c == upper) && strings.EqualFold(text[i:i+len(keyword)], keyword) {
			return true
		}
	}
	return false
}

// allocator hands out pseudonyms: one per distinct value of a kind, in
// order of first appearance, skipping any that occur in the text.
type allocator struct {
	text  string
	given map[string]string // kind + "\x00" + original → pseudonym
	used  map[string]bool
	count map[string]int
}

func newAllocator(text string) *allocator {
	return &allocator{text: text, given: map[string]string{}, used: map[string]bool{}, count: map[string]int{}}
}

func (a *allocator) pseudonym(p *pattern, original string) string {
	key := p.kind + "\x00" + original
	if name, ok := a.given[key]; ok {
		return name
	}
	for {
		a.count[p.kind]++
		name := p.pseudonym(a.count[p.kind], original)
		if !a.used[name] && !strings.Contains(a.text, name) {
			a.given[key], a.used[name] = name, true
			return name
		}
	}
}

// documentationAccounts are account IDs from AWS documentation and AWS's
// own accounts (the EKS image registry); they identify no one's account.
var documentationAccounts = map[string]bool{
	"123456789012": true, "111122223333": true, "444455556666": true, "777788889999": true,
	"012345678901": true, "000000000000": true, "602401143452": true,
}

func accountPseudonym(n int, _ string) string { return fmt.Sprintf("%012d", 100000000000+n) }

// patterns lists every kind of value Redact replaces.
var patterns = []*pattern{
	{
		kind:      "aws-account-id",
		keywords:  []string{"arn:"},
		re:        regexp.MustCompile(`arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:(\d{12}):`),
		group:     1,
		keep:      func(v string) bool { return documentationAccounts[v] },
		pseudonym: accountPseudonym,
		matches:   []string{"arn:aws:iam::«210987654321»:role/dev", "arn:aws-cn:eks:cn-north-1:«555555555555»:cluster/x"},
		decoys:    []string{"arn:aws:iam::aws:policy/AmazonEKSClusterPolicy", "arn:aws:iam::111122223333:role/x"},
	},
	{
		kind:      "aws-account-id",
		keywords:  []string{"account", "owner"},
		foldCase:  true,
		re:        regexp.MustCompile(`(?i)"?\b(?:aws_?)?(?:account|owner)(?:_?id|_?number)?"?\s*[:=]\s*"?(\d{12})\b`),
		group:     1,
		keep:      func(v string) bool { return documentationAccounts[v] },
		pseudonym: accountPseudonym,
		matches:   []string{`"Account": "«210987654321»"`, `account_id = "«555566667777»"`, `AWS_ACCOUNT_ID=«210987654321»`},
		decoys:    []string{`"Account": "123456789012"`, `"Id": "210987654321"`},
	},
	{
		kind:     "aws-access-key-id",
		keywords: []string{"AKIA", "ASIA", "ABIA", "ACCA", "A3T"},
		re:       regexp.MustCompile(`\b(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z2-7]{16}\b`),
		keep:     func(v string) bool { return strings.HasSuffix(v, "EXAMPLE") },
		pseudonym: func(n int, original string) string {
			return fmt.Sprintf("%sREDACTED%08d", original[:4], n)
		},
		matches: []string{"aws_access_key_id = «AKIA2E3ABFGBQW4C7ZLM»", "«ASIAY34FZKBOKMUTVV7A»"},
		decoys:  []string{"AKIAIOSFODNN7EXAMPLE", "AKIA2E3ABFGBQW4C7ZL", "xAKIA2E3ABFGBQW4C7ZLM"},
	},
}
