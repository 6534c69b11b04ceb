package core

import "testing"

// TestRealworldIAM runs the real-world corpus through the IAM, IRSA and
// PODID families and compares their findings with
// testdata/realworld-iam.txt. Every high or critical finding there needs
// a verdict in the family's notes.
func TestRealworldIAM(t *testing.T) {
	realworldGolden(t, "../testdata/realworld-iam.txt", []string{"IAM", "IRSA", "PODID"}, func(string, Finding) {})
}
