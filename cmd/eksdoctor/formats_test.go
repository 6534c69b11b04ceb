package main

import (
	"encoding/json"
	"encoding/xml"
	"strings"
	"testing"
)

// kubeconfig holds a static token (KCFG007), a secret, and the account
// of its cluster's ARN, an identifier.
const kubeconfig = `apiVersion: v1
kind: Config
clusters:
- cluster:
    server: https://9F8E7D6C5B4A39281706F5E4D3C2B1A0.gr7.us-east-1.eks.amazonaws.com
  name: arn:aws:eks:us-east-1:483920175521:cluster/prod
contexts:
- context:
    cluster: arn:aws:eks:us-east-1:483920175521:cluster/prod
    user: admin
  name: prod
current-context: prod
users:
- name: admin
  user:
    token: k8s-aws-v1.aHR0cHM6Ly9zdHMuYW1hem9uYXdzLmNvbS8_QWN0aW9uPUdldENhbGxlcklkZW50aXR5JlZlcnNpb249MjAxMS0wNi0xNQ
`

// TestFormatsMaskSecrets checks that no format prints a secret of the
// input, whatever it restores.
func TestFormatsMaskSecrets(t *testing.T) {
	t.Chdir(writeTree(t, map[string]string{"kubeconfig": kubeconfig, "aws-auth.yaml": pathRole}))
	for _, format := range formatNames() {
		r := runCLI(t, "", "analyze", "--fail-on", "none", "-v", "--format", format, ".")
		if r.status != exitOK || !strings.Contains(r.stdout, "KCFG007") {
			t.Errorf("%s: status %d, no KCFG007:\n%s%s", format, r.status, r.stdout, r.stderr)
		}
		if strings.Contains(r.stdout+r.stderr, "aHR0cHM6Ly9zdHMuYW1hem9uYXdz") {
			t.Errorf("%s: the token is in the output:\n%s", format, r.stdout)
		}
	}
}

func TestJSON(t *testing.T) {
	t.Chdir(writeTree(t, map[string]string{"a/masters.yaml": masters, "b/path.yaml": pathRole, "c/empty.yaml": " \n"}))
	r := runCLI(t, "", "analyze", "--format", "json", "--skip", "AUTH020", ".")
	var out jsonRun
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil || r.status != exitFindings {
		t.Fatalf("status %d, %v:\n%s%s", r.status, err, r.stdout, r.stderr)
	}
	if len(out.Files) != 2 || out.Files[0].Path != "a/masters.yaml" || out.Files[0].Documents[0].Kind != "aws-auth" {
		t.Errorf("files: %+v", out.Files)
	}
	if len(out.Skipped) != 1 || out.Skipped[0] != (jsonSkipped{"c/empty.yaml", "empty"}) {
		t.Errorf("skipped: %+v", out.Skipped)
	}
	if len(out.Suppressed) != 1 || out.Suppressed[0].Rule != "AUTH020" || out.Suppressed[0].Reason != "--skip AUTH020" {
		t.Errorf("suppressed: %+v", out.Suppressed)
	}
	var auth001 *jsonFinding
	for i, f := range out.Findings {
		if f.Rule == "AUTH001" {
			auth001 = &out.Findings[i]
		}
		if f.Rule == "AUTH020" {
			t.Error("a skipped rule's finding is reported")
		}
	}
	if auth001 == nil || auth001.File != "b/path.yaml" || auth001.ID != "AUTH001@8:16" || auth001.EndColumn != 60 ||
		auth001.Fix == nil || auth001.Fix.Kind != "repair" || !strings.Contains(auth001.Message, "483920175521:role/team/deployer") {
		t.Errorf("AUTH001: %+v", auth001)
	}
	s := out.Summary
	if s.Files != 3 || s.Analysed != 2 || s.Skipped != 1 || s.Suppressed != 1 || s.Findings["high"] != 2 || len(s.Findings) != 5 {
		t.Errorf("summary: %+v", s)
	}
	paste := "$ kubectl get pods\nerror: You must be logged in to the server (Unauthorized)\n"
	r = runCLI(t, paste, "analyze", "--format", "json", "a/masters.yaml", "-")
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil || len(out.Causes) == 0 {
		t.Fatalf("%v, causes %+v", err, out.Causes)
	}
	if c := out.Causes[0]; c.File != "<stdin>" || out.Findings[c.Finding].ID != c.ID || out.Findings[c.Finding].File != "<stdin>" {
		t.Errorf("cause %+v does not index its finding", c)
	}
}

// TestReport checks --format report, the core's reports in one array,
// and that the fixed text holds repairs only unless --harden asks for the
// hardening fixes too: AUTH002's takes a developer out of
// system:masters, with the binding that keeps its access.
func TestReport(t *testing.T) {
	fixedOf := func(args ...string) string {
		t.Helper()
		r := runCLI(t, masters, append([]string{"analyze", "--format", "report", "--fail-on", "none"}, args...)...)
		var reps []struct {
			File   string
			Schema int
			Fixed  string
		}
		if err := json.Unmarshal([]byte(r.stdout), &reps); err != nil || r.status != 0 || len(reps) != 1 || reps[0].File != stdinName || reps[0].Schema != 1 {
			t.Fatalf("status %d, %v: %s%s", r.status, err, r.stdout, r.stderr)
		}
		return reps[0].Fixed
	}
	if got := fixedOf(); got != "" {
		t.Errorf("without --harden the fixed text holds a hardening fix:\n%s", got)
	}
	got := fixedOf("--harden")
	if !strings.Contains(got, "kind: ClusterRoleBinding") || strings.Contains(got, "system:masters") {
		t.Errorf("with --harden, want the mapping off system:masters and the binding that keeps its access:\n%s", got)
	}
}

func TestGitHub(t *testing.T) {
	t.Chdir(writeTree(t, map[string]string{"path.yaml": pathRole}))
	r := runCLI(t, "", "analyze", "--format", "github", "path.yaml")
	want := "::error file=path.yaml,line=8,col=16,endLine=8,endColumn=60,title=AUTH001 role ARN with an IAM path never matches::arn:aws:iam::483920175521:role/team/deployer includes"
	if !strings.Contains(r.stdout, want) || !strings.Contains(r.stdout, "::notice file=path.yaml,line=11,") {
		t.Errorf("want %q… and a notice, got:\n%s", want, r.stdout)
	}
	if got := githubProperty("a,b:c%\r\n"); got != "a%2Cb%3Ac%25%0D%0A" {
		t.Errorf("githubProperty = %q", got)
	}
	if got := githubData("a,b:c%\r\n"); got != "a,b:c%25%0D%0A" {
		t.Errorf("githubData = %q", got)
	}
}

func TestJUnit(t *testing.T) {
	t.Chdir(writeTree(t, map[string]string{"path.yaml": pathRole, "ok.yaml": clean, "notes.md": "nothing\n"}))
	r := runCLI(t, "", "analyze", "--format", "junit", "--fail-on", "none", "--skip", "AUTH021", ".")
	var out junitSuites
	if err := xml.Unmarshal([]byte(r.stdout), &out); err != nil {
		t.Fatalf("%v:\n%s", err, r.stdout)
	}
	if len(out.Suites) != 2 || out.Suites[0].Name != "ok.yaml" || out.Suites[1].Name != "path.yaml" {
		t.Fatalf("want a suite per analysed file, got %+v", out.Suites)
	}
	okCases, pathCases := out.Suites[0].Cases, out.Suites[1].Cases
	if len(okCases) != 1 || okCases[0].Failure != nil {
		t.Errorf("a clean file has one passing case: %+v", okCases)
	}
	if out.Failures != len(pathCases) || out.Tests != len(pathCases)+1 || !strings.Contains(r.stdout, `type="high"`) {
		t.Errorf("want one failing case per finding: %d failures of %d tests:\n%s", out.Failures, out.Tests, r.stdout)
	}
}

func TestSARIF(t *testing.T) {
	t.Chdir(writeTree(t, map[string]string{"deploy/path.yaml": pathRole}))
	r := runCLI(t, "", "analyze", "--format", "sarif", ".")
	var log sarifLog
	if err := json.Unmarshal([]byte(r.stdout), &log); err != nil || len(log.Runs) != 1 {
		t.Fatalf("%v:\n%s", err, r.stdout)
	}
	run := log.Runs[0]
	if log.Version != "2.1.0" || run.Tool.Driver.Version == "" || len(run.Tool.Driver.Rules) == 0 {
		t.Errorf("log %s, driver %+v", log.Version, run.Tool.Driver.Name)
	}
	var fixed *sarifResult
	for i, res := range run.Results {
		if rule := run.Tool.Driver.Rules[res.RuleIndex]; rule.ID != res.RuleID {
			t.Errorf("result %s has the index of %s", res.RuleID, rule.ID)
		}
		if loc := res.Locations[0].PhysicalLocation.ArtifactLocation; loc != (sarifArtifact{"deploy/path.yaml", "%SRCROOT%"}) {
			t.Errorf("location %+v", loc)
		}
		if len(res.Fixes) > 0 {
			fixed = &run.Results[i]
		}
	}
	if fixed == nil || fixed.RuleID != "AUTH001" || fixed.Level != "error" {
		t.Fatalf("want AUTH001's fix, got %+v", fixed)
	}
	rep := fixed.Fixes[0].ArtifactChanges[0].Replacements[0]
	if rep.DeletedRegion != (sarifRegion{8, 16, 8, 60}) || rep.InsertedContent.Text != "arn:aws:iam::483920175521:role/deployer" {
		t.Errorf("replacement %+v", rep)
	}
}
