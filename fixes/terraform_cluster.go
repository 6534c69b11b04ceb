//go:build !noterraform

package fixes

import (
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/eksdoctor/eksdoctor/analysis"
)

// Cluster rules, for aws_eks_cluster resources and for calls of the
// terraform-aws-modules EKS module (whose inputs were renamed in v21:
// cluster_endpoint_public_access became endpoint_public_access, and so on;
// both spellings are read).

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

// runClusterAuthMode is the Run of tfClusterAuthMode (TF006).
func runClusterAuthMode(p *analysis.Pass) {
	m := terraformOf(p)
	for _, c := range m.Resources("aws_eks_cluster") {
		if dynamicBlock(c.Body, "access_config") != nil {
			continue
		}
		ac := nested(c.Body, "access_config")
		if len(ac) == 0 {
			sev := analysis.Medium
			if m.hasAccessEntries(c) {
				sev = analysis.High
			}
			start, end := c.NameSpan()
			p.Report(analysis.Finding{Severity: sev, Start: start, End: end, Message: fmt.Sprintf(
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
			fix := &analysis.Fix{Summary: "Set authentication_mode to API_AND_CONFIG_MAP",
				Edits: m.insertAttrs(block, [][2]string{{"authentication_mode", `"API_AND_CONFIG_MAP"`}})}
			sev, why := analysis.Medium, "EKS uses CONFIG_MAP"
			if noCreator {
				sev, why = analysis.High, "EKS uses CONFIG_MAP, and creating a CONFIG_MAP cluster with bootstrap_cluster_creator_admin_permissions "+
					"false (what the provider sends when it is not set) fails"
			}
			p.Report(analysis.Finding{Severity: sev, Start: block.TypeRange.Start.Byte, End: block.TypeRange.End.Byte, Fix: fix,
				Message: fmt.Sprintf("access_config of %s does not set authentication_mode, so %s. Use API_AND_CONFIG_MAP.", c.Name(), why)})
		case known && value == "CONFIG_MAP" && !accessFamilyReports(p, mode):
			start, end := span(mode)
			sev := analysis.Medium
			var why []string
			if m.hasAccessEntries(c) {
				sev, why = analysis.High, append(why, "the access entries declared for it are refused in this mode")
			}
			if noCreator {
				sev, why = analysis.High, append(why, "creating it fails with \"bootstrapClusterCreatorAdminPermissions must be true if "+
					"cluster authentication mode is set to CONFIG_MAP\"")
			}
			msg := fmt.Sprintf("%s uses CONFIG_MAP: only the deprecated aws-auth ConfigMap grants access", c.Name())
			if len(why) > 0 {
				msg += "; " + strings.Join(why, ", and ")
			}
			p.Report(analysis.Finding{Severity: sev, Start: start, End: end, Message: msg + ". Move to API_AND_CONFIG_MAP " +
				"(modes only move forward: API comes after every aws-auth entry has an access entry).",
				Fix: &analysis.Fix{Summary: "Set authentication_mode to API_AND_CONFIG_MAP", Edits: []analysis.Edit{replaceExpr(mode.Expr, `"API_AND_CONFIG_MAP"`)}}})
		}
	}
	for _, mod := range m.Modules(eksModule) {
		mode := moduleInput(mod, "authentication_mode")
		if value, known := m.literal(mode); known && value == "CONFIG_MAP" && !accessFamilyReports(p, mode) {
			start, end := span(mode)
			sev := analysis.Medium
			if entries := moduleInput(mod, "access_entries"); entries != nil && !isEmpty(m.Eval(entries.Expr, nil)) {
				sev = analysis.High
			}
			p.Report(analysis.Finding{Severity: sev, Start: start, End: end, Message: fmt.Sprintf("module %s sets authentication_mode "+
				"= \"CONFIG_MAP\": only the deprecated aws-auth ConfigMap grants access and its access_entries are refused. "+
				"Move to API_AND_CONFIG_MAP (modes only move forward: API comes after every aws-auth entry has an access entry).", mod.Labels[0]),
				Fix: &analysis.Fix{Summary: "Set authentication_mode to API_AND_CONFIG_MAP", Edits: []analysis.Edit{replaceExpr(mode.Expr, `"API_AND_CONFIG_MAP"`)}}})
		}
	}
}

// accessFamilyReports reports whether the access-entry family's AE006
// already reports this CONFIG_MAP mode: beside access entries, or with
// the creator's admin permissions turned off.
func accessFamilyReports(p *analysis.Pass, mode *hclsyntax.Attribute) bool {
	start, _ := span(mode)
	doc := p.Docs[p.DocumentAt(start)]
	am := accessModelOf(p, doc)
	c := am.Config
	return c != nil && c.Mode.Start == start+1 &&
		(len(am.Entries) > 0 || c.BootstrapAdmin != nil && c.BootstrapAdmin.Value == "false")
}

// runClusterCreatorAdmin is the Run of tfClusterCreatorAdmin (TF007).
func runClusterCreatorAdmin(p *analysis.Pass) {
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
				"aws eks list-access-entries "+clusterRef(p).flags("--cluster-name")+", then aws eks delete-access-entry "+
					clusterRef(p).flags("--cluster-name")+" --principal-arn CREATOR_ARN")
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
}
