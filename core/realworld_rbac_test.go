package core

import (
	"fmt"
	"path/filepath"
	"testing"
)

// rbacVerdicts says, for every high or critical RBAC finding on the
// real-world corpus, why it is a real problem its authors should hear
// about. A new high or critical finding without a verdict fails the test.
var rbacVerdicts = map[string]string{
	"argocd-application-controller-clusterrole.yaml:11 RBAC027":               "every verb on every resource is cluster-admin; Argo CD documents it as the default and offers namespaced installs for least privilege",
	"aws-load-balancer-controller-clusterrole.yaml:10 RBAC029":                "cluster-wide update/delete on configmaps includes kube-system/aws-auth; the controller only needs its leader-election ConfigMap",
	"eksctl-internalerror-kubelet-authorization-nodes-proxy.txt:1 RBAC003":    "the kubelet's authorization call failed (HTTP 500), eksctl's documented cause is VPC DNS hostnames",
	"eksctl-unable-to-upgrade-connection-kubelet-authorization.txt:1 RBAC003": "same, for exec/attach through the upgrade path",
	"ingress-nginx-aws-deploy-rbac.yaml:129 RBAC023":                          "the controller lists and watches every Secret of every namespace to find TLS certificates; its --watch-namespace flag (or Roles per namespace) limits that",
	"ingress-nginx-aws-deploy-rbac.yaml:207 RBAC025":                          "the admission ClusterRole may update every ValidatingWebhookConfiguration; the patch job needs only ingress-nginx-admission",
}

// TestRBACRealWorld runs the RBAC family over the real-world corpus and
// compares the findings with testdata/realworld-rbac.txt; every high or
// critical one needs a verdict above.
func TestRBACRealWorld(t *testing.T) {
	realworldGolden(t, "../testdata/realworld-rbac.txt", []string{"RBAC"}, func(path string, f Finding) {
		key := fmt.Sprintf("%s:%d %s", filepath.Base(path), f.Line, f.Rule)
		if (f.Severity == "high" || f.Severity == "critical") && rbacVerdicts[key] == "" {
			t.Errorf("%s: %s finding without a verdict: %s", key, f.Severity, f.Message)
		}
	})
}
