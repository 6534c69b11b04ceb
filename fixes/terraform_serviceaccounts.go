//go:build !noterraform

package fixes

import (
	"slices"

	"github.com/eksdoctor/eksdoctor/analysis"
)

// serviceAccountResources are the Terraform kubernetes provider's
// resources that declare a ServiceAccount.
var serviceAccountResources = []string{"kubernetes_service_account", "kubernetes_service_account_v1"}

// terraformServiceAccounts reads the ServiceAccounts the Terraform of the
// paste declares, and those the charts of its helm_releases create when their
// values name them, with their name, namespace and role annotation as
// written: a
// value Terraform computes (a reference, an interpolation) is kept as its
// template, ${module.irsa.iam_role_arn}, which names the role by its
// Terraform address.
func terraformServiceAccounts(p *analysis.Pass) []serviceAccount {
	tf := terraformOf(p)
	var out []serviceAccount
	for _, b := range tf.Blocks {
		if b.Type != "resource" || len(b.Labels) != 2 || !slices.Contains(serviceAccountResources, b.Labels[0]) {
			continue
		}
		at := p.DocumentAt(b.Range().Start.Byte)
		if at < 0 {
			continue
		}
		doc := p.Docs[at]
		meta := nestedPath(b.Body, "metadata")
		text := func(name string) string {
			if s := tf.policyScalar(tf.Eval(attrExpr(meta, name), nil)); s != nil {
				return s.Value
			}
			return ""
		}
		start, end := b.NameSpan()
		sa := serviceAccount{Doc: doc, Name: text("name"), Namespace: text("namespace"), Start: start, End: end}
		if annotations := tf.Eval(attrExpr(meta, "annotations"), nil); annotations.Kind == tfObject {
			if v, ok := annotations.Get(roleARNAnnotation); ok {
				sa.RoleARN = tf.policyScalar(v)
			}
			if v, ok := annotations.Get(audienceAnnotation); ok && v.Known() {
				sa.Audience = v.Str
			}
		}
		if sa.Name != "" {
			out = append(out, sa)
		}
	}
	for _, r := range helmReleasesOf(p) {
		if at := p.DocumentAt(r.Block.Range().Start.Byte); at < 0 {
			continue
		} else if sa, ok := r.serviceAccount(tf, p.Docs[at]); ok {
			out = append(out, sa)
		}
	}
	return out
}
