package core

import (
	"strings"

	"github.com/eksdoctor/eksdoctor/analysis"

	"github.com/eksdoctor/eksdoctor/fixes"
)

// CanIQuery asks whether a subject (a user with groups, a ServiceAccount,
// or an IAM principal mapped by the paste's aws-auth) may make one
// request. The JavaScript API takes it as JSON; see fixes.CanIQuery for
// the fields.
type CanIQuery = fixes.CanIQuery

// CanIResult is CanI's answer: allowed, the binding, role and rule that
// decided it, the bindings that nearly grant a denied request and why
// they do not, notes, and the kubectl auth can-i command that asks the
// cluster the same question.
type CanIResult = fixes.CanIResult

// CanI answers, offline, what kubectl auth can-i would answer on a cluster
// holding the Roles, ClusterRoles and bindings of text, plus the default
// ones every cluster has (text may be empty to ask about those alone),
// for the subject of q with the groups the paste's identity mappings give
// it. It does not redact: the answer goes back to the person who asked,
// about their own names. It never panics: an internal error becomes
// CanIResult.Error.
func CanI(text string, q CanIQuery) (res CanIResult) {
	defer func() {
		if r := recover(); r != nil {
			res = CanIResult{Error: internalError(r)}
		}
	}()
	if strings.TrimSpace(text) == "" {
		return fixes.CanI(&analysis.Input{Src: analysis.NewSource(text)}, q)
	}
	if msg := checkInput(text); msg != "" {
		return CanIResult{Error: msg}
	}
	return fixes.CanI(inputOf(text), q)
}

// CanIQueryFromText derives the question to prefill CanI with from a
// paste: the user and request of the first denial in its error output.
// ok is false when the paste holds none.
func CanIQueryFromText(text string) (q CanIQuery, ok bool) {
	defer func() {
		if recover() != nil {
			q, ok = CanIQuery{}, false
		}
	}()
	if checkInput(text) != "" {
		return CanIQuery{}, false
	}
	return fixes.CanIQueryFrom(inputOf(text))
}
