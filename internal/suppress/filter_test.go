package suppress

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

// silenced renders suppressions as "RULE@LINE by SOURCE[:LINE][ (REASON)]".
func silenced(sup []Suppressed) string {
	var out []string
	for _, s := range sup {
		w := fmt.Sprintf("%s@%d by %s", s.Finding.Rule, s.Finding.Line, s.By)
		if s.Line > 0 {
			w += fmt.Sprintf(":%d", s.Line)
		}
		if s.Reason != "" {
			w += " (" + s.Reason + ")"
		}
		out = append(out, w)
	}
	return strings.Join(out, "\n")
}

func TestFilter(t *testing.T) {
	dir := t.TempDir()
	config, err := Parse(filepath.Join(dir, ConfigName), []byte(`skip: [AUTH021]
paths:
  - path: clusters/legacy/**
    skip: [AUTH002]
  - path: "**/generated/**"
    skip: [RBAC011, RBAC022, AUTH002]
`), known)
	if err != nil {
		t.Fatal(err)
	}
	awsAuth := example(t, "aws-auth-masters.yaml", nil)
	rbac := example(t, "rbac-nodes-proxy.yaml", nil)
	reviewed := &Baseline{}
	reviewed.Add("rbac/oncall.yaml", rbac, analyze(t, rbac)[1:2]) // RBAC023 only
	for _, tt := range []struct {
		name, path, text string
		policy           *Policy
		kept, suppressed string
	}{{
		name: "a directive above a mapRoles item covers that item only",
		path: "aws-auth.yaml",
		text: example(t, "aws-auth-masters.yaml", map[int]string{14: "    # eksdoctor:ignore AUTH002 CI deployer, reviewed in SEC-1142\n"}),
		kept: "AUTH021@8 AUTH002@22", suppressed: "AUTH002@18 by inline:14 (CI deployer, reviewed in SEC-1142)",
	}, {
		name: "a directive at the end of a line covers that line",
		path: "aws-auth.yaml",
		text: edit(awsAuth, 21, 21, "        - system:masters # eksdoctor:ignore AUTH002 break-glass for the dev on-call\n"),
		kept: "AUTH021@8 AUTH002@17", suppressed: "AUTH002@21 by inline:21 (break-glass for the dev on-call)",
	}, {
		name: "ignore-file",
		path: "aws-auth.yaml",
		text: "# eksdoctor:ignore-file AUTH021 migrating to access entries in Q3\n" + awsAuth,
		kept: "AUTH002@18 AUTH002@22", suppressed: "AUTH021@9 by ignore-file:1 (migrating to access entries in Q3)",
	}, {
		name: "a directive above a Terraform resource",
		path: "nodes.tf",
		text: example(t, "terraform-nodes.tf", map[int]string{25: "# eksdoctor:ignore TF003 consumers poll SQS until IRSA lands (PLAT-88)\n"}),
		kept: "TF004@36", suppressed: "TF003@28 by inline:25 (consumers poll SQS until IRSA lands (PLAT-88))",
	}, {
		name:   "config skip and a paths entry",
		path:   filepath.Join(dir, "clusters/legacy/aws-auth.yaml"),
		text:   awsAuth,
		policy: &Policy{Config: config, Known: known},
		kept:   "", suppressed: "AUTH021@8 by config\nAUTH002@17 by path (clusters/legacy/**)\nAUTH002@21 by path (clusters/legacy/**)",
	}, {
		name:   "a paths entry does not reach other files",
		path:   filepath.Join(dir, "clusters/prod/aws-auth.yaml"),
		text:   awsAuth,
		policy: &Policy{Config: config, Known: known},
		kept:   "AUTH002@17 AUTH002@21", suppressed: "AUTH021@8 by config",
	}, {
		name:   "paths entries in order, the first naming a rule wins",
		path:   filepath.Join(dir, "clusters/legacy/generated/aws-auth.yaml"),
		text:   edit(rbac, 1, 0, "# eksdoctor:ignore-file RBAC020\n") + "---\n" + awsAuth,
		policy: &Policy{Config: config, Known: known},
		kept:   "RBAC023@12 RBAC027@13",
		suppressed: "RBAC020@9 by ignore-file:1\nRBAC022@15 by path (**/generated/**)\nRBAC011@27 by path (**/generated/**)\n" +
			"AUTH021@40 by config\nAUTH002@49 by path (clusters/legacy/**)\nAUTH002@53 by path (clusters/legacy/**)",
	}, {
		name:   "no paths entry reaches a file outside the config file's directory",
		path:   filepath.Join(filepath.Dir(dir), "elsewhere", "generated", "oncall.yaml"),
		text:   rbac,
		policy: &Policy{Config: config, Known: known},
		kept:   "RBAC020@8 RBAC023@11 RBAC027@12 RBAC022@14 RBAC011@26",
	}, {
		name:   "--skip and a baseline",
		path:   filepath.Join(dir, "rbac/oncall.yaml"),
		text:   rbac,
		policy: &Policy{Config: config, Skip: []string{"RBAC011"}, Baseline: reviewed, Known: known},
		kept:   "RBAC020@8 RBAC027@12 RBAC022@14", suppressed: "RBAC023@11 by baseline\nRBAC011@26 by flag",
	}} {
		t.Run(tt.name, func(t *testing.T) {
			policy := tt.policy
			if policy == nil {
				policy = &Policy{Known: known}
			}
			findings := analyze(t, tt.text)
			kept, sup, problems := policy.Filter(tt.path, tt.text, findings)
			if len(problems) > 0 {
				t.Errorf("problems: %v", problems)
			}
			if got := brief(kept); got != tt.kept {
				t.Errorf("kept %q, want %q", got, tt.kept)
			}
			if got := silenced(sup); got != tt.suppressed {
				t.Errorf("suppressed\n%s\nwant\n%s", got, tt.suppressed)
			}
			if len(kept)+len(sup) != len(findings) {
				t.Errorf("%d kept and %d suppressed of %d findings", len(kept), len(sup), len(findings))
			}
		})
	}
}

func TestFilterReportsProblems(t *testing.T) {
	text := edit(example(t, "aws-auth-masters.yaml", nil), 14, 13, "    # eksdoctor:ignore AUTH020,AUTH202\n")
	kept, sup, problems := (&Policy{Known: known}).Filter("aws-auth.yaml", text, analyze(t, text))
	if len(problems) != 1 || problems[0].Line != 14 || problems[0].Message != "eksdoctor:ignore: unknown rule AUTH202" {
		t.Errorf("problems: %v", problems)
	}
	if len(sup) != 0 || len(kept) != 3 {
		t.Errorf("kept %s, suppressed %s", brief(kept), silenced(sup))
	}
}

func TestExcludedAndName(t *testing.T) {
	dir := t.TempDir()
	config, err := Parse(filepath.Join(dir, ConfigName), []byte("exclude: [vendor, '**/*.md', 'charts/*/templates/**']\n"), known)
	if err != nil {
		t.Fatal(err)
	}
	p := &Policy{Config: config}
	for name, want := range map[string]bool{
		"vendor/eks/aws-auth.yaml":               true,
		"docs/runbooks/unauthorized.md":          true,
		"README.md":                              true,
		"charts/app/templates/rbac/role.yaml":    true,
		"charts/app/values.yaml":                 false,
		"k8s/aws-auth.yaml":                      false,
		"../" + filepath.Base(dir) + "-x/vendor": false, // outside the config's directory
	} {
		if got := p.Excluded(filepath.Join(dir, name)); got != want {
			t.Errorf("Excluded(%s) = %v, want %v", name, got, want)
		}
	}
	if got := p.Name(filepath.Join(dir, "k8s", "..", "k8s", "aws-auth.yaml")); got != "k8s/aws-auth.yaml" {
		t.Errorf("Name inside = %q", got)
	}
	if got := p.Name("/elsewhere/./aws-auth.yaml"); got != "/elsewhere/aws-auth.yaml" {
		t.Errorf("Name outside = %q", got)
	}
	if got := (&Policy{}).Name("k8s//aws-auth.yaml"); got != "k8s/aws-auth.yaml" || (&Policy{}).Excluded("vendor/a.yaml") {
		t.Errorf("without a config: Name = %q", got)
	}
}
