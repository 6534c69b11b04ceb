package fixes

import (
	"fmt"
	"strings"

	"github.com/eksdoctor/eksdoctor/analysis"
)

// Privilege escalation and credential exposure in identity policies.

// escalationMethods are privilege-escalation paths (Rhino Security Labs,
// as Cloudsplaining and Parliament list them): each set of actions, on
// every resource, lets the holder gain more permissions.
var escalationMethods = []struct {
	name    string
	how     string
	actions []string
}{
	{"CreateNewPolicyVersion", "write a new default version of any policy", []string{"iam:CreatePolicyVersion"}},
	{"SetExistingDefaultPolicyVersion", "switch any policy to a more permissive old version", []string{"iam:SetDefaultPolicyVersion"}},
	{"CreateAccessKey", "create access keys for any user", []string{"iam:CreateAccessKey"}},
	{"CreateLoginProfile", "set a console password for any user", []string{"iam:CreateLoginProfile"}},
	{"UpdateLoginProfile", "change any user's console password", []string{"iam:UpdateLoginProfile"}},
	{"AttachUserPolicy", "attach any managed policy to a user", []string{"iam:AttachUserPolicy"}},
	{"AttachGroupPolicy", "attach any managed policy to a group", []string{"iam:AttachGroupPolicy"}},
	{"AttachRolePolicy", "attach any managed policy to a role", []string{"iam:AttachRolePolicy"}},
	{"PutUserPolicy", "write an inline policy on any user", []string{"iam:PutUserPolicy"}},
	{"PutGroupPolicy", "write an inline policy on any group", []string{"iam:PutGroupPolicy"}},
	{"PutRolePolicy", "write an inline policy on any role", []string{"iam:PutRolePolicy"}},
	{"AddUserToGroup", "add a user to any group", []string{"iam:AddUserToGroup"}},
	{"UpdateRolePolicyToAssumeIt", "rewrite any role's trust policy", []string{"iam:UpdateAssumeRolePolicy"}},
	{"CreateEC2WithExistingIP", "launch an instance with any role and read its credentials", []string{"iam:PassRole", "ec2:RunInstances"}},
	{"PassExistingRoleToNewLambdaThenInvoke", "run code as any role in a new Lambda function", []string{"iam:PassRole", "lambda:CreateFunction", "lambda:InvokeFunction"}},
	{"PassExistingRoleToCloudFormation", "create a stack that acts as any role", []string{"iam:PassRole", "cloudformation:CreateStack"}},
	{"PassExistingRoleToNewGlueDevEndpoint", "run code as any role on a Glue endpoint", []string{"iam:PassRole", "glue:CreateDevEndpoint"}},
	{"PassExistingRoleToNewDataPipeline", "run a pipeline as any role", []string{"iam:PassRole", "datapipeline:CreatePipeline"}},
	{"EditExistingLambdaFunctionWithRole", "replace the code of any Lambda function and run as its role", []string{"lambda:UpdateFunctionCode"}},
	{"UpdateExistingGlueDevEndpoint", "take over any Glue endpoint and its role", []string{"glue:UpdateDevEndpoint"}},
}

var iamEscalation = &analysis.Rule{
	ID:       "IAM006",
	Title:    "privilege escalation path",
	Severity: analysis.High,
	Kinds:    policyKinds,
	Doc: "Some actions, alone or together, let the holder give itself more permissions: rewriting a policy version, " +
		"attaching or writing policies, creating access keys or passwords for other users, or passing a role to a new EC2 " +
		"instance, Lambda function or stack and acting as it (the methods Rhino Security Labs catalogued, which " +
		"Cloudsplaining and Parliament check). Granted without conditions on every resource they are as good as " +
		"administrator. Scope them to the resources the workload manages, or remove them.",
	Refs: []string{rhinoEscalation, cloudsplainingURL, "https://github.com/duo-labs/parliament"},
	Run: func(p *analysis.Pass) {
		for _, pol := range policiesOf(p, p.Doc).Policies {
			if pol.Trust {
				continue
			}
			var found []string
			var at *analysis.Scalar
			for _, m := range escalationMethods {
				first := grantedAction(pol, m.actions[0])
				ok := first != nil
				for _, a := range m.actions[1:] {
					ok = ok && grantedAction(pol, a) != nil
				}
				if ok {
					found = append(found, fmt.Sprintf("%s (%s: %s)", m.how, m.name, strings.Join(m.actions, " + ")))
					if at == nil {
						at = first
					}
				}
			}
			if at != nil {
				p.Reportf(at.Start, at.End, nil, "Granted on every resource without conditions, these actions let the holder escalate: %s.",
					strings.Join(found, "; "))
			}
		}
	},
}

// grantedAction returns the action value of an unconditioned Allow
// statement that grants action on every resource by name or a narrow
// pattern (not "*" or SERVICE:*, which IAM002 and IAM003 report), or nil.
func grantedAction(pol *Policy, action string) *analysis.Scalar {
	for _, s := range pol.Statements {
		if len(s.ActiveConditions()) > 0 || !(grants(s, action) || action == "iam:PassRole" && s.Allows() && !s.NotAction && passesAnyRole(s)) {
			continue
		}
		for i, a := range s.Actions {
			if actionMatches(a.Value, action) && !broadPattern(a.Value) {
				return &s.Actions[i]
			}
		}
	}
	return nil
}

// credentialActions return credentials (high) or secrets in their
// response: every secret of Secrets Manager is high (a path to every
// secret, by the severity policy); SSM parameters and KMS decryption,
// which need each other for SecureStrings, medium.
var credentialActions = []struct {
	action string
	sev    analysis.Severity
}{
	{"iam:UpdateAccessKey", analysis.High}, {"iam:CreateServiceSpecificCredential", analysis.High}, {"iam:ResetServiceSpecificCredential", analysis.High},
	{"sts:GetFederationToken", analysis.High}, {"ec2:GetPasswordData", analysis.High}, {"redshift:GetClusterCredentials", analysis.High},
	{"rds-db:connect", analysis.High}, {"sso:GetRoleCredentials", analysis.High}, {"cognito-identity:GetCredentialsForIdentity", analysis.High},
	{"lightsail:GetInstanceAccessDetails", analysis.High},
	{"secretsmanager:GetSecretValue", analysis.High}, {"ssm:GetParameter", analysis.Medium}, {"ssm:GetParameters", analysis.Medium},
	{"ssm:GetParametersByPath", analysis.Medium}, {"kms:Decrypt", analysis.Medium},
}

var iamCredentials = &analysis.Rule{
	ID:       "IAM007",
	Title:    "credentials or secrets readable account-wide",
	Severity: analysis.High,
	Kinds:    policyKinds,
	Doc: "Some actions return credentials (ec2:GetPasswordData, redshift:GetClusterCredentials, rds-db:connect, " +
		"sts:GetFederationToken…) or secrets (secretsmanager:GetSecretValue, ssm:GetParameter*, kms:Decrypt). On every " +
		"resource they hand over every credential or secret in the account, which Cloudsplaining reports as credentials " +
		"exposure and data exfiltration. Scope them to the secrets and parameters the workload reads.",
	Refs: []string{cloudsplainingURL, leastPrivilege},
	Run: func(p *analysis.Pass) {
		eachGrant(p, func(s *Statement) {
			for _, a := range s.Actions {
				if broadPattern(a.Value) {
					continue
				}
				for _, ca := range credentialActions {
					if actionMatches(a.Value, ca.action) {
						p.Report(analysis.Finding{Severity: softened(ca.sev, s), Start: a.Start, End: a.End, Message: a.Value +
							" on every resource returns every credential or secret it covers in the account."})
						break
					}
				}
			}
		})
	},
}
