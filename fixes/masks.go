package fixes

import (
	"slices"
	"strings"

	"github.com/eksdoctor/eksdoctor/analysis"
)

// What rules do with values people hid before pasting, templates fill in
// later, or nobody filled in (analysis.MaskOf decides which): a rule that
// needs such a value stays silent, or, when it cannot tell a stock
// placeholder from a mask, says so conditionally, at low severity.

// known reports whether a value is written out.
func known(v string) bool { return analysis.MaskOf(v).Known() }

// templated reports whether a value is filled in by a template engine or
// left for the reader to fill in, so that its literal text says nothing
// and a fix must not replace it.
func templated(v string) bool {
	m := analysis.MaskOf(v)
	return m == analysis.Templated || m == analysis.Unfilled
}

// pasteMasksKey keeps what pasteMasks finds, once for the whole input.
var pasteMasksKey = analysis.NewKey[bool]("paste-masks")

// pasteMasks reports whether the paste hides values elsewhere (XXXX,
// REDACTED, ***) or says it does: an angle-bracketed name in it is then
// one more mask, not a stock placeholder.
func pasteMasks(p *analysis.Pass) bool {
	return analysis.MemoInput(p.Input, pasteMasksKey, func() bool { return analysis.HasMask(p.Src.Text) })
}

// pasteMentions reports whether the paste's text holds one of words, in
// any case. The answer is kept under key for the whole input, so that
// rules that ask it for each finding read the text once.
func pasteMentions(p *analysis.Pass, key *analysis.Key[bool], words ...string) bool {
	return analysis.MemoInput(p.Input, key, func() bool {
		text := strings.ToLower(p.Src.Text)
		return slices.ContainsFunc(words, func(w string) bool { return strings.Contains(text, strings.ToLower(w)) })
	})
}

// placeholderNote says what an unfilled value means for a rule that needs
// it, and at what severity: a description in angle brackets is a stock
// placeholder nobody filled in, and consequence is what follows from it;
// a short angle-bracketed name may be either, and is worded so; a mask
// (or any placeholder in a paste that masks values) gets no note at all.
func placeholderNote(p *analysis.Pass, value, consequence string) (sev analysis.Severity, note string, ok bool) {
	switch analysis.MaskOf(value) {
	case analysis.Unfilled:
		return analysis.Medium, "was never filled in: " + consequence, true
	case analysis.Masked:
		if pasteMasks(p) || !strings.Contains(value, "<") {
			return "", "", false
		}
		return analysis.Low, "holds a placeholder: if the applied configuration holds it too, " + consequence +
			"; if you put it there before pasting, to hide the real value, ignore this", true
	}
	return "", "", false
}

// maskedNear reports whether the line holding offset at, or the line
// before it, masks a value: a syntax error there is most likely the
// masking's, not the file's, so a rule says nothing that rests on it.
func maskedNear(src *analysis.Source, at int) bool {
	line := src.LineOf(at)
	return analysis.HasMask(src.Line(line)) || line > 1 && analysis.HasMask(src.Line(line-1))
}

// shortenedNote says, for an ARN whose only fault is an account of digits
// but not twelve of them (a typo, or an id cut by hand before pasting),
// what follows if it is written so, worded for both readings; ok is false
// for any other ARN.
func shortenedNote(arn, consequence string) (note string, ok bool) {
	account, ok := shortenedAccount(arn)
	if !ok || !analysis.MaskOfAccount(account).Known() {
		return "", false
	}
	if why, _ := unmatchableARN(strings.Replace(arn, ":"+account+":", ":111122223333:", 1)); why != "" {
		return "", false // something else than the account is wrong with it
	}
	return arn + " has the account " + account + ", not 12 digits: if it is written so, " + consequence +
		"; if you shortened it before pasting, ignore this.", true
}
