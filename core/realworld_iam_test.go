package core

import "testing"

// TestRealworldIAM runs the real-world corpus through the IAM, IRSA and
// PODID families and compares their findings with
// testdata/realworld-iam.txt, so a change in what they report on real
// files is seen and reviewed (-update rewrites it). Every high or critical
// finding there needs a verdict in the family's notes.
func TestRealworldIAM(t *testing.T) {
	realworldGolden(t, "../testdata/realworld/*/*", "../testdata/realworld-iam.txt", "IAM", "IRSA", "PODID")
}
