package suppress

import (
	"bytes"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/eksdoctor/eksdoctor/core"
)

// analyze returns the findings eksdoctor reports on text, as the CLI
// analyses a file.
func analyze(t *testing.T, text string) []core.Finding {
	t.Helper()
	rep := core.Analyze(text, core.Options{})
	if rep.Error != "" {
		t.Fatal(rep.Error)
	}
	return rep.Findings
}

// brief renders findings as "RULE@LINE" words.
func brief(findings []core.Finding) string {
	var out []string
	for _, f := range findings {
		out = append(out, fmt.Sprintf("%s@%d", f.Rule, f.Line))
	}
	return strings.Join(out, " ")
}

func TestBaselineRoundTrip(t *testing.T) {
	text := example(t, "aws-auth-masters.yaml", nil)
	var b Baseline
	b.Add("k8s/aws-auth.yaml", text, analyze(t, text))
	var buf bytes.Buffer
	if err := b.Write(&buf); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(buf.String(), "{\n  \"version\": 1,\n  \"findings\": [\n    {\n      \"rule\": \"AUTH021\",\n      \"file\": \"k8s/aws-auth.yaml\",\n      \"fingerprint\": \"") {
		t.Errorf("written:\n%s", buf.String())
	}
	read, err := ReadBaseline(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(read.Entries, b.Entries) {
		t.Errorf("read\n%v\nwant\n%v", read.Entries, b.Entries)
	}
	buf.Reset()
	if err := new(Baseline).Write(&buf); err != nil || buf.String() != "{\n  \"version\": 1,\n  \"findings\": []\n}\n" {
		t.Errorf("empty baseline: %q, %v", buf.String(), err)
	}
}

func TestReadBaselineErrors(t *testing.T) {
	for text, want := range map[string]string{
		`{"findings": []}`:               "baseline: version 0 is not one this eksdoctor reads (1)",
		`{"version": 2, "findings": []}`: "baseline: version 2 is not one this eksdoctor reads (1)",
		`{"version": 1, "findings": [{"rule": "AUTH002", "file": "a.yaml"}]}`: "baseline: finding 1 lacks its rule, file or fingerprint",
		`version: 1`: "baseline: invalid character 'v' looking for beginning of value",
	} {
		if _, err := ReadBaseline(strings.NewReader(text)); err == nil || err.Error() != want {
			t.Errorf("%s: %v, want %s", text, err, want)
		}
	}
}

// edit returns text with the lines from..to (1-based, inclusive)
// replaced by with; to == from-1 inserts before from.
func edit(text string, from, to int, with string) string {
	lines := strings.SplitAfter(text, "\n")
	return strings.Join(lines[:from-1], "") + with + strings.Join(lines[to:], "")
}

func TestBaselineMatch(t *testing.T) {
	awsAuth := example(t, "aws-auth-masters.yaml", nil)
	rbac := example(t, "rbac-nodes-proxy.yaml", nil)
	for _, tt := range []struct {
		name   string
		before string
		after  func(string) string
		kept   string // the findings of after that are new
		stale  int
	}{{
		name:   "unchanged",
		before: awsAuth, after: func(s string) string { return s },
	}, {
		name:   "lines added above every finding",
		before: awsAuth,
		after:  func(s string) string { return "# reviewed 2024-05-02\n# owner: platform\n\n" + s },
	}, {
		name:   "a line changed above a finding, not its own",
		before: rbac,
		after: func(s string) string {
			return strings.Replace(s, `"debug nodes"`, `"debug nodes" (INC-2231)`, 1)
		},
	}, {
		name:   "the offending line changed: new",
		before: rbac,
		after: func(s string) string {
			return strings.Replace(s, `resources: ["secrets"]`, `resources: ["secrets", "configmaps"]`, 1)
		},
		kept: "RBAC023@11 RBAC029@11", stale: 1, // RBAC029 is a new finding anyway
	}, {
		name:   "two equal findings, one removed: the other stays baselined, one entry stale",
		before: awsAuth,
		after:  func(s string) string { return edit(s, 18, 21, "") },
		stale:  1,
	}, {
		name:   "two equal findings, a third added: it is new",
		before: awsAuth,
		after: func(s string) string {
			return edit(s, 22, 21, "    - rolearn: arn:aws:iam::483920175521:role/argo-cd\n      username: argo-cd\n      groups:\n        - system:masters\n")
		},
		kept: "AUTH002@25",
	}} {
		t.Run(tt.name, func(t *testing.T) {
			b := &Baseline{}
			b.Add("aws-auth.yaml", tt.before, analyze(t, tt.before))
			after := tt.after(tt.before)
			findings := analyze(t, after)
			var kept []core.Finding
			for i, hit := range b.match("aws-auth.yaml", after, findings) {
				if !hit {
					kept = append(kept, findings[i])
				}
			}
			if got := brief(kept); got != tt.kept {
				t.Errorf("kept %q, want %q (findings before: %s; after: %s)", got, tt.kept, brief(analyze(t, tt.before)), brief(findings))
			}
			if got := len(b.Stale()); got != tt.stale {
				t.Errorf("%d stale, want %d: %v", got, tt.stale, b.Stale())
			}
		})
	}
}

func TestStaleOnlyAmongFilesSeen(t *testing.T) {
	text := example(t, "aws-auth-masters.yaml", nil)
	b := &Baseline{}
	b.Add("a.yaml", text, analyze(t, text))
	b.Add("b.yaml", text, analyze(t, text))
	b.match("a.yaml", "apiVersion: v1\n", nil)
	for _, e := range b.Stale() {
		if e.File != "a.yaml" {
			t.Errorf("stale entry of a file never filtered: %v", e)
		}
	}
	if got := len(b.Stale()); got != 3 {
		t.Errorf("%d stale, want a.yaml's 3", got)
	}
}
