package adopt

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// root is the repository root: the action's path, the Docker build
// context, the directory GoReleaser and pre-commit build in.
var root, _ = filepath.Abs("../../..")

// versionFlag is the linker flag every release build sets the version with.
const versionFlag = "-X github.com/eksdoctor/eksdoctor/core.Version="

// readYAML decodes the repository file name into v.
func readYAML(t *testing.T, name string, v any) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(root, name))
	if err != nil {
		t.Fatal(err)
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(v); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
}

// run runs a command in dir and returns its output and exit status; it
// fails the test when the command cannot start.
func run(t *testing.T, dir string, env []string, name string, args ...string) (string, int) {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	if exit, ok := err.(*exec.ExitError); ok {
		return string(out), exit.ExitCode()
	} else if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return string(out), 0
}

// checkBuild checks that bin was built as every release build is: static,
// with -trimpath, and with version in core.Version (the build information
// of a -trimpath build leaves -ldflags out, so the binary is searched for
// it).
func checkBuild(t *testing.T, bin, version string) {
	t.Helper()
	out, status := run(t, root, nil, "go", "version", "-m", bin)
	for _, want := range []string{
		"\tpath\tgithub.com/eksdoctor/eksdoctor/cmd/eksdoctor\n",
		"\tbuild\tCGO_ENABLED=0\n",
		"\tbuild\t-trimpath=true\n",
	} {
		if status != 0 || !strings.Contains(out, want) {
			t.Errorf("%s was not built with %q:\n%s", filepath.Base(bin), strings.TrimSpace(want), out)
		}
	}
	if data, err := os.ReadFile(bin); err != nil || !bytes.Contains(data, []byte(version)) {
		t.Errorf("%s does not hold its version %s (%v)", filepath.Base(bin), version, err)
	}
}

// testTree writes a small repository to analyse: an aws-auth whose role
// ARN keeps its IAM path (a high finding), and a README.
func testTree(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "k8s", "auth"), 0o755); err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(dir, "k8s", "auth", "aws-auth.yaml"), `apiVersion: v1
kind: ConfigMap
metadata:
  name: aws-auth
  namespace: kube-system
data:
  mapRoles: |
    - rolearn: arn:aws:iam::111122223333:role/platform/deployer
      username: deployer
      groups:
        - deployers
`)
	write(t, filepath.Join(dir, "README.md"), "# infra\n\nThe cluster's access configuration.\n")
	return dir
}

// action is what action.yml holds.
type action struct {
	Name        string
	Description string
	Branding    map[string]string
	Inputs      map[string]struct {
		Description string
		Required    bool
		Default     string
	}
	Outputs map[string]struct {
		Description string
		Value       string
	}
	Runs struct {
		Using string
		Steps []struct {
			Name  string
			ID    string
			If    string
			Uses  string
			With  map[string]string
			Shell string
			Env   map[string]string
			Run   string
		}
	}
}

var (
	expression = regexp.MustCompile(`\$\{\{\s*(.*?)\s*\}\}`)
	reference  = regexp.MustCompile(`\b(?:inputs|steps|github|runner|env)\.[\w.-]+`)
	pinned     = regexp.MustCompile(`^[\w-]+/[\w/-]+@v\d+(\.\d+)*$`)
)

// actionRun runs a composite action's shell steps as the runner does:
// with its inputs, GITHUB_OUTPUT and RUNNER_TEMP, in the workspace.
type actionRun struct {
	a         action
	workspace string
	temp      string
	inputs    map[string]string
	outputs   map[string]map[string]string // step id → its outputs
}

// value is the value of a context reference such as inputs.paths, or ok
// false when the action cannot refer to it.
func (r *actionRun) value(ref string) (v string, ok bool) {
	switch parts := strings.Split(ref, "."); {
	case ref == "github.action_path":
		return root, true
	case ref == "github.action_ref":
		return "v0.0.0-action", true
	case len(parts) == 2 && parts[0] == "inputs":
		in, ok := r.a.Inputs[parts[1]]
		if v, set := r.inputs[parts[1]]; set {
			return v, ok
		}
		return in.Default, ok
	case len(parts) == 4 && parts[0] == "steps" && parts[2] == "outputs":
		outs, ok := r.outputs[parts[1]]
		return outs[parts[3]], ok
	}
	return "", false
}

// expand replaces each ${{ reference }} of s with its value.
func (r *actionRun) expand(t *testing.T, s string) string {
	return expression.ReplaceAllStringFunc(s, func(m string) string {
		ref := expression.FindStringSubmatch(m)[1]
		v, ok := r.value(ref)
		if !ok {
			t.Errorf("action.yml: %s refers to nothing the action has (so far)", m)
		}
		return v
	})
}

// run runs the steps in order and returns the exit status of the first
// that fails, 0 when none does. A step that uses another action is not
// run, but what it is given is checked.
func (r *actionRun) run(t *testing.T) int {
	for i, step := range r.a.Runs.Steps {
		for _, ref := range reference.FindAllString(step.If, -1) {
			if _, ok := r.value(ref); !ok {
				t.Errorf("action.yml: step %d's if refers to %s, which it does not have", i+1, ref)
			}
		}
		if step.Uses != "" {
			for _, v := range step.With {
				r.expand(t, v)
			}
			continue
		}
		env := []string{
			"GITHUB_ACTION_PATH=" + root,
			"GITHUB_WORKSPACE=" + r.workspace,
			"RUNNER_TEMP=" + r.temp,
			"GITHUB_OUTPUT=" + filepath.Join(r.temp, "output"),
		}
		for k, v := range step.Env {
			env = append(env, k+"="+r.expand(t, v))
		}
		script := filepath.Join(r.temp, "step.sh")
		write(t, script, r.expand(t, step.Run))
		write(t, filepath.Join(r.temp, "output"), "")
		out, status := run(t, r.workspace, env, "bash", "--noprofile", "--norc", "-eo", "pipefail", script)
		t.Logf("step %q (exit %d):\n%s", step.Name, status, out)
		outputs, _ := os.ReadFile(filepath.Join(r.temp, "output"))
		r.outputs[step.ID] = map[string]string{}
		for _, line := range strings.Split(strings.TrimSpace(string(outputs)), "\n") {
			if k, v, ok := strings.Cut(line, "="); ok {
				r.outputs[step.ID][k] = v
			}
		}
		if status != 0 {
			return status
		}
	}
	return 0
}

// sarifFormat is the report format the action is run with here: sarif when
// the CLI has it, json until then.
func sarifFormat(t *testing.T, bin string) string {
	help, _ := run(t, root, nil, bin, "analyze", "-h")
	if strings.Contains(help, "sarif") {
		return "sarif"
	}
	t.Log("the CLI has no --format sarif yet: the action runs with format json")
	return "json"
}

func TestAction(t *testing.T) {
	var a action
	readYAML(t, "action.yml", &a)
	if a.Name == "" || a.Description == "" || a.Runs.Using != "composite" {
		t.Fatalf("action.yml needs a name, a description and runs.using composite")
	}
	for name, in := range a.Inputs {
		if in.Description == "" {
			t.Errorf("action.yml: input %s has no description", name)
		}
	}
	for _, step := range a.Runs.Steps {
		switch {
		case step.Uses != "" && !pinned.MatchString(step.Uses):
			t.Errorf("action.yml: %s is not pinned to a version tag", step.Uses)
		case step.Uses == "" && step.Shell != "bash":
			t.Errorf("action.yml: step %q runs without shell: bash", step.Name)
		}
	}

	// The CLI's formats decide the one to run the action with.
	probe := filepath.Join(t.TempDir(), "eksdoctor")
	if out, status := run(t, root, []string{"GOWORK=off"}, "go", "build", "-o", probe, "./cmd/eksdoctor"); status != 0 {
		t.Fatalf("go build: %s", out)
	}
	format := sarifFormat(t, probe)

	cases := []struct {
		failOn string
		want   int
	}{
		{"high", 1}, // the role ARN's path
		{"none", 0},
	}
	for _, c := range cases {
		t.Run("fail-on="+c.failOn, func(t *testing.T) {
			r := &actionRun{a: a, workspace: testTree(t), temp: t.TempDir(), outputs: map[string]map[string]string{}}
			r.inputs = map[string]string{"paths": "k8s/**/*.yaml README.md", "fail-on": c.failOn, "format": format, "upload-sarif": "false"}
			if status := r.run(t); status != c.want {
				t.Errorf("the action exits %d, want %d", status, c.want)
			}
			checkBuild(t, filepath.Join(r.temp, "eksdoctor"), "v0.0.0-action")
			for name, out := range a.Outputs {
				if r.expand(t, out.Value) == "" {
					t.Errorf("output %s is empty", name)
				}
			}
			report, _ := r.value("steps.analyze.outputs.report")
			checkReport(t, report, format)
		})
	}
}

// checkReport checks that the report file holds a report in format that
// names the aws-auth file.
func checkReport(t *testing.T, name, format string) {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatalf("the action wrote no report: %v", err)
	}
	if !bytes.Contains(data, []byte("k8s/auth/aws-auth.yaml")) {
		t.Errorf("the report does not name k8s/auth/aws-auth.yaml:\n%s", data)
	}
	if format == "sarif" {
		var log struct {
			Version string
			Runs    []json.RawMessage
		}
		if err := json.Unmarshal(data, &log); err != nil || log.Version != "2.1.0" || len(log.Runs) == 0 {
			t.Errorf("the report is not a SARIF 2.1.0 log (%v):\n%s", err, data)
		}
		return
	}
	for _, line := range bytes.Split(bytes.TrimSpace(data), []byte("\n")) {
		if !json.Valid(line) {
			t.Errorf("the report holds a line that is not JSON: %s", line)
		}
	}
}

func TestPreCommitHook(t *testing.T) {
	var hooks []struct {
		ID          string
		Name        string
		Description string
		Entry       string
		Language    string
		Files       string
		Types       []string
	}
	readYAML(t, ".pre-commit-hooks.yaml", &hooks)
	if len(hooks) != 1 || hooks[0].ID != "eksdoctor" || hooks[0].Language != "golang" {
		t.Fatalf("want one golang hook with id eksdoctor, got %+v", hooks)
	}
	hook := hooks[0]
	files, err := regexp.Compile(hook.Files)
	if err != nil {
		t.Fatalf("files: %v", err)
	}
	for name, want := range map[string]bool{
		"k8s/aws-auth.yaml": true, "rbac.yml": true, "policy.json": true, "main.tf": true,
		"ISSUE.md": true, "main.go": false, "terraform.tfstate": false,
	} {
		if files.MatchString(name) != want {
			t.Errorf("files %q matches %s: %v, want %v", hook.Files, name, !want, want)
		}
	}

	// pre-commit installs a golang hook with go install ./... in the
	// repository, then runs its entry with the matching files.
	bin := t.TempDir()
	if out, status := run(t, root, []string{"GOBIN=" + bin}, "go", "install", "./..."); status != 0 {
		t.Fatalf("go install ./...: %s", out)
	}
	tree := testTree(t)
	entry := strings.Fields(hook.Entry)
	args := append(entry[1:], "k8s/auth/aws-auth.yaml", "README.md")
	out, status := run(t, tree, nil, filepath.Join(bin, entry[0]), args...)
	if status != 1 || !strings.Contains(out, "AUTH001") {
		t.Errorf("the hook exits %d, want 1 with AUTH001:\n%s", status, out)
	}
}

func TestGoReleaser(t *testing.T) {
	var cfg struct {
		Version     int
		ProjectName string `yaml:"project_name"`
		Builds      []struct {
			ID      string
			Main    string
			Binary  string
			Env     []string
			Flags   []string
			Ldflags []string
			Goos    []string
			Goarch  []string
		}
		Archives []struct {
			ID              string
			Formats         []string
			FormatOverrides []struct {
				Goos    string
				Formats []string
			} `yaml:"format_overrides"`
			NameTemplate string `yaml:"name_template"`
			Files        []string
		}
		Checksum struct {
			NameTemplate string `yaml:"name_template"`
		}
	}
	readYAML(t, ".goreleaser.yaml", &cfg)
	if cfg.Version != 2 || len(cfg.Builds) != 1 || len(cfg.Archives) == 0 || cfg.Checksum.NameTemplate == "" {
		t.Fatalf(".goreleaser.yaml: want version 2, one build, archives and checksums")
	}
	for _, f := range cfg.Archives[0].Files {
		if _, err := os.Stat(filepath.Join(root, f)); err != nil {
			t.Errorf("the archives hold %s: %v", f, err)
		}
	}
	b := cfg.Builds[0]
	if !strings.Contains(strings.Join(b.Goos, " "), "linux darwin windows") || strings.Join(b.Goarch, " ") != "amd64 arm64" {
		t.Errorf("builds for %v × %v, want linux, darwin, windows × amd64, arm64", b.Goos, b.Goarch)
	}

	// Build the matrix as GoReleaser would, with {{.Version}} a test
	// version. A cold cross-build takes one or two minutes a platform on
	// a 2-core machine, so by default only this platform is built and the
	// others are listed (every package has files for them);
	// EKSDOCTOR_RELEASE_MATRIX=1 (make release-check) builds them all.
	const version = "0.0.0-release"
	dir := t.TempDir()
	all := os.Getenv("EKSDOCTOR_RELEASE_MATRIX") == "1"
	for _, goos := range b.Goos {
		for _, goarch := range b.Goarch {
			env := append([]string{"GOOS=" + goos, "GOARCH=" + goarch}, b.Env...)
			host := goos == runtime.GOOS && goarch == runtime.GOARCH
			if !host && !all {
				if out, status := run(t, root, env, "go", "list", "-deps", b.Main); status != 0 {
					t.Errorf("%s/%s: go list -deps %s: %s", goos, goarch, b.Main, out)
				}
				continue
			}
			bin := filepath.Join(dir, b.Binary+"-"+goos+"-"+goarch)
			args := append([]string{"build"}, b.Flags...)
			for _, l := range b.Ldflags {
				args = append(args, "-ldflags="+strings.ReplaceAll(l, "{{.Version}}", version))
			}
			args = append(args, "-o", bin, b.Main)
			if out, status := run(t, root, env, "go", args...); status != 0 {
				t.Errorf("%s/%s: go %s: %s", goos, goarch, strings.Join(args, " "), out)
				continue
			}
			checkBuild(t, bin, version)
			if host {
				if out, _ := run(t, root, nil, bin, "version"); out != "eksdoctor "+version+"\n" {
					t.Errorf("%s version prints %q", bin, out)
				}
			}
		}
	}
}

// dockerStage is one stage of a Dockerfile: its FROM line and its
// instructions, continuation lines joined.
type dockerStage struct {
	from  string
	lines []string
}

func readDockerfile(t *testing.T) []dockerStage {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(root, "Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	var stages []dockerStage
	text := strings.ReplaceAll(string(data), "\\\n", " ")
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		switch {
		case line == "" || strings.HasPrefix(line, "#"):
		case strings.HasPrefix(line, "FROM "):
			stages = append(stages, dockerStage{from: strings.TrimPrefix(line, "FROM ")})
		case len(stages) == 0:
			t.Fatalf("Dockerfile: %q before FROM", line)
		default:
			s := &stages[len(stages)-1]
			s.lines = append(s.lines, line)
		}
	}
	return stages
}

// TestDockerfile checks the image's stages (no Docker here) and runs the
// build stage's go build as Docker would, in the build context.
func TestDockerfile(t *testing.T) {
	stages := readDockerfile(t)
	if len(stages) != 2 || !strings.HasPrefix(stages[0].from, "golang:") {
		t.Fatalf("Dockerfile: want a golang build stage and a final stage, got %+v", stages)
	}
	final := stages[1]
	if !strings.HasPrefix(final.from, "gcr.io/distroless/static") && final.from != "scratch" {
		t.Errorf("the image is FROM %s, want distroless static or scratch", final.from)
	}
	var built, installed string
	for _, line := range final.lines {
		switch f := strings.Fields(line); {
		case f[0] == "USER" && (strings.HasPrefix(f[1], "root") || strings.HasPrefix(f[1], "0")):
			t.Errorf("the image runs as %s", f[1])
		case f[0] == "COPY" && strings.HasPrefix(f[1], "--from="):
			built, installed = f[2], f[3]
		case f[0] == "ENTRYPOINT" && line != `ENTRYPOINT ["`+installed+`"]`:
			t.Errorf("%s does not run %s", line, installed)
		}
	}
	if !slices.ContainsFunc(final.lines, func(l string) bool { return strings.HasPrefix(l, "USER ") }) {
		t.Error("the image sets no USER: it would run as root")
	}

	// The build stage's ENV, ARG and go build RUN lines, as a script.
	const version = "0.0.0-image"
	out := filepath.Join(t.TempDir(), "eksdoctor")
	script := []string{"set -e"}
	for _, line := range stages[0].lines {
		verb, rest, _ := strings.Cut(line, " ")
		switch {
		case verb == "ENV":
			script = append(script, "export "+rest)
		case verb == "ARG" && strings.HasPrefix(rest, "VERSION"):
			script = append(script, "VERSION="+version)
		case verb == "RUN" && strings.Contains(rest, "go build"):
			script = append(script, strings.ReplaceAll(rest, built, out))
		}
	}
	if res, status := run(t, root, nil, "bash", "-c", strings.Join(script, "\n")); status != 0 {
		t.Fatalf("the Dockerfile's build:\n%s\n%s", strings.Join(script, "\n"), res)
	}
	checkBuild(t, out, version)
}
