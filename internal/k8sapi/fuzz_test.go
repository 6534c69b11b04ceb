package k8sapi

import "testing"

// FuzzNames checks that no group, name or verb makes a lookup panic, and
// that a name that exists is its own closest name.
func FuzzNames(f *testing.F) {
	f.Add("", "pods/logs")
	f.Add("apps", "Deployment")
	f.Add("authentication.k8s.io/v1", "tokenreviews")
	f.Add("karpenter.sh", "nodepools/status")
	f.Fuzz(func(t *testing.T, group, name string) {
		BuiltinGroup(group)
		GroupsWithResource(name)
		IsGroupVersion(group)
		KnownVerb(name)
		FreeFormVerb(name)
		closest, found := Closest(group, name)
		if _, ok := LookupResource(group, name); ok && (!found || closest != name) {
			t.Errorf("Closest(%q, %q) = %q, %v; want the name itself", group, name, closest, found)
		}
	})
}
