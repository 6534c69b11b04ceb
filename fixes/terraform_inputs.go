package fixes

// EKSModuleInputs are the inputs of the terraform-aws-modules EKS module
// (and its aws-auth submodule) that the Terraform family reads, which
// people also paste alone, without their module block.
var EKSModuleInputs = []string{"access_entries", "map_roles", "map_users", "map_accounts", "aws_auth_roles", "aws_auth_users", "aws_auth_accounts"}
