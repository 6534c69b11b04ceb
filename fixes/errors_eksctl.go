package fixes

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/eksdoctor/eksdoctor/analysis"
)

// eksctl's own refusals of a ClusterConfig's access entries, made before
// any EKS API is called (pkg/apis/eksctl.io/v1alpha5/access_entry.go and
// validation.go).

var sigEksctlAccessEntry = newSignature([]string{"accessEntries[", "to use access entries"},
	[]string{
		`accessEntries\[(?P<index>\d+)\]\.(?P<field>principalARN|policyARN) must be (?:set to a valid AWS ARN|a cluster-access-policy resource)`,
		`invalid accessEntries\[(?P<index>\d+)\]\.(?P<field>policyARN)`,
		`accessEntries\[(?P<index>\d+)\]\.(?P<field>accessScope)\.type must be set to either "namespace" or "cluster"`,
		`invalid access scope type "[^"]*" for accessEntries\[(?P<index>\d+)\]`,
		`cannot specify accessEntries\[(?P<index>\d+)\]\.(?P<field>kubernetesGroups|accessPolicies|accessScope\.namespaces)`,
		`at least one namespace must be specified when accessScope is set to namespace: \(accessEntries\[(?P<index>\d+)\]\)`,
		`invalid access entry type "(?P<type>[^"]*)" for accessEntries\[(?P<index>\d+)\]`,
		`duplicate access entry accessEntries\[(?P<index>\d+)\] with principal ARN`,
		`accessConfig\.authenticationMode must be set to either API_AND_CONFIG_MAP or API to use access entries`,
	},
	[]string{"Error: accessEntries[0].policyARN must be set to a valid AWS ARN",
		"Error: cannot specify accessEntries[1].kubernetesGroups nor accessEntries[1].kubernetesUsername when type is set to EC2_LINUX",
		"Error: accessConfig.authenticationMode must be set to either API_AND_CONFIG_MAP or API to use access entries"},
	[]string{"Error: creating EKS Access Entry (prod:arn:aws:iam::111122223333:role/admin): ResourceInUseException",
		"accessEntries:"})

var errEksctlAccessEntry = &analysis.Rule{
	ID:       "ERR045",
	Title:    "eksctl refuses the ClusterConfig's access entries",
	Severity: analysis.Medium,
	Kinds:    errorTextKinds,
	Doc: "eksctl checks accessConfig.accessEntries before it calls EKS, and names the entry by its index (accessEntries[0] is the " +
		"first): every entry needs a principalARN; every accessPolicies item a policyARN of an access policy " +
		"(arn:aws:eks::aws:cluster-access-policy/NAME) and an accessScope of type cluster, or namespace with namespaces; an entry of a " +
		"node type (EC2_LINUX, EC2_WINDOWS, FARGATE_LINUX, HYBRID_LINUX) takes no kubernetesGroups, kubernetesUsername or " +
		"accessPolicies, because EKS gives nodes what they need; and access entries need authenticationMode API_AND_CONFIG_MAP or " +
		"API. A common slip is a node role's entry written with type: EC2_LINUX under accessPolicies[].accessScope: eksctl then asks " +
		"for a policyARN. Move the type to the entry itself and drop its groups, username and policies. eksctl before 0.205.0 also " +
		"refuses type EC2, which EKS Auto Mode node roles use.",
	Refs: []string{eksctlEntriesDoc, eksctlAccessEntrySource, "https://github.com/eksctl-io/eksctl/pull/8228"},
	Run: symptom(sigEksctlAccessEntry, func(p *analysis.Pass, ms []errMatch) {
		m := ms[0]
		index, field := -1, m.group("field")
		if n, err := strconv.Atoi(m.group("index")); err == nil {
			index = n
		}
		var c causes
		var entries []accessEntry
		for _, e := range pastedEntries(p) {
			if e.Source == "eksctl" {
				entries = append(entries, e)
			}
		}
		what := "eksctl refused the ClusterConfig before calling EKS"
		if index >= 0 {
			what += fmt.Sprintf(": accessEntries[%d] is the %s entry", index, ordinal(index+1))
		}
		switch typ := m.group("type"); {
		case typ == "EC2":
			c.show("version", shownDecisive, "EC2 is the type of an EKS Auto Mode node role's entry, which EKS accepts; eksctl learned it in "+
				"0.205.0, so upgrade eksctl (eksctl version prints yours)")
		case index >= 0 && index < len(entries):
			weighEksctlEntry(&c, entries[index], field)
		}
		if strings.Contains(m.text(), "authenticationMode") {
			for _, mode := range pastedModes(p) {
				c.showAt(mode.Start, mode.End, "mode", shownDecisive, "the pasted accessConfig sets authenticationMode %s, which has no access entries", mode.Value)
			}
		}
		p.Report(analysis.Finding{Start: m.Start, End: m.End, Causes: c.evidence(), Message: what + ". " + c.String()})
	}),
}

// weighEksctlEntry adds what the refused entry, as pasted, says about the
// field eksctl named.
func weighEksctlEntry(c *causes, e accessEntry, field string) {
	for _, pol := range e.Policies {
		if s := pol.ScopeType; s != nil && e.Type == nil && isNodeEntryType(s.Value) {
			c.showAt(s.Start, s.End, "type", shownDecisive, "its accessPolicies item has accessScope.type %s, an access entry type: "+
				"move it to the entry's own type and remove the entry's accessPolicies, kubernetesGroups and kubernetesUsername", s.Value)
			return
		}
		if pol.PolicyARN == nil && field == "policyARN" {
			c.showAt(pol.Start, pol.End, "policy", shownDecisive, "its accessPolicies item has no policyARN")
			return
		}
	}
	if f := e.GroupsField; f != nil && field == "kubernetesGroups" && e.Type != nil {
		c.showAt(f.Start, f.End, "groups", shownDecisive, "it is of type %s, which takes no kubernetesGroups or kubernetesUsername", e.Type.Value)
		return
	}
	c.add("field", common, "the entry's %s is missing or not allowed there", firstNonEmpty(field, "field"))
}

// isNodeEntryType reports whether a value names an access entry type for
// nodes.
func isNodeEntryType(v string) bool {
	return accessEntry{Type: &analysis.Scalar{Value: v}}.isNodeType()
}

// pastedModes returns the authentication modes the paste's access
// configurations set.
func pastedModes(p *analysis.Pass) []*analysis.Scalar {
	var out []*analysis.Scalar
	for _, d := range p.OfKind(accessEntryKinds...) {
		if cfg := accessModelOf(p, d).Config; cfg != nil && cfg.Mode != nil && cfg.Mode.Value == "CONFIG_MAP" {
			out = append(out, cfg.Mode)
		}
	}
	return out
}

// ordinal writes 1 as first, 2 as second, and so on.
func ordinal(n int) string {
	if names := []string{"first", "second", "third", "fourth", "fifth"}; n >= 1 && n <= len(names) {
		return names[n-1]
	}
	return strconv.Itoa(n) + "th"
}
