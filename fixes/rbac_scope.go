package fixes

import (
	"strings"

	"github.com/eksdoctor/eksdoctor/internal/k8sapi"
)

// The RBAC authorizer does not know whether a resource lives in a
// namespace: the request's namespace alone decides which bindings apply.
// A request for a cluster-scoped resource carries no namespace, so no
// RoleBinding can ever grant it. The simulator needs to know which
// built-in resources are cluster-scoped; custom resources are unknown.

// notInDiscovery are the scopes of built-in resources that the discovery
// table of internal/k8sapi lacks: the aggregated metrics API, which
// EKS clusters add with metrics-server, and PodSecurityPolicy, removed in
// 1.25 but still in older manifests. true is cluster-scoped.
var notInDiscovery = map[string]map[string]bool{
	"metrics.k8s.io": {"nodes": true, "pods": false},
	"policy":         {"podsecuritypolicies": true},
	"extensions":     {"podsecuritypolicies": true},
}

// Scope says where a resource lives.
type Scope int

// The scopes of a resource.
const (
	ScopeUnknown Scope = iota
	ScopeNamespaced
	ScopeCluster
)

// ResourceScope returns the scope of a built-in resource (the base
// resource, without subresource): its scope in API discovery, or
// namespaced for a name that a built-in group does not have.
func ResourceScope(group, resource string) Scope {
	resource, _, _ = strings.Cut(resource, "/")
	cluster, known := notInDiscovery[group][resource]
	if r, ok := k8sapi.LookupResource(group, resource); ok {
		cluster, known = !r.Namespaced, true
	}
	switch {
	case known && cluster:
		return ScopeCluster
	case known || k8sapi.BuiltinGroup(group):
		return ScopeNamespaced
	}
	return ScopeUnknown
}
