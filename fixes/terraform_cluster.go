package fixes

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// Cluster rules, for aws_eks_cluster resources and for calls of the
// terraform-aws-modules EKS module (whose inputs were renamed in v21:
// cluster_endpoint_public_access became endpoint_public_access, and so on;
// both spellings are read).

const (
	accessModeDoc   = "https://docs.aws.amazon.com/eks/latest/userguide/setting-up-access-entries.html"
	endpointDoc     = "https://docs.aws.amazon.com/eks/latest/userguide/cluster-endpoint.html"
	logsDoc         = "https://docs.aws.amazon.com/eks/latest/userguide/control-plane-logs.html"
	envelopeDoc     = "https://docs.aws.amazon.com/eks/latest/userguide/envelope-encryption.html"
	eksClusterTFDoc = "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/eks_cluster"
	eksModuleDoc    = "https://registry.terraform.io/modules/terraform-aws-modules/eks/aws/latest"
)

// moduleInput returns the first of the named inputs a module call sets.
func moduleInput(b *tfBlock, names ...string) *hclsyntax.Attribute {
	for _, n := range names {
		if a := b.Body.Attributes[n]; a != nil {
			return a
		}
	}
	return nil
}

// literal returns the known string an attribute is set to, if it is one.
func (m *tfModule) literal(a *hclsyntax.Attribute) (string, bool) {
	if a == nil {
		return "", false
	}
	v := m.Eval(a.Expr, nil)
	return v.Str, v.Known()
}

// flag returns the known boolean an attribute is set to.
func (m *tfModule) flag(a *hclsyntax.Attribute) (value, known bool) {
	if a == nil {
		return false, false
	}
	v := m.Eval(a.Expr, nil)
	return v.Bool, v.Kind == tfBool
}

// span returns the byte range of an attribute's value.
func span(a *hclsyntax.Attribute) (int, int) {
	r := a.Expr.Range()
	return r.Start.Byte, r.End.Byte
}

// hasAccessEntries reports whether the paste creates access entries for a
// cluster resource.
func (m *tfModule) hasAccessEntries(cluster *tfBlock) bool {
	name, _ := m.literal(cluster.Body.Attributes["name"])
	for _, b := range append(m.Resources("aws_eks_access_entry"), m.Resources("aws_eks_access_policy_association")...) {
		e := attrExpr(b.Body, "cluster_name")
		if m.RefersTo(e, cluster.Addr) {
			return true
		}
		if v := m.Eval(e, nil); name != "" && v.Known() && v.Str == name {
			return true
		}
	}
	return false
}

var tfClusterAuthMode = &Rule{
	ID:       "TF006",
	Title:    "cluster authentication mode is CONFIG_MAP",
	Severity: Medium,
	Kinds:    terraformKinds,
	Cross:    true,
	Doc: "In CONFIG_MAP mode only the aws-auth ConfigMap grants access, which AWS has deprecated in favour of access " +
		"entries: one YAML typo there locks everyone out, nodes included. A cluster created through the API without " +
		"access_config gets CONFIG_MAP. Access entries fail in that mode (\"The cluster's authentication mode must be set " +
		"to one of [API, API_AND_CONFIG_MAP]\"), and an access_config that leaves bootstrap_cluster_creator_admin_permissions " +
		"unset sends false, which CONFIG_MAP rejects at creation. Modes only move forward: CONFIG_MAP to API_AND_CONFIG_MAP, " +
		"then, once every aws-auth entry has an access entry, to API; never back, and never straight from CONFIG_MAP to " +
		"API. The fix sets API_AND_CONFIG_MAP, an in-place update that keeps aws-auth working.",
	Refs: []string{accessModeDoc, "https://docs.aws.amazon.com/eks/latest/userguide/grant-k8s-access.html",
		"https://docs.aws.amazon.com/eks/latest/APIReference/API_CreateAccessConfigRequest.html", eksClusterTFDoc},
	Run: func(p *Pass) {
		m := terraformOf(p)
		for _, c := range m.Resources("aws_eks_cluster") {
			if dynamicBlock(c.Body, "access_config") != nil {
				continue
			}
			ac := nested(c.Body, "access_config")
			if len(ac) == 0 {
				sev := Medium
				if m.hasAccessEntries(c) {
					sev = High
				}
				start, end := c.NameSpan()
				p.Report(Finding{Severity: sev, Start: start, End: end, Message: fmt.Sprintf(
					"%s has no access_config, so a cluster created from it uses CONFIG_MAP: only the aws-auth ConfigMap "+
						"grants access and access entries are refused. Add access_config { authentication_mode = "+
						"\"API_AND_CONFIG_MAP\" } and, for a cluster that already exists, bootstrap_cluster_creator_admin_permissions "+
						"= true as well (it cannot change without replacing the cluster).", c.Name())})
				continue
			}
			block := ac[0]
			mode := block.Body.Attributes["authentication_mode"]
			value, known := m.literal(mode)
			bootstrap, bootstrapKnown := m.flag(block.Body.Attributes["bootstrap_cluster_creator_admin_permissions"])
			noCreator := bootstrapKnown && !bootstrap || block.Body.Attributes["bootstrap_cluster_creator_admin_permissions"] == nil
			switch {
			case mode == nil:
				fix := &Fix{Summary: "Set authentication_mode to API_AND_CONFIG_MAP",
					Edits: m.insertAttrs(block, [][2]string{{"authentication_mode", `"API_AND_CONFIG_MAP"`}})}
				sev, why := Medium, "EKS uses CONFIG_MAP"
				if noCreator {
					sev, why = High, "EKS uses CONFIG_MAP, and creating a CONFIG_MAP cluster with bootstrap_cluster_creator_admin_permissions "+
						"false (what the provider sends when it is not set) fails"
				}
				p.Report(Finding{Severity: sev, Start: block.TypeRange.Start.Byte, End: block.TypeRange.End.Byte, Fix: fix,
					Message: fmt.Sprintf("access_config of %s does not set authentication_mode, so %s. Use API_AND_CONFIG_MAP.", c.Name(), why)})
			case known && value == "CONFIG_MAP" && !accessFamilyReports(p, mode):
				start, end := span(mode)
				sev := Medium
				var why []string
				if m.hasAccessEntries(c) {
					sev, why = High, append(why, "the access entries declared for it are refused in this mode")
				}
				if noCreator {
					sev, why = High, append(why, "creating it fails with \"bootstrapClusterCreatorAdminPermissions must be true if "+
						"cluster authentication mode is set to CONFIG_MAP\"")
				}
				msg := fmt.Sprintf("%s uses CONFIG_MAP: only the deprecated aws-auth ConfigMap grants access", c.Name())
				if len(why) > 0 {
					msg += "; " + strings.Join(why, ", and ")
				}
				p.Report(Finding{Severity: sev, Start: start, End: end, Message: msg + ". Move to API_AND_CONFIG_MAP " +
					"(modes only move forward: API comes after every aws-auth entry has an access entry).",
					Fix: &Fix{Summary: "Set authentication_mode to API_AND_CONFIG_MAP", Edits: []Edit{replaceExpr(mode.Expr, `"API_AND_CONFIG_MAP"`)}}})
			}
		}
		for _, mod := range m.Modules(eksModule) {
			mode := moduleInput(mod, "authentication_mode")
			if value, known := m.literal(mode); known && value == "CONFIG_MAP" && !accessFamilyReports(p, mode) {
				start, end := span(mode)
				sev := Medium
				if entries := moduleInput(mod, "access_entries"); entries != nil && !isEmpty(m.Eval(entries.Expr, nil)) {
					sev = High
				}
				p.Report(Finding{Severity: sev, Start: start, End: end, Message: fmt.Sprintf("module %s sets authentication_mode "+
					"= \"CONFIG_MAP\": only the deprecated aws-auth ConfigMap grants access and its access_entries are refused. "+
					"Move to API_AND_CONFIG_MAP (modes only move forward: API comes after every aws-auth entry has an access entry).", mod.Labels[0]),
					Fix: &Fix{Summary: "Set authentication_mode to API_AND_CONFIG_MAP", Edits: []Edit{replaceExpr(mode.Expr, `"API_AND_CONFIG_MAP"`)}}})
			}
		}
	},
}

// accessFamilyReports reports whether the access-entry family's AE006
// already reports this CONFIG_MAP mode: beside access entries, or with
// the creator's admin permissions turned off.
func accessFamilyReports(p *Pass, mode *hclsyntax.Attribute) bool {
	start, _ := span(mode)
	doc := p.Docs[p.documentAt(start)]
	am := accessModelOf(p, doc)
	c := am.Config
	return c != nil && c.Mode.Start == start+1 &&
		(len(am.Entries) > 0 || c.BootstrapAdmin != nil && c.BootstrapAdmin.Value == "false")
}

var tfClusterCreatorAdmin = &Rule{
	ID:       "TF007",
	Title:    "cluster creator gets unmanaged admin access",
	Severity: Low,
	Kinds:    terraformKinds,
	Cross:    true,
	Doc: "bootstrap_cluster_creator_admin_permissions = true gives whoever creates the cluster, often a CI role, an access " +
		"entry with AmazonEKSClusterAdminPolicy that no Terraform resource describes, so reviews never see it. The EKS " +
		"module's enable_cluster_creator_admin_permissions does the same with an access entry for whichever identity runs " +
		"terraform apply. Grant administrators with explicit access entries for named roles instead. Do not flip the " +
		"cluster setting on an existing cluster: it forces a new cluster; delete the creator's access entry instead, " +
		"after the explicit entries exist.",
	Refs: []string{"https://docs.aws.amazon.com/eks/latest/best-practices/identity-and-access-management.html",
		"https://docs.aws.amazon.com/eks/latest/APIReference/API_CreateAccessConfigRequest.html", eksClusterTFDoc, eksModuleDoc},
	Run: func(p *Pass) {
		m := terraformOf(p)
		for _, c := range m.Resources("aws_eks_cluster") {
			ac := nestedPath(c.Body, "access_config")
			if ac == nil {
				continue
			}
			a := ac.Attributes["bootstrap_cluster_creator_admin_permissions"]
			if on, known := m.flag(a); known && on {
				start, end := span(a)
				p.Reportf(start, end, nil, "%s gives its creator a cluster-admin access entry that no Terraform resource "+
					"describes. Grant administrators with explicit aws_eks_access_entry resources, then delete the creator's "+
					"entry (changing this setting would replace the cluster).", c.Name())
				p.Suggest("Remove the cluster creator's access entry once explicit admin entries exist",
					"aws eks list-access-entries --cluster-name CLUSTER, then aws eks delete-access-entry --cluster-name CLUSTER --principal-arn CREATOR_ARN")
			}
		}
		for _, mod := range m.Modules(eksModule) {
			a := moduleInput(mod, "enable_cluster_creator_admin_permissions")
			if on, known := m.flag(a); known && on {
				start, end := span(a)
				p.Reportf(start, end, nil, "module %s gives cluster-admin to whichever identity runs terraform apply, so "+
					"the admin changes with who applies. List named administrator roles in access_entries instead.", mod.Labels[0])
			}
		}
	},
}

var tfClusterPublicEndpoint = &Rule{
	ID:       "TF008",
	Title:    "public cluster endpoint open to the internet",
	Severity: Medium,
	Kinds:    terraformKinds,
	Cross:    true,
	Doc: "The public API endpoint is on by default and, without public_access_cidrs, accepts connections from 0.0.0.0/0. " +
		"Requests still need valid credentials, but the API server is then exposed to every scan and to any leaked or " +
		"stolen credential from anywhere. Restrict public_access_cidrs to the networks that run kubectl and CI, or turn " +
		"the public endpoint off and use the private one. Checkov CKV_AWS_38 and Trivy AVD-AWS-0041 check the same; " +
		"CKV_AWS_39 and AVD-AWS-0040 flag any public endpoint.",
	Refs: []string{endpointDoc, checkovSources + "EKSPublicAccessCIDR.py", checkovSources + "EKSPublicAccess.py",
		trivyAVD + "avd-aws-0041", trivyAVD + "avd-aws-0040"},
	Run: func(p *Pass) {
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
	},
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

var tfClusterEncryption = &Rule{
	ID:       "TF009",
	Title:    "no customer-managed key for Kubernetes secrets",
	Severity: Low,
	Kinds:    terraformKinds,
	Cross:    true,
	Doc: "Since Kubernetes 1.28, EKS encrypts all Kubernetes API data at rest with envelope encryption by default. An " +
		"encryption_config with resources = [\"secrets\"] and your own KMS key adds what the default does not: a key policy " +
		"you control, CloudTrail records of every decryption, and the ability to revoke access. Before 1.28 it is the only " +
		"envelope encryption of secrets. Once enabled it cannot be removed. Checkov CKV_AWS_58 (\"Ensure EKS Cluster has " +
		"Secrets Encryption Enabled\") and Trivy AVD-AWS-0039 check this setting.",
	Refs: []string{envelopeDoc, "https://docs.aws.amazon.com/eks/latest/userguide/enable-kms.html",
		checkovSources + "EKSSecretsEncryption.py", trivyAVD + "avd-aws-0039"},
	Run: func(p *Pass) {
		m := terraformOf(p)
		for _, c := range m.Resources("aws_eks_cluster") {
			if len(nested(c.Body, "encryption_config")) > 0 || dynamicBlock(c.Body, "encryption_config") != nil {
				continue
			}
			sev, note := Low, "Since Kubernetes 1.28 EKS encrypts all Kubernetes API data, secrets included, with a key AWS manages"
			if v, ok := m.literal(c.Body.Attributes["version"]); ok && versionBefore(v, 1, 28) {
				sev, note = Medium, "On Kubernetes "+v+" there is no default envelope encryption of secrets"
			}
			start, end := c.NameSpan()
			p.Report(Finding{Severity: sev, Start: start, End: end, Message: fmt.Sprintf(
				"%s has no encryption_config for secrets. %s; add encryption_config with your own KMS key to control and "+
					"audit who can decrypt them.", c.Name(), note)})
		}
		for _, mod := range m.Modules(eksModule) {
			a := moduleInput(mod, "cluster_encryption_config", "encryption_config")
			if a == nil {
				continue
			}
			if v := m.Eval(a.Expr, nil); isEmpty(v) {
				start, end := span(a)
				p.Reportf(start, end, nil, "module %s turns off envelope encryption of secrets with its own KMS key. Unless "+
					"the default AWS-owned key (Kubernetes 1.28 and later) is enough for you, remove this input.", mod.Labels[0])
			}
		}
	},
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

var tfClusterLogs = &Rule{
	ID:       "TF010",
	Title:    "control plane logs miss audit or authenticator",
	Severity: Medium,
	Kinds:    terraformKinds,
	Cross:    true,
	Doc: "The authenticator log is the only place EKS records why an IAM identity was refused (\"access denied ... ARN is " +
		"not mapped\") and which Kubernetes user and groups it was mapped to; the audit log records what each identity " +
		"did. Both are off unless enabled_cluster_log_types lists them. The fix adds them (they are billed as CloudWatch " +
		"Logs ingestion). Checkov CKV_AWS_37 wants all five log types and Trivy AVD-AWS-0038 checks logging too.",
	Refs: []string{logsDoc, checkovSources + "EKSControlPlaneLogging.py", trivyAVD + "avd-aws-0038"},
	Run: func(p *Pass) {
		m := terraformOf(p)
		for _, c := range m.Resources("aws_eks_cluster") {
			a := c.Body.Attributes["enabled_cluster_log_types"]
			if a == nil {
				start, end := c.NameSpan()
				p.Reportf(start, end,
					&Fix{Summary: "Enable the audit and authenticator logs", Edits: m.insertAttrs(c.Block,
						[][2]string{{"enabled_cluster_log_types", `["audit", "authenticator"]`}})},
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
	},
}

// reportMissingLogs reports a literal list of log types that lacks audit
// or authenticator, with the fix that appends them.
func (m *tfModule) reportMissingLogs(p *Pass, a *hclsyntax.Attribute, owner string) {
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
	p.Reportf(start, end, &Fix{Summary: "Enable the " + strings.Join(missing, " and ") + " logs", Edits: []Edit{m.appendToTuple(list, quoted)}},
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
