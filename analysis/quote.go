package analysis

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// Values written into the formats fixes and artifacts produce: YAML,
// HCL and shell words.

var shellSafe = regexp.MustCompile(`^[A-Za-z0-9_./:=@+-]+$`)

// ShellSafe reports whether sh reads s as one word, itself, unquoted.
func ShellSafe(s string) bool { return shellSafe.MatchString(s) }

// ShellQuote quotes a word for sh when it needs it.
func ShellQuote(s string) string {
	if ShellSafe(s) {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// HCLString quotes a Terraform string, escaping template sequences.
func HCLString(s string) string {
	q := strconv.Quote(s)
	return strings.NewReplacer("${", "$${", "%{", "%%{").Replace(q)
}

// plainSafe matches strings that can be written as plain YAML scalars:
// no indicator character at the start, none that ends a plain scalar.
var plainSafe = regexp.MustCompile(`^[A-Za-z_/][A-Za-z0-9_./:@+=,-]*$`)

// yaml11Words are the plain scalars that YAML 1.1, which Kubernetes and
// the aws-iam-authenticator read (through sigs.k8s.io/yaml), takes for
// booleans or null rather than strings.
var yaml11Words = []string{"y", "n", "yes", "no", "on", "off", "true", "false", "null", "~"}

// YAMLScalar writes s plain when YAML, in version 1.1 as Kubernetes reads
// it and in 1.2, reads it back as the same string, quoted otherwise. A
// value that starts with a digit, a sign or a dot is always quoted: YAML
// 1.1 reads forms like 0x1F, 1_000 and 1:30 as numbers.
func YAMLScalar(s string) string {
	if plainSafe.MatchString(s) && !strings.Contains(s, ": ") && !slices.Contains(yaml11Words, strings.ToLower(s)) {
		return s
	}
	return strconv.Quote(s)
}
