package analysis

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

func TestApply(t *testing.T) {
	const src = "groups:\n  - system:masters\n"
	tests := []struct {
		name  string
		edits []Edit
		want  string
		err   string
	}{
		{"none", nil, src, ""},
		{"replace", []Edit{Replace(12, 26, "developers")}, "groups:\n  - developers\n", ""},
		{"unsorted", []Edit{Insert(26, " # was masters"), Replace(12, 26, "dev")}, "groups:\n  - dev # was masters\n", ""},
		{"insertion before replacement at the same offset", []Edit{Replace(12, 26, "b"), Insert(12, "a")}, "groups:\n  - ab\n", ""},
		{"two insertions keep their order", []Edit{Insert(0, "1"), Insert(0, "2")}, "12" + src, ""},
		{"delete", []Edit{Delete(8, 27)}, "groups:\n", ""},
		{"overlap", []Edit{Replace(10, 20, "x"), Replace(15, 25, "y")}, "", "overlap"},
		{"out of range", []Edit{Replace(20, 99, "x")}, "", "out of range"},
		{"negative", []Edit{Replace(-1, 2, "x")}, "", "out of range"},
		{"inverted", []Edit{Replace(5, 2, "x")}, "", "out of range"},
	}
	for _, tt := range tests {
		got, err := Apply(src, tt.edits)
		switch {
		case tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)):
			t.Errorf("%s: err = %v, want %q", tt.name, err, tt.err)
		case tt.err == "" && err != nil:
			t.Errorf("%s: unexpected error %v", tt.name, err)
		case tt.err == "" && got != tt.want:
			t.Errorf("%s: got %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestConflicts(t *testing.T) {
	taken := []Edit{Replace(10, 20, "x")}
	for _, tt := range []struct {
		edit Edit
		want bool
	}{
		{Replace(0, 10, "a"), false},
		{Replace(20, 30, "a"), false},
		{Replace(15, 25, "a"), true},
		{Insert(15, "a"), true},
		{Insert(10, "a"), true},
		{Insert(20, "a"), false},
		{Replace(10, 20, "x"), false},
		{Replace(10, 20, "y"), true},
	} {
		fix := &Fix{Edits: []Edit{tt.edit}}
		if got := fix.Conflicts(taken); got != tt.want {
			t.Errorf("Conflicts(%v) = %v, want %v", tt.edit, got, tt.want)
		}
	}
}

// TestCheckAndConflictsDecideLikeApply checks the shortcut that applying
// fixes relies on: a fix whose own edits pass Check and that conflicts
// with none of the taken edits can be added to them, which Apply on the
// whole text would otherwise have to confirm, on random fixes.
func TestCheckAndConflictsDecideLikeApply(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	src := strings.Repeat("x", 40)
	randomEdit := func() Edit {
		start := rng.IntN(len(src)+6) - 3
		return Edit{start, start + rng.IntN(6) - 1, "y"}
	}
	for range 2000 {
		var taken []Edit
		for range 8 {
			fix := &Fix{}
			for range 1 + rng.IntN(3) {
				fix.Edits = append(fix.Edits, randomEdit())
			}
			_, err := Apply(src, fix.AddTo(slices.Clone(taken)))
			shortcut := fix.Check(len(src)) == nil && !fix.Conflicts(taken)
			if shortcut && err != nil {
				t.Fatalf("taken %v, fix %v: Check and Conflicts accept it, Apply says %v", taken, fix.Edits, err)
			}
			if shortcut {
				taken = fix.AddTo(taken)
			}
		}
	}
}

func FuzzApply(f *testing.F) {
	f.Add("apiVersion: v1\nkind: ConfigMap\n", 3, 9, "X", 12, 12, "Y")
	f.Add("", 0, 0, "a", 0, 0, "b")
	f.Fuzz(func(t *testing.T, src string, s1, e1 int, n1 string, s2, e2 int, n2 string) {
		edits := []Edit{{s1, e1, n1}, {s2, e2, n2}}
		got, err := Apply(src, edits)
		if err != nil {
			return
		}
		// A valid pair of edits changes exactly the bytes they cover.
		if want := len(src) - (e1 - s1) - (e2 - s2) + len(n1) + len(n2); len(got) != want {
			t.Errorf("Apply(%q, %v) has length %d, want %d", src, edits, len(got), want)
		}
	})
}
