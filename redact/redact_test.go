package redact

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// TestPatternExamples checks every pattern against the examples it
// carries: each match redacts exactly the marked values, one of them with
// the pattern's kind, and no decoy redacts anything.
func TestPatternExamples(t *testing.T) {
	for _, p := range patterns {
		if len(p.matches) == 0 || len(p.decoys) == 0 {
			t.Errorf("%s (pattern %d): needs examples that match and decoys", p.kind, p.index)
		}
		for _, ex := range p.matches {
			text, want := unmark(ex)
			got := Redact(text, Options{Identifiers: p.identifier})
			var originals []string
			kind := false
			for _, r := range got.Replacements {
				originals = append(originals, r.Original)
				kind = kind || r.Kind == p.kind
			}
			if strings.Join(originals, "\x00") != strings.Join(want, "\x00") || !kind {
				t.Errorf("%s: Redact(%q) replaced %q (kinds %v), want %q", p.kind, text, originals, kinds(got), want)
			}
		}
		for _, decoy := range p.decoys {
			if got := Redact(decoy, Options{Identifiers: p.identifier}); len(got.Replacements) != 0 {
				t.Errorf("%s: decoy %q was redacted: %+v", p.kind, decoy, got.Replacements)
			}
		}
	}
}

// unmark removes the « » marks from an example and returns the marked
// values.
func unmark(ex string) (string, []string) {
	var b strings.Builder
	var marked []string
	for {
		before, rest, ok := strings.Cut(ex, "«")
		b.WriteString(before)
		if !ok {
			return b.String(), marked
		}
		value, after, _ := strings.Cut(rest, "»")
		b.WriteString(value)
		marked = append(marked, value)
		ex = after
	}
}

func kinds(res Result) []string {
	var out []string
	for _, r := range res.Replacements {
		out = append(out, r.Kind)
	}
	return out
}

func TestConsistentAndFormatPreserving(t *testing.T) {
	text := `arn:aws:iam::210987654321:role/a arn:aws:iam::555566667777:role/b
"Account": "210987654321" key AKIA2E3ABFGBQW4C7ZLM`
	got := Redact(text, Options{})
	want := `arn:aws:iam::100000000001:role/a arn:aws:iam::100000000002:role/b
"Account": "100000000001" key AKIAREDACTED00000001`
	if got.Text != want {
		t.Errorf("Redact:\n got %s\nwant %s", got.Text, want)
	}
	if back := Restore(text, got.Text); back != text {
		t.Errorf("Restore did not round-trip:\n got %s\nwant %s", back, text)
	}
}

// TestPseudonymNeverInInput checks, for a pseudonym of each look, that
// one already in the input is skipped, also when a letter or digit
// touches it (it still must not be replaced by Restore).
func TestPseudonymNeverInInput(t *testing.T) {
	for _, tt := range []struct{ input, want string }{
		{"arn:aws:iam::210987654321:role/a and 100000000001 already here", "arn:aws:iam::100000000002:role/a"},
		{"AKIAREDACTED00000001 AKIA2E3ABFGBQW4C7ZLM", "AKIAREDACTED00000002"},
		{"x10.254.0.1 and 10.0.3.7", "and 10.254.0.1"},
		{"DEFACED0000000000000000000000001 https://oidc.eks.us-east-1.amazonaws.com/id/5C6D2B1E8F9A4B7C3D2E1F0A9B8C7D6E",
			"/id/DEFACED0000000000000000000000002"},
		{"redacted1@example.com wrote to jane@corp.io", "to redacted2@example.com"},
		{"ip-10-254-0-1x and ip-10-0-3-7", "ip-10-254-0-1x and ip-10-254-0-1"},
	} {
		got := Redact(tt.input, Options{})
		if !strings.Contains(got.Text, tt.want) {
			t.Errorf("Redact(%q) = %q, want it to contain %q", tt.input, got.Text, tt.want)
		}
		if back := Restore(tt.input, got.Text); back != tt.input {
			t.Errorf("Restore = %q, want %q", back, tt.input)
		}
	}
}

// TestValueWithoutPayload checks values that fill can only lengthen
// (blanks and escapes) and values a pseudonym would contain.
func TestValueWithoutPayload(t *testing.T) {
	for _, text := range []string{`password: "\n\n\n\n\n"`, "%8.18.0.1", "password: \\t\\t\\t\\t"} {
		res := Redact(text, Options{})
		if len(res.Replacements) != 1 || Restore(text, res.Text) != text {
			t.Errorf("Redact(%q) = %+v", text, res)
		}
	}
}

// TestFormatsHaveStems checks that every pseudonym the corpus gets
// contains a stem, so that checking it against the input is cheap and
// exact, unless its format needs none.
func TestFormatsHaveStems(t *testing.T) {
	x := stemIndex{stems: stems}
	for _, c := range loadCorpus(t) {
		s := newSession(Options{Identifiers: true})
		s.res.reset()
		s.scan(c.input, 0, 0, len(c.input), 0, len(c.input), true, true, true)
		s.settle(len(c.input), true, false)
		s.allocate()
		for _, l := range []learnt{s.secrets, s.names} {
			for _, v := range l.order {
				p := s.alloc.given[v.value]
				if _, ok := x.occurs(p); !ok && !v.format.stemless {
					t.Errorf("%s: the pseudonym %q of a %s has no stem", c.name, p, v.kind)
				}
			}
		}
	}
}

// TestIdentifiers checks that names are redacted only on request,
// consistently, and that the pseudonyms of secrets do not change with the
// option, so that Restore works for text redacted either way.
func TestIdentifiers(t *testing.T) {
	text := `rolearn: arn:aws:iam::210987654321:role/ci-deployer
"RoleName": "ci-deployer"
arn:aws:sts::210987654321:assumed-role/ci-deployer/build-7781
aws eks get-token --cluster-name payments-prod
arn:aws:eks:us-west-2:210987654321:cluster/payments-prod
password: hunter2-prod
`
	plain := Redact(text, Options{})
	names := Redact(text, Options{Identifiers: true})
	for _, name := range []string{"ci-deployer", "payments-prod", "build-7781"} {
		if !strings.Contains(plain.Text, name) {
			t.Errorf("%s was redacted without Options.Identifiers:\n%s", name, plain.Text)
		}
		if strings.Contains(names.Text, name) {
			t.Errorf("%s was kept with Options.Identifiers:\n%s", name, names.Text)
		}
	}
	if strings.Count(names.Text, "redacted-role-1") != 3 || strings.Count(names.Text, "redacted-cluster-1") != 2 {
		t.Errorf("names are not redacted consistently:\n%s", names.Text)
	}
	secrets := map[string]string{}
	for _, r := range plain.Replacements {
		secrets[r.Original] = r.Pseudonym
	}
	for _, r := range names.Replacements {
		if p, ok := secrets[r.Original]; ok && p != r.Pseudonym {
			t.Errorf("%s is %s without identifiers and %s with them", r.Original, p, r.Pseudonym)
		}
	}
	for _, res := range []Result{plain, names} {
		if back := Restore(text, res.Text); back != text {
			t.Errorf("Restore does not give the input back:\n%s", back)
		}
	}
}

// TestRestoreIdentifiers checks that RestoreIdentifiers puts back who and
// where (account ids, names) and leaves secrets masked, from text
// redacted with or without identifiers.
func TestRestoreIdentifiers(t *testing.T) {
	text := `rolearn: arn:aws:iam::210987654321:role/ci-deployer
aws eks get-token --cluster-name payments-prod
password: hunter2-prod
aws_secret_access_key = Xq3vT8kLmZ2pR9sW4yB7nC1dF6gH0jK5aE8tU3iO
`
	for _, opts := range []Options{{}, {Identifiers: true}} {
		got := RestoreIdentifiers(text, Redact(text, opts).Text)
		for _, v := range []string{"210987654321", "ci-deployer", "payments-prod"} {
			if !strings.Contains(got, v) {
				t.Errorf("%+v: %s was not restored:\n%s", opts, v, got)
			}
		}
		for _, v := range []string{"hunter2-prod", "Xq3vT8kLmZ2pR9sW4yB7nC1dF6gH0jK5aE8tU3iO"} {
			if strings.Contains(got, v) {
				t.Errorf("%+v: the secret %s was restored:\n%s", opts, v, got)
			}
		}
	}
}

// TestIdentifyingKinds checks that every identifying kind is a kind a
// pattern has, so a renamed kind cannot silently become a secret.
func TestIdentifyingKinds(t *testing.T) {
	kinds := map[string]bool{}
	for _, p := range patterns {
		kinds[p.kind] = true
	}
	for k := range identifyingKinds {
		if !kinds[k] {
			t.Errorf("identifying kind %q is no pattern's kind", k)
		}
	}
}

// TestTokensKeepTheirInside checks that a redacted ServiceAccount token
// still names its issuer, with the same pseudonym for the OIDC id as the
// trust policy gets, and that a redacted EKS token still decodes to an
// STS URL with the access key's pseudonym.
func TestTokensKeepTheirInside(t *testing.T) {
	var irsa, sigv4 corpusCase
	for _, c := range loadCorpus(t) {
		switch c.name {
		case "irsa-consistency.txtar":
			irsa = c
		case "sigv4-presigned-and-authenticator.txtar":
			sigv4 = c
		}
	}
	res := Redact(irsa.input, Options{})
	var oidc, token string
	for _, r := range res.Replacements {
		switch r.Kind {
		case "eks-oidc-id":
			oidc = r.Pseudonym
		case "k8s-serviceaccount-token":
			token = r.Pseudonym
		}
	}
	claims := decodeSegment(strings.Split(token, ".")[1])
	if oidc == "" || !strings.Contains(claims, `"iss":"https://oidc.eks.eu-west-1.amazonaws.com/id/`+oidc+`"`) ||
		!strings.Contains(claims, `"sub":"system:serviceaccount:payments:api"`) {
		t.Errorf("the redacted token's claims are %s; want the issuer with %s", claims, oidc)
	}
	res = Redact(sigv4.input, Options{})
	for _, r := range res.Replacements {
		if r.Kind != "eks-bearer-token" {
			continue
		}
		url := decodeSegment(strings.TrimPrefix(r.Pseudonym, "k8s-aws-v1."))
		if !strings.HasPrefix(url, "https://sts.eu-west-1.amazonaws.com/?Action=GetCallerIdentity") ||
			!strings.Contains(url, "X-Amz-Credential=ASIAREDACTED") || !strings.Contains(url, "X-Amz-Signature=defaced") {
			t.Errorf("the redacted EKS token decodes to %s", url)
		}
	}
}

// TestLineStructure checks that a multi-line private key keeps its lines,
// so that every line number after it stays.
func TestLineStructure(t *testing.T) {
	for _, c := range loadCorpus(t) {
		res := Redact(c.input, Options{})
		if strings.Count(res.Text, "\n") != strings.Count(c.input, "\n") {
			t.Errorf("%s: the redacted text has %d lines, the input %d", c.name, strings.Count(res.Text, "\n"), strings.Count(c.input, "\n"))
		}
	}
}

// FuzzRedact checks that redaction never panics, keeps valid UTF-8
// valid, leaves no replaced value standing on its own in its output,
// restores with either option, gives the same text through RedactReader
// and, done again, changes nothing. It starts from every example and
// corpus input.
func FuzzRedact(f *testing.F) {
	for _, p := range patterns {
		for _, ex := range append(p.matches, p.decoys...) {
			text, _ := unmark(ex)
			f.Add(text)
		}
	}
	for _, c := range loadCorpus(f) {
		f.Add(c.input)
	}
	f.Add("arn:aws:iam::210987654321:role/a 100000000001 AKIA2E3ABFGBQW4C7ZLM")
	f.Add("arn:aws:iam::100000000001:role/redacted-role-1 i-defaced0000000001 ip-198-18-0-1 2001:db8:ffff::a AKIA2E3ABFGBQW4C7ZLM")
	f.Fuzz(func(t *testing.T, text string) {
		res := Redact(text, Options{})
		if utf8.ValidString(text) && !utf8.ValidString(res.Text) {
			t.Fatalf("Redact(%q) = %q is not valid UTF-8", text, res.Text)
		}
		for _, r := range res.Replacements {
			if text[r.Start:r.End] != r.Original {
				t.Fatalf("Redact(%q): replacement %+v does not match the input", text, r)
			}
			if standsAlone(res.Text, r.Original) {
				t.Fatalf("Redact(%q) = %q still holds %q", text, res.Text, r.Original)
			}
		}
		if back := Restore(text, res.Text); back != text {
			t.Fatalf("Restore(%q) = %q", text, back)
		}
		ids := Redact(text, Options{Identifiers: true})
		if Restore(text, ids.Text) != text {
			t.Fatalf("Restore(%q) of the identifiers' redaction %q fails", text, ids.Text)
		}
		for _, r := range []struct {
			Result
			Options
		}{{res, Options{}}, {ids, Options{Identifiers: true}}} {
			if again := Redact(r.Text, r.Options); again.Text != r.Text {
				t.Fatalf("Redact(%q) = %q, redacted again %q", text, r.Text, again.Text)
			}
		}
		var out strings.Builder
		if _, err := RedactReader(strings.NewReader(text), &out, Options{}); err != nil || out.String() != res.Text {
			t.Fatalf("RedactReader(%q) = %q, %v; want %q", text, out.String(), err, res.Text)
		}
	})
}

// standsAlone reports whether v, if long enough to be looked for
// elsewhere, occurs in s with no letter or digit touching it.
func standsAlone(s, v string) bool {
	if len(v) < minFindable {
		return false
	}
	for off := 0; ; {
		i := strings.Index(s[off:], v)
		if i < 0 {
			return false
		}
		if atBoundary(s, off+i, off+i+len(v)) {
			return true
		}
		off += i + 1
	}
}

// TestRedactingRedactedText redacts a text that already holds its own
// redacted form, as a golden file or a re-pasted report does: it must end,
// give pseudonyms that are new to the text, and restore.
func TestRedactingRedactedText(t *testing.T) {
	original := "certificate-authority-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUMvakNDQWVhZ0F3SUJBZ0lCQURBTkJna3Foa2lHOXcwQkFRc0ZBREFWTVJNd0VRWURWUVFERXdwcmRXSmwKY201bGRHVnpNQjRYRFRJME1EUXhOekE0TkRJd05Wb1hEVE0wTURReE5UQTROREl3TlZvd0ZURVRNQkVHQTFVRQo=\n" +
		"server: https://5C6D2B1E8F9A4B7C3D2E1F0A9B8C7D6E.gr7.eu-west-1.eks.amazonaws.com\n" +
		"name: arn:aws:eks:eu-west-1:210987654321:cluster/prod\n"
	text := original + Redact(original, Options{}).Text
	done := make(chan Result, 1)
	go func() { done <- Redact(text, Options{}) }()
	select {
	case res := <-done:
		for _, r := range res.Replacements {
			if strings.Contains(text, r.Pseudonym) {
				t.Errorf("pseudonym %q already occurs in the text", r.Pseudonym)
			}
		}
		if back := Restore(text, res.Text); back != text {
			t.Errorf("Restore does not round-trip")
		}
	case <-time.After(10 * time.Second):
		t.Fatal("redacting text that holds its own redaction does not end")
	}
}
