package k8sapi

import (
	"go/ast"
	"go/parser"
	"go/token"
	"slices"
	"strconv"
	"strings"
	"testing"
)

func TestVersions(t *testing.T) {
	first, last := Versions()
	if first != "1.29" || last != "1.37" {
		t.Errorf("Versions() = %q, %q, want 1.29, 1.37", first, last)
	}
}

func TestLookupResource(t *testing.T) {
	tests := []struct {
		group, name string
		namespaced  bool
		first, last int
		authzOnly   bool
		verb        string // one verb it must have
	}{
		{"", "pods", true, 29, 37, false, "deletecollection"},
		{"", "pods/log", true, 29, 37, false, "get"},
		{"", "pods/exec", true, 29, 37, false, "create"},
		{"", "pods/resize", true, 32, 37, false, "patch"},
		{"", "nodes/proxy", false, 29, 37, false, "get"},
		{"", "serviceaccounts/token", true, 29, 37, false, "create"},
		{"", "serviceaccounts", true, 29, 37, false, "impersonate"},
		{"apps", "deployments", true, 29, 37, false, "list"},
		{"apps", "deployments/scale", true, 29, 37, false, "update"},
		{"authentication.k8s.io", "tokenreviews", false, 29, 37, false, "create"},
		{"coordination.k8s.io", "leases", true, 29, 37, false, "watch"},
		{"coordination.k8s.io", "leasecandidates", true, 31, 37, false, "get"},
		{"certificates.k8s.io", "certificatesigningrequests/approval", false, 29, 37, false, "update"},
		{"flowcontrol.apiserver.k8s.io", "flowschemas", false, 29, 37, false, "get"},
		{"rbac.authorization.k8s.io", "clusterroles", false, 29, 37, false, "escalate"},
		{"rbac.authorization.k8s.io", "roles", true, 29, 37, false, "bind"},
		// Removed: DRA's classic API went with 1.31, its parameters after 1.30.
		{"resource.k8s.io", "podschedulingcontexts", true, 29, 31, false, "get"},
		{"resource.k8s.io", "resourceclasses", false, 29, 30, false, "get"},
		{"resource.k8s.io", "resourceclassparameters", true, 30, 30, false, "get"},
		// What authorization checks but discovery does not list.
		{"", "nodes/metrics", false, 29, 37, true, "get"},
		{"", "nodes/stats", false, 29, 37, true, "get"},
		{"", "nodes/checkpoint", false, 30, 37, true, "create"},
		{"", "nodes/configz", false, 32, 37, true, "get"},
		{"", "users", false, 29, 37, true, "impersonate"},
		{"", "groups", false, 29, 37, true, "impersonate"},
		{"authentication.k8s.io", "userextras/scopes", false, 29, 37, true, "impersonate"},
		{"authentication.k8s.io", "userextras/example.com/team", false, 29, 37, true, "impersonate"},
		{"authentication.k8s.io", "uids", false, 29, 37, true, "impersonate"},
		{"authentication.k8s.io", "users", false, 35, 37, true, "impersonate:user-info"},
		{"certificates.k8s.io", "signers", false, 29, 37, true, "approve"},
		{"resource.k8s.io", "resourceclaims/driver", true, 36, 37, true, "arbitrary-node:update"},
		{"apps", "deployments/finalizers", true, 29, 37, true, "update"},
		{"", "nodes/finalizers", false, 29, 37, true, "update"},
	}
	for _, tt := range tests {
		r, ok := LookupResource(tt.group, tt.name)
		if !ok {
			t.Errorf("LookupResource(%q, %q) not found", tt.group, tt.name)
			continue
		}
		if r.Group != tt.group || r.Name != tt.name || r.Namespaced != tt.namespaced ||
			r.First != tt.first || r.Last != tt.last || r.AuthzOnly != tt.authzOnly {
			t.Errorf("LookupResource(%q, %q) = %+v", tt.group, tt.name, r)
		}
		if !r.HasVerb(tt.verb) {
			t.Errorf("%q %q lacks verb %q: %v", tt.group, tt.name, tt.verb, r.Verbs())
		}
	}
}

func TestLookupResourceMissing(t *testing.T) {
	tests := []struct{ group, name string }{
		{"", "deployments"},            // in apps
		{"", "pods/logs"},              // pods/log
		{"", "pod"},                    // singular
		{"", "Pods"},                   // RBAC is case-sensitive
		{"apps", "deployment"},         //
		{"", "pods/*"},                 // no wildcard in RBAC
		{"", "*"},                      // a wildcard: for the caller
		{"", "nodes/spec"},             // the kubelet dropped it before 1.29
		{"apps", "pods"},               // core
		{"apps", "widgets/finalizers"}, // finalizers of nothing
		{"apps", "deployments/finalizers/x"},
		{"karpenter.sh", "nodepools"}, // not built in
		{"v1", "pods"},
	}
	for _, tt := range tests {
		if r, ok := LookupResource(tt.group, tt.name); ok {
			t.Errorf("LookupResource(%q, %q) = %+v, want not found", tt.group, tt.name, r)
		}
	}
}

func TestHasVerb(t *testing.T) {
	tests := []struct {
		group, name, verb string
		want              bool
	}{
		{"", "pods/log", "get", true},
		{"", "pods/log", "list", false},
		{"", "pods/log", "create", false},
		{"", "pods", "bind", false},
		{"", "pods", "unsafe-delete-ignore-read-errors", true},
		{"", "pods/log", "unsafe-delete-ignore-read-errors", false},
		{"", "pods", "impersonate-on:user-info:get", true},
		{"", "pods/log", "impersonate-on:serviceaccount:list", false},
		{"", "pods", "impersonate-on:nobody:get", false},
		{"", "pods", "impersonate-on:user-info:", false},
		{"", "pods", "*", false},
		{"certificates.k8s.io", "signers", "sign", true},
		{"certificates.k8s.io", "signers", "get", false},
	}
	for _, tt := range tests {
		r, ok := LookupResource(tt.group, tt.name)
		if !ok {
			t.Fatalf("LookupResource(%q, %q) not found", tt.group, tt.name)
		}
		if got := r.HasVerb(tt.verb); got != tt.want {
			t.Errorf("%q %q HasVerb(%q) = %v, want %v", tt.group, tt.name, tt.verb, got, tt.want)
		}
	}
}

func TestVerbs(t *testing.T) {
	tests := []struct {
		group, name string
		want        []string
	}{
		{"", "pods/log", []string{"get"}},
		{"", "pods/exec", []string{"get", "create"}},
		{"rbac.authorization.k8s.io", "roles", []string{
			"get", "list", "watch", "create", "update", "patch", "delete", "deletecollection", "bind", "escalate"}},
	}
	for _, tt := range tests {
		r, _ := LookupResource(tt.group, tt.name)
		if got := r.Verbs(); !slices.Equal(got, tt.want) {
			t.Errorf("%q %q Verbs() = %q, want %q", tt.group, tt.name, got, tt.want)
		}
	}
}

func TestBuiltinGroup(t *testing.T) {
	for _, g := range []string{"", "apps", "batch", "rbac.authorization.k8s.io", "resource.k8s.io", "storagemigration.k8s.io"} {
		if !BuiltinGroup(g) {
			t.Errorf("BuiltinGroup(%q) = false", g)
		}
	}
	for _, g := range []string{"core", "v1", "apps/v1", "metrics.k8s.io", "karpenter.sh", "app", "extensions"} {
		if BuiltinGroup(g) {
			t.Errorf("BuiltinGroup(%q) = true", g)
		}
	}
}

func TestGroupsWithResource(t *testing.T) {
	tests := []struct {
		name string
		want []string
	}{
		{"deployments", []string{"apps"}},
		{"deployments/scale", []string{"apps"}},
		{"events", []string{"", "events.k8s.io"}},
		{"leases", []string{"coordination.k8s.io"}},
		{"widgets", nil},
	}
	for _, tt := range tests {
		if got := GroupsWithResource(tt.name); !slices.Equal(got, tt.want) {
			t.Errorf("GroupsWithResource(%q) = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestClosest(t *testing.T) {
	tests := []struct{ group, name, want string }{
		{"", "pods", "pods"},
		{"", "pods/logs", "pods/log"},
		{"", "Pods/Log", "pods/log"},
		{"", "pod/log", "pods/log"},
		{"", "pod", "pods"},
		{"", "configmap", "configmaps"},
		{"", "ConfigMap", "configmaps"},
		{"", "secret", "secrets"},
		{"", "svc", "services"},
		{"", "serviceaccount/token", "serviceaccounts/token"},
		{"", "node/metrics", "nodes/metrics"},
		{"", "podz", "pods"},
		{"apps", "deployment", "deployments"},
		{"apps", "Deployment", "deployments"},
		{"apps", "deploymnets", "deployments"},
		{"apps", "deployment/scale", "deployments/scale"},
		{"networking.k8s.io", "NetworkPolicy", "networkpolicies"},
		{"networking.k8s.io", "ingress", "ingresses"},
		{"authentication.k8s.io", "admissionReviewAPIGroups", "admissionReviewAPIGroups"},
		{"", "banana", ""},
		{"", "foos", ""}, // two edits from pods: too many for four letters
		{"", "deployments", ""},
		{"", "x", ""},
		{"apps", "pods", ""},
		{"karpenter.sh", "nodepool", ""},
	}
	for _, tt := range tests {
		got, ok := Closest(tt.group, tt.name)
		if got != tt.want || ok != (tt.want != "") {
			t.Errorf("Closest(%q, %q) = %q, %v, want %q", tt.group, tt.name, got, ok, tt.want)
		}
	}
}

func TestKnownVerb(t *testing.T) {
	for _, v := range []string{
		"get", "list", "watch", "create", "update", "patch", "delete", "deletecollection", "*",
		"bind", "escalate", "impersonate", "approve", "sign", "attest",
		"impersonate:user-info", "impersonate:associated-node", "impersonate-on:user-info:get",
		"impersonate-on:arbitrary-node:deletecollection", "unsafe-delete-ignore-read-errors",
		"request-serviceaccounts-token-audience", "associated-node:update",
	} {
		if !KnownVerb(v) {
			t.Errorf("KnownVerb(%q) = false", v)
		}
	}
	for _, v := range []string{
		"", "use", "read", "write", "all", "Get", "gets", "proxy", "redirect", "exec",
		"impersonate-on:user-info:", "impersonate-on:nobody:get", "impersonate-on:user-info:bind",
		"associated-node:get", "impersonate:nobody",
	} {
		if KnownVerb(v) {
			t.Errorf("KnownVerb(%q) = true", v)
		}
	}
}

func TestFreeFormVerb(t *testing.T) {
	if !FreeFormVerb("request-serviceaccounts-token-audience") || FreeFormVerb("get") {
		t.Error("FreeFormVerb is wrong")
	}
}

func TestIsGroupVersion(t *testing.T) {
	tests := []struct {
		s, group string
		ok       bool
	}{
		{"v1", "", true},
		{"v1beta1", "", true},
		{"v2alpha3", "", true},
		{"apps/v1", "apps", true},
		{"authentication.k8s.io/v1", "authentication.k8s.io", true},
		{"karpenter.sh/v1", "karpenter.sh", true},
		{"resource.k8s.io/v1beta2", "resource.k8s.io", true},
		{"core/v1", "core", true},
		{"apps", "", false},
		{"", "", false},
		{"v", "", false},
		{"v1gamma1", "", false},
		{"v1beta", "", false},
		{"vbeta1", "", false},
		{"version1", "", false},
		{"apps/", "", false},
		{"/v1", "", false},
		{"apps/v1/x", "", false},
		{"Apps/v1", "", false},
		{"*/v1", "", false},
		{"apps/latest", "", false},
	}
	for _, tt := range tests {
		group, ok := IsGroupVersion(tt.s)
		if ok != tt.ok || ok && group != tt.group {
			t.Errorf("IsGroupVersion(%q) = %q, %v, want %q, %v", tt.s, group, ok, tt.group, tt.ok)
		}
	}
}

// TestTable checks that table is sorted, as search needs, and consistent.
func TestTable(t *testing.T) {
	for i := range table {
		e := &table[i]
		if i > 0 {
			p := &table[i-1]
			if p.group > e.group || p.group == e.group && p.name >= e.name {
				t.Errorf("table not sorted at %q %q", e.group, e.name)
			}
		}
		if e.name == "" || e.first < firstMinor || e.first > e.last || e.last > lastMinor || e.verbs == 0 || e.verbs >= 1<<len(verbNames) {
			t.Errorf("bad entry %+v", *e)
		}
		if aliases := strings.Fields(e.aliases); !slices.IsSorted(aliases) || slices.Contains(aliases, e.name) {
			t.Errorf("%q %q: bad aliases %q", e.group, e.name, e.aliases)
		}
		checkParent(t, e)
	}
	for i, v := range verbNames {
		if slices.Index(verbNames[:], v) != i {
			t.Errorf("verb %q listed twice", v)
		}
	}
}

// checkParent checks that subresource e has its resource, with the same
// scope and over all of e's minors, unless authorization alone checks e.
func checkParent(t *testing.T, e *entry) {
	parent, _, ok := strings.Cut(e.name, "/")
	if !ok {
		return
	}
	p, ok := find(e.group, parent)
	if !ok {
		if e.flags&authzOnly == 0 {
			t.Errorf("%q %q has no parent resource", e.group, e.name)
		}
		return
	}
	if p.flags&namespaced != e.flags&namespaced || e.first < p.first || e.last > p.last {
		t.Errorf("%q %q does not fit its resource %+v", e.group, e.name, *p)
	}
}

// TestSourceVersions checks that table.go was generated from the releases
// that gen/main.go pins, one for each covered minor.
func TestSourceVersions(t *testing.T) {
	pinned := pinnedVersions(t)
	if !slices.Equal(pinned, sourceVersions[:]) {
		t.Errorf("gen pins %q but table.go comes from %q: run go generate ./internal/k8sapi", pinned, sourceVersions)
	}
	for i, v := range sourceVersions {
		if want := "v" + minorString(firstMinor+i) + "."; !strings.HasPrefix(v, want) {
			t.Errorf("source %d is %s, want %s*", i, v, want)
		}
	}
	if len(sourceVersions) != lastMinor-firstMinor+1 {
		t.Errorf("%d sources for minors %d to %d", len(sourceVersions), firstMinor, lastMinor)
	}
}

// pinnedVersions returns the versions of the pinned list of gen/main.go.
func pinnedVersions(t *testing.T) []string {
	f, err := parser.ParseFile(token.NewFileSet(), "gen/main.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var versions []string
	ast.Inspect(f, func(n ast.Node) bool {
		spec, ok := n.(*ast.ValueSpec)
		if !ok || spec.Names[0].Name != "pinned" {
			return true
		}
		for _, elt := range spec.Values[0].(*ast.CompositeLit).Elts {
			lit := elt.(*ast.CompositeLit).Elts[0].(*ast.BasicLit)
			v, err := strconv.Unquote(lit.Value)
			if err != nil {
				t.Fatal(err)
			}
			versions = append(versions, v)
		}
		return false
	})
	if len(versions) == 0 {
		t.Fatal("no pinned versions in gen/main.go")
	}
	return versions
}
