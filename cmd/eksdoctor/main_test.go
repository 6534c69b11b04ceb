package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
)

// masters maps a developer role to system:masters (AUTH002, high).
const masters = `apiVersion: v1
kind: ConfigMap
metadata:
  name: aws-auth
  namespace: kube-system
data:
  mapRoles: |
    - rolearn: arn:aws:iam::483920175521:role/developer
      username: developer
      groups:
        - system:masters
`

// pathRole maps a role by an ARN with an IAM path (AUTH001, high, with a
// repair) and attaches example RBAC for its group (AUTH020).
const pathRole = `apiVersion: v1
kind: ConfigMap
metadata:
  name: aws-auth
  namespace: kube-system
data:
  mapRoles: |
    - rolearn: arn:aws:iam::483920175521:role/team/deployer
      username: deployer
      groups:
        - deployers
`

// clean is an aws-auth ConfigMap with nothing to report.
const clean = `apiVersion: v1
kind: ConfigMap
metadata:
  name: aws-auth
  namespace: kube-system
data:
  mapRoles: |
    - rolearn: arn:aws:iam::483920175521:role/eks-nodes
      username: system:node:{{EC2PrivateDNSName}}
      groups:
        - system:bootstrappers
        - system:nodes
`

type cliResult struct {
	status         int
	stdout, stderr string
}

func runCLI(t *testing.T, stdin string, args ...string) cliResult {
	t.Helper()
	var out, errOut bytes.Buffer
	status := run(args, env{strings.NewReader(stdin), &out, &errOut})
	return cliResult{status, out.String(), errOut.String()}
}

func TestAnalyzeExitStatus(t *testing.T) {
	tests := []struct {
		name   string
		stdin  string
		args   []string
		status int
	}{
		{"finding at default threshold", masters, nil, exitFindings},
		{"finding below threshold", masters, []string{"--fail-on", "critical"}, exitOK},
		{"info threshold", masters, []string{"--fail-on", "info"}, exitFindings},
		{"never fail", masters, []string{"--fail-on", "none"}, exitOK},
		{"skipped finding", masters, []string{"--skip", "AUTH002"}, exitOK},
		{"clean input", clean, nil, exitOK},
		{"empty input is skipped", "", nil, exitOK},
		{"binary input is skipped", "\x89PNG\r\n\x1a\n", nil, exitOK},
		{"bad severity", masters, []string{"--fail-on", "severe"}, exitError},
		{"bad format", masters, []string{"--format", "xml"}, exitError},
		{"bad rule", masters, []string{"--skip", "NOPE001"}, exitError},
		{"bad glob", masters, []string{"--include", "["}, exitError},
		{"bad fix", masters, []string{"--fix=some"}, exitError},
		{"unknown flag", masters, []string{"--nope"}, exitError},
		{"missing file", "", []string{"/nonexistent/aws-auth.yaml"}, exitError},
		{"help", "", []string{"-h"}, exitOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runCLI(t, tt.stdin, append([]string{"analyze"}, tt.args...)...)
			if r.status != tt.status {
				t.Errorf("status = %d, want %d\nstdout:\n%s\nstderr:\n%s", r.status, tt.status, r.stdout, r.stderr)
			}
			if r.status == exitError && r.stderr == "" {
				t.Error("status 2 with nothing on stderr")
			}
		})
	}
}

// TestFlagsAnywhere checks that flags may follow and separate the paths,
// and that "--" ends them.
func TestFlagsAnywhere(t *testing.T) {
	dir := t.TempDir()
	a := filepath.Join(dir, "a.yaml")
	dashed := filepath.Join(dir, "--fail-on")
	for _, name := range []string{a, dashed} {
		if err := os.WriteFile(name, []byte(masters), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Chdir(dir)
	for _, args := range [][]string{
		{"analyze", "a.yaml", "--format", "json", "--fail-on", "none"},
		{"analyze", "--format", "json", "a.yaml", "--fail-on=none"},
		{"analyze", "--fail-on", "none", "--format=json", "--", "--fail-on"},
	} {
		r := runCLI(t, "", args...)
		var out jsonRun
		if err := json.Unmarshal([]byte(r.stdout), &out); err != nil || r.status != exitOK || len(out.Files) != 1 {
			t.Errorf("%q: status %d, %v, files %+v\n%s", args, r.status, err, out.Files, r.stderr)
		}
	}
}

func TestAnalyzeText(t *testing.T) {
	r := runCLI(t, masters, "analyze", "-v")
	if want := "\n<stdin>:11:11: high AUTH002 arn:aws:iam::483920175521:role/developer "; !strings.Contains(r.stdout, want) {
		t.Errorf("want the finding with the input's own account id, %q…, got:\n%s", want, r.stdout)
	}
	if want := "<stdin>:1-11: [aws-auth] "; !strings.HasPrefix(r.stderr, want) {
		t.Errorf("-v: want the documents on stderr, %q…, got:\n%s", want, r.stderr)
	}
	if want := "eksdoctor: 1 file analysed, 0 skipped; 3 findings (1 high, 1 medium, 1 info).\n" +
		"eksdoctor: the rules generated 3 files (migration plans, example Roles); write them with --artifacts DIR.\n"; !strings.HasSuffix(r.stderr, want) {
		t.Errorf("want the summary %q on stderr, got:\n%s", want, r.stderr)
	}
	if r := runCLI(t, masters, "analyze", "--redact"); strings.Contains(r.stdout, "483920175521") || strings.Contains(r.stdout, "role/developer") {
		t.Errorf("--redact still shows the account id or the role's name:\n%s", r.stdout)
	}
}

func TestRedact(t *testing.T) {
	r := runCLI(t, masters, "redact")
	if r.status != exitOK {
		t.Fatalf("status = %d: %s", r.status, r.stderr)
	}
	if strings.Contains(r.stdout, "483920175521") || !strings.Contains(r.stdout, "role/developer") {
		t.Errorf("redacted output:\n%s", r.stdout)
	}
	if strings.Count(r.stdout, "\n") != strings.Count(masters, "\n") {
		t.Error("redaction changed the number of lines")
	}
	if r := runCLI(t, masters, "redact", "extra"); r.status != exitError {
		t.Errorf("redact with an argument: status = %d, want %d", r.status, exitError)
	}
}

func TestCommands(t *testing.T) {
	tests := []struct {
		args   []string
		status int
		out    string
	}{
		{nil, exitError, ""},
		{[]string{"frobnicate"}, exitError, ""},
		{[]string{"help"}, exitOK, "Usage:"},
		{[]string{"version"}, exitOK, "eksdoctor "},
		{[]string{"--version"}, exitOK, "eksdoctor "},
		{[]string{"serve"}, exitError, ""},
		{[]string{"serve", t.TempDir()}, exitError, ""},
	}
	for _, tt := range tests {
		r := runCLI(t, "", tt.args...)
		if r.status != tt.status || !strings.Contains(r.stdout, tt.out) {
			t.Errorf("eksdoctor %s: status %d, stdout %q; want %d and %q", strings.Join(tt.args, " "), r.status, r.stdout, tt.status, tt.out)
		}
	}
}

// TestBuildVersion checks the version read from the build: the module's
// version, else the commit, marked when the tree had changes.
func TestBuildVersion(t *testing.T) {
	vcs := func(rev, modified string) []debug.BuildSetting {
		return []debug.BuildSetting{{Key: "vcs.revision", Value: rev}, {Key: "vcs.modified", Value: modified}}
	}
	tests := []struct {
		info debug.BuildInfo
		want string
	}{
		{debug.BuildInfo{Main: debug.Module{Version: "v1.2.3"}}, "v1.2.3"},
		{debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: vcs("0f4eec0d1e2f3a4b5c6d", "false")}, "dev-0f4eec0d1e2f"},
		{debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: vcs("0f4eec0d1e2f3a4b5c6d", "true")}, "dev-0f4eec0d1e2f+dirty"},
		{debug.BuildInfo{Main: debug.Module{Version: "(devel)"}}, "dev"},
	}
	for _, tt := range tests {
		if got := buildVersion(&tt.info); got != tt.want {
			t.Errorf("buildVersion(%+v) = %q, want %q", tt.info, got, tt.want)
		}
	}
}

func TestAnalyzeTextSaysCauseAndSkipsUnrecognised(t *testing.T) {
	paste := "$ kubectl get pods\nerror: You must be logged in to the server (Unauthorized)\n"
	r := runCLI(t, paste, "analyze", "--fail-on", "none")
	if first, _, _ := strings.Cut(r.stdout, "\n"); !strings.HasPrefix(first, "<stdin>:2:8: cause ERR001 ") {
		t.Errorf("first line %q, want the cause", first)
	}
	r = runCLI(t, "My pod keeps crashing with OOMKilled after the upgrade.\n", "analyze")
	if r.status != exitOK || r.stdout != "" || !strings.Contains(r.stderr, "<stdin>: skipped: nothing recognised\n") ||
		!strings.Contains(r.stderr, "0 files analysed, 1 skipped") {
		t.Errorf("status %d, stdout %q, stderr %q: want nothing recognised", r.status, r.stdout, r.stderr)
	}
}
