package core

import (
	"regexp/syntax"
	"strings"
	"testing"
)

// TestSignatureWordsCoverEveryAlternative checks the prefilter: every
// literal alternative of errorSignature contains one of signatureWords,
// so the prefilter never hides a match.
func TestSignatureWordsCoverEveryAlternative(t *testing.T) {
	for _, alt := range errorSignatures {
		re, err := syntax.Parse(alt, syntax.Perl)
		if err != nil {
			t.Fatal(err)
		}
		if !covered(re) {
			t.Errorf("no prefilter word in alternative %s", alt)
		}
	}
}

// covered reports whether every string re matches holds a prefilter word.
func covered(re *syntax.Regexp) bool {
	switch re.Op {
	case syntax.OpLiteral:
		for _, w := range strings.FieldsFunc(strings.ToLower(string(re.Rune)), func(r rune) bool { return r < 'a' || r > 'z' }) {
			if signatureWords[w] {
				return true
			}
		}
	case syntax.OpCharClass:
		for i := 0; i+1 < len(re.Rune); i += 2 {
			for r := re.Rune[i]; r <= re.Rune[i+1]; r++ {
				if !signatureWords[strings.ToLower(string(r))] {
					return false
				}
			}
		}
		return len(re.Rune) > 0
	case syntax.OpConcat:
		for _, sub := range re.Sub {
			if covered(sub) {
				return true
			}
		}
	case syntax.OpAlternate:
		for _, sub := range re.Sub {
			if !covered(sub) {
				return false
			}
		}
		return true
	case syntax.OpCapture, syntax.OpPlus:
		return covered(re.Sub[0])
	case syntax.OpRepeat:
		return re.Min > 0 && covered(re.Sub[0])
	}
	return false
}

func TestHasErrorSignature(t *testing.T) {
	for line, want := range map[string]bool{
		`error: You must be logged in to the server (Unauthorized)`:                  true,
		`E0618 14:20:11.482913   48213 memcache.go:265] couldn't get current server`: true,
		`An error occurred (AccessDeniedException) when calling the DescribeCluster`: true,
		`  rolearn: arn:aws:iam::210987654321:role/developer`:                        false,
		`kind: ConfigMap`: false,
	} {
		if got := hasErrorSignature(line); got != want {
			t.Errorf("hasErrorSignature(%q) = %v", line, got)
		}
	}
}
