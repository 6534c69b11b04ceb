package analysis

import (
	"fmt"
	"slices"
	"sort"
)

// Edit replaces the bytes [Start, End) of the analysed text with New.
// Start == End is an insertion.
type Edit struct {
	Start, End int
	New        string
}

// Fix is a suggested change: a verb phrase saying what it does and the
// edits that do it. The edits of one fix never overlap.
type Fix struct {
	Summary string
	Edits   []Edit
	// Harden marks a hardening: a fix that takes privilege away (a group
	// replaced, a grant removed, a setting tightened) rather than a repair
	// that restores what was intended. Reports apply repairs by default
	// and hardenings on request; one that removes access carries, in its
	// own edits, what keeps the person working.
	Harden bool
}

// Replace returns an edit that replaces [start, end) with text.
func Replace(start, end int, text string) Edit { return Edit{start, end, text} }

// Insert returns an edit that inserts text at off.
func Insert(off int, text string) Edit { return Edit{off, off, text} }

// Delete returns an edit that removes [start, end).
func Delete(start, end int) Edit { return Edit{start, end, ""} }

// Apply splices edits into src. Edits are sorted by position (a pure
// insertion goes before a replacement that starts at the same offset, and
// equal edits keep their order); an edit outside src or overlapping another
// is an error and nothing is applied.
func Apply(src string, edits []Edit) (string, error) {
	sorted, err := sortEdits(len(src), edits)
	if err != nil {
		return "", err
	}
	out := make([]byte, 0, len(src))
	last := 0
	for _, e := range sorted {
		out = append(out, src[last:e.Start]...)
		out = append(out, e.New...)
		last = e.End
	}
	return string(append(out, src[last:]...)), nil
}

func sortEdits(size int, edits []Edit) ([]Edit, error) {
	sorted := append([]Edit(nil), edits...)
	sort.SliceStable(sorted, func(i, j int) bool {
		a, b := sorted[i], sorted[j]
		if a.Start != b.Start {
			return a.Start < b.Start
		}
		return a.End < b.End
	})
	for i, e := range sorted {
		if e.Start < 0 || e.End < e.Start || e.End > size {
			return nil, fmt.Errorf("edit [%d,%d) is out of range [0,%d)", e.Start, e.End, size)
		}
		if i > 0 && e.Start < sorted[i-1].End {
			p := sorted[i-1]
			return nil, fmt.Errorf("edits [%d,%d) and [%d,%d) overlap", p.Start, p.End, e.Start, e.End)
		}
	}
	return sorted, nil
}

// Check returns why the fix's edits cannot be applied to a text of size
// bytes (an edit out of range, or two that overlap), or nil.
func (fix *Fix) Check(size int) error {
	_, err := sortEdits(size, fix.Edits)
	return err
}

// AddTo returns taken with the fix's edits that it does not already
// hold, for a fix that does not conflict with taken.
func (fix *Fix) AddTo(taken []Edit) []Edit {
	for _, e := range fix.Edits {
		if !slices.Contains(taken, e) {
			taken = append(taken, e)
		}
	}
	return taken
}

// Conflicts reports whether fix has an edit that overlaps, or is
// invalid beside, one of taken. Insertions at the same offset conflict,
// because their order would be arbitrary. An edit identical to a taken
// one does not: several fixes may share an edit (each adds the same
// document), which is made once.
func (fix *Fix) Conflicts(taken []Edit) bool {
	for _, e := range fix.Edits {
		for _, t := range taken {
			if e != t && (e.Start < t.End && t.Start < e.End || e.Start == t.Start) {
				return true
			}
		}
	}
	return false
}
