package fixes

import (
	"fmt"
	"slices"
	"strings"
)

// What the RBAC authorizer matches: the request's attributes, the user,
// and the rule matching of k8s.io/kubernetes pkg/apis/rbac/v1
// evaluation_helpers.go.

// Request is one request as the RBAC authorizer sees it: a resource
// request (verb, API group, resource, subresource, name, namespace) or a
// non-resource one (verb and URL path).
type Request struct {
	Verb        string `json:"verb"`
	APIGroup    string `json:"apiGroup"`
	Resource    string `json:"resource,omitempty"`
	Subresource string `json:"subresource,omitempty"`
	Name        string `json:"name,omitempty"`
	// Namespace is "" for a request at the cluster scope.
	Namespace string `json:"namespace,omitempty"`
	// Path is the URL of a non-resource request, "" for a resource request.
	Path string `json:"path,omitempty"`
}

// resourceRequest reports whether q asks about a resource, not a URL.
func (q Request) resourceRequest() bool { return q.Path == "" }

// combined returns the resource as rules write it: "pods" or "pods/log".
func (q Request) combined() string {
	if q.Subresource != "" {
		return q.Resource + "/" + q.Subresource
	}
	return q.Resource
}

// String describes the request the way the API server's denial does.
func (q Request) String() string {
	if !q.resourceRequest() {
		return fmt.Sprintf("%s path %q", q.Verb, q.Path)
	}
	s := q.Verb + " " + q.Resource
	if q.APIGroup != "" {
		s += "." + q.APIGroup
	}
	if q.Subresource != "" {
		s += "/" + q.Subresource
	}
	if q.Name != "" {
		s += fmt.Sprintf(" %q", q.Name)
	}
	if q.Namespace != "" {
		return s + fmt.Sprintf(" in namespace %q", q.Namespace)
	}
	return s + " at the cluster scope"
}

// Identity is the user a request comes from: a name and groups.
type Identity struct {
	User   string   `json:"user"`
	Groups []string `json:"groups"`
}

func (id Identity) inGroup(g string) bool { return slices.Contains(id.Groups, g) }

// serviceAccountOf splits a ServiceAccount's user name
// system:serviceaccount:NS:NAME; ok is false for other users.
func serviceAccountOf(user string) (ns, name string, ok bool) {
	rest, found := strings.CutPrefix(user, "system:serviceaccount:")
	if !found {
		return "", "", false
	}
	ns, name, ok = strings.Cut(rest, ":")
	return ns, name, ok && ns != "" && name != ""
}

// ruleAllows reports whether a rule allows a request, with the
// authorizer's matching: "*" or exact verbs and groups; "*", exact or
// "*/sub" resources (a rule for "pods" does not cover "pods/log");
// resourceNames, when set, only for a request that names one of them;
// non-resource URLs exact, "*", or a prefix ending in "*".
func ruleAllows(r PolicyRule, q Request) bool {
	if !anyMatches(r.Verbs, q.Verb) {
		return false
	}
	if !q.resourceRequest() {
		return slices.ContainsFunc(r.NonResourceURLs, func(u string) bool { return urlMatches(u, q.Path) })
	}
	return anyMatches(r.APIGroups, q.APIGroup) && resourceMatches(r.Resources, q) && nameMatches(r.ResourceNames, q.Name)
}

// anyMatches reports whether a list holds "*" or the value.
func anyMatches(list []string, v string) bool {
	return slices.Contains(list, "*") || slices.Contains(list, v)
}

func resourceMatches(resources []string, q Request) bool {
	combined := q.combined()
	for _, r := range resources {
		switch {
		case r == "*", r == combined:
			return true
		case q.Subresource != "" && r == "*/"+q.Subresource:
			return true
		}
	}
	return false
}

func nameMatches(names []string, name string) bool {
	return len(names) == 0 || slices.Contains(names, name)
}

func urlMatches(rule, path string) bool {
	if rule == "*" || rule == path {
		return true
	}
	prefix, wildcard := strings.CutSuffix(rule, "*")
	return wildcard && strings.HasPrefix(path, prefix)
}
