package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// withSecret is pathRole with a comment and a kubeconfig-style token
// beside it, which --fix must write back as it was.
const withSecret = "# keep this comment\n" + pathRole + "---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: ci\nstringData:\n  password: hunter2-prod-Kq8zP2m\n"

// TestFixRoundTrip fixes a file in place: the repair is made with the
// file's own values, everything else (comments, the secret, the mode)
// is kept, and analysing again finds the repaired finding gone.
func TestFixRoundTrip(t *testing.T) {
	dir := writeTree(t, map[string]string{"aws-auth.yaml": withSecret, "ok.yaml": clean})
	t.Chdir(dir)
	if err := os.Chmod("aws-auth.yaml", 0o600); err != nil {
		t.Fatal(err)
	}
	before, _ := os.Stat("ok.yaml")
	r := runCLI(t, "", "analyze", "--fix", ".")
	if r.status != exitOK || !strings.Contains(r.stderr, "; fixed 1 finding.") {
		t.Errorf("status %d (the repaired finding no longer fails), stderr:\n%s", r.status, r.stderr)
	}
	got, _ := os.ReadFile("aws-auth.yaml")
	want := strings.Replace(withSecret, "role/team/deployer", "role/deployer", 1)
	if string(got) != want {
		t.Errorf("fixed file:\n%s\nwant:\n%s", got, want)
	}
	if info, _ := os.Stat("aws-auth.yaml"); info.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600", info.Mode().Perm())
	}
	if after, _ := os.Stat("ok.yaml"); !after.ModTime().Equal(before.ModTime()) {
		t.Error("a file without fixes was rewritten")
	}
	if entries, _ := os.ReadDir("."); len(entries) != 2 {
		t.Errorf("left files behind: %v", entries)
	}
	if r := runCLI(t, "", "analyze", "aws-auth.yaml"); strings.Contains(r.stdout, "AUTH001") {
		t.Errorf("AUTH001 is still found after --fix:\n%s", r.stdout)
	}
}

// TestFixSkipsSuppressed checks that a suppressed finding's fix is not
// made.
func TestFixSkipsSuppressed(t *testing.T) {
	t.Chdir(writeTree(t, map[string]string{"aws-auth.yaml": pathRole}))
	r := runCLI(t, "", "analyze", "--fix", "--skip", "AUTH001", "-v", ".")
	if got, _ := os.ReadFile("aws-auth.yaml"); string(got) != pathRole {
		t.Errorf("the fix of a suppressed finding was made:\n%s", got)
	}
	if !strings.Contains(r.stderr, "aws-auth.yaml:8:16: suppressed AUTH001 ") || !strings.Contains(r.stderr, ", 1 suppressed.") {
		t.Errorf("-v lists suppressed findings and the summary counts them:\n%s", r.stderr)
	}
}

// TestDiffApplies checks that --diff prints a diff git apply takes, with
// the files' own values, and that applying it gives what --fix writes.
func TestDiffApplies(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git")
	}
	files := map[string]string{"deploy/aws-auth.yaml": withSecret, "kube/prod.kubeconfig": pathRole, "ok.yaml": clean}
	dir := writeTree(t, files)
	t.Chdir(dir)
	git := func(stdin string, args ...string) {
		t.Helper()
		cmd := exec.Command("git", args...)
		cmd.Stdin = strings.NewReader(stdin)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	git("", "init", "-q")
	r := runCLI(t, "", "analyze", "--diff", "--fail-on", "none", ".")
	if !strings.Contains(r.stdout, "--- a/deploy/aws-auth.yaml\n+++ b/deploy/aws-auth.yaml\n") || !strings.Contains(r.stdout, "+    - rolearn: arn:aws:iam::483920175521:role/deployer\n") {
		t.Fatalf("diff:\n%s", r.stdout)
	}
	git(r.stdout, "apply", "--check")
	git(r.stdout, "apply")
	applied := map[string]string{}
	for name := range files {
		b, _ := os.ReadFile(filepath.FromSlash(name))
		applied[name] = string(b)
	}
	fixed := writeTree(t, files)
	t.Chdir(fixed)
	runCLI(t, "", "analyze", "--fix", ".")
	for name := range files {
		if b, _ := os.ReadFile(filepath.FromSlash(name)); string(b) != applied[name] {
			t.Errorf("%s: git apply of --diff gives:\n%s\n--fix writes:\n%s", name, applied[name], b)
		}
	}
}

func TestArtifacts(t *testing.T) {
	t.Chdir(writeTree(t, map[string]string{"a/aws-auth.yaml": pathRole, "b/aws-auth.yaml": masters}))
	out := t.TempDir()
	r := runCLI(t, "", "analyze", "--fail-on", "none", "--artifacts", out, ".")
	if r.status != exitOK || strings.Contains(r.stderr, "--artifacts DIR") {
		t.Errorf("status %d, stderr:\n%s", r.status, r.stderr)
	}
	rbac, err := os.ReadFile(filepath.Join(out, "a", "aws-auth.yaml", "aws-auth-groups-rbac.yaml"))
	if err != nil || !strings.Contains(string(rbac), "deployers") {
		t.Errorf("%v:\n%s", err, rbac)
	}
	plan, err := os.ReadFile(filepath.Join(out, "b", "aws-auth.yaml", "aws-auth-to-access-entries.sh"))
	if err != nil || !strings.Contains(string(plan), "483920175521") {
		t.Errorf("want the plan with the real account id: %v\n%s", err, plan)
	}
	one := t.TempDir()
	runCLI(t, "", "analyze", "--fail-on", "none", "--artifacts", one, "a/aws-auth.yaml")
	if _, err := os.Stat(filepath.Join(one, "aws-auth-groups-rbac.yaml")); err != nil {
		t.Errorf("one input's files go straight into the folder: %v", err)
	}
}

func TestSafePath(t *testing.T) {
	for in, want := range map[string]string{
		"../../etc/passwd": "etc/passwd", "/abs/x.yaml": "abs/x.yaml", "a/./b": "a/b", "..": "", stdinName: "stdin", `..\..\x`: "x",
	} {
		if got := safePath(in); got != want {
			t.Errorf("safePath(%q) = %q, want %q", in, got, want)
		}
	}
}
