package core

import (
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/eksdoctor/eksdoctor/analysis"
)

// deepShapes are pastes that nest a given number of levels, each in one
// of the ways the parsers recurse.
var deepShapes = []struct {
	name string
	text func(levels int) string
}{
	{"json arrays", func(n int) string { return nest("[", "", "]", n) }},
	{"json objects", func(n int) string { return nest(`{"a": `, "1", "}", n) }},
	{"yaml flow", func(n int) string { return "a: " + nest("[", "", "]", n-1) + "\n" }},
	{"yaml block sequences", func(n int) string { return strings.Repeat("- ", n-1) + "x\n" }},
	{"yaml mappings by indentation", func(n int) string {
		var b strings.Builder
		for i := range n {
			fmt.Fprintf(&b, "%sa:\n", strings.Repeat(" ", i))
		}
		return b.String()
	}},
	{"hcl parentheses", func(n int) string { return "locals {\n  x = " + nest("(", "1", ")", n-1) + "\n}\n" }},
	{"hcl tuples", func(n int) string { return "locals {\n  x = " + nest("[", "1", "]", n-1) + "\n}\n" }},
	{"hcl blocks", func(n int) string { return "resource \"a\" \"b\" {\n" + nest("a {\n", "", "}\n", n-1) + "}\n" }},
	{"hcl templates", func(n int) string {
		t := `"x"`
		for range (n - 1) / 2 {
			t = `"${` + t + `}"`
		}
		return "locals {\n  x = " + t + "\n}\n"
	}},
	{"aws-auth mapRoles", func(n int) string {
		return "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: aws-auth\n  namespace: kube-system\ndata:\n  mapRoles: |\n    " +
			nest("[", "", "]", n-3) + "\n"
	}},
	{"kubeconfig", func(n int) string {
		return "apiVersion: v1\nkind: Config\nusers:\n- name: u\n  user:\n    exec:\n      args: " + nest("[", "", "]", n-4) + "\n"
	}},
}

// nest returns open n times, then middle, then close n times.
func nest(open, middle, close string, n int) string {
	return strings.Repeat(open, n) + middle + strings.Repeat(close, n)
}

// TestDepthLimit runs every exported function on every shape nested
// analysis.MaxDepth levels deep, which is read, and one level deeper,
// which is refused with the line where it passes the limit.
func TestDepthLimit(t *testing.T) {
	const deep = "levels deep"
	for _, s := range deepShapes {
		for _, levels := range []int{analysis.MaxDepth, analysis.MaxDepth + 1} {
			text, past := s.text(levels), levels > analysis.MaxDepth
			name := fmt.Sprintf("%s, %d levels", s.name, levels)
			rep := Analyze(text, Options{})
			if got := strings.Contains(rep.Error, deep); got != past {
				t.Errorf("%s: Analyze error %q", name, rep.Error)
			}
			if past && !strings.Contains(rep.Error, "(at line ") {
				t.Errorf("%s: the error names no line: %q", name, rep.Error)
			}
			if unless, ok := AnalyzeUnlessLeftOut(text, Options{}); ok && unless.Error != rep.Error {
				t.Errorf("%s: AnalyzeUnlessLeftOut error %q, Analyze %q", name, unless.Error, rep.Error)
			}
			if res := CanI(text, CanIQuery{User: "u", Verb: "get", Resource: "pods"}); strings.Contains(res.Error, deep) != past {
				t.Errorf("%s: CanI error %q", name, res.Error)
			}
			if d := SimulateTrust(text, TrustRequest{}); strings.Contains(d.Error, deep) != past {
				t.Errorf("%s: SimulateTrust error %q", name, d.Error)
			}
			CanIQueryFromText(text)
			TrustRequestFromText(text)
			HoldsLeftOut(text)
			if kinds := Kinds(text); past && !slices.Equal(kinds, []string{"unknown"}) {
				t.Errorf("%s: Kinds %q", name, kinds)
			}
		}
	}
}

// TestDepthLimitKeepsTheRest checks that a deep document is refused on
// its own: the others of the paste are analysed, and a note names the
// deep one's lines.
func TestDepthLimitKeepsTheRest(t *testing.T) {
	deep := deepShapes[0].text(analysis.MaxDepth + 1)
	text := "```\n" + deep + "\n```\n\n```yaml\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: a\n```\n"
	rep := Analyze(text, Options{})
	if rep.Error != "" || len(rep.Documents) != 2 || rep.Documents[1].Kind != "k8s-serviceaccount" {
		t.Fatalf("error %q, documents %+v", rep.Error, rep.Documents)
	}
	want := "The document at line 2 nests more than 256 levels deep (at line 2)"
	if !slices.ContainsFunc(rep.Next, func(s Step) bool { return strings.HasPrefix(s.Detail, want) }) {
		t.Errorf("no note %q in %+v", want, rep.Next)
	}
}

// TestDeepTerraformInSubprocess analyses 200 KB of nested parentheses in
// Terraform, which hclsyntax once answered with a fatal stack overflow
// that no recover catches; in a process of its own, so that such a
// regression fails this test instead of ending the run.
func TestDeepTerraformInSubprocess(t *testing.T) {
	const child = "EKSDOCTOR_DEEP_TERRAFORM_CHILD"
	if os.Getenv(child) != "" {
		fmt.Print(Analyze(deepShapes[5].text(100_000), Options{}).Error)
		return
	}
	if runtime.GOOS == "js" {
		t.Skip("no subprocess in a browser; TestDepthLimit runs the shapes")
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestDeepTerraformInSubprocess$")
	cmd.Env = append(os.Environ(), child+"=1")
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "nests more than 256 levels deep (at line 2)") {
		t.Fatalf("%v: %.500s", err, out)
	}
}
