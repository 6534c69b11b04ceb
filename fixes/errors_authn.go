package fixes

import (
	"regexp"
	"strconv"
	"strings"
)

// The aws-iam-authenticator's log lines (CloudWatch stream authenticator-*),
// and the errors of the EKS access entry APIs.

const (
	authenticatorServer = "https://github.com/kubernetes-sigs/aws-iam-authenticator/blob/master/pkg/server/server.go"
	authenticatorToken  = "https://github.com/kubernetes-sigs/aws-iam-authenticator/blob/master/pkg/token/token.go"
	authenticatorCMap   = "https://github.com/kubernetes-sigs/aws-iam-authenticator/blob/master/pkg/mapper/configmap/configmap.go"
	controlPlaneLogs    = "https://docs.aws.amazon.com/eks/latest/userguide/control-plane-logs.html"
	tfAWSEKSUpgrade20   = "https://github.com/terraform-aws-modules/terraform-aws-eks/blob/master/docs/UPGRADE-20.0.md"
)

var sigTokenExpired = newSignature([]string{"X-Amz-Date parameter is expired"},
	[]string{`X-Amz-Date parameter is expired \((?P<minutes>\d+) minute expiration\)(?: (?P<date>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d))?`},
	[]string{`level=warning msg="access denied" error="input token was not properly formatted: X-Amz-Date parameter is expired (15 minute expiration) 2024-06-18 14:02:11 +0000 UTC"`},
	[]string{`level=warning msg="access denied" error="identity is not mapped"`})

var errTokenExpired = symptom(&Rule{
	ID:       "ERR018",
	Title:    "the EKS token was older than 15 minutes",
	Severity: High,
	Doc: "An EKS bearer token is a presigned sts:GetCallerIdentity request, and the authenticator refuses it 15 minutes after it was " +
		"signed, whatever expiry the client believed. A credential plugin (aws eks get-token) makes a fresh one for every kubectl run; " +
		"a token pasted into a kubeconfig, a CI variable, or Terraform's aws_eks_cluster_auth data source in a long apply goes stale. " +
		"Use an exec credential plugin instead: aws eks update-kubeconfig writes one, and Terraform's kubernetes and helm providers take " +
		"an exec block running aws eks get-token.",
	Refs: []string{authenticatorToken, "https://repost.aws/knowledge-center/eks-troubleshoot-rbac-errors",
		"https://registry.terraform.io/providers/hashicorp/kubernetes/latest/docs#exec-plugins"},
}, sigTokenExpired, func(p *Pass, ms []errMatch) {
	var c causes
	weighKubeconfigToken(p, &c)
	c.add("token", common, "a token stored instead of generated: a kubeconfig token, a CI variable or Terraform's aws_eks_cluster_auth in a long apply")
	c.add("clock", rare, "the clock of the machine that made the token is wrong")
	p.Reportf(ms[0].Start, ms[0].End, nil, "The authenticator refused a token signed more than %s minutes earlier%s. %s",
		firstNonEmpty(ms[0].group("minutes"), "15"), times(ms), c.String())
	p.SuggestCommand("Generate tokens on demand", "aws eks update-kubeconfig "+clusterRef(p).flags("--name"),
		"Writes an exec plugin that makes a fresh token for every call; in Terraform, give the kubernetes and helm providers an exec block "+
			"with command \"aws\" and args [\"eks\", \"get-token\", \"--cluster-name\", NAME].")
})

var sigNotMapped = newSignature([]string{"is not mapped"},
	[]string{`(?:ARN|[Ii]dentity) is not mapped`},
	[]string{`time="2024-06-18T14:12:44Z" level=warning msg="access denied" arn="arn:aws:iam::111122223333:role/developer" error="identity is not mapped" method=POST path=/authenticate`,
		`level=warning msg="access denied" arn="arn:aws:iam::111122223333:role/admin" error="ARN is not mapped"`},
	[]string{`level=info msg="access granted" arn="arn:aws:iam::111122223333:role/admin"`})

var logARN = regexp.MustCompile(`arn=\\?"(arn:[^"\\\s]+)|is not mapped: (arn:\S+)`)

var errNotMapped = symptom(&Rule{
	ID:       "ERR019",
	Title:    "the authenticator found no mapping for the principal",
	Severity: High,
	Doc: "The authenticator verified the token, turned the caller's ARN into its canonical form (an assumed-role session becomes " +
		"arn:aws:iam::ACCOUNT:role/NAME, without path) and found it neither in aws-auth nor in an access entry, so the request is " +
		"Unauthorized. The log says \"ARN is not mapped\" (up to v0.6.13), \"Identity is not mapped\" or \"identity is not mapped\" " +
		"(v0.7.7 and later). Compare the arn= field with aws-auth case-insensitively; a rolearn written with a path never matches. " +
		"Add the entry (or an access entry); when the aws-auth is pasted, the fix adds it.",
	Refs: []string{authenticatorServer, "https://repost.aws/knowledge-center/eks-api-server-unauthorized-error", authConfigMapDoc, controlPlaneLogs},
}, sigNotMapped, func(p *Pass, ms []errMatch) {
	seen := map[string]bool{}
	for _, m := range ms {
		arn := ""
		if sub := logARN.FindStringSubmatch(m.line.Text); sub != nil {
			arn = firstNonEmpty(sub[1], sub[2])
		}
		canonical, ok := Canonical(arn)
		if !ok {
			if !seen[""] {
				seen[""] = true
				p.Reportf(m.Start, m.End, nil, "The authenticator found no aws-auth entry or access entry for the caller. "+
					"The arn= field of the same log line names the principal to add.")
			}
			continue
		}
		if seen[strings.ToLower(canonical)] {
			continue
		}
		seen[strings.ToLower(canonical)] = true
		who := principal{caller: caller{ARN: arn, Canonical: canonical}, node: instanceSessionARN.MatchString(arn)}
		var c causes
		fix := weighMapping(p, &c, who)
		if what, _, ok := mappedIdentity(p, canonical); ok && strings.HasPrefix(what, "aws-auth") {
			c.show("stale", shownLikely, "the pasted aws-auth maps it but the cluster's does not: the paste is not the live ConfigMap "+
				"(not applied, edited since, or another cluster's), or the live one fails to parse")
		}
		if sigConfigMapParse.occurs(p) {
			c.show("yaml", shownLikely, "the same log shows the authenticator failing to parse aws-auth: the entry may sit in the section it dropped (rule ERR020)")
		}
		weighBrokenAWSAuth(p, &c)
		c.add("mapping", common+5, "there is no aws-auth entry or access entry for it yet")
		c.add("mapping", common, "its aws-auth rolearn has an IAM path, or is an assumed-role (sts) ARN, so it never matches")
		lead := "The authenticator verified the token of " + canonical + " but found no mapping for it. "
		if who.node {
			lead = "The node role " + canonical + " is not mapped: nodes with this role cannot join or stay Ready. "
		} else {
			c.add("profile", rare, "the person or program used another role than the one that was mapped (check its profile)")
		}
		p.Report(Finding{Start: m.Start, End: m.End, Fix: fix, Message: lead + c.String()})
		if !mappingsPasted(p) {
			entry := humanMapping(canonical)
			if who.node {
				entry = nodeMapping(canonical)
			}
			suggestIdentityMapping(p, entry)
		}
	}
	suggestAccessConfig(p)
}, sigTokenExpired)

var sigConfigMapParse = newSignature([]string{"Errors parsing configmap", "error parsing the config maps"},
	[]string{`Errors parsing configmap: \[(?P<errors>[^\n]*)\]`, `There was an error parsing the config maps`},
	[]string{`level=warning msg="Errors parsing configmap: [yaml: line 13: did not find expected key]"`},
	[]string{`level=warning msg="access denied"`})

var errConfigMapParse = symptom(&Rule{
	ID:       "ERR020",
	Title:    "the authenticator could not parse aws-auth",
	Severity: Critical,
	Doc: "When a mapRoles or mapUsers value of aws-auth is not valid YAML, the authenticator drops that whole section and keeps only " +
		"the sections that parsed: one indentation slip in mapRoles unmaps every role, the node roles included, so nodes go NotReady " +
		"and people get Unauthorized. The log names the YAML error and its line within the section. Fix the YAML (newer clusters " +
		"reject such edits with a validating webhook; older ones accept them), and prefer eksctl create iamidentitymapping or access " +
		"entries to hand edits.",
	Refs: []string{authenticatorCMap, "https://github.com/kubernetes-sigs/aws-iam-authenticator/pull/607", authConfigMapDoc},
}, sigConfigMapParse, func(p *Pass, ms []errMatch) {
	msg := "The authenticator could not parse aws-auth (" + firstNonEmpty(ms[0].group("errors"), "see the log line") +
		"): it dropped every entry of the broken section, node roles included, so nodes and people mapped there are refused."
	if s, ok := brokenSection(p); ok {
		msg += " The pasted aws-auth's " + s.Name + " does not parse either"
		if s.Err.Line > 0 {
			line, _ := p.Src.Position(s.Text.LineOffset(s.Err.Line, 1))
			msg += ", at line " + strconv.Itoa(line) + " of the paste"
		}
		if !strings.Contains(ms[0].line.Text, s.Err.Msg) {
			msg += " (" + s.Err.Msg + ")"
		}
		msg += "."
	} else {
		suggestAWSAuth(p)
	}
	p.Reportf(ms[0].Start, ms[0].End, nil, "%s", msg)
})

var sigSessionName = newSignature([]string{"SessionName did not contain an instance id"},
	[]string{`SessionName did not contain an instance id`},
	[]string{`level=warning msg="access denied" arn="arn:aws:sts::111122223333:assumed-role/ci/build-42" error="SessionName did not contain an instance id"`},
	[]string{"identity is not mapped"})

var errSessionName = symptom(&Rule{
	ID:       "ERR021",
	Title:    "a non-EC2 principal is mapped as a node",
	Severity: High,
	Doc: "The aws-auth entry that matched the caller has username system:node:{{EC2PrivateDNSName}}, which the authenticator can only " +
		"fill in for an EC2 instance's role session (session name i-…). The caller is something else: a person or CI job using the node " +
		"role, a role wrongly mapped as a node, or a Fargate or hybrid node role, which needs system:node:{{SessionName}}. Give people " +
		"and programs their own role and mapping; never let them assume the node role.",
	Refs: []string{authenticatorServer, authConfigMapDoc},
}, sigSessionName, func(p *Pass, ms []errMatch) {
	msg := "The caller matched an aws-auth entry whose username uses {{EC2PrivateDNSName}}, but it is not an EC2 instance's session, " +
		"so the authenticator refuses it."
	if sub := logARN.FindStringSubmatch(ms[0].line.Text); sub != nil {
		arn := firstNonEmpty(sub[1], sub[2])
		msg += " The caller is " + arn + "."
		if strings.Contains(strings.ToLower(arn), "fargate") || strings.Contains(strings.ToLower(arn), "podexecution") {
			msg += " For a Fargate pod execution role the username must be system:node:{{SessionName}}."
		}
	}
	p.Reportf(ms[0].Start, ms[0].End, nil, "%s Map people and programs with their own role and username; keep the node role for nodes.", msg)
})

var sigSystemGroup = newSignature([]string{"cannot start with system:"},
	[]string{`kubernetes group name (?P<group>\S+) is invalid, it cannot start with system:`},
	[]string{"InvalidParameterException: The kubernetes group name system:masters is invalid, it cannot start with system:"},
	[]string{"The username must not begin with system:"})

var errSystemGroup = symptom(&Rule{
	ID:       "ERR022",
	Title:    "an access entry cannot use a system: group",
	Severity: Medium,
	Doc: "Access entries refuse Kubernetes groups that start with system:. For system:masters use the access policy " +
		"AmazonEKSClusterAdminPolicy with cluster scope instead; other system: groups (system:nodes, system:bootstrappers, " +
		"system:node-proxier) belong to node entries that EKS creates itself (types EC2_LINUX, EC2_WINDOWS, FARGATE_LINUX), which take " +
		"no groups at all. Migrating from aws-auth, leave EKS-created node and Fargate entries alone.",
	Refs: []string{createEntriesDoc, migrateEntriesDoc, "https://github.com/terraform-aws-modules/terraform-aws-eks/issues/2915"},
}, sigSystemGroup, func(p *Pass, ms []errMatch) {
	group := ms[0].group("group")
	advice := "use an access entry of the node's type (EC2_LINUX, EC2_WINDOWS, FARGATE_LINUX), which needs no groups, or a group of your own bound by RBAC"
	if group == "system:masters" {
		advice = "associate AmazonEKSClusterAdminPolicy with cluster scope instead"
		suggestCreateEntry(p, "PRINCIPAL_ARN", true)
	}
	p.Reportf(ms[0].Start, ms[0].End, nil, "Access entries refuse the group %s (no group may start with system:): %s.", group, advice)
})

var sigReservedUsername = newSignature([]string{"must not begin with"},
	[]string{`[Uu]sername must not begin with (?P<prefix>[a-z]+:)`},
	[]string{"InvalidParameterException: The username must not begin with system:"},
	[]string{"The kubernetes group name system:masters is invalid"})

var errReservedUsername = symptom(&Rule{
	ID:       "ERR023",
	Title:    "an access entry username uses a reserved prefix",
	Severity: Medium,
	Doc: "A custom username on an access entry may not start with system:, eks:, aws:, amazon: or iam:. Either the entry sets such a " +
		"username (choose another, or leave it unset so EKS uses the principal's ARN), or Terraform is rewriting an entry that EKS " +
		"created for a managed node group (type EC2_LINUX, username system:node:{{EC2PrivateDNSName}}): do not manage those, or add " +
		"lifecycle { ignore_changes = [kubernetes_groups, user_name] }.",
	Refs: []string{"https://docs.aws.amazon.com/eks/latest/userguide/set-custom-username.html", createEntriesDoc,
		"https://github.com/aws-ia/terraform-aws-eks-blueprints/pull/1920"},
}, sigReservedUsername, func(p *Pass, ms []errMatch) {
	p.Reportf(ms[0].Start, ms[0].End, nil, "EKS refuses an access entry username that starts with %s (system:, eks:, aws:, amazon: and "+
		"iam: are reserved). Leave the username unset, choose another, or stop managing the node entries EKS created.", ms[0].group("prefix"))
})

var sigModeRequired = newSignature([]string{"authentication mode must be set"},
	[]string{`authentication mode must be set to one of \[API, API_AND_CONFIG_MAP\]`},
	[]string{"InvalidRequestException: The cluster's authentication mode must be set to one of [API, API_AND_CONFIG_MAP] to perform this operation."},
	[]string{"Unsupported authentication mode update from CONFIG_MAP to API"})

var errModeRequired = symptom(&Rule{
	ID:       "ERR024",
	Title:    "access entries need the API authentication mode",
	Severity: Medium,
	Doc: "The cluster's authentication mode is CONFIG_MAP, which reads only aws-auth, so the access entry APIs refuse to work. Switch " +
		"it to API_AND_CONFIG_MAP (both are read; existing aws-auth mappings keep working) with aws eks update-cluster-config " +
		"--access-config authenticationMode=API_AND_CONFIG_MAP. The change is one-way and needs a recent platform version.",
	Refs: []string{authModeDoc, accessEntriesDoc},
}, sigModeRequired, func(p *Pass, ms []errMatch) {
	detail := "The cluster reads only aws-auth (CONFIG_MAP)"
	if mode := authMode(p); mode != "" {
		detail = "The pasted access configuration says " + mode
	}
	p.Reportf(ms[0].Start, ms[0].End, nil, "%s, so the access entry APIs are refused. Switch to API_AND_CONFIG_MAP first; "+
		"aws-auth keeps working alongside.", detail)
	p.SuggestCommand("Enable access entries", "aws eks update-cluster-config "+clusterRef(p).flags("--name")+
		" --access-config authenticationMode=API_AND_CONFIG_MAP", "Wait for the update to finish; the change cannot be undone.")
})

var sigModeOneStep = newSignature([]string{"CONFIG_MAP to API"},
	[]string{`(?:Unsupported authentication mode update|Cannot update) from CONFIG_MAP to API(?:[^_A-Z]|$)`},
	[]string{"An error occurred (InvalidParameterException) when calling the UpdateClusterConfig operation: Unsupported authentication mode update from CONFIG_MAP to API"},
	[]string{"Unsupported authentication mode update from CONFIG_MAP to API_AND_CONFIG_MAP"})

var errModeOneStep = symptom(&Rule{
	ID:       "ERR025",
	Title:    "the authentication mode cannot jump from CONFIG_MAP to API",
	Severity: Medium,
	Doc: "EKS changes the authentication mode one step at a time and never back: CONFIG_MAP to API_AND_CONFIG_MAP, then " +
		"API_AND_CONFIG_MAP to API. Switch to API_AND_CONFIG_MAP, create an access entry for every aws-auth mapping you keep (eksctl " +
		"utils migrate-to-access-entry does it), check that everyone still gets in, and only then switch to API, which ignores aws-auth.",
	Refs: []string{authModeDoc, migrateEntriesDoc, tfAWSEKSUpgrade20},
}, sigModeOneStep, func(p *Pass, ms []errMatch) {
	c := clusterRef(p)
	p.Reportf(ms[0].Start, ms[0].End, nil, "EKS moves from CONFIG_MAP to API only through API_AND_CONFIG_MAP: switch to "+
		"API_AND_CONFIG_MAP, migrate the aws-auth mappings to access entries, then switch to API.")
	p.SuggestCommand("First step: API_AND_CONFIG_MAP", "aws eks update-cluster-config "+c.flags("--name")+" --access-config authenticationMode=API_AND_CONFIG_MAP",
		"aws-auth keeps working while you create access entries.")
	p.SuggestCommand("Then migrate the mappings", "eksctl utils migrate-to-access-entry --cluster "+firstNonEmpty(c.Name, "my-cluster")+" --target-authentication-mode API",
		"Without --approve it only shows the plan; it switches to API, and deletes aws-auth, only when every mapping could be migrated.")
})

var sigBootstrapCreator = newSignature([]string{"bootstrapClusterCreatorAdminPermissions"},
	[]string{`bootstrapClusterCreatorAdminPermissions must be true if cluster authentication mode is set to CONFIG_MAP`},
	[]string{"InvalidParameterException: bootstrapClusterCreatorAdminPermissions must be true if cluster authentication mode is set to CONFIG_MAP"},
	[]string{"authentication mode must be set to one of [API, API_AND_CONFIG_MAP]"})

var errBootstrapCreator = symptom(&Rule{
	ID:       "ERR026",
	Title:    "a CONFIG_MAP cluster needs its creator as admin",
	Severity: Medium,
	Doc: "A cluster created in CONFIG_MAP mode has no access entries, so the creator's admin access is its only way in: EKS refuses " +
		"bootstrapClusterCreatorAdminPermissions=false with that mode. Either keep it true, or create the cluster in API_AND_CONFIG_MAP " +
		"(or API) mode and give admins access entries. In Terraform that is access_config.bootstrap_cluster_creator_admin_permissions; " +
		"the terraform-aws-eks module calls it enable_cluster_creator_admin_permissions.",
	Refs: []string{authModeDoc, tfAWSEKSUpgrade20, "https://github.com/terraform-aws-modules/terraform-aws-eks/issues/3026"},
}, sigBootstrapCreator, func(p *Pass, ms []errMatch) {
	p.Reportf(ms[0].Start, ms[0].End, nil, "A CONFIG_MAP cluster without its creator as admin would have no way in, so EKS refuses it. "+
		"Use authentication mode API_AND_CONFIG_MAP with access entries for your admins, or set bootstrapClusterCreatorAdminPermissions to true.")
})

var sigEntryExists = newSignature([]string{"ResourceInUseException"},
	[]string{`(?:Access Entry \((?P<cluster>[^:()\s]+):(?P<principal>arn:[^)\s]+)\)[^\n]*?)?ResourceInUseException: The specified access entry resource is already in use on this cluster`,
		`CreateAccessEntry[^\n]*?ResourceInUseException`},
	[]string{"Error: creating EKS Access Entry (prod:arn:aws:iam::111122223333:role/admin): operation error EKS: CreateAccessEntry, https response error StatusCode: 409, RequestID: x, ResourceInUseException: The specified access entry resource is already in use on this cluster."},
	[]string{"ResourceInUseException: Cluster already exists with name: prod"})

var errEntryExists = symptom(&Rule{
	ID:       "ERR027",
	Title:    "the access entry already exists",
	Severity: Medium,
	Doc: "A principal has at most one access entry per cluster, and this one already has it. Usually EKS made it: for the cluster " +
		"creator when bootstrapClusterCreatorAdminPermissions is true (and the terraform-aws-eks module also adds one when " +
		"enable_cluster_creator_admin_permissions is true), for managed node group and Fargate roles, or for the same node role used by " +
		"two node groups. Don't create it twice: update it (aws eks update-access-entry, associate-access-policy), import it into " +
		"Terraform (terraform import aws_eks_access_entry.NAME CLUSTER:PRINCIPAL_ARN), or stop bootstrapping the creator.",
	Refs: []string{createEntriesDoc, "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/eks_access_entry",
		"https://github.com/terraform-aws-modules/terraform-aws-eks/issues/3293"},
}, sigEntryExists, func(p *Pass, ms []errMatch) {
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
	p.Reportf(ms[0].Start, ms[0].End, nil, "%s already has an access entry on this cluster. %s Update or import the existing entry "+
		"instead of creating it.", subjectText, c.String())
	if c := clusterRef(p); who != "" {
		p.SuggestCommand("Take over the existing entry", "aws eks describe-access-entry "+c.flags("--cluster-name")+" --principal-arn "+who,
			"In Terraform, import it instead of creating it: `terraform import aws_eks_access_entry.NAME "+firstNonEmpty(ms[0].group("cluster"), c.Name, "my-cluster")+":"+who+"`.")
	}
})

var sigAWSAuthMissing = newSignature([]string{`configmaps "aws-auth" not found`},
	[]string{`configmaps "aws-auth" not found`},
	[]string{`Error from server (NotFound): configmaps "aws-auth" not found`},
	[]string{`configmaps "aws-auth" already exists`})

var errAWSAuthMissing = symptom(&Rule{
	ID:       "ERR028",
	Title:    "the aws-auth ConfigMap does not exist",
	Severity: Medium,
	Doc: "EKS creates kube-system/aws-auth with the first managed node group; a cluster with only self-managed nodes, or none yet, " +
		"has none until you apply it, and migrating to the API authentication mode (eksctl utils migrate-to-access-entry) deletes it. " +
		"In API mode that is expected: use access entries. Otherwise apply the stock aws-auth-cm.yaml with your node role ARN, or let " +
		"eksctl create iamidentitymapping create it.",
	Refs: []string{authConfigMapDoc, migrateEntriesDoc},
}, sigAWSAuthMissing, func(p *Pass, ms []errMatch) {
	if ignoresAWSAuth(p) {
		p.Report(Finding{Start: ms[0].Start, End: ms[0].End, Severity: Info, Message: "The cluster's authentication mode is API, " +
			"which does not use aws-auth, so its absence is expected: manage access with access entries."})
		return
	}
	p.Reportf(ms[0].Start, ms[0].End, nil, "There is no aws-auth ConfigMap: the cluster has no managed node group yet, uses only "+
		"self-managed nodes, or was migrated to access entries. Check the authentication mode; in CONFIG_MAP mode create it with your node role.")
	suggestAccessConfig(p)
	p.SuggestCommand("Create aws-auth with the node entry", "eksctl create iamidentitymapping --cluster "+firstNonEmpty(clusterRef(p).Name, "my-cluster")+
		" --arn NODE_ROLE_ARN --username 'system:node:{{EC2PrivateDNSName}}' --group system:bootstrappers --group system:nodes",
		"Creates the ConfigMap when it does not exist; NODE_ROLE_ARN is the node role's ARN (not the instance profile's), without path.")
})
