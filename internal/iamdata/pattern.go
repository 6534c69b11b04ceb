package iamdata

import "strings"

// Patterns here are those of policies and of the Service Authorization
// Reference: * stands for any run of characters, ? for any one, and so
// does a variable, ${Region} or ${aws:username}, for any run; the rest
// matches in any case.

// runAt is the length of the * or variable at s[i:], or 0 if there is none.
func runAt(s string, i int) int {
	switch {
	case s[i] == '*':
		return 1
	case strings.HasPrefix(s[i:], "${"):
		return strings.IndexByte(s[i:], '}') + 1 // 0 when it is not closed
	}
	return 0
}

// match reports whether the pattern matches s, which is taken as written.
// It tries each run as short as it can, and when the rest fails, makes
// the last run one longer: an earlier run need never take more.
func match(pattern, s string) bool {
	p, i := 0, 0
	retryP, retryI := -1, 0 // where the last run ended in pattern and in s
	for i < len(s) {
		if p < len(pattern) {
			if n := runAt(pattern, p); n > 0 {
				p += n
				retryP, retryI = p, i
				continue
			}
			if pattern[p] == '?' || lower(pattern[p]) == lower(s[i]) {
				p, i = p+1, i+1
				continue
			}
		}
		if retryP < 0 {
			return false
		}
		retryI++
		p, i = retryP, retryI
	}
	for p < len(pattern) {
		n := runAt(pattern, p)
		if n == 0 {
			return false
		}
		p += n
	}
	return true
}

// pattern is a pattern taken apart: a byte (letters in lower case), or
// anyRun or anyOne.
type pattern []rune

const (
	anyRun rune = -1
	anyOne rune = -2
	end    rune = -3 // what at returns past the end
)

func parse(s string) pattern {
	p := make(pattern, 0, len(s))
	for i := 0; i < len(s); i++ {
		if n := runAt(s, i); n > 0 {
			p = append(p, anyRun)
			i += n - 1
		} else if s[i] == '?' {
			p = append(p, anyOne)
		} else {
			p = append(p, rune(lower(s[i])))
		}
	}
	return p
}

// overlap reports whether some string matches both patterns.
func overlap(a, b string) bool {
	switch {
	case !hasWildcard(b):
		return match(a, b)
	case !hasWildcard(a):
		return match(b, a)
	}
	return parse(a).overlaps(parse(b))
}

func hasWildcard(s string) bool {
	return strings.ContainsAny(s, "*?") || strings.Contains(s, "${")
}

// overlaps walks both patterns together, a row of states (i, j) at a
// time: state (i, j) is reached when a[:i] and b[:j] both match some
// string. Every step moves forward in i or j or both, so one pass in
// order of i, then j, reaches all the states there are.
func (a pattern) overlaps(b pattern) bool {
	row, next := make([]bool, len(b)+1), make([]bool, len(b)+1)
	row[0] = true
	for i := 0; i <= len(a); i++ {
		for j := 0; j <= len(b); j++ {
			if !row[j] {
				continue
			}
			ai, bj := at(a, i), at(b, j)
			switch {
			case ai == anyRun && bj == anyRun:
				// Either run may end here; the next letter is the other's.
				next[j], row[j+1] = true, true
			case ai == anyRun:
				// a's run ends, or takes b's next letter.
				next[j] = true
				if bj != end {
					row[j+1] = true
				}
			case bj == anyRun:
				row[j+1] = true
				if ai != end {
					next[j] = true
				}
			case ai != end && bj != end && (ai == bj || ai == anyOne || bj == anyOne):
				next[j+1] = true
			}
		}
		if i == len(a) {
			return row[len(b)]
		}
		row, next = next, row
		clear(next)
	}
	panic("unreachable")
}

// at is p[i], or end past its end.
func at(p pattern, i int) rune {
	if i == len(p) {
		return end
	}
	return p[i]
}

// arnOverlap reports whether some ARN matches both ARN patterns. As IAM
// does, it matches the partition, service, region and account of the ARNs
// one by one, so that a wildcard cannot take a colon from them, and the
// resource after them whole. Patterns that are not ARNs match whole.
func arnOverlap(a, b string) bool {
	as, bs := splitARN(a), splitARN(b)
	if as == nil || bs == nil {
		return overlap(a, b)
	}
	for i := range as {
		if !overlap(as[i], bs[i]) {
			return false
		}
	}
	return true
}

// splitARN cuts an ARN into its six parts, "arn", partition, service,
// region, account and resource, at the colons outside variables, or
// returns nil.
func splitARN(arn string) []string {
	parts := make([]string, 0, 6)
	start := 0
	for i := 0; i < len(arn) && len(parts) < 5; i++ {
		if strings.HasPrefix(arn[i:], "${") {
			i += max(runAt(arn, i)-1, 0)
		} else if arn[i] == ':' {
			parts = append(parts, arn[start:i])
			start = i + 1
		}
	}
	if len(parts) < 5 {
		return nil
	}
	return append(parts, arn[start:])
}
