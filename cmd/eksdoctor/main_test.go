package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
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

type result struct {
	status         int
	stdout, stderr string
}

func runCLI(t *testing.T, stdin string, args ...string) result {
	t.Helper()
	var out, errOut bytes.Buffer
	status := run(args, env{strings.NewReader(stdin), &out, &errOut})
	return result{status, out.String(), errOut.String()}
}

func writeFile(t *testing.T, name, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
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
		{"clean input", clean, nil, exitOK},
		{"empty input", "", nil, exitError},
		{"binary input", "\x89PNG\r\n\x1a\n", nil, exitError},
		{"bad severity", masters, []string{"--fail-on", "severe"}, exitError},
		{"bad format", masters, []string{"--format", "xml"}, exitError},
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

func TestAnalyzeText(t *testing.T) {
	r := runCLI(t, masters, "analyze", "-v")
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if want := "<stdin>:1-11: [aws-auth] "; !strings.HasPrefix(lines[0], want) {
		t.Errorf("document line = %q, want prefix %q", lines[0], want)
	}
	if want := "\n<stdin>:11:11: high AUTH002 "; !strings.Contains(r.stdout, want) {
		t.Errorf("no finding line with prefix %q in:\n%s", want[1:], r.stdout)
	}
	if strings.Contains(r.stdout, "483920175521") {
		t.Error("the account id was not redacted")
	}
	if r := runCLI(t, masters, "analyze", "--redact=false"); !strings.Contains(r.stdout, "483920175521") {
		t.Errorf("--redact=false still redacted:\n%s", r.stdout)
	}
}

func TestAnalyzeFilesJSON(t *testing.T) {
	a, b := writeFile(t, "masters.yaml", masters), writeFile(t, "clean.yaml", clean)
	r := runCLI(t, "", "analyze", "--format", "json", a, b)
	if r.status != exitFindings {
		t.Errorf("status = %d, want %d; stderr: %s", r.status, exitFindings, r.stderr)
	}
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if len(lines) != 2 {
		t.Fatalf("want one JSON report per line for 2 files, got:\n%s", r.stdout)
	}
	for i, want := range []struct {
		file    string
		masters bool
	}{{a, true}, {b, false}} {
		var rep struct {
			File     string `json:"file"`
			Schema   int    `json:"schema"`
			Findings []struct {
				Rule, Severity string
			} `json:"findings"`
		}
		if err := json.Unmarshal([]byte(lines[i]), &rep); err != nil {
			t.Fatalf("line %d: %v", i+1, err)
		}
		masters, serious := false, 0
		for _, f := range rep.Findings {
			masters = masters || f.Rule == "AUTH002"
			if f.Severity == "high" || f.Severity == "critical" {
				serious++
			}
		}
		if rep.File != want.file || rep.Schema != 1 || masters != want.masters || !want.masters && serious > 0 {
			t.Errorf("line %d: file %q, schema %d, AUTH002 %v, %d high or critical; want %q, 1, %v", i+1, rep.File, rep.Schema, masters, serious, want.file, want.masters)
		}
	}
}

func TestAnalyzeReadErrorKeepsGoing(t *testing.T) {
	r := runCLI(t, "", "analyze", "/nonexistent/x.yaml", writeFile(t, "m.yaml", masters))
	if r.status != exitError || !strings.Contains(r.stdout, "AUTH002") || !strings.Contains(r.stderr, "/nonexistent/x.yaml") {
		t.Errorf("status %d, stdout %q, stderr %q", r.status, r.stdout, r.stderr)
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

func TestAnalyzeTextSaysCauseAndNothingRecognised(t *testing.T) {
	paste := "$ kubectl get pods\nerror: You must be logged in to the server (Unauthorized)\n"
	r := runCLI(t, paste, "analyze", "--fail-on", "none")
	if first, _, _ := strings.Cut(r.stdout, "\n"); !strings.HasPrefix(first, "<stdin>:2:8: cause ERR001 ") {
		t.Errorf("first line %q, want the cause", first)
	}
	r = runCLI(t, "My pod keeps crashing with OOMKilled after the upgrade.\n", "analyze")
	if r.status != exitOK || !strings.Contains(r.stdout, "<stdin>: nothing recognised") {
		t.Errorf("status %d, stdout %q: want nothing recognised", r.status, r.stdout)
	}
}

// TestAnalyzeHarden checks that the fixed text holds repairs only unless
// --harden asks for the hardening fixes too: AUTH002's takes a developer
// out of system:masters, with the binding that keeps its access.
func TestAnalyzeHarden(t *testing.T) {
	fixedOf := func(args ...string) string {
		t.Helper()
		r := runCLI(t, masters, append([]string{"analyze", "--format", "json", "--fail-on", "none"}, args...)...)
		var rep struct{ Fixed string }
		if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil || r.status != 0 {
			t.Fatalf("status %d, %v: %s%s", r.status, err, r.stdout, r.stderr)
		}
		return rep.Fixed
	}
	if got := fixedOf(); got != "" {
		t.Errorf("without --harden the fixed text holds a hardening fix:\n%s", got)
	}
	got := fixedOf("--harden")
	if !strings.Contains(got, "kind: ClusterRoleBinding") || strings.Contains(got, "system:masters") {
		t.Errorf("with --harden, want the mapping off system:masters and the binding that keeps its access:\n%s", got)
	}
}
