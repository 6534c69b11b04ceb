package core

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/eksdoctor/eksdoctor/fixes"
)

// rbacVerdicts says, for every high or critical RBAC finding on the
// real-world corpus, why it is a real problem its authors should hear
// about. A new high or critical finding without a verdict fails the test.
var rbacVerdicts = map[string]string{
	"argocd-application-controller-clusterrole.yaml:10 RBAC027":               "every verb on every resource is cluster-admin; Argo CD documents it as the default and offers namespaced installs for least privilege",
	"aws-load-balancer-controller-clusterrole.yaml:7 RBAC029":                 "cluster-wide update/delete on configmaps includes kube-system/aws-auth; the controller only needs its leader-election ConfigMap",
	"eksctl-internalerror-kubelet-authorization-nodes-proxy.txt:1 RBAC003":    "the kubelet's authorization call failed (HTTP 500), eksctl's documented cause is VPC DNS hostnames",
	"eksctl-unable-to-upgrade-connection-kubelet-authorization.txt:1 RBAC003": "same, for exec/attach through the upgrade path",
	"ingress-nginx-aws-deploy-rbac.yaml:204 RBAC025":                          "the admission ClusterRole may update every ValidatingWebhookConfiguration; the patch job needs only ingress-nginx-admission",
}

// TestRBACRealWorld runs the RBAC family over the real-world corpus and
// compares the findings with testdata/realworld-rbac.txt (-update
// rewrites it); every high or critical one needs a verdict above.
func TestRBACRealWorld(t *testing.T) {
	var rules []*fixes.Rule
	for _, r := range fixes.All {
		if strings.HasPrefix(r.ID, "RBAC") {
			rules = append(rules, r)
		}
	}
	files, err := filepath.Glob("../testdata/realworld/*/*")
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, file := range files {
		if strings.HasSuffix(file, ".md") {
			continue
		}
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		name := filepath.Base(file)
		for _, f := range analyze(string(data), Options{}, rules).Findings {
			fmt.Fprintf(&b, "%s/%s %d:%d %s %s %s\n", filepath.Base(filepath.Dir(file)), name, f.Line, f.Column, f.Rule, f.Severity, f.Message)
			key := fmt.Sprintf("%s:%d %s", name, f.Line, f.Rule)
			if (f.Severity == "high" || f.Severity == "critical") && rbacVerdicts[key] == "" {
				t.Errorf("%s: %s finding without a verdict: %s", key, f.Severity, f.Message)
			}
		}
	}
	const golden = "../testdata/realworld-rbac.txt"
	if *update {
		if err := os.WriteFile(golden, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if b.String() != string(want) {
		t.Errorf("real-world RBAC findings changed (run with -update to accept)\n%s", fixes.Unified("want", "got", string(want), b.String()))
	}
}
