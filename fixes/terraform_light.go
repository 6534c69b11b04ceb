//go:build noterraform

package fixes

import "github.com/eksdoctor/eksdoctor/analysis"

// The light build has no HCL parser. It declares the Terraform family's
// Run functions and readers as nil, so its rules are listed and
// documented but never run, and the other families read no Terraform.
var (
	runNodeRolePolicies, runNodeRoleCNI, runNodeRoleDangerous, runLaunchTemplateIMDSv1, runLaunchTemplateHops, runClusterAuthMode, runClusterCreatorAdmin, runClusterPublicEndpoint, runClusterEncryption, runClusterLogs, runOpenIngress, runPodIdentityTrust, runIRSAModuleSubjects, runControllerRole, runProviderCA func(*analysis.Pass)

	// readTerraformPolicies reads the policies written in a Terraform
	// document: jsonencode(...), heredocs, aws_iam_policy_document blocks,
	// aws_iam_role with its attachments.
	readTerraformPolicies func(p *analysis.Pass, doc *analysis.Document) policySet
	// readTerraformAccess reads the access entries, policy associations
	// and access_config of a Terraform document.
	readTerraformAccess func(p *analysis.Pass, doc *analysis.Document) accessModel
	// readTerraformAuth reads the aws-auth ConfigMaps of a Terraform
	// document.
	readTerraformAuth func(p *analysis.Pass, doc *analysis.Document) authModel
	// readTerraformServiceAccounts reads the ServiceAccounts Terraform
	// declares.
	readTerraformServiceAccounts func(p *analysis.Pass) []serviceAccount
	// providerCAReferences returns where a Terraform provider is given
	// base64 CA data.
	providerCAReferences func(p *analysis.Pass) [][2]int
)
