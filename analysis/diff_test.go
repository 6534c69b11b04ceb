package analysis

import (
	"strings"
	"testing"
)

func TestUnified(t *testing.T) {
	before := strings.Join([]string{"a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m"}, "\n") + "\n"
	after := strings.Replace(strings.Replace(before, "b\n", "B\n", 1), "l\n", "l\nL2\n", 1)
	want := `--- old
+++ new
@@ -1,5 +1,5 @@
 a
-b
+B
 c
 d
 e
@@ -10,4 +10,5 @@
 j
 k
 l
+L2
 m
`
	if got := Unified("old", "new", before, after); got != want {
		t.Errorf("Unified:\n%s\nwant:\n%s", got, want)
	}
	if got := Unified("a", "b", "same\n", "same\n"); got != "" {
		t.Errorf("Unified of equal texts = %q", got)
	}
}

func TestUnifiedNoNewlineAtEnd(t *testing.T) {
	got := Unified("old", "new", "x\ny", "x\nz")
	want := "--- old\n+++ new\n@@ -1,2 +1,2 @@\n x\n-y\n\\ No newline at end of file\n+z\n\\ No newline at end of file\n"
	if got != want {
		t.Errorf("got %q\nwant %q", got, want)
	}
}

func TestLineRunes(t *testing.T) {
	for _, i := range []int{0, 1, 0xD7FF, 0xD800, 0xDFFF, 0xE000, 0x10FFFF - 0x800} {
		r := lineRune(i)
		if back := []rune(string(r)); len(back) != 1 || lineIndex(back[0]) != i {
			t.Errorf("line %d: rune %U does not survive a string (%U)", i, r, back)
		}
	}
}
