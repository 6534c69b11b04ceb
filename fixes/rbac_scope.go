package fixes

import (
	"slices"
	"strings"
)

// The RBAC authorizer does not know whether a resource lives in a
// namespace: the request's namespace alone decides which bindings apply.
// A request for a cluster-scoped resource carries no namespace, so no
// RoleBinding can ever grant it. The simulator needs to know which
// built-in resources are cluster-scoped; custom resources are unknown.

// clusterScoped lists the built-in cluster-scoped resources by API group.
var clusterScoped = map[string][]string{
	"":                             {"nodes", "namespaces", "persistentvolumes", "componentstatuses"},
	"rbac.authorization.k8s.io":    {"clusterroles", "clusterrolebindings"},
	"apiextensions.k8s.io":         {"customresourcedefinitions"},
	"apiregistration.k8s.io":       {"apiservices"},
	"storage.k8s.io":               {"storageclasses", "csidrivers", "csinodes", "volumeattachments", "volumeattributesclasses"},
	"scheduling.k8s.io":            {"priorityclasses"},
	"node.k8s.io":                  {"runtimeclasses"},
	"networking.k8s.io":            {"ingressclasses", "ipaddresses", "servicecidrs"},
	"admissionregistration.k8s.io": {"mutatingwebhookconfigurations", "validatingwebhookconfigurations", "validatingadmissionpolicies", "validatingadmissionpolicybindings", "mutatingadmissionpolicies", "mutatingadmissionpolicybindings"},
	"certificates.k8s.io":          {"certificatesigningrequests", "clustertrustbundles", "signers"},
	"flowcontrol.apiserver.k8s.io": {"flowschemas", "prioritylevelconfigurations"},
	"authentication.k8s.io":        {"tokenreviews", "selfsubjectreviews"},
	"authorization.k8s.io":         {"subjectaccessreviews", "selfsubjectaccessreviews", "selfsubjectrulesreviews"},
	"resource.k8s.io":              {"deviceclasses", "resourceslices"},
	"internal.apiserver.k8s.io":    {"storageversions"},
	"storagemigration.k8s.io":      {"storageversionmigrations"},
	"metrics.k8s.io":               {"nodes"},
	"policy":                       {"podsecuritypolicies"},
	"extensions":                   {"podsecuritypolicies"},
}

// builtinGroups are the API groups Kubernetes serves itself; a resource
// of another group is a custom resource whose scope the simulator cannot
// know.
var builtinGroups = []string{"", "apps", "batch", "autoscaling", "policy", "extensions", "networking.k8s.io",
	"discovery.k8s.io", "coordination.k8s.io", "events.k8s.io", "rbac.authorization.k8s.io", "storage.k8s.io",
	"apiextensions.k8s.io", "apiregistration.k8s.io", "scheduling.k8s.io", "node.k8s.io", "admissionregistration.k8s.io",
	"certificates.k8s.io", "flowcontrol.apiserver.k8s.io", "authentication.k8s.io", "authorization.k8s.io",
	"resource.k8s.io", "internal.apiserver.k8s.io", "storagemigration.k8s.io", "metrics.k8s.io"}

// Scope says where a resource lives.
type Scope int

// The scopes of a resource.
const (
	ScopeUnknown Scope = iota
	ScopeNamespaced
	ScopeCluster
)

// ResourceScope returns the scope of a built-in resource (the base
// resource, without subresource).
func ResourceScope(group, resource string) Scope {
	resource, _, _ = strings.Cut(resource, "/")
	switch {
	case slices.Contains(clusterScoped[group], resource):
		return ScopeCluster
	case slices.Contains(builtinGroups, group):
		return ScopeNamespaced
	}
	return ScopeUnknown
}
