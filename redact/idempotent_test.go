package redact

import (
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestIdempotentOverCorpus redacts every file of the test corpus (golden
// cases, real pastes, the labelled secrets, hostile input) and every
// saved fuzz input twice, with and without identifiers: the second
// redaction must find nothing, as a share link's text, redacted again
// when it is opened, keeps its pseudonyms.
func TestIdempotentOverCorpus(t *testing.T) {
	inputs := idempotenceInputs(t)
	for name, text := range inputs {
		for _, opts := range []Options{{}, {Identifiers: true}} {
			once := Redact(text, opts).Text
			if twice := Redact(once, opts); twice.Text != once || len(twice.Replacements) > 0 {
				t.Errorf("%s (%+v): redacting the redacted text replaces %+v", name, opts, twice.Replacements[0])
			}
		}
	}
	t.Logf("%d inputs", len(inputs))
}

// idempotenceInputs returns every file under ../testdata and every fuzz
// input saved for core and redact, by name.
func idempotenceInputs(t *testing.T) map[string]string {
	inputs := map[string]string{}
	for _, root := range []string{"../testdata", "../core/testdata/fuzz", "testdata/fuzz"} {
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			b, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			text := string(b)
			if strings.HasPrefix(text, "go test fuzz v1\n") {
				arg := strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(text[len("go test fuzz v1\n"):]), "string("), ")")
				if text, err = strconv.Unquote(arg); err != nil {
					return err
				}
			}
			inputs[path] = text
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return inputs
}

// TestPseudonymsKept redacts a hand-made text that holds a pseudonym of
// every shape next to real values: the pseudonyms stay exactly as they
// are, and the real values get pseudonyms of their own, new to the text.
func TestPseudonymsKept(t *testing.T) {
	pseudonyms := []string{
		"arn:aws:iam::100000000001:role/redacted-role-1",
		"aws_access_key_id = AKIAREDACTED00000001",
		"oidc.eks.eu-west-1.amazonaws.com/id/DEFACED0000000000000000000000001",
		"i-defaced0000000001 ip-10-254-0-1.eu-west-1.compute.internal 10.254.0.1 198.18.0.1 2001:db8:ffff::1",
		"account 1000-0000-0001",
	}
	real := []string{
		"arn:aws:iam::210987654321:role/eks-admin",
		"aws_access_key_id = AKIA2E3ABFGBQW4C7ZLM",
		"aws_secret_access_key = 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",
		"i-0a1b2c3d4e5f67890 ip-10-1-2-3.eu-west-1.compute.internal 54.1.2.3",
	}
	text := strings.Join(append(pseudonyms, real...), "\n") + "\n"
	res := Redact(text, Options{Identifiers: true})
	for _, p := range pseudonyms {
		if !strings.Contains(res.Text, p) {
			t.Errorf("pseudonyms changed: %q is not in\n%s", p, res.Text)
		}
	}
	for _, r := range res.Replacements {
		if strings.Contains(text, r.Pseudonym) {
			t.Errorf("%s %q became %q, which the text already holds", r.Kind, r.Original, r.Pseudonym)
		}
	}
	for _, v := range []string{"210987654321", "eks-admin", "AKIA2E3ABFGBQW4C7ZLM", "9Xq2bV7mL4pR8sT1wZ3yK6nH0jF5dG2cA7eU4iO1", "0a1b2c3d4e5f67890", "10-1-2-3", "54.1.2.3"} {
		if strings.Contains(res.Text, v) {
			t.Errorf("%q is still in the redacted text:\n%s", v, res.Text)
		}
	}
	if back := Restore(text, res.Text); back != text {
		t.Errorf("Restore does not give the text back")
	}
}
