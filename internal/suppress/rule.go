package suppress

import "fmt"

// CheckRule says why id cannot name a rule to suppress, or returns nil. An
// ID is family letters and three digits (AUTH002, RBAC023, ERR001); `*`
// is refused, since silencing every rule, including ones added later, is
// never a reviewed decision. known says whether a rule exists; nil accepts
// every well-formed ID.
func CheckRule(id string, known func(id string) bool) error {
	switch {
	case id == "*":
		return fmt.Errorf("%q is not allowed: name the rules to suppress (e.g. AUTH002)", id)
	case !wellFormed(id):
		return fmt.Errorf("%q is not a rule ID (family letters and three digits, e.g. AUTH002)", id)
	case known != nil && !known(id):
		return fmt.Errorf("unknown rule %s", id)
	}
	return nil
}

// wellFormed reports whether id is upper-case letters then three digits.
func wellFormed(id string) bool {
	letters := 0
	for letters < len(id) && 'A' <= id[letters] && id[letters] <= 'Z' {
		letters++
	}
	digits := id[letters:]
	if letters == 0 || len(digits) != 3 {
		return false
	}
	for i := range len(digits) {
		if digits[i] < '0' || digits[i] > '9' {
			return false
		}
	}
	return true
}
