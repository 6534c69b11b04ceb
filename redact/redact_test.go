package redact

import (
	"strings"
	"testing"
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

func TestPseudonymNeverInInput(t *testing.T) {
	text := "arn:aws:iam::210987654321:role/a and 100000000001 already here"
	got := Redact(text, Options{})
	if !strings.Contains(got.Text, "arn:aws:iam::100000000002:role/a") {
		t.Errorf("pseudonym collided with the input: %s", got.Text)
	}
	if back := Restore(text, got.Text); back != text {
		t.Errorf("Restore = %q, want %q", back, text)
	}
}

// FuzzRedact checks that redaction never panics, keeps valid UTF-8
// valid, leaves no replaced value standing on its own in its output,
// restores with either option, and gives the same text through
// RedactReader. It starts from every example and corpus input.
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
		if ids := Redact(text, Options{Identifiers: true}); Restore(text, ids.Text) != text {
			t.Fatalf("Restore(%q) of the identifiers' redaction %q fails", text, ids.Text)
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
