package analysis

import (
	"regexp"
	"strings"
)

// People rarely paste a value as it is: they hide account ids and names
// first (XXXXXXXXXXXX, REDACTED, ***, <account-id>, 1234…), paste templates
// whose values are filled in later (${var}, {{ .Values.x }}, $VAR), or
// paste a stock file whose values were never filled in (<ARN of instance
// role (not instance profile)>). A masked or templated value is present,
// its value unknown: a rule that needs it stays silent, and no finding
// claims a consequence that rests on it. Every rule decides this here.

// Mask says whether, and how, a value is left out of what was pasted.
type Mask int

const (
	// Written: the value is written out.
	Written Mask = iota
	// Masked: the person hid the value before pasting.
	Masked
	// Templated: a template engine or the shell fills the value in later.
	Templated
	// Unfilled: the text describes what belongs there, as a stock file or
	// a documentation page does (<ARN of instance role>); nobody filled it
	// in, unless the person wrote their mask as a description.
	Unfilled
)

// String names the mask in a few words, for messages.
func (m Mask) String() string {
	switch m {
	case Masked:
		return "masked"
	case Templated:
		return "a template variable"
	case Unfilled:
		return "a placeholder to fill in"
	}
	return "written"
}

// Known reports whether the value is written out.
func (m Mask) Known() bool { return m == Written }

var (
	// maskRun is a run of the characters people overwrite values with.
	maskRun = regexp.MustCompile(`^(?:[Xx]{3,}|\*{2,}|#{3,}|\?{3,}|_{3,}|[Xx*#]{2,}(?:[-_.][Xx*#]{2,})+|[a-z]{1,4}-(?:[Xx]{3,}|\*{2,}|#{3,}))$`)
	// maskWord is a word people put where a value was. A pseudonym of
	// the redactor holds REDACTED too, always followed by digits: it
	// stands for a value that was there, and is no mask.
	maskWord = regexp.MustCompile(`(?i)redact[a-z]*(?:$|[^0-9a-z])|\bmasked\b|sanitiz|obfuscat|censor|\bhidden\b|\bremoved\b|\bomitted\b|\bsnip\b|\btrimmed\b|\bscrubbed\b|\banonymi[sz]ed\b`)
	// placeholderName is a name in capitals that stands for a value:
	// ACCOUNT_ID, AWS_ACCOUNT_ID, CLUSTER_NAME, REGION; not a name that
	// merely is in capitals, like EKS_ADMIN_ROLE.
	placeholderName = regexp.MustCompile(`^(?:ACCOUNT|ACCOUNTID|REGION|CLUSTER|ID|[A-Z0-9_]*(?:ACCOUNT|ACCT|REGION|OIDC|PARTITION)[A-Z0-9_]*|[A-Z][A-Z0-9_]*_(?:ID|ARN|NAME|NUMBER|NO)|[A-Z0-9_]*_ID_[A-Z0-9_]*)$`)
	// yourValue is a name that says whose value goes there.
	yourValue = regexp.MustCompile(`(?i)^(?:your|some)[-_]?(?:account|acct|aws|role|user|cluster|region|id|oidc)`)
	// templateVar is a template engine's or the shell's variable.
	templateVar = regexp.MustCompile(`\$\{[^}]*\}|\$\([^)]*\)|\{\{[^}]*\}\}|\$[A-Za-z_][A-Za-z0-9_]*|%\{[^}]*\}`)
	// description is a value written as words, saying what belongs there.
	description = regexp.MustCompile(`^[A-Za-z][A-Za-z-]*(?: [A-Za-z(][A-Za-z()-]*){2,}$`)
	// authenticatorVar is a template the aws-iam-authenticator fills in
	// itself, which is a value, not a mask.
	authenticatorVar = regexp.MustCompile(`^\{\{(?:EC2PrivateDNSName|AccountID|SessionName|SessionNameRaw|AccessKeyID|EC2InstanceID)\}\}$`)
)

// MaskOf says whether value, or a part of it between ":", "/", "." or
// "@", is masked, templated or left unfilled, and how. A description in
// angle brackets makes the whole value Unfilled; otherwise a masked part
// makes it Masked, and a template variable Templated.
func MaskOf(value string) Mask {
	v := strings.TrimSpace(value)
	if v == "" {
		return Written
	}
	if open := strings.IndexByte(v, '<'); open >= 0 {
		if end := strings.IndexByte(v[open:], '>'); end > 0 {
			inner := strings.TrimSpace(v[open+1 : open+end])
			if strings.ContainsAny(inner, " \t") && !(mayHoldMaskWord(inner) && maskWord.MatchString(inner)) {
				return Unfilled
			}
			return Masked
		}
	}
	if mayHoldMaskWord(v) && maskWord.MatchString(v) || strings.Contains(v, "…") || strings.Contains(v, "...") {
		return Masked
	}
	if strings.Count(v, " ") >= 2 && description.MatchString(v) {
		return Unfilled
	}
	for start := 0; start < len(v); {
		end := start
		for end < len(v) && !partSeparators[v[end]] {
			end++
		}
		if part := trimBrackets(v[start:end]); part != "" && maskedPart(part) {
			return Masked
		}
		start = end + 1
	}
	if mayHoldTemplate(v) {
		for _, loc := range templateVar.FindAllStringIndex(v, -1) {
			if !authenticatorVar.MatchString(v[loc[0]:loc[1]]) {
				return Templated
			}
		}
	}
	return Written
}

// trimBrackets returns s without the brackets and braces around it.
func trimBrackets(s string) string {
	for s != "" && brackets[s[0]] {
		s = s[1:]
	}
	for s != "" && brackets[s[len(s)-1]] {
		s = s[:len(s)-1]
	}
	return s
}

// brackets are the bytes trimBrackets removes.
var brackets = newByteSet("{}[]()")

// mayHoldTemplate reports whether v could hold a match of templateVar.
func mayHoldTemplate(v string) bool {
	for i := 0; i+1 < len(v); i++ {
		switch c, next := v[i], v[i+1]; {
		case c == '$' && (next == '{' || next == '(' || next == '_' || next >= 'A' && next <= 'Z' || next >= 'a' && next <= 'z'),
			c == '{' && next == '{', c == '%' && next == '{':
			return true
		}
	}
	return false
}

// maskedPart reports whether one part of a value (between ":", "/", ".",
// "@", "=" or a space) is masked. The cheap tests of a part's bytes come
// before the expressions, which most values never reach.
func maskedPart(part string) bool {
	if isMaskRun(part) {
		return true
	}
	if c := part[0]; (c == 'y' || c == 'Y' || c == 's' || c == 'S') && yourValue.MatchString(part) {
		return true
	}
	return mayBePlaceholderName(part) && placeholderName.MatchString(part)
}

// mayBePlaceholderName reports whether a part could match placeholderName:
// capitals and digits only, with an underscore or a word it looks for.
func mayBePlaceholderName(part string) bool {
	upper := false
	for i := 0; i < len(part); i++ {
		switch c := part[i]; {
		case c >= 'a' && c <= 'z':
			return false
		case c >= 'A' && c <= 'Z':
			upper = true
		}
	}
	return upper && (strings.IndexByte(part, '_') >= 0 || len(part) <= 9 || strings.Contains(part, "ACC") ||
		strings.Contains(part, "REGION") || strings.Contains(part, "OIDC") || strings.Contains(part, "PARTITION"))
}

// isMaskRun reports whether a part is a run of the characters people
// overwrite values with (maskRun), testing its first bytes first.
func isMaskRun(part string) bool {
	c := part[0]
	return (strings.IndexByte("Xx*#?_", c) >= 0 || c >= 'a' && c <= 'z' && strings.IndexByte(part[:min(len(part), 5)], '-') > 0) &&
		maskRun.MatchString(part)
}

// hasLower reports whether s holds a lower-case ASCII letter.
func hasLower(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 'a' && s[i] <= 'z' {
			return true
		}
	}
	return false
}

// mayHoldMaskWord reports whether v holds a stem of maskWord in any case:
// text without any cannot match maskWord. A pseudonym's REDACTED, which
// digits follow, does not count. Every analysis runs it over most values
// and the whole paste, so a pair of letters is looked up in a table.
func mayHoldMaskWord(v string) bool {
	for i := 0; i+1 < len(v); i++ {
		c, d := v[i]|0x20, v[i+1]|0x20
		if c < 'a' || c > 'z' || d < 'a' || d > 'z' {
			continue
		}
		for _, stem := range maskStems[int(c-'a')*26+int(d-'a')] {
			if i+len(stem) > len(v) || !strings.EqualFold(v[i:i+len(stem)], stem) {
				continue
			}
			j := i + len(stem)
			for j < len(v) && (v[j]|0x20) >= 'a' && (v[j]|0x20) <= 'z' {
				j++
			}
			if j == len(v) || v[j] < '0' || v[j] > '9' {
				return true
			}
		}
	}
	return false
}

// maskStems are the stems of maskWord by their first two letters
// (a-z, a-z as 26 × first + second).
var maskStems = func() (stems [26 * 26][]string) {
	for _, stem := range []string{"redact", "remov", "mask", "saniti", "snip", "scrub", "obfusc", "omit", "censor", "hidden", "trim", "anonym"} {
		key := int(stem[0]-'a')*26 + int(stem[1]-'a')
		stems[key] = append(stems[key], stem)
	}
	return stems
}()

// MaskOfAccount is MaskOf for an AWS account id, which is twelve digits:
// one digit repeated, or the first digits of 1234567890…, stand for
// "some account". Other digits that are not twelve may be a typo or an id cut
// by hand, and are Written: a rule words what it says of them for both.
// The documentation's example ids (123456789012, 111122223333) are written
// values.
func MaskOfAccount(account string) Mask {
	if m := MaskOf(account); m != Written || account == "" {
		return m
	}
	switch {
	case strings.Trim(account, account[:1]) == "":
		return Masked // one digit over and over: 000000000000, 11111111111
	case len(account) >= 4 && len(account) != 12 && strings.HasPrefix("12345678901234567890", account):
		return Masked
	}
	return Written
}

// byteSet is a set of bytes.
type byteSet [256]bool

func newByteSet(bytes string) *byteSet {
	var set byteSet
	for i := 0; i < len(bytes); i++ {
		set[bytes[i]] = true
	}
	return &set
}

var (
	// partSeparators separate the parts of a value MaskOf looks at.
	partSeparators = newByteSet(":/.@= ")
	// fieldSeparators separate the fields of a text HasMask looks at.
	fieldSeparators = newByteSet(" \t\r\n\"'`,:/=()[]{}<>.-_")
)

// HasMask reports whether text hides a value anywhere, unmistakably: a
// run of X, * or # (ip-xx-xx-xxx-xx counts), or a word such as REDACTED. An angle-bracketed name
// does not count: a stock file has those too.
func HasMask(text string) bool {
	for start := 0; start < len(text); {
		for start < len(text) && fieldSeparators[text[start]] {
			start++
		}
		end := start
		for end < len(text) && !fieldSeparators[text[end]] {
			end++
		}
		if field := text[start:end]; field != "" && (isMaskRun(field) || len(field) >= 6 && mayHoldMaskWord(field) && maskWord.MatchString(field)) {
			return true
		}
		start = end
	}
	return false
}
