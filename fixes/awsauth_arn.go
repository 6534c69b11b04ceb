package fixes

import (
	"regexp"
	"strings"

	"github.com/eksdoctor/eksdoctor/analysis"
)

// The rules about the principals aws-auth names: ARNs that can never
// match a caller, values never filled in, and matchers EKS ignores.

var authUnmatchableARN = &analysis.Rule{
	ID:       "AUTH009",
	Title:    "aws-auth ARN that can never match a caller",
	Severity: analysis.High,
	Kinds:    awsAuthKinds,
	Doc: "The authenticator matches a caller by the canonical ARN of its identity: arn:PARTITION:iam::ACCOUNT:role/NAME " +
		"for anyone who assumed a role, or the IAM user's ARN, compared without regard to case. An STS assumed-role " +
		"session ARN, an instance profile ARN, an IAM group ARN (groups are not principals), an ARN with a region, a " +
		"malformed account or an unknown partition is accepted without an error but never equals that ARN, so the entry " +
		"silently grants nothing. Map the IAM role or user itself: for nodes the role inside the instance profile, for " +
		"sessions the role they assume. An account of digits that are not twelve may also be one shortened by hand before " +
		"pasting, so that one is reported at low severity and worded for both readings; a masked account (XXXXXXXXXXXX) is " +
		"not checked. A Terraform reference written without ${…} in a heredoc (rolearn: var.node_role_arn) reaches the " +
		"ConfigMap as those words.",
	Refs: []string{authenticatorARN, authConfigMapDoc, iamARNsDoc},
	Run: func(p *analysis.Pass) {
		model := authOf(p, p.Doc)
		for _, m := range model.Mappings {
			if m.ARN == nil || templated(m.ARN.Value) {
				continue
			}
			why, fixed := unmatchableARN(m.ARN.Value)
			if why == "" {
				continue
			}
			if note, ok := shortenedNote(m.ARN.Value, "this entry never matches anyone"); ok {
				p.Report(analysis.Finding{Severity: analysis.Low, Start: m.ARN.Start, End: m.ARN.End, Message: note})
				continue
			}
			var fix *analysis.Fix
			msg := m.ARN.Value + " " + why + ": this entry never matches anyone."
			if tfReference.MatchString(m.ARN.Value) {
				msg = m.ARN.Value + " is a Terraform reference written without ${…}, so the ConfigMap holds these words, " +
					"not the ARN: this entry never matches anyone."
				fixed = ""
				if model.Form == formTerraform {
					fixed = "${" + m.ARN.Value + "}"
				} else {
					msg += " Write ${" + m.ARN.Value + "} where the ConfigMap is generated."
				}
			}
			if fixed != "" {
				fix = &analysis.Fix{Summary: "Use " + fixed, Edits: []analysis.Edit{m.ARN.Replace(fixed)}}
				msg += " Use " + fixed + "."
			}
			if m.nodeKind() != nodeNone {
				msg += " Nodes using it cannot join the cluster."
			}
			p.Reportf(m.ARN.Start, m.ARN.End, fix, "%s", msg)
		}
	},
}

// tfReference matches a Terraform expression that names a value
// (var.node_role_arn, aws_iam_role.node.arn, module.eks.x[0].arn), as
// written where a template needed ${…} around it.
var tfReference = regexp.MustCompile(`^(?:(?:var|local|module|data)\.[A-Za-z_][\w-]*|aws_[a-z0-9_]+\.[A-Za-z_][\w-]*)(?:\.[A-Za-z_][\w-]*|\[[^\]]+\])*$`)

var authPlaceholder = &analysis.Rule{
	ID:       "AUTH010",
	Title:    "aws-auth value still a placeholder",
	Severity: analysis.Medium,
	Kinds:    awsAuthKinds,
	Doc: "Templates and documentation write <ARN of instance role (not instance profile)> or <AWS_ACCOUNT_ID> where your " +
		"value goes. Applied as it is, the entry is accepted and matches no one, and for a node role entry the nodes cannot " +
		"join. Put in the real ARN: for nodes, the node IAM role (aws iam get-instance-profile --instance-profile-name NAME " +
		"--query 'InstanceProfile.Roles[].Arn'). People also hide values before pasting (XXXXXXXXXXXX, REDACTED, ***, " +
		"<account-id>): a placeholder that describes its value is reported as never filled in; a short name in angle brackets " +
		"is reported at low severity and worded for both readings; a value masked in a paste that masks values is assumed to " +
		"hold a real one, and every other rule still checks the rest of the entry.",
	Refs: []string{authConfigMapDoc, "https://s3.us-west-2.amazonaws.com/amazon-eks/cloudformation/2020-10-29/aws-auth-cm.yaml"},
	Run: func(p *analysis.Pass) {
		m := authOf(p, p.Doc)
		for _, mp := range m.Mappings {
			if mp.ARN == nil {
				continue
			}
			consequence := "the entry matches no one"
			if k := mp.nodeKind(); k != nodeNone {
				consequence += ", so nodes using the " + k.String() + " cannot join"
			}
			if sev, note, ok := placeholderNote(p, mp.ARN.Value, consequence); ok {
				p.Report(analysis.Finding{Severity: sev, Start: mp.ARN.Start, End: mp.ARN.End,
					Message: "The ARN " + quoteOr(mp.ARN.Value, `""`) + " " + note + ". Put in the real ARN."})
			}
		}
		for _, a := range m.Accounts {
			if sev, note, ok := placeholderNote(p, a.Value, "it lets no account in"); ok {
				p.Report(analysis.Finding{Severity: sev, Start: a.Start, End: a.End, Message: "The account " + a.Value + " " + note + "."})
			}
		}
	},
}

var authWrongSection = &analysis.Rule{
	ID:       "AUTH011",
	Title:    "user ARN in mapRoles or role ARN in mapUsers",
	Severity: analysis.Low,
	Kinds:    awsAuthKinds,
	Doc: "mapRoles is for IAM roles and mapUsers for IAM users. The authenticator compares the caller's ARN with both " +
		"(roles first), so an entry in the other section still matches, but readers, eksctl and migration tools go by " +
		"the section, and a later cleanup of one section can remove it by mistake. Move the entry to the section for its " +
		"principal type, with the key that section uses (userarn or rolearn).",
	Refs: []string{authConfigMapDoc, authenticatorTypes},
	Run: func(p *analysis.Pass) {
		for _, m := range authOf(p, p.Doc).Mappings {
			if m.ARN == nil || m.Section == "iamIdentityMappings" {
				continue
			}
			a, ok := analysis.ParseARN(m.ARN.Value)
			if !ok || !strings.EqualFold(a.Service, "iam") {
				continue
			}
			want := map[string]string{"role": "mapRoles", "user": "mapUsers"}[a.ResourceType()]
			if want != "" && want != m.Section {
				p.Reportf(m.ARN.Start, m.ARN.End, nil, "%s is an IAM %s ARN under %s. It still matches, but it belongs in %s.",
					m.ARN.Value, a.ResourceType(), m.Section, want)
			}
		}
	},
}

var authSSOMatcher = &analysis.Rule{
	ID:       "AUTH019",
	Title:    "sso matcher that EKS does not apply",
	Severity: analysis.Medium,
	Kinds:    awsAuthKinds,
	Doc: "The authenticator's sso: matcher (permissionSetName, accountID) is an alpha feature behind the SSORoleMatch " +
		"feature gate, which is off by default; no EKS documentation mentions it, so on EKS the entry never matches. " +
		"Map the IAM Identity Center role by its ARN without the path, arn:aws:iam::ACCOUNT:role/AWSReservedSSO_SET_SUFFIX " +
		"(the suffix differs per account: aws iam list-roles --path-prefix /aws-reserved/sso.amazonaws.com/), or use an " +
		"access entry, which takes the full ARN.",
	Refs: []string{"https://github.com/kubernetes-sigs/aws-iam-authenticator/blob/master/docs/sso_role_matcher.md", authConfigMapDoc},
	Run: func(p *analysis.Pass) {
		for _, m := range authOf(p, p.Doc).Mappings {
			for _, k := range m.Keys {
				if !strings.EqualFold(k.Key.Value, "sso") || m.Section != "mapRoles" {
					continue
				}
				msg := "The sso matcher works only where the authenticator's alpha SSORoleMatch feature gate is on, which " +
					"EKS does not document, so this entry never matches."
				if m.Entry.Drop != "" {
					msg = "The authenticator drops this entry (" + m.Entry.Drop + "), and even a valid sso matcher needs the alpha SSORoleMatch feature gate."
				}
				p.Reportf(k.Key.Start, k.Key.End, nil, "%s Map the role ARN arn:aws:iam::%s:role/AWSReservedSSO_%s_SUFFIX instead.",
					msg, ssoAccountOf(m), ssoSetOf(m))
			}
		}
	},
}

// ssoSetOf returns the permission set an sso matcher names, or a stand-in.
func ssoSetOf(m authMapping) string {
	if m.Entry.SSO != nil && m.Entry.SSO.PermissionSetName != "" {
		return m.Entry.SSO.PermissionSetName
	}
	return "SET"
}

// ssoAccountOf returns the account an sso matcher names, or a stand-in.
func ssoAccountOf(m authMapping) string {
	if m.Entry.SSO != nil && accountID.MatchString(m.Entry.SSO.AccountID) {
		return m.Entry.SSO.AccountID
	}
	return "ACCOUNT"
}
