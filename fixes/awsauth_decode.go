package fixes

import (
	"encoding/json"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"

	sigsyaml "sigs.k8s.io/yaml"

	"github.com/eksdoctor/eksdoctor/analysis"
)

// This file reads mapRoles and mapUsers the way aws-iam-authenticator's
// ParseMap does: the text goes through sigs.k8s.io/yaml (YAML to JSON), then
// encoding/json decodes it into the authenticator's mapping types, matching
// keys case-insensitively; a YAML error drops the whole section, and
// Validate drops single entries.

// authEntry is what the authenticator reads from one entry.
type authEntry struct {
	ARN, Username string
	Groups        []string
	SSO           *ssoMatcher
	// Ignored are the keys no field reads (role_arn, roles…).
	Ignored []string
	// Mistyped are the fields whose value has the wrong type; the
	// authenticator leaves them empty.
	Mistyped []string
	// Drop is why Validate drops the entry, "" when it is kept.
	Drop string
}

// ssoMatcher is the alpha sso matcher of a mapRoles entry.
type ssoMatcher struct {
	PermissionSetName string `json:"permissionSetName"`
	AccountID         string `json:"accountID"`
	Partition         string `json:"partition,omitempty"`
}

// roleMapping and userMapping mirror the authenticator's config types.
type roleMapping struct {
	RoleARN  string      `json:"rolearn,omitempty"`
	SSO      *ssoMatcher `json:"sso,omitempty"`
	Username string      `json:"username"`
	Groups   []string    `json:"groups"`
	UserID   string      `json:"userid,omitempty"`
}

type userMapping struct {
	UserARN  string   `json:"userarn"`
	Username string   `json:"username"`
	Groups   []string `json:"groups"`
	UserID   string   `json:"userid,omitempty"`
}

// authFields are the keys each section's type reads.
var authFields = map[string][]string{
	"mapRoles": {"rolearn", "sso", "username", "groups", "userid"},
	"mapUsers": {"userarn", "username", "groups", "userid"},
}

// authField returns the field of section that key sets, as encoding/json
// matches it (case-insensitively), or "".
func authField(section, key string) string {
	for _, f := range authFields[section] {
		if strings.EqualFold(f, key) {
			return f
		}
	}
	return ""
}

// authParseError is why the authenticator drops a whole section.
type authParseError struct {
	// Msg is the error as the authenticator logs it.
	Msg string
	// Line is the 1-based line of the section's text where parsing
	// stopped, or 0 when the text is well-formed but not a list.
	Line int
}

// isSkippable reports whether the authenticator treats a section's value
// as absent.
func isSkippable(data string) bool {
	t := strings.TrimSpace(data)
	return t == "" || t == "``" || t == `""`
}

// decodeAuthText reads the text of a mapRoles or mapUsers value. A text
// that starts with "{" is taken as JSON, as the authenticator's ToJSON does.
func decodeAuthText(section, data string) ([]authEntry, *authParseError) {
	if isSkippable(data) {
		return nil, nil
	}
	j := []byte(data)
	if !strings.HasPrefix(strings.TrimLeftFunc(data, unicode.IsSpace), "{") {
		var err error
		if j, err = sigsyaml.YAMLToJSON(j); err != nil {
			return nil, yamlParseError(err.Error(), data)
		}
	}
	var items []json.RawMessage
	if err := json.Unmarshal(j, &items); err != nil {
		return nil, &authParseError{Msg: "the text is not a list of entries (" + err.Error() + ")"}
	}
	out := make([]authEntry, len(items))
	for i, raw := range items {
		out[i] = decodeAuthEntry(section, raw)
	}
	return out, nil
}

// decodeAuthEntry decodes one entry and validates it as the authenticator
// does.
func decodeAuthEntry(section string, raw json.RawMessage) authEntry {
	var e authEntry
	var fields map[string]json.RawMessage
	if json.Unmarshal(raw, &fields) != nil {
		e.Drop = "the entry is not a mapping of keys to values"
		return e
	}
	for key, v := range fields {
		switch f := authField(section, key); {
		case f == "":
			e.Ignored = append(e.Ignored, key)
		case !jsonTypeFits(f, v):
			e.Mistyped = append(e.Mistyped, f)
		}
	}
	slices.Sort(e.Ignored)
	slices.Sort(e.Mistyped)
	e.Mistyped = slices.Compact(e.Mistyped)
	if section == "mapUsers" {
		var u userMapping
		json.Unmarshal(raw, &u) // type errors leave fields empty, as in the authenticator
		e.ARN, e.Username, e.Groups = u.UserARN, u.Username, u.Groups
		if u.UserARN == "" {
			e.Drop = "value for userarn must be supplied"
		}
		return e
	}
	var r roleMapping
	json.Unmarshal(raw, &r)
	e.ARN, e.Username, e.Groups, e.SSO = r.RoleARN, r.Username, r.Groups, r.SSO
	e.Drop = validateRole(r)
	return e
}

var (
	ssoAccountID = regexp.MustCompile(`^[0-9]{12}$`)
	ssoSetName   = regexp.MustCompile(`^[\w+=,.@-]{1,32}$`)
)

// validateRole is the authenticator's RoleMapping.Validate.
func validateRole(r roleMapping) string {
	switch {
	case r.RoleARN == "" && r.SSO == nil:
		return "one of rolearn or SSO must be supplied"
	case r.RoleARN != "" && r.SSO != nil:
		return "only one of rolearn or SSO can be supplied"
	case r.SSO == nil:
		return ""
	case !ssoAccountID.MatchString(r.SSO.AccountID):
		return "AccountID '" + r.SSO.AccountID + "' is not a valid AWS Account ID"
	case !ssoSetName.MatchString(r.SSO.PermissionSetName):
		return "PermissionSetName '" + r.SSO.PermissionSetName + "' is not a valid AWS SSO PermissionSet Name"
	case r.SSO.Partition != "" && !slices.Contains(analysis.Partitions, r.SSO.Partition):
		return "partition '" + r.SSO.Partition + "' is not a valid AWS partition"
	}
	return ""
}

// jsonTypeFits reports whether a JSON value decodes into field without a
// type error.
func jsonTypeFits(field string, v json.RawMessage) bool {
	var err error
	switch field {
	case "groups":
		var g []string
		err = json.Unmarshal(v, &g)
	case "sso":
		var s *ssoMatcher
		err = json.Unmarshal(v, &s)
	default:
		var s string
		err = json.Unmarshal(v, &s)
	}
	return err == nil
}

var yamlErrorLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// yamlParserProblems are the problems the YAML parser (not its scanner)
// reports. For them the yaml.v2 message gives the 0-based line of the
// offending token, so the line people count from 1 is one more.
var yamlParserProblems = []string{
	"did not find expected key", "did not find expected '-' indicator", "did not find expected node content",
	"did not find expected ',' or ']'", "did not find expected ',' or '}'", "found undefined tag handle",
}

var (
	leadingTab    = regexp.MustCompile(`(?m)^[ ]*\t`)
	flowTemplate  = regexp.MustCompile(`(?m)(?:^[ \t]*-|:)[ \t]+\{\{`)
	firstNonBlank = regexp.MustCompile(`(?m)^[ \t]*\S`)
)

// yamlParseError turns a sigs.k8s.io/yaml error into the line of data
// where the parser stopped. Errors without a line point at the first tab
// that indents a line, the first unquoted {{…}} value, or the first line.
func yamlParseError(msg, data string) *authParseError {
	e := &authParseError{Msg: msg}
	lines := strings.Count(strings.TrimRight(data, "\n"), "\n") + 1
	if m := yamlErrorLine.FindStringSubmatch(msg); m != nil {
		n, _ := strconv.Atoi(m[1])
		if slices.Contains(yamlParserProblems, m[2]) {
			n++
		}
		e.Line = min(max(n, 1), lines)
		return e
	}
	re := firstNonBlank
	switch {
	case strings.Contains(msg, "invalid map key"):
		re = flowTemplate
	case strings.Contains(msg, "tab") || strings.Contains(msg, "cannot start any token"):
		re = leadingTab
	}
	at := 0
	if loc := re.FindStringIndex(data); loc != nil {
		at = loc[0]
	}
	e.Line = strings.Count(data[:at], "\n") + 1
	return e
}
