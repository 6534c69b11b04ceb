//go:build !noterraform

package fixes

import (
	"fmt"
	"strings"

	yaml "go.yaml.in/yaml/v3"

	"github.com/eksdoctor/eksdoctor/analysis"
)

// What a helm_release sets of its chart's values, for the charts of the
// controllers that call AWS APIs: the ServiceAccount the chart creates
// and the role it is annotated with.

// awsControllerCharts are the charts of controllers that call AWS APIs,
// with where each chart's values.yaml configures the controller's
// ServiceAccount (create, name, annotations).
var awsControllerCharts = map[string]string{
	"aws-load-balancer-controller": "serviceAccount",
	"external-dns":                 "serviceAccount",
	"karpenter":                    "serviceAccount",
	"cluster-autoscaler":           "rbac.serviceAccount",
	"aws-ebs-csi-driver":           "controller.serviceAccount",
	"aws-efs-csi-driver":           "controller.serviceAccount",
}

// helmRelease is a helm_release of one of awsControllerCharts.
type helmRelease struct {
	Block            *tfBlock
	Chart, Namespace string
	// Values are the values it sets, by path (keys joined with "\x00", as
	// a key may hold dots): set blocks, yamlencode'd values and values
	// written as YAML.
	Values map[string]tfValue
	// Unread marks values the paste does not show (a file, a variable):
	// they may set anything.
	Unread bool
}

// valuePath joins the keys of a value's path.
func valuePath(keys ...string) string { return strings.Join(keys, "\x00") }

// serviceAccountValue returns the value the release sets under the
// chart's ServiceAccount section, at the keys after it.
func (r helmRelease) serviceAccountValue(keys ...string) (tfValue, bool) {
	v, ok := r.Values[valuePath(append(strings.Split(awsControllerCharts[r.Chart], "."), keys...)...)]
	return v, ok
}

// helmReleasesKey keeps what helmReleases reads, once for the whole input.
var helmReleasesKey = analysis.NewKey[[]helmRelease]("helm-releases")

// helmReleasesOf returns the releases of awsControllerCharts in the
// paste, read once.
func helmReleasesOf(p *analysis.Pass) []helmRelease {
	m := terraformOf(p)
	return analysis.MemoInput(p.Input, helmReleasesKey, m.helmReleases)
}

// helmReleases reads the releases of awsControllerCharts.
func (m *tfModule) helmReleases() []helmRelease {
	var out []helmRelease
	for _, b := range m.Resources("helm_release") {
		chart := m.Eval(attrExpr(b.Body, "chart"), nil)
		name := chart.Str[strings.LastIndex(chart.Str, "/")+1:]
		if !chart.Known() || awsControllerCharts[name] == "" {
			continue
		}
		r := helmRelease{Block: b, Chart: name, Namespace: "default", Values: map[string]tfValue{}}
		if ns := m.Eval(attrExpr(b.Body, "namespace"), nil); ns.Known() {
			r.Namespace = ns.Str
		}
		switch values := m.Eval(attrExpr(b.Body, "values"), nil); values.Kind {
		case tfTuple:
			for _, v := range values.Items {
				r.Unread = !r.addValues(v) || r.Unread
			}
		case tfNull:
		default:
			r.Unread = attrExpr(b.Body, "values") != nil
		}
		var sets []tfValue
		for _, set := range nested(b.Body, "set") {
			sets = append(sets, tfValue{Kind: tfObject, Keys: []string{"name", "value"},
				Items: []tfValue{m.Eval(attrExpr(set.Body, "name"), nil), m.Eval(attrExpr(set.Body, "value"), nil)}})
		}
		if list := m.Eval(attrExpr(b.Body, "set"), nil); list.Kind == tfTuple { // provider v3: set = [{name, value}]
			sets = append(sets, list.Items...)
		}
		for _, set := range sets {
			name, _ := set.Get("name")
			value, _ := set.Get("value")
			if name.Known() {
				r.Values[valuePath(setPath(name.Str)...)] = value
			}
		}
		out = append(out, r)
	}
	return out
}

// addValues records one element of a release's values: an object
// (yamlencode), or YAML text (a heredoc); ok is false for anything else.
func (r helmRelease) addValues(v tfValue) (ok bool) {
	switch v.Kind {
	case tfObject:
		flattenValues(r.Values, nil, v)
		return true
	case tfString:
		var values map[string]any
		if analysis.DeepAt(v.Str, analysis.FormatYAML) >= 0 || yaml.Unmarshal([]byte(v.Str), &values) != nil {
			return false
		}
		flattenYAML(r.Values, nil, values)
		return true
	}
	return false
}

// flattenYAML records the leaves of decoded YAML values under their
// paths, as strings: what the rules ask of them is whether they are set.
func flattenYAML(into map[string]tfValue, path []string, v any) {
	switch v := v.(type) {
	case map[string]any:
		for k, item := range v {
			flattenYAML(into, append(path[:len(path):len(path)], k), item)
		}
	case bool:
		into[valuePath(path...)] = tfValue{Kind: tfBool, Bool: v}
	default:
		into[valuePath(path...)] = tfValue{Kind: tfString, Str: fmt.Sprint(v)}
	}
}

// flattenValues records the leaves of v under their paths.
func flattenValues(into map[string]tfValue, path []string, v tfValue) {
	if v.Kind != tfObject {
		into[valuePath(path...)] = v
		return
	}
	for i, k := range v.Keys {
		flattenValues(into, append(path[:len(path):len(path)], k), v.Items[i])
	}
}

// setPath splits the name of a set block at its dots; an escaped dot
// (eks\.amazonaws\.com) belongs to the key.
func setPath(name string) []string {
	var keys []string
	var key strings.Builder
	for i := 0; i < len(name); i++ {
		switch {
		case name[i] == '\\' && i+1 < len(name) && name[i+1] == '.':
			key.WriteByte('.')
			i++
		case name[i] == '.':
			keys = append(keys, key.String())
			key.Reset()
		default:
			key.WriteByte(name[i])
		}
	}
	return append(keys, key.String())
}

// creates reports whether the release's chart creates its ServiceAccount
// (the charts' default).
func (r helmRelease) creates() bool {
	v, ok := r.serviceAccountValue("create")
	return !ok || !(v.Kind == tfBool && !v.Bool || v.Known() && v.Str == "false")
}

// roleAnnotation returns the role the release annotates the chart's
// ServiceAccount with; cluster-autoscaler's chart before 9.x read it from
// serviceAccountAnnotations.
func (r helmRelease) roleAnnotation() (tfValue, bool) {
	if v, ok := r.serviceAccountValue("annotations", roleARNAnnotation); ok {
		return v, true
	}
	v, ok := r.Values[valuePath("serviceAccountAnnotations", roleARNAnnotation)]
	return v, ok && r.Chart == "cluster-autoscaler"
}

// serviceAccount returns the ServiceAccount the release creates, when
// its values name it.
func (r helmRelease) serviceAccount(m *tfModule, doc *analysis.Document) (serviceAccount, bool) {
	name, ok := r.serviceAccountValue("name")
	if !ok || !name.Known() || !r.creates() {
		return serviceAccount{}, false
	}
	start, end := r.Block.NameSpan()
	sa := serviceAccount{Doc: doc, Name: name.Str, Namespace: r.Namespace, Start: start, End: end}
	if v, ok := r.roleAnnotation(); ok {
		if sa.RoleARN = m.policyScalar(v); sa.RoleARN == nil {
			return serviceAccount{}, false // written in YAML text, where it cannot be located
		}
	}
	return sa, true
}

// runControllerRole is the Run of tfControllerRole (TF014).
func runControllerRole(p *analysis.Pass) {
	if podCredsOf(p).PodIdentity != "" {
		return // roles may come from Pod Identity associations
	}
	for _, r := range helmReleasesOf(p) {
		if _, annotated := r.roleAnnotation(); annotated || r.Unread || !r.creates() {
			continue
		}
		start, end := r.Block.NameSpan()
		p.Reportf(start, end, nil, "The %s chart creates its ServiceAccount without an %s annotation, and nothing in the paste "+
			"gives it a role through Pod Identity: the controller gets no IAM role of its own, so it calls AWS as the node's role "+
			"(AccessDenied for what its policy allows) or, where pods cannot reach the instance metadata service, with no "+
			"credentials at all. Set %s.annotations.%s to the controller's IRSA role, or associate a role with Pod Identity.",
			r.Chart, roleARNAnnotation, awsControllerCharts[r.Chart], strings.ReplaceAll(roleARNAnnotation, ".", `\.`))
	}
}
