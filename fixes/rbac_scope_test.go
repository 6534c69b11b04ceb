package fixes

import "testing"

func TestResourceScope(t *testing.T) {
	for _, tt := range []struct {
		group, resource string
		want            Scope
	}{
		{"", "pods", ScopeNamespaced},
		{"", "pods/log", ScopeNamespaced},
		{"", "nodes", ScopeCluster},
		{"", "nodes/proxy", ScopeCluster},
		{"", "namespaces", ScopeCluster},
		{"rbac.authorization.k8s.io", "clusterrolebindings", ScopeCluster},
		{"rbac.authorization.k8s.io", "rolebindings", ScopeNamespaced},
		{"certificates.k8s.io", "certificatesigningrequests/approval", ScopeCluster},
		{"coordination.k8s.io", "leases", ScopeNamespaced},
		{"metrics.k8s.io", "nodes", ScopeCluster},
		{"metrics.k8s.io", "pods", ScopeNamespaced},
		{"policy", "podsecuritypolicies", ScopeCluster},
		{"apps", "widgets", ScopeNamespaced},
		{"karpenter.sh", "nodepools", ScopeUnknown},
	} {
		if got := ResourceScope(tt.group, tt.resource); got != tt.want {
			t.Errorf("ResourceScope(%q, %q) = %v, want %v", tt.group, tt.resource, got, tt.want)
		}
	}
}
