package fixes

import (
	"fmt"
	"strings"

	"github.com/eksdoctor/eksdoctor/analysis"
)

// Errors of the EKS access entry APIs and of a missing aws-auth.

var sigSystemGroup = newSignature([]string{"cannot start with system"},
	[]string{`kubernetes group name (?P<group>\S+) is invalid, it cannot start with system\b`},
	[]string{"InvalidParameterException: The kubernetes group name system:masters is invalid, it cannot start with system:",
		"The kubernetes group name system:nodes is invalid, it cannot start with system"},
	[]string{"The username must not begin with system:"})

var errSystemGroup = &analysis.Rule{
	ID:       "ERR022",
	Title:    "an access entry cannot use a system: group",
	Severity: analysis.Medium,
	Kinds:    errorTextKinds,
	Doc: "Access entries refuse Kubernetes groups that start with system:. For system:masters use the access policy " +
		"AmazonEKSClusterAdminPolicy with cluster scope instead; other system: groups (system:nodes, system:bootstrappers, " +
		"system:node-proxier) belong to node entries that EKS creates itself (types EC2_LINUX, EC2_WINDOWS, FARGATE_LINUX), which take " +
		"no groups at all. Migrating from aws-auth, leave EKS-created node and Fargate entries alone.",
	Refs: []string{createEntriesDoc, migrateEntriesDoc, tfEKSIssue2915},
	Run: symptom(sigSystemGroup, func(p *analysis.Pass, ms []errMatch) {
		group := ms[0].group("group")
		advice := "use an access entry of the node's type (EC2_LINUX, EC2_WINDOWS, FARGATE_LINUX), which needs no groups, or a group of your own bound by RBAC"
		if group == "system:masters" {
			advice = "associate AmazonEKSClusterAdminPolicy with cluster scope instead"
			suggestCreateEntry(p, "PRINCIPAL_ARN", true)
		}
		var c causes
		for _, e := range pastedEntries(p) {
			for _, g := range e.Groups {
				if g.Value == group || group == "" && strings.HasPrefix(g.Value, "system:") {
					c.showAt(g.Start, g.End, "group", shownDecisive, "the pasted access entry for %s lists the group %s", e.PrincipalARN.Text(), g.Value)
				}
			}
		}
		p.Report(analysis.Finding{Start: ms[0].Start, End: ms[0].End, Causes: c.evidence(),
			Message: fmt.Sprintf("Access entries refuse the group %s (no group may start with system:): %s.", group, advice)})
	}),
}

var sigStandardOnly = newSignature([]string{`type of "STANDARD"`, "type of STANDARD"},
	[]string{`(?:This operation|operation) can only be performed on Access Entries? with a type of "?STANDARD"?`},
	[]string{`An error occurred (InvalidRequestException) when calling the AssociateAccessPolicy operation: This operation can only be performed on Access Entries with a type of "STANDARD".`},
	[]string{`An error occurred (InvalidRequestException) when calling the CreateAccessEntry operation: The principalArn parameter format is not valid`})

var errStandardOnly = &analysis.Rule{
	ID:       "ERR050",
	Title:    "an access policy, group or username on a node or Fargate entry",
	Severity: analysis.Medium,
	Kinds:    errorTextKinds,
	Doc: "Access entries of type EC2_LINUX, EC2_WINDOWS, FARGATE_LINUX, EC2 and HYBRID_LINUX get the permissions nodes need " +
		"from EKS itself: EKS refuses to associate an access policy with them, or to give them Kubernetes groups or a " +
		"username (\"This operation can only be performed on Access Entries with a type of STANDARD\"). Drop the policy " +
		"association, groups and username from node and Fargate entries; a person or a job needs an entry of type STANDARD.",
	Refs: []string{createEntriesDoc, accessEntriesDoc},
	Run: symptom(sigStandardOnly, func(p *analysis.Pass, ms []errMatch) {
		var c causes
		for _, e := range pastedEntries(p) {
			if e.Type == nil || strings.EqualFold(e.Type.Value, "STANDARD") {
				continue
			}
			for _, f := range []*accessField{e.PoliciesField, e.GroupsField, e.UsernameField} {
				if f != nil {
					c.showAt(f.Start, f.End, "typed", shownDecisive, "the pasted %s entry for %s sets what only STANDARD entries take (%s)",
						e.Type.Value, e.PrincipalARN.Text(), strings.TrimSpace(p.Src.Text[f.Start:f.End]))
				}
			}
		}
		p.Report(analysis.Finding{Start: ms[0].Start, End: ms[0].End, Causes: c.evidence(),
			Message: "EKS refused to give an access policy, groups or a username to an entry that is not of type STANDARD: " +
				"node and Fargate entries (EC2_LINUX, EC2_WINDOWS, FARGATE_LINUX, EC2, HYBRID_LINUX) get their permissions from " +
				"EKS. Drop them from that entry; give people and jobs an entry of type STANDARD. " + c.String()})
	}),
}

// pastedEntries returns the access entries of every document of the paste
// that has some, in order.
func pastedEntries(p *analysis.Pass) []accessEntry {
	var out []accessEntry
	for _, d := range p.OfKind(accessEntryKinds...) {
		out = append(out, accessModelOf(p, d).Entries...)
	}
	for _, d := range p.OfKind(analysis.KindErrorText) { // commands run before the error
		out = append(out, accessModelOf(p, d).Entries...)
	}
	return out
}

var sigReservedUsername = newSignature([]string{"must not begin with"},
	[]string{`[Uu]sername must not begin with (?P<prefix>[a-z]+:)`},
	[]string{"InvalidParameterException: The username must not begin with system:"},
	[]string{"The kubernetes group name system:masters is invalid"})

var errReservedUsername = &analysis.Rule{
	ID:       "ERR023",
	Title:    "an access entry username uses a reserved prefix",
	Severity: analysis.Medium,
	Kinds:    errorTextKinds,
	Doc: "A custom username on an access entry may not start with system:, eks:, aws:, amazon: or iam:. Either the entry sets such a " +
		"username (choose another, or leave it unset so EKS uses the principal's ARN), or Terraform is rewriting an entry that EKS " +
		"created for a managed node group (type EC2_LINUX, username system:node:{{EC2PrivateDNSName}}): do not manage those, or add " +
		"lifecycle { ignore_changes = [kubernetes_groups, user_name] }.",
	Refs: []string{customUsernameDoc, createEntriesDoc,
		"https://github.com/aws-ia/terraform-aws-eks-blueprints/pull/1920"},
	Run: symptom(sigReservedUsername, func(p *analysis.Pass, ms []errMatch) {
		prefix := ms[0].group("prefix")
		update := strings.Contains(ms[0].line.Text, "UpdateAccessEntry")
		var c causes
		for _, e := range pastedEntries(p) {
			if u := e.Username; u != nil && strings.HasPrefix(u.Value, prefix) {
				c.showAt(u.Start, u.End, "username", shownDecisive, "the pasted access entry for %s sets the username %s", e.PrincipalARN.Text(), u.Value)
			}
			if update && e.isNodeType() && e.GroupsField != nil {
				whose := ""
				if arn := e.PrincipalARN.Text(); arn != "" {
					whose = " for " + arn
				}
				c.showAt(e.GroupsField.Start, e.GroupsField.End, "groups", shownDecisive, "the pasted %s entry%s sets kubernetes groups, "+
					"which differ from the system:nodes EKS gave it, so every apply updates it", e.entryType(), whose)
			}
		}
		msg := fmt.Sprintf("EKS refuses an access entry username that starts with %s (system:, eks:, aws:, amazon: and iam: are reserved). "+
			"Leave the username unset, choose another, or stop managing the node entries EKS created.", prefix)
		if update {
			msg = "EKS refuses to update a node entry: EKS gave it the username system:node:… and the group system:nodes itself, and an " +
				"update that sends them back is refused. Remove kubernetes_groups and user_name from the entry (even kubernetes_groups = [] " +
				"differs from what EKS set, so Terraform updates it on every apply), or add lifecycle { ignore_changes = [kubernetes_groups, user_name] }."
		}
		p.Report(analysis.Finding{Start: ms[0].Start, End: ms[0].End, Causes: c.evidence(), Message: msg})
	}),
}

var sigModeRequired = newSignature([]string{"authentication mode must be set"},
	[]string{`authentication mode must be set to one of \[API, API_AND_CONFIG_MAP\]`},
	[]string{"InvalidRequestException: The cluster's authentication mode must be set to one of [API, API_AND_CONFIG_MAP] to perform this operation."},
	[]string{"Unsupported authentication mode update from CONFIG_MAP to API"})

var errModeRequired = &analysis.Rule{
	ID:       "ERR024",
	Title:    "access entries need the API authentication mode",
	Severity: analysis.Medium,
	Kinds:    errorTextKinds,
	Doc: "The cluster's authentication mode is CONFIG_MAP, which reads only aws-auth, so the access entry APIs refuse to work. Switch " +
		"it to API_AND_CONFIG_MAP (both are read; existing aws-auth mappings keep working) with aws eks update-cluster-config " +
		"--access-config authenticationMode=API_AND_CONFIG_MAP. The change is one-way and needs a recent platform version. eksctl " +
		"0.173.0 to 0.175.x also cause it on a CONFIG_MAP cluster they create, by giving self-managed nodeGroups an access entry; " +
		"eksctl 0.176.0 maps them in aws-auth instead.",
	Refs: []string{accessEntriesSetupDoc, accessEntriesDoc, "https://github.com/eksctl-io/eksctl/issues/7695"},
	Run: symptom(sigModeRequired, func(p *analysis.Pass, ms []errMatch) {
		if mode := eksctlNodeGroupsOnConfigMap(p); mode != nil {
			var c causes
			c.showAt(mode.Start, mode.End, "mode", shownLikely, "the pasted eksctl config creates self-managed nodeGroups on a CONFIG_MAP cluster")
			p.Report(analysis.Finding{Start: ms[0].Start, End: ms[0].End, Causes: c.evidence(), Message: "eksctl 0.173.0 to 0.175.x give " +
				"self-managed node groups an access entry even when the cluster is in CONFIG_MAP mode, and their stack fails with this " +
				"error. Upgrade eksctl to 0.176.0 or later, which maps such nodes in aws-auth instead, or set authenticationMode: " +
				"API_AND_CONFIG_MAP."})
			return
		}
		detail := "The cluster reads only aws-auth (CONFIG_MAP)"
		if mode := authMode(p); mode != "" {
			detail = "The pasted access configuration says " + mode
		}
		p.Reportf(ms[0].Start, ms[0].End, nil, "%s, so the access entry APIs are refused. Switch to API_AND_CONFIG_MAP first; "+
			"aws-auth keeps working alongside.", detail)
		p.SuggestCommand("Enable access entries", "aws eks update-cluster-config "+clusterRef(p).flags("--name")+
			" --access-config authenticationMode=API_AND_CONFIG_MAP", "Wait for the update to finish; the change cannot be undone.")
	}),
}

// eksctlNodeGroupsOnConfigMap returns the mode of a pasted eksctl
// ClusterConfig that asks for CONFIG_MAP and self-managed nodeGroups
// without access entries, or nil.
func eksctlNodeGroupsOnConfigMap(p *analysis.Pass) *analysis.Scalar {
	for _, d := range p.OfKind(analysis.KindAccessEntries) {
		m := accessModelOf(p, d)
		if c := m.Config; m.NodeGroups != nil && len(m.Entries) == 0 && c != nil && c.Desired && c.Mode != nil && c.Mode.Value == "CONFIG_MAP" {
			return c.Mode
		}
	}
	return nil
}

var sigModeOneStep = newSignature([]string{"CONFIG_MAP to API"},
	[]string{`(?:Unsupported authentication mode update|Cannot update) from CONFIG_MAP to API(?:[^_A-Z]|$)`},
	[]string{"An error occurred (InvalidParameterException) when calling the UpdateClusterConfig operation: Unsupported authentication mode update from CONFIG_MAP to API"},
	[]string{"Unsupported authentication mode update from CONFIG_MAP to API_AND_CONFIG_MAP"})

var errModeOneStep = &analysis.Rule{
	ID:       "ERR025",
	Title:    "the authentication mode cannot jump from CONFIG_MAP to API",
	Severity: analysis.Medium,
	Kinds:    errorTextKinds,
	Doc: "EKS changes the authentication mode one step at a time and never back: CONFIG_MAP to API_AND_CONFIG_MAP, then " +
		"API_AND_CONFIG_MAP to API. Switch to API_AND_CONFIG_MAP, create an access entry for every aws-auth mapping you keep (eksctl " +
		"utils migrate-to-access-entry does it), check that everyone still gets in, and only then switch to API, which ignores aws-auth.",
	Refs: []string{accessEntriesSetupDoc, migrateEntriesDoc, tfAWSEKSUpgrade20},
	Run: symptom(sigModeOneStep, func(p *analysis.Pass, ms []errMatch) {
		c := clusterRef(p)
		p.Reportf(ms[0].Start, ms[0].End, nil, "EKS moves from CONFIG_MAP to API only through API_AND_CONFIG_MAP: switch to "+
			"API_AND_CONFIG_MAP, migrate the aws-auth mappings to access entries, then switch to API.")
		p.SuggestCommand("First step: API_AND_CONFIG_MAP", "aws eks update-cluster-config "+c.flags("--name")+" --access-config authenticationMode=API_AND_CONFIG_MAP",
			"aws-auth keeps working while you create access entries.")
		p.SuggestCommand("Then migrate the mappings", "eksctl utils migrate-to-access-entry --cluster "+firstNonEmpty(c.Name, "my-cluster")+" --target-authentication-mode API",
			"Without --approve it only shows the plan; it switches to API, and deletes aws-auth, only when every mapping could be migrated.")
	}),
}

var sigBootstrapCreator = newSignature([]string{"bootstrapClusterCreatorAdminPermissions"},
	[]string{`bootstrapClusterCreatorAdminPermissions must be true if cluster authentication mode is set to CONFIG_MAP`},
	[]string{"InvalidParameterException: bootstrapClusterCreatorAdminPermissions must be true if cluster authentication mode is set to CONFIG_MAP"},
	[]string{"authentication mode must be set to one of [API, API_AND_CONFIG_MAP]"})

var errBootstrapCreator = &analysis.Rule{
	ID:       "ERR026",
	Title:    "a CONFIG_MAP cluster needs its creator as admin",
	Severity: analysis.Medium,
	Kinds:    errorTextKinds,
	Doc: "A cluster created in CONFIG_MAP mode has no access entries, so the creator's admin access is its only way in: EKS refuses " +
		"bootstrapClusterCreatorAdminPermissions=false with that mode. Either keep it true, or create the cluster in API_AND_CONFIG_MAP " +
		"(or API) mode and give admins access entries. In Terraform that is access_config.bootstrap_cluster_creator_admin_permissions; " +
		"the terraform-aws-eks module calls it enable_cluster_creator_admin_permissions.",
	Refs: []string{accessEntriesSetupDoc, tfAWSEKSUpgrade20, tfEKSIssue3026},
	Run: symptom(sigBootstrapCreator, func(p *analysis.Pass, ms []errMatch) {
		p.Reportf(ms[0].Start, ms[0].End, nil, "A CONFIG_MAP cluster without its creator as admin would have no way in, so EKS refuses it. "+
			"Use authentication mode API_AND_CONFIG_MAP with access entries for your admins, or set bootstrapClusterCreatorAdminPermissions to true.")
	}),
}

var sigEntryExists = newSignature([]string{"ResourceInUseException", "already in use on this cluster", "already exists in stack"},
	[]string{`(?:Access Entry \((?P<cluster>[^:()\s]+):(?P<principal>arn:[^)\s]+)\)[^\n]*?)?(?:ResourceInUseException: )?The specified access entry resource is already in use on this cluster`,
		// CloudFormation: an AWS::EKS::AccessEntry's id is PRINCIPAL|CLUSTER, and another stack holds it
		`(?P<principal>arn:aws[\w-]*:iam::[^:\s]*:(?:role|user)/\S+?)\|(?P<cluster>\S+) already exists in stack`,
		`CreateAccessEntry[^\n]*?ResourceInUseException`},
	[]string{"Error: creating EKS Access Entry (prod:arn:aws:iam::111122223333:role/admin): operation error EKS: CreateAccessEntry, https response error StatusCode: 409, RequestID: x, ResourceInUseException: The specified access entry resource is already in use on this cluster.",
		"Status reason: arn:aws:iam::111122223333:role/myRole|test already exists in stack eksctl-test-nodegroup-ng-1",
		`[✖]  AWS::EKS::AccessEntry/AccessEntry: CREATE_FAILED – "Resource handler returned message: \"The specified access entry resource is already in use on this cluster. (Service: Eks, Status Code: 409, Request ID: x)\" (RequestToken: y, HandlerErrorCode: AlreadyExists)"`},
	[]string{"ResourceInUseException: Cluster already exists with name: prod"})

var errEntryExists = &analysis.Rule{
	ID:       "ERR027",
	Title:    "the access entry already exists",
	Severity: analysis.Medium,
	Kinds:    errorTextKinds,
	Doc: "A principal has at most one access entry per cluster, and this one already has it. Usually EKS made it: for the cluster " +
		"creator when bootstrapClusterCreatorAdminPermissions is true (and the terraform-aws-eks module also adds one when " +
		"enable_cluster_creator_admin_permissions is true), for managed node group and Fargate roles, or for the same node role used by " +
		"two node groups. Don't create it twice: update it (aws eks update-access-entry, associate-access-policy), import it into " +
		"Terraform (terraform import aws_eks_access_entry.NAME CLUSTER:PRINCIPAL_ARN), or stop bootstrapping the creator.",
	Refs: []string{createEntriesDoc, tfAccessEntryResource,
		"https://github.com/terraform-aws-modules/terraform-aws-eks/issues/3293"},
	Run: symptom(sigEntryExists, func(p *analysis.Pass, ms []errMatch) {
		who := ms[0].group("principal")
		var c causes
		if me, ok := subject(p); ok && who != "" && principalID(who) == principalID(me.Canonical) {
			c.show("creator", shownLikely, "%s is the identity running this, most likely the cluster's creator, whose entry EKS made when "+
				"bootstrapClusterCreatorAdminPermissions is true", who)
		}
		c.add("creator", common+5, "EKS made the entry: for the cluster creator (bootstrapClusterCreatorAdminPermissions), or for a managed node group or Fargate role")
		c.add("twice", common, "the same principal is declared twice, e.g. one node role shared by two node groups")
		subjectText := "The principal"
		if who != "" {
			subjectText = who
		}
		p.Report(analysis.Finding{Start: ms[0].Start, End: ms[0].End, Message: fmt.Sprintf("%s already has an access entry on this cluster. %s Update or import the existing entry "+
			"instead of creating it.", subjectText, c.String()), Causes: c.evidence()})
		if c := clusterRef(p); who != "" {
			p.SuggestCommand("Take over the existing entry", "aws eks describe-access-entry "+c.flags("--cluster-name")+" --principal-arn "+who,
				"In Terraform, import it instead of creating it: `terraform import aws_eks_access_entry.NAME "+firstNonEmpty(ms[0].group("cluster"), c.Name, "my-cluster")+":"+who+"`.")
		}
	}),
}

var sigAWSAuthMissing = newSignature([]string{`configmaps "aws-auth" not found`},
	[]string{`configmaps "aws-auth" not found`},
	[]string{`Error from server (NotFound): configmaps "aws-auth" not found`},
	[]string{`configmaps "aws-auth" already exists`})

var errAWSAuthMissing = &analysis.Rule{
	ID:       "ERR028",
	Title:    "the aws-auth ConfigMap does not exist",
	Severity: analysis.Medium,
	Kinds:    errorTextKinds,
	Doc: "EKS creates kube-system/aws-auth with the first managed node group; a cluster with only self-managed nodes, or none yet, " +
		"has none until you apply it, and migrating to the API authentication mode (eksctl utils migrate-to-access-entry) deletes it. " +
		"In API mode that is expected: use access entries. Otherwise apply the stock aws-auth-cm.yaml with your node role ARN, or let " +
		"eksctl create iamidentitymapping create it.",
	Refs: []string{authConfigMapDoc, migrateEntriesDoc},
	Run: symptom(sigAWSAuthMissing, func(p *analysis.Pass, ms []errMatch) {
		if ignoresAWSAuth(p) {
			p.Report(analysis.Finding{Start: ms[0].Start, End: ms[0].End, Severity: analysis.Info, Message: "The cluster's authentication mode is API, " +
				"which does not use aws-auth, so its absence is expected: manage access with access entries."})
			return
		}
		p.Reportf(ms[0].Start, ms[0].End, nil, "There is no aws-auth ConfigMap: the cluster has no managed node group yet, uses only "+
			"self-managed nodes, or was migrated to access entries. Check the authentication mode; in CONFIG_MAP mode create it with your node role.")
		suggestAccessConfig(p)
		p.SuggestCommand("Create aws-auth with the node entry", "eksctl create iamidentitymapping --cluster "+firstNonEmpty(clusterRef(p).Name, "my-cluster")+
			" --arn NODE_ROLE_ARN --username 'system:node:{{EC2PrivateDNSName}}' --group system:bootstrappers --group system:nodes",
			"Creates the ConfigMap when it does not exist; NODE_ROLE_ARN is the node role's ARN (not the instance profile's), without path.")
	}),
}

var sigPrincipalRefused = newSignature([]string{"principalArn"},
	[]string{`(?:Access Entry \(?(?P<cluster>[^:()\s]+):(?P<principal>arn:[^)\s]+)\)?[^\n]*?)?The principalArn parameter format is not valid`,
		`(?:Access Entry \(?(?P<cluster>[^:()\s]+):(?P<principal>arn:[^)\s]+)\)?[^\n]*?)?The specified principalArn is invalid: invalid principal`},
	[]string{"Error: creating EKS Access Entry (prod:arn:aws:sts::111122223333:assumed-role/Admin/jane): operation error EKS: CreateAccessEntry, https response error StatusCode: 400, RequestID: x, InvalidParameterException: The principalArn parameter format is not valid",
		"│ Error: creating EKS Access Entry prod:arn:aws:iam::111122223333:role/AWSReservedSSO_Admin_1f9ff11932198c00): operation error EKS: CreateAccessEntry, https response error StatusCode: 400, RequestID: x, InvalidParameterException: The specified principalArn is invalid: invalid principal."},
	[]string{"InvalidParameterException: The kubernetes group name system:masters is invalid"})

var errPrincipalRefused = &analysis.Rule{
	ID:       "ERR046",
	Title:    "the access entry's principal ARN is refused",
	Severity: analysis.Medium,
	Kinds:    errorTextKinds,
	Doc: "An access entry names an IAM role or user by its ARN, and EKS checks it. \"The principalArn parameter format is not valid\" " +
		"comes back for an ARN that names no principal: most often an STS session (arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION), " +
		"which is what aws sts get-caller-identity and Terraform's aws_caller_identity print for a role; use the role's own ARN " +
		"(Terraform's aws_iam_session_context data source gives it as issuer_arn). \"The specified principalArn is invalid: invalid " +
		"principal\" comes back for a role or user that does not exist under that ARN: a typo, a deleted role, another account, or the " +
		"role's path left out. Unlike aws-auth, access entries take the full ARN with its path, and IAM Identity Center roles live " +
		"under /aws-reserved/sso.amazonaws.com/ (aws iam get-role --role-name NAME --query Role.Arn prints it).",
	Refs: []string{createEntryAPI, createEntriesDoc, "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/data-sources/iam_session_context",
		"https://github.com/terraform-aws-modules/terraform-aws-eks/issues/2969"},
	Run: symptom(sigPrincipalRefused, func(p *analysis.Pass, ms []errMatch) {
		m := ms[0]
		principal := m.group("principal")
		a, _ := analysis.ParseARN(principal)
		var msg string
		switch {
		case strings.EqualFold(a.Service, "sts") && a.ResourceType() == "assumed-role":
			role, _, _ := strings.Cut(strings.TrimPrefix(a.Resource, "assumed-role/"), "/")
			msg = principal + " is an STS session, not a principal EKS can give an entry to: use the role's ARN, arn:" + a.Partition +
				":iam::" + a.Account + ":role/" + role + " with the role's path if it has one (aws iam get-role --role-name " + role +
				" --query Role.Arn; in Terraform, data.aws_iam_session_context's issuer_arn)."
		case strings.Contains(m.text(), "invalid principal") && strings.HasPrefix(a.Name(), ssoRolePrefix) && a.Path() == "/":
			msg = principal + " leaves out the path IAM Identity Center roles have (/aws-reserved/sso.amazonaws.com/ and, for " +
				"newer ones, the region): access entries, unlike aws-auth, need the role's real ARN with it (aws iam get-role --role-name " +
				a.Name() + " --query Role.Arn prints it)."
		case strings.Contains(m.text(), "invalid principal"):
			msg = "No IAM role or user exists under " + firstNonEmpty(principal, "that ARN") + ": check for a typo, another account, " +
				"a deleted role, or a path left out (access entries take the full ARN with its path)."
		default:
			msg = firstNonEmpty(principal, "The principal ARN") + " is not the ARN of an IAM role or user: use arn:aws:iam::ACCOUNT:role/NAME " +
				"(with its path) or arn:aws:iam::ACCOUNT:user/NAME."
		}
		var c causes
		for _, e := range pastedEntries(p) {
			if e.PrincipalARN != nil && principal != "" && e.PrincipalARN.Value == principal {
				c.showAt(e.PrincipalARN.Start, e.PrincipalARN.End, "principal", shownDecisive, "the pasted access entry names %s", principal)
			}
		}
		p.Report(analysis.Finding{Start: m.Start, End: m.End, Causes: c.evidence(), Message: "EKS refused the access entry's principal. " + msg})
	}),
}
