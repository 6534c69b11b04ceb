package fixes

import (
	_ "embed"
	"strings"
	"sync"

	yaml "go.yaml.in/yaml/v3"

	"github.com/eksdoctor/eksdoctor/analysis"
)

//go:embed rbac_defaults.yaml
var defaultsYAML string

// rbacDefaults holds the default roles and bindings, parsed once.
var rbacDefaults = sync.OnceValue(func() (d struct {
	roles    []*rbacRole
	bindings []*rbacBinding
}) {
	var root yaml.Node
	if err := yaml.Unmarshal([]byte(defaultsYAML), &root); err != nil {
		panic("rbac_defaults.yaml: " + err.Error())
	}
	for _, item := range analysis.Items(analysis.Lookup(&root, "items")) {
		obj := readRBAC(item)
		switch {
		case obj.Role != nil:
			obj.Role.Builtin = true
			d.roles = append(d.roles, obj.Role)
		case obj.Binding != nil:
			obj.Binding.Builtin = true
			d.bindings = append(d.bindings, obj.Binding)
		}
	}
	return d
})

// builtinRole reports whether a role of that kind and name comes with
// every cluster (or with EKS), so a binding to it is not a binding to a
// missing role even when the paste does not hold it.
func builtinRole(kind, namespace, name string) bool {
	for _, r := range rbacDefaults().roles {
		if r.Kind == kind && r.Name == name && r.Namespace == namespace {
			return true
		}
	}
	return kind == "ClusterRole" && (strings.HasPrefix(name, "system:controller:") || strings.HasPrefix(name, "eks:")) ||
		kind == "Role" && strings.HasPrefix(name, "system:controller:")
}
