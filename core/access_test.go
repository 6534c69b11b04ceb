package core

import (
	"fmt"
	"testing"

	"github.com/eksdoctor/eksdoctor/fixes"
)

// accessProbes are the requests checkKeepsAccess asks for each subject:
// the verbs and resources an administrator, a developer, a CI job and a
// node use, in two namespaces and cluster-wide.
var accessProbes = func() []fixes.CanIQuery {
	var out []fixes.CanIQuery
	for _, ns := range []string{"", "default", "kube-system"} {
		for _, res := range []string{"pods", "pods/log", "pods/exec", "secrets", "configmaps", "deployments.apps", "services",
			"nodes", "nodes/proxy", "namespaces", "clusterrolebindings.rbac.authorization.k8s.io", "serviceaccounts/token"} {
			for _, verb := range []string{"get", "list", "create", "delete"} {
				out = append(out, fixes.CanIQuery{Verb: verb, Resource: res, Namespace: ns})
			}
		}
	}
	return out
}()

// checkKeepsAccess checks that fixed, the text after the repairs of an
// analysis of redacted, still gives every subject of redacted every
// request of accessProbes it allowed: a default fix never locks anyone
// out. Hardening fixes, which are applied on request only, carry their
// replacement and are checked by their golden cases.
func checkKeepsAccess(t *testing.T, name, redacted, fixed string) {
	t.Helper()
	if fixed == "" {
		return
	}
	before, after := inputOf(redacted), inputOf(fixed)
	seen := map[string]bool{}
	for _, who := range fixes.Subjects(before) {
		key := fmt.Sprintf("%+v", who)
		if seen[key] {
			continue
		}
		seen[key] = true
		for _, probe := range accessProbes {
			q := who
			q.Verb, q.Resource, q.Namespace = probe.Verb, probe.Resource, probe.Namespace
			if !fixes.CanI(before, q).Allowed {
				continue
			}
			if res := fixes.CanI(after, q); !res.Allowed {
				t.Errorf("%s: the repairs take access away: %s may %s %s in %q before, not after (%s%s)", name,
					key, q.Verb, q.Resource, q.Namespace, res.Reason, res.Error)
				break
			}
		}
	}
}
