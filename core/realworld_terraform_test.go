package core

import "testing"

// TestRealworldTerraform runs the real-world corpus through the Terraform
// family and compares its findings with testdata/realworld-terraform.txt.
// Every high or critical finding there needs a verdict in the family's
// notes.
func TestRealworldTerraform(t *testing.T) {
	realworldGolden(t, "../testdata/realworld-terraform.txt", []string{"TF"}, func(string, Finding) {})
}
