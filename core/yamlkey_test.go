package core

import (
	"regexp"
	"strings"
	"testing"
)

// The expressions yamlKeyEnd and simpleKeyEnd stand for.
var (
	yamlKeyExpr   = regexp.MustCompile(`^(?:-\s+)?(?:"[^"]*"|'[^']*'|[^\s:#{\[][^:#]*?)\s*:(?:\s|$)`)
	simpleKeyExpr = regexp.MustCompile(`^(?:-\s+)?(?:"[^"]*"|'[^']*'|[A-Za-z0-9_.$@/{}-]+)\s*:(?:\s|$)`)
)

// keyLines are lines where the two can disagree: quotes that do not end
// the key, colons without a blank after them, dashes, comments, tabs.
var keyLines = []string{
	"", ":", "a:", "a: b", "a:b", "a :", "a\t:\tb", "-", "- ", "-a: b", "- a: b", "-  a:", "- : b", "-\t'a': b",
	`"a": b`, `"a" : b`, `"a":b`, `"a: b": c`, `"a" b: c`, `'a': b`, `'a'b: c`, `"unterminated: x`, `'a`,
	"# a: b", "a # b: c", "a#: b", "{a: b}", "[a]: b", "key: value: more", "arn:aws:iam::1:role/x: y",
	"http://host: x", "Error: caused by: x", "Here is my config:", "apiVersion: v1", "kind: ConfigMap",
	"  - rolearn: arn:aws:iam::1:role/x", "- -a: b", "--- a: b", "ä: b", "é:", "\xff: b", "a\r:", "a:\r",
	"$x.y@z/{w}-v_1: b", "a b: c", "a\\: b", "- \"a\": b", "-\"a\": b",
}

func TestYAMLKeyMatchesItsExpression(t *testing.T) {
	lines := keyLines
	for _, seed := range corpusSeeds(t) {
		for line := range strings.Lines(seed) {
			lines = append(lines, strings.TrimSpace(line))
		}
	}
	for _, line := range lines {
		checkYAMLKey(t, line)
	}
}

func FuzzYAMLKey(f *testing.F) {
	for _, line := range keyLines {
		f.Add(line)
	}
	f.Fuzz(checkYAMLKey)
}

func checkYAMLKey(t *testing.T, line string) {
	if got, want := yamlKeyEnd(line), len(yamlKeyExpr.FindString(line)); got != want {
		t.Errorf("yamlKeyEnd(%q) = %d, the expression matches %d bytes", line, got, want)
	}
	if got, want := simpleKeyEnd(line), len(simpleKeyExpr.FindString(line)); got != want {
		t.Errorf("simpleKeyEnd(%q) = %d, the expression matches %d bytes", line, got, want)
	}
}
