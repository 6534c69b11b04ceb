package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestInlineSuppression checks that an eksdoctor:ignore directive
// silences the finding on the item below it, that -v lists it with the
// reason, and that a directive naming no rule is an error.
func TestInlineSuppression(t *testing.T) {
	ignored := strings.Replace(masters, "    - rolearn:", "    # eksdoctor:ignore AUTH002 break-glass role, reviewed in SEC-1142\n    - rolearn:", 1)
	t.Chdir(writeTree(t, map[string]string{"aws-auth.yaml": ignored, "typo.yaml": strings.Replace(masters, "- system:masters", "- system:masters # eksdoctor:ignore AUTH902", 1)}))
	r := runCLI(t, "", "analyze", "-v", "aws-auth.yaml")
	if r.status != exitOK || strings.Contains(r.stdout, "AUTH002") {
		t.Errorf("status %d, want %d with AUTH002 suppressed:\n%s", r.status, exitOK, r.stdout)
	}
	if !strings.Contains(r.stderr, "suppressed AUTH002") || !strings.Contains(r.stderr, "eksdoctor:ignore on line 8: break-glass role, reviewed in SEC-1142") {
		t.Errorf("-v should list the suppressed finding and why:\n%s", r.stderr)
	}
	r = runCLI(t, "", "analyze", "typo.yaml")
	if r.status != exitError || !strings.Contains(r.stderr, "typo.yaml:11: ") || !strings.Contains(r.stderr, "AUTH902") {
		t.Errorf("a directive naming no rule should fail the run with its line: status %d\n%s", r.status, r.stderr)
	}
}

// TestConfigFile checks .eksdoctor.yaml found above the working
// directory: its failOn, skip, exclude and per-path skips.
func TestConfigFile(t *testing.T) {
	dir := writeTree(t, map[string]string{
		".eksdoctor.yaml":      "failOn: critical\nskip: [AUTH021]\nexclude: [\"legacy/**\"]\npaths:\n  - path: \"dev/*.yaml\"\n    skip: [AUTH002]\n",
		"prod/aws-auth.yaml":   masters,
		"dev/aws-auth.yaml":    masters,
		"legacy/aws-auth.yaml": masters,
	})
	t.Chdir(dir)
	r := runCLI(t, "", "analyze", "-v", ".")
	if r.status != exitOK {
		t.Errorf("failOn: critical in the config should let high findings pass: status %d\n%s", r.status, r.stderr)
	}
	if !strings.Contains(r.stdout, "prod/aws-auth.yaml:11:11: high AUTH002") || strings.Contains(r.stdout, "dev/aws-auth.yaml:11:11") ||
		strings.Contains(r.stdout, "legacy/") || strings.Contains(r.stdout, "AUTH021") {
		t.Errorf("only prod's AUTH002 should be reported:\n%s", r.stdout)
	}
	if !strings.Contains(r.stderr, `dev/aws-auth.yaml:11:11: suppressed AUTH002`) || !strings.Contains(r.stderr, `.eksdoctor.yaml, paths "dev/*.yaml"`) {
		t.Errorf("-v should list dev's AUTH002 as suppressed by the paths entry:\n%s", r.stderr)
	}
	if r = runCLI(t, "", "analyze", "--fail-on", "high", "prod"); r.status != exitFindings {
		t.Errorf("--fail-on on the command line should win over the config's failOn: status %d", r.status)
	}
	t.Chdir(filepath.Join(dir, "prod"))
	if r = runCLI(t, "", "analyze", "--fail-on", "high", "."); r.status != exitFindings || strings.Contains(r.stdout, "AUTH021") {
		t.Errorf("the config in a parent directory should apply: status %d\n%s", r.status, r.stdout)
	}
	os.WriteFile(filepath.Join(dir, ".eksdoctor.yaml"), []byte("failOn: high\nskp: [AUTH021]\n"), 0o644)
	if r = runCLI(t, "", "analyze", "."); r.status != exitError || !strings.Contains(r.stderr, "skp") {
		t.Errorf("an unknown field in the config should be a usage error: status %d\n%s", r.status, r.stderr)
	}
}

// TestBaseline checks that a written baseline suppresses today's
// findings, still does after lines are added above them, and no longer
// does once the offending line changes.
func TestBaseline(t *testing.T) {
	dir := writeTree(t, map[string]string{"aws-auth.yaml": masters})
	t.Chdir(dir)
	if r := runCLI(t, "", "analyze", "--write-baseline", "baseline.json", "."); r.status != exitOK {
		t.Fatalf("writing a baseline: status %d\n%s", r.status, r.stderr)
	}
	if r := runCLI(t, "", "analyze", "--baseline", "baseline.json", "."); r.status != exitOK || strings.Contains(r.stdout, "AUTH002") {
		t.Errorf("the baseline should suppress today's findings: status %d\n%s", r.status, r.stdout)
	}
	shifted := strings.Replace(masters, "data:\n", "data:\n  # reviewed 2026-12-08\n", 1)
	os.WriteFile(filepath.Join(dir, "aws-auth.yaml"), []byte(shifted), 0o644)
	if r := runCLI(t, "", "analyze", "--baseline", "baseline.json", "."); r.status != exitOK {
		t.Errorf("a line added above should keep the finding baselined: status %d\n%s", r.status, r.stdout)
	}
	changed := strings.Replace(masters, "- system:masters", `- "system:masters"`, 1)
	os.WriteFile(filepath.Join(dir, "aws-auth.yaml"), []byte(changed), 0o644)
	r := runCLI(t, "", "analyze", "--baseline", "baseline.json", ".")
	if r.status != exitFindings || !strings.Contains(r.stdout, "AUTH002") || !strings.Contains(r.stderr, "baseline entries match no finding") {
		t.Errorf("a changed mapping is a new finding, and its old entry stale: status %d\n%s\n%s", r.status, r.stdout, r.stderr)
	}
	if r := runCLI(t, "", "analyze", "--skip", "AUTH999", "."); r.status != exitError || !strings.Contains(r.stderr, "AUTH999") {
		t.Errorf("--skip of no rule should be a usage error: status %d\n%s", r.status, r.stderr)
	}
}
