package fixes

import (
	"net/netip"
	"strconv"
	"strings"
	"time"
)

// Condition operators, with IAM's semantics (IAM User Guide, "Condition
// operators" and "Single-valued vs. multivalued context keys").

// Operator is a parsed condition operator such as
// "ForAnyValue:StringLikeIfExists".
type Operator struct {
	// Base is the operator without qualifiers, e.g. "StringLike".
	Base string
	// Set is "", "ForAnyValue" or "ForAllValues".
	Set string
	// IfExists is true for the ...IfExists form.
	IfExists bool
}

// opFamily groups the base operators by how they compare one value.
type opFamily int

const (
	famString opFamily = iota
	famStringIgnoreCase
	famStringLike
	famNumeric
	famDate
	famBool
	famBinary
	famIP
	famARN
	famNull
)

// baseOperator describes a base operator: its family, its comparison
// (for numbers and dates), and whether it is the negation of another.
type baseOperator struct {
	family  opFamily
	compare string // "eq", "lt", "le", "gt", "ge"
	negated bool
}

// baseOperators are every base condition operator IAM accepts. Operator
// names are case-sensitive: "stringEquals" is rejected with
// MalformedPolicyDocument: Invalid Condition type.
var baseOperators = map[string]baseOperator{
	"StringEquals":              {famString, "eq", false},
	"StringNotEquals":           {famString, "eq", true},
	"StringEqualsIgnoreCase":    {famStringIgnoreCase, "eq", false},
	"StringNotEqualsIgnoreCase": {famStringIgnoreCase, "eq", true},
	"StringLike":                {famStringLike, "eq", false},
	"StringNotLike":             {famStringLike, "eq", true},
	"NumericEquals":             {famNumeric, "eq", false},
	"NumericNotEquals":          {famNumeric, "eq", true},
	"NumericLessThan":           {famNumeric, "lt", false},
	"NumericLessThanEquals":     {famNumeric, "le", false},
	"NumericGreaterThan":        {famNumeric, "gt", false},
	"NumericGreaterThanEquals":  {famNumeric, "ge", false},
	"DateEquals":                {famDate, "eq", false},
	"DateNotEquals":             {famDate, "eq", true},
	"DateLessThan":              {famDate, "lt", false},
	"DateLessThanEquals":        {famDate, "le", false},
	"DateGreaterThan":           {famDate, "gt", false},
	"DateGreaterThanEquals":     {famDate, "ge", false},
	"Bool":                      {famBool, "eq", false},
	"BinaryEquals":              {famBinary, "eq", false},
	"IpAddress":                 {famIP, "eq", false},
	"NotIpAddress":              {famIP, "eq", true},
	"ArnEquals":                 {famARN, "eq", false},
	"ArnLike":                   {famARN, "eq", false},
	"ArnNotEquals":              {famARN, "eq", true},
	"ArnNotLike":                {famARN, "eq", true},
	"Null":                      {famNull, "eq", false},
}

// ParseOperator parses an operator name; ok is false for a name IAM
// rejects (unknown, misspelt, wrong case, IfExists on Null).
func ParseOperator(name string) (op Operator, ok bool) {
	rest := name
	if set, after, found := strings.Cut(name, ":"); found {
		if set != "ForAnyValue" && set != "ForAllValues" {
			return Operator{}, false
		}
		op.Set, rest = set, after
	}
	if base, found := strings.CutSuffix(rest, "IfExists"); found && base != "Null" {
		op.IfExists, rest = true, base
	}
	op.Base = rest
	_, ok = baseOperators[rest]
	return op, ok
}

// String writes the operator back as IAM spells it.
func (o Operator) String() string {
	s := o.Base
	if o.IfExists {
		s += "IfExists"
	}
	if o.Set != "" {
		s = o.Set + ":" + s
	}
	return s
}

// Negated reports whether the operator matches when values differ
// (StringNotEquals, ArnNotLike, NotIpAddress…).
func (o Operator) Negated() bool { return baseOperators[o.Base].negated }

// Like reports whether the operator's values may hold the wildcards * and ?.
func (o Operator) Like() bool {
	f := baseOperators[o.Base].family
	return f == famStringLike || f == famARN
}

// condResult is the outcome of one condition against a request context.
type condResult struct {
	result  bool
	present bool
	why     string
}

// evalCondition evaluates one condition key under one operator against
// ctx, whose keys are lower case. Values are ORed; a missing key makes a
// positive operator false and a negated one true, except IfExists (true),
// Null (tests presence) and the set operators (ForAllValues true,
// ForAnyValue false). Without a set operator, a key with several request
// values is taken as matching when any of them does (IAM leaves this
// undefined and asks for a set operator).
func evalCondition(op Operator, key string, policy []string, ctx map[string][]string) condResult {
	base := baseOperators[op.Base]
	req, present := ctx[strings.ToLower(key)]
	present = present && len(req) > 0
	if base.family == famNull {
		for _, v := range policy {
			if strings.EqualFold(v, "true") == !present {
				return condResult{true, present, "Null " + v + ": the key is " + presence(present)}
			}
		}
		return condResult{false, present, "Null: the key is " + presence(present)}
	}
	if !present {
		switch {
		case op.IfExists:
			return condResult{true, false, "the key is not in the request, and IfExists makes a missing key match"}
		case op.Set == "ForAllValues":
			return condResult{true, false, "the key is not in the request, and ForAllValues is true for no values"}
		case op.Set == "ForAnyValue":
			return condResult{false, false, "the key is not in the request, and ForAnyValue is false for no values"}
		case base.negated:
			return condResult{true, false, "the key is not in the request, and a negated operator matches a missing key"}
		}
		return condResult{false, false, "the key is not in the request"}
	}
	hits := 0
	for _, rv := range req {
		if matchesAny(base, policy, rv, ctx) != base.negated {
			hits++
		}
	}
	var ok bool
	switch op.Set {
	case "ForAllValues":
		ok = hits == len(req)
	default:
		ok = hits > 0
	}
	return condResult{ok, true, ""}
}

func presence(present bool) string {
	if present {
		return "present"
	}
	return "absent"
}

// matchesAny reports whether request value rv matches one of the policy
// values under the positive form of the operator.
func matchesAny(base baseOperator, policy []string, rv string, ctx map[string][]string) bool {
	for _, pv := range policy {
		if matchValue(base, pv, rv, ctx) {
			return true
		}
	}
	return false
}

// matchValue compares one policy value with one request value.
func matchValue(base baseOperator, pv, rv string, ctx map[string][]string) bool {
	switch base.family {
	case famString, famStringIgnoreCase, famStringLike, famARN:
		pattern, ok := expandVariables(pv, ctx)
		if !ok {
			return false
		}
		switch base.family {
		case famString:
			return pattern.text() == rv
		case famStringIgnoreCase:
			return strings.EqualFold(pattern.text(), rv)
		case famStringLike:
			return pattern.match(rv)
		}
		return arnMatch(pattern, rv)
	case famNumeric:
		p, err1 := strconv.ParseFloat(pv, 64)
		r, err2 := strconv.ParseFloat(rv, 64)
		return err1 == nil && err2 == nil && compare(base.compare, cmpFloat(r, p))
	case famDate:
		p, ok1 := parseDate(pv)
		r, ok2 := parseDate(rv)
		return ok1 && ok2 && compare(base.compare, r.Compare(p))
	case famBool:
		return strings.EqualFold(pv, rv)
	case famBinary:
		return pv == rv
	case famIP:
		return ipMatch(pv, rv)
	}
	return false
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func compare(how string, c int) bool {
	switch how {
	case "lt":
		return c < 0
	case "le":
		return c <= 0
	case "gt":
		return c > 0
	case "ge":
		return c >= 0
	}
	return c == 0
}

// parseDate reads an ISO 8601 date or an epoch time in seconds.
func parseDate(s string) (time.Time, bool) {
	for _, layout := range []string{time.RFC3339, "2006-01-02T15:04:05Z0700", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return time.Unix(n, 0).UTC(), true
	}
	return time.Time{}, false
}

func ipMatch(pv, rv string) bool {
	addr, err := netip.ParseAddr(rv)
	if err != nil {
		return false
	}
	if prefix, err := netip.ParsePrefix(pv); err == nil {
		return prefix.Contains(addr)
	}
	p, err := netip.ParseAddr(pv)
	return err == nil && p == addr
}
