//go:build !noterraform

package fixes

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/eksdoctor/eksdoctor/analysis"
)

// Cluster settings outside access: the public endpoint, the key for
// secrets, and the control plane logs.

// runClusterPublicEndpoint is the Run of tfClusterPublicEndpoint (TF008).
func runClusterPublicEndpoint(p *analysis.Pass) {
	m := terraformOf(p)
	for _, c := range m.Resources("aws_eks_cluster") {
		vpc := nested(c.Body, "vpc_config")
		if len(vpc) == 0 {
			continue
		}
		public := vpc[0].Body.Attributes["endpoint_public_access"]
		if on, known := m.flag(public); public != nil && (!known || !on) {
			continue
		}
		if start, end, ok := m.openCIDRs(vpc[0].Body.Attributes["public_access_cidrs"], vpc[0].TypeRange.Start.Byte, vpc[0].TypeRange.End.Byte); ok {
			p.Reportf(start, end, nil, "The public endpoint of %s accepts connections from anywhere (0.0.0.0/0). "+
				"Set public_access_cidrs to the networks that need it, or endpoint_public_access = false.", c.Name())
		}
	}
	for _, mod := range m.Modules(eksModule) {
		public := moduleInput(mod, "cluster_endpoint_public_access", "endpoint_public_access")
		if on, known := m.flag(public); !known || !on {
			continue
		}
		start, end := span(public)
		if start, end, ok := m.openCIDRs(moduleInput(mod, "cluster_endpoint_public_access_cidrs", "endpoint_public_access_cidrs"), start, end); ok {
			p.Reportf(start, end, nil, "module %s turns on the public endpoint without restricting who can reach it "+
				"(0.0.0.0/0). Set %s_cidrs to the networks that need it.", mod.Labels[0], public.Name)
		}
	}
}

// openCIDRs reports whether a CIDR list attribute (absent meaning
// 0.0.0.0/0) lets the whole internet in, and where to point: the open
// CIDR, or the given range when the attribute is absent.
func (m *tfModule) openCIDRs(a *hclsyntax.Attribute, start, end int) (int, int, bool) {
	if a == nil {
		return start, end, true
	}
	v := m.Eval(a.Expr, nil)
	for _, item := range v.Items {
		if v.Kind == tfTuple && item.Known() && (item.Str == "0.0.0.0/0" || item.Str == "::/0") && item.Expr != nil {
			r := item.Expr.Range()
			return r.Start.Byte, r.End.Byte, true
		}
	}
	return 0, 0, false
}

// runClusterEncryption is the Run of tfClusterEncryption (TF009).
func runClusterEncryption(p *analysis.Pass) {
	m := terraformOf(p)
	for _, c := range m.Resources("aws_eks_cluster") {
		if len(nested(c.Body, "encryption_config")) > 0 || dynamicBlock(c.Body, "encryption_config") != nil {
			continue
		}
		sev, note := analysis.Low, "Since Kubernetes 1.28 EKS encrypts all Kubernetes API data, secrets included, with a key AWS manages"
		if v, ok := m.literal(c.Body.Attributes["version"]); ok && versionBefore(v, 1, 28) {
			sev, note = analysis.Medium, "On Kubernetes "+v+" there is no default envelope encryption of secrets"
		}
		start, end := c.NameSpan()
		p.Report(analysis.Finding{Severity: sev, Start: start, End: end, Message: fmt.Sprintf(
			"%s has no encryption_config for secrets. %s; add encryption_config with your own KMS key to control and "+
				"audit who can decrypt them.", c.Name(), note)})
	}
	for _, mod := range m.Modules(eksModule) {
		a := moduleInput(mod, "cluster_encryption_config", "encryption_config")
		if a == nil {
			continue
		}
		// v19 and v20 turn it off with an empty cluster_encryption_config;
		// v21's encryption_config = {} keeps it on, with the module's key
		v := m.Eval(a.Expr, nil)
		if v.Kind == tfNull || a.Name == "cluster_encryption_config" && isEmpty(v) {
			start, end := span(a)
			p.Reportf(start, end, nil, "module %s turns off envelope encryption of secrets with its own KMS key. Unless "+
				"the default encryption with a key AWS manages (Kubernetes 1.28 and later) is enough for you, remove this input.", mod.Labels[0])
		}
	}
}

// versionBefore reports whether a "1.27" style version is before major.minor.
func versionBefore(v string, major, minor int) bool {
	a, b, ok := strings.Cut(v, ".")
	ma, err1 := strconv.Atoi(a)
	mi, err2 := strconv.Atoi(b)
	return ok && err1 == nil && err2 == nil && (ma < major || ma == major && mi < minor)
}

// neededLogTypes are the control plane logs access problems are read from.
var neededLogTypes = []string{"audit", "authenticator"}

// runClusterLogs is the Run of tfClusterLogs (TF010).
func runClusterLogs(p *analysis.Pass) {
	m := terraformOf(p)
	for _, c := range m.Resources("aws_eks_cluster") {
		a := c.Body.Attributes["enabled_cluster_log_types"]
		if a == nil {
			start, end := c.NameSpan()
			p.Reportf(start, end,
				&analysis.Fix{Summary: "Enable the audit and authenticator logs", Edits: m.insertAttrs(c.Block,
					[][2]string{{"enabled_cluster_log_types", `["audit", "authenticator"]`}}), Harden: true},
				"%s sends no control plane logs, so refused IAM identities and what each user did leave no trace. "+
					"Enable at least the audit and authenticator logs.", c.Name())
			continue
		}
		m.reportMissingLogs(p, a, c.Name())
	}
	for _, mod := range m.Modules(eksModule) {
		if a := moduleInput(mod, "cluster_enabled_log_types", "enabled_log_types"); a != nil {
			m.reportMissingLogs(p, a, "module "+mod.Labels[0])
		}
	}
}

// reportMissingLogs reports a literal list of log types that lacks audit
// or authenticator, with the fix that appends them.
func (m *tfModule) reportMissingLogs(p *analysis.Pass, a *hclsyntax.Attribute, owner string) {
	list, ok := a.Expr.(*hclsyntax.TupleConsExpr)
	if !ok {
		return
	}
	have, all := m.Eval(list, nil).Strings()
	if !all {
		return
	}
	var missing, quoted []string
	for _, t := range neededLogTypes {
		if !slices.ContainsFunc(have, func(v tfValue) bool { return v.Str == t }) {
			missing = append(missing, t)
			quoted = append(quoted, strconv.Quote(t))
		}
	}
	if len(missing) == 0 {
		return
	}
	start, end := span(a)
	p.Reportf(start, end, &analysis.Fix{Summary: "Enable the " + strings.Join(missing, " and ") + " logs", Edits: []analysis.Edit{m.appendToTuple(list, quoted)}, Harden: true},
		"%s does not enable the %s %s: %s. Add %s.", owner, strings.Join(missing, " and "),
		map[bool]string{true: "log", false: "logs"}[len(missing) == 1], logsWhy(missing), map[bool]string{true: "it", false: "them"}[len(missing) == 1])
}

// logsWhy says what is lost without the missing log types.
func logsWhy(missing []string) string {
	var why []string
	for _, t := range missing {
		switch t {
		case "authenticator":
			why = append(why, "refused IAM identities and their mapped users are not recorded")
		case "audit":
			why = append(why, "what each user did is not recorded")
		}
	}
	return strings.Join(why, ", and ")
}
