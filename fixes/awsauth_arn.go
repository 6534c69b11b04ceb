package fixes

import (
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
		"sessions the role they assume.",
	Refs: []string{authenticatorARN, authConfigMapDoc, iamARNsDoc},
	Run: func(p *analysis.Pass) {
		for _, m := range authOf(p, p.Doc).Mappings {
			if m.ARN == nil || placeholder(m.ARN.Value) != "" || dynamic(m.ARN.Value) {
				continue
			}
			why, fixed := unmatchableARN(m.ARN.Value)
			if why == "" {
				continue
			}
			var fix *analysis.Fix
			msg := m.ARN.Value + " " + why + ": this entry never matches anyone."
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

var authPlaceholder = &analysis.Rule{
	ID:       "AUTH010",
	Title:    "aws-auth value still a placeholder",
	Severity: analysis.Medium,
	Kinds:    awsAuthKinds,
	Doc: "Templates and documentation write <ARN of instance role (not instance profile)>, <AWS_ACCOUNT_ID> or " +
		"xxxxxxxxxx where your value goes. Applied as it is, the entry is accepted and matches no one, and for a node " +
		"role entry the nodes cannot join. Put in the real ARN: for nodes, the node IAM role (aws iam " +
		"get-instance-profile --instance-profile-name NAME --query 'InstanceProfile.Roles[].Arn').",
	Refs: []string{authConfigMapDoc, "https://s3.us-west-2.amazonaws.com/amazon-eks/cloudformation/2020-10-29/aws-auth-cm.yaml"},
	Run: func(p *analysis.Pass) {
		m := authOf(p, p.Doc)
		for _, mp := range m.Mappings {
			if mp.ARN == nil {
				continue
			}
			if what := placeholder(mp.ARN.Value); what != "" {
				msg := "The ARN " + quoteOr(mp.ARN.Value, `""`) + " was never filled in (it is " + what + "): the entry matches no one"
				if k := mp.nodeKind(); k != nodeNone {
					msg += ", so nodes using the " + k.String() + " cannot join"
				}
				p.Reportf(mp.ARN.Start, mp.ARN.End, nil, "%s. Replace it with the real ARN.", msg)
			}
		}
		for _, a := range m.Accounts {
			if what := placeholder("arn:aws:iam::" + a.Value + ":root"); what != "" {
				p.Reportf(a.Start, a.End, nil, "The account %s was never filled in (it is %s).", a.Value, what)
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
