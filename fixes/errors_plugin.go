package fixes

import (
	"strings"
)

// Errors of the credential plugin (aws eks get-token, aws-iam-authenticator)
// and of the EKS API calls around it.

const (
	execPluginGo      = "https://github.com/kubernetes/client-go/blob/master/plugin/pkg/client/auth/exec/exec.go"
	credPluginDoc     = "https://kubernetes.io/docs/reference/access-authn-authz/authentication/#client-go-credential-plugins"
	awsCLIIssue6920   = "https://github.com/aws/aws-cli/issues/6920"
	awsCLIReturnCodes = "https://docs.aws.amazon.com/cli/latest/userguide/cli-usage-returncodes.html"
	ssoLoginDoc       = "https://docs.aws.amazon.com/cli/latest/userguide/cli-configure-sso.html"
	iamDeniedDoc      = "https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html"
	eksPolicyExamples = "https://docs.aws.amazon.com/eks/latest/userguide/security-iam-id-based-policy-examples.html"
	clusterRoleDoc    = "https://docs.aws.amazon.com/eks/latest/userguide/cluster-iam-role.html"
)

var sigPluginAPIVersion = newSignature([]string{"exec plugin: invalid apiVersion"},
	[]string{`exec plugin: invalid apiVersion "(?P<version>[^"]*)"`},
	[]string{`error: exec plugin: invalid apiVersion "client.authentication.k8s.io/v1alpha1"`},
	[]string{`exec plugin is configured to use API version client.authentication.k8s.io/v1beta1`})

var errPluginAPIVersion = symptom(&Rule{
	ID:       "ERR009",
	Title:    "the credential plugin's apiVersion is not supported",
	Severity: High,
	Doc: "kubectl 1.24 and later (client-go) accept only client.authentication.k8s.io/v1beta1 and v1 for an exec credential plugin; " +
		"v1alpha1 was removed. The kubeconfig was written by an AWS CLI older than 1.24.0, an old aws-iam-authenticator or eksctl. " +
		"Upgrade the AWS CLI and run aws eks update-kubeconfig again, or change the user's exec apiVersion to " +
		"client.authentication.k8s.io/v1beta1 (rule KCFG001 does it when the kubeconfig is pasted).",
	Refs: []string{execPluginGo, awsCLIIssue6920, "https://github.com/aws/containers-roadmap/issues/1736"},
}, sigPluginAPIVersion, func(p *Pass, ms []errMatch) {
	version := ms[0].group("version")
	what := "The kubeconfig's exec apiVersion " + version + " is one kubectl no longer accepts"
	if version == "" {
		what = "The kubeconfig's exec section has no apiVersion, which kubectl requires"
	}
	var users []string
	for _, kc := range kubeconfigs(p) {
		for _, u := range kc.Users {
			if u.Exec != nil && u.Exec.APIVersion.value() == version {
				users = append(users, u.Name.value())
			}
		}
	}
	found := " Upgrade the AWS CLI (1.24.0 or later, or a current v2) and run aws eks update-kubeconfig again, " +
		"or set apiVersion: client.authentication.k8s.io/v1beta1."
	if len(users) > 0 {
		found = " The pasted kubeconfig's user " + quoteList(users) + " uses it; rule KCFG001 changes it to client.authentication.k8s.io/v1beta1."
	}
	p.Reportf(ms[0].Start, ms[0].End, nil, "%s (v1alpha1 was removed in kubectl 1.24).%s", what, found)
	p.SuggestCommand("Regenerate the kubeconfig with a current AWS CLI", "aws eks update-kubeconfig "+clusterRef(p).flags("--name"),
		"Check `aws --version` first: 1.24.0 or later, or a current v2.")
})

var sigPluginSkew = newSignature([]string{"exec plugin is configured to use API version"},
	[]string{`exec plugin is configured to use API version (?P<want>\S+), plugin returned version (?P<got>\S+)`},
	[]string{"exec plugin is configured to use API version client.authentication.k8s.io/v1alpha1, plugin returned version client.authentication.k8s.io/v1beta1"},
	[]string{`exec plugin: invalid apiVersion "client.authentication.k8s.io/v1alpha1"`})

var errPluginSkew = symptom(&Rule{
	ID:       "ERR010",
	Title:    "the credential plugin answers in another API version",
	Severity: High,
	Doc: "The kubeconfig asks the exec plugin for one client.authentication.k8s.io version and the plugin answered in another. " +
		"AWS CLI 1.20.9 and 2.2.24 began answering in v1beta1, so a kubeconfig still set to v1alpha1 fails; an old " +
		"aws-iam-authenticator or AWS CLI answers v1alpha1 to a kubeconfig set to v1beta1. Make both sides agree on v1beta1: upgrade " +
		"the plugin and set the kubeconfig's exec apiVersion to client.authentication.k8s.io/v1beta1.",
	Refs: []string{execPluginGo, "https://github.com/aws/aws-cli/issues/6308", awsCLIIssue6920},
}, sigPluginSkew, func(p *Pass, ms []errMatch) {
	want, got := ms[0].group("want"), ms[0].group("got")
	advice := "set the kubeconfig's exec apiVersion to " + got + " (rule KCFG001 does it when the kubeconfig is pasted)"
	if strings.HasSuffix(got, "v1alpha1") {
		advice = "the plugin is too old for the kubeconfig: upgrade the AWS CLI (or aws-iam-authenticator) so it answers in " + want
	}
	p.Reportf(ms[0].Start, ms[0].End, nil, "The kubeconfig expects %s but the credential plugin answered %s: %s.", want, got, advice)
	p.SuggestCommand("Check the plugin's version", "aws --version",
		"Or `aws-iam-authenticator version`; upgrade it, then run `aws eks update-kubeconfig "+clusterRef(p).flags("--name")+"`.")
})

var sigPluginNotFound = newSignature([]string{"not found"},
	[]string{`exec: executable (?P<cmd>\S+) not found`, `exec: \\?"(?P<cmd>[^"\\]+)\\?": executable file not found in \$PATH`},
	[]string{"Unable to connect to the server: getting credentials: exec: executable aws not found",
		`getting credentials: exec: "aws-iam-authenticator": executable file not found in $PATH`},
	[]string{"getting credentials: exec: executable aws failed with exit code 255"})

var errPluginNotFound = symptom(&Rule{
	ID:       "ERR011",
	Title:    "the credential plugin is not installed where kubectl runs",
	Severity: High,
	Doc: "kubectl runs the kubeconfig's exec command (aws, or aws-iam-authenticator) to get a token, and could not find it on the " +
		"PATH of the process that ran kubectl. That process is often not your shell: Terraform, Helm, an IDE, Lens, Argo CD or a CI " +
		"image each have their own PATH. Install the AWS CLI there, or write the command's absolute path in the kubeconfig's exec " +
		"command. A kubeconfig that uses aws-iam-authenticator can be regenerated with aws eks update-kubeconfig to use the AWS CLI.",
	Refs: []string{execPluginGo, credPluginDoc, eksTroubleDoc},
}, sigPluginNotFound, func(p *Pass, ms []errMatch) {
	cmd := ms[0].group("cmd")
	advice := "install it there, or put its absolute path (`which " + cmd + "` in your shell) in the kubeconfig's exec command"
	if strings.Contains(cmd, "authenticator") {
		advice += "; or run aws eks update-kubeconfig to switch the kubeconfig to the AWS CLI's aws eks get-token"
	}
	p.Reportf(ms[0].Start, ms[0].End, nil, "kubectl could not find the credential plugin %s on the PATH of the process that ran it "+
		"(often Terraform, Helm, an IDE or a CI image, not your shell): %s.", cmd, advice)
	p.SuggestCommand("Find the plugin", "which "+cmd, "Run it where kubectl works, and `echo $PATH` in the failing environment.")
})

var sigPluginFailed = newSignature([]string{"failed with exit code", "exec: exit status"},
	[]string{`exec: executable (?P<cmd>\S+) failed with exit code (?P<code>\d+)`, `getting credentials: exec: exit status (?P<code>\d+)`},
	[]string{"Unable to connect to the server: getting credentials: exec: executable aws failed with exit code 255",
		"Error: Kubernetes cluster unreachable: Get \"https://x/version\": getting credentials: exec: exit status 255"},
	[]string{"getting credentials: exec: executable aws not found"})

// pluginStderr recognises what the AWS CLI printed before failing.
var pluginStderr = []struct {
	sig         *signature
	topic, text string
}{
	{newSignature([]string{"SSO", "sso"}, []string{`Error loading SSO Token|Error when retrieving token from sso|SSO session associated with this profile has expired|UnauthorizedSSOTokenError`},
		[]string{"Error loading SSO Token: Token for my-sso does not exist"}, []string{"Error loading config"}),
		"sso", "the AWS CLI's IAM Identity Center (SSO) session has expired or was never started: run aws sso login (with the profile kubectl uses)"},
	{newSignature([]string{"Unable to locate credentials"}, []string{`Unable to locate credentials`},
		[]string{"Unable to locate credentials. You can configure credentials by running \"aws configure\"."}, []string{"Unable to load credentials"}),
		"credentials", "the AWS CLI finds no credentials in the environment kubectl runs in"},
	{newSignature([]string{"ExpiredToken", "is expired"}, []string{`ExpiredToken|security token included in the request is expired`},
		[]string{"An error occurred (ExpiredToken) when calling the GetCallerIdentity operation: The security token included in the request is expired"},
		[]string{"token is valid"}),
		"credentials", "the temporary credentials in the environment (AWS_SESSION_TOKEN or a cached role session) have expired"},
	{newSignature([]string{"could not be found"}, []string{`The config profile \((?P<profile>[^)]*)\) could not be found`},
		[]string{"The config profile (dev) could not be found"}, []string{"No cluster found"}),
		"profile", "the AWS profile kubectl's plugin uses does not exist in this environment's ~/.aws/config"},
	{newSignature([]string{"AssumeRole"}, []string{`\(AccessDenied\) when calling the AssumeRole operation`},
		[]string{"An error occurred (AccessDenied) when calling the AssumeRole operation: User: arn:aws:iam::111122223333:user/x is not authorized"},
		[]string{"AssumeRoleWithWebIdentity"}),
		"profile", "your identity may not assume the role in the kubeconfig's --role-arn: its trust policy or your permissions do not allow it"},
	{newSignature([]string{"nvalid choice"}, []string{`[Ii]nvalid choice: '(?:get-token|eks)'`},
		[]string{"aws: error: argument operation: Invalid choice: 'get-token'"}, []string{"invalid apiVersion"}),
		"args", "the AWS CLI is too old to have aws eks get-token: upgrade it"},
}

var errPluginFailed = symptom(&Rule{
	ID:       "ERR012",
	Title:    "the credential plugin failed",
	Severity: High,
	Doc: "kubectl ran the kubeconfig's exec command to get a token and it exited with an error, so no request was sent. The " +
		"command's own message, printed just before, says why; with the AWS CLI the usual reasons are an expired IAM Identity Center " +
		"(SSO) session (run aws sso login), no credentials in that environment, expired temporary credentials, a profile that does " +
		"not exist there, or a --role-arn the caller may not assume. Run the exec command by hand (kubectl config view --minify shows " +
		"it) to see its error.",
	Refs: []string{execPluginGo, awsCLIReturnCodes, ssoLoginDoc},
}, sigPluginFailed, func(p *Pass, ms []errMatch) {
	var c causes
	for _, s := range pluginStderr {
		if s.sig.occurs(p) {
			c.show(s.topic, shownDecisive, "%s", s.text)
		}
	}
	switch ms[0].group("code") {
	case "253":
		c.add("config", common+5, "exit code 253 is the AWS CLI's code for an invalid environment or configuration (a missing profile or credentials)")
	case "252":
		c.add("args", common+5, "exit code 252 is the AWS CLI's code for invalid arguments: the kubeconfig passes options this AWS CLI does not know")
	case "254":
		c.add("service", common+5, "exit code 254 means AWS answered with an error: the plugin reached AWS but was refused (for example assuming the kubeconfig's --role-arn)")
	}
	c.add("sso", common+5, "an expired IAM Identity Center (SSO) session: run aws sso login")
	c.add("credentials", common, "no credentials, or expired temporary credentials, in the environment that runs kubectl")
	c.add("profile", common-5, "a profile or --role-arn in the kubeconfig that does not exist or may not be assumed there")
	cmd := ms[0].group("cmd")
	if cmd == "" {
		cmd = "the credential plugin"
	}
	p.Reportf(ms[0].Start, ms[0].End, nil, "kubectl ran %s to get a token and it failed%s, so nothing reached the cluster. %s",
		cmd, times(ms), c.String())
	p.SuggestCommand("Run the plugin by hand", withProfile(p, "aws eks get-token "+clusterRef(p).flags("--cluster-name")),
		"Its own error says why it fails; after an SSO expiry, run `aws sso login` with the same profile.")
	suggestCallerIdentity(p)
})

var sigClusterNotFound = newSignature([]string{"No cluster found"},
	[]string{`ResourceNotFoundException\)?:?[^\n]*?No cluster found for name: (?P<name>[^\s.]+(?:\.[^\s.]+)*?)\.?(?:\s|$)`},
	[]string{"An error occurred (ResourceNotFoundException) when calling the DescribeCluster operation: No cluster found for name: prod."},
	[]string{"Error from server (NotFound): configmaps \"aws-auth\" not found"})

var errClusterNotFound = symptom(&Rule{
	ID:       "ERR013",
	Title:    "no EKS cluster has that name in that region and account",
	Severity: High,
	Doc: "EKS looked for the cluster in one region of one account and found none by that name. Cluster names are case-sensitive " +
		"and regional: the usual causes are the AWS CLI's default region (or AWS_REGION) differing from the cluster's, another " +
		"account's credentials (profile), or a typo. List the clusters where you are looking with aws eks list-clusters and pass " +
		"--region explicitly.",
	Refs: []string{"https://docs.aws.amazon.com/eks/latest/APIReference/API_DescribeCluster.html", kubeconfigDoc},
}, sigClusterNotFound, func(p *Pass, ms []errMatch) {
	name := ms[0].group("name")
	var c causes
	if id := clusterRef(p); id.Region != "" && id.Name == name {
		c.show("region", shownLikely, "the paste places %s in %s: pass --region %s (the CLI otherwise uses its default region)", name, id.Region, id.Region)
	}
	c.add("region", common+5, "the AWS CLI's default region (aws configure get region, AWS_REGION) is not the cluster's")
	c.add("account", common, "the credentials belong to another account than the cluster's (check the profile)")
	c.add("name", common-5, "the name differs: cluster names are case-sensitive")
	p.Reportf(ms[0].Start, ms[0].End, nil, "EKS has no cluster named %s in the region and account the request went to. %s", name, c.String())
	p.SuggestCommand("List the clusters where you are looking", withProfile(p, "aws eks list-clusters --region "+firstNonEmpty(clusterRef(p).Region, "REGION")),
		"Compare with `aws configure get region` and the account in `aws sts get-caller-identity`.")
})

var sigDescribeDenied = newSignature([]string{"DescribeCluster", "cluster control plane"},
	[]string{`not authorized to perform: eks:DescribeCluster(?: on resource: (?P<resource>\S+))?(?: (?P<reason>with an explicit deny[^\n]*|because no [a-z -]+ allows[^\n]*))?`,
		`DescribeCluster\b[^\n]*?\bAccessDeniedException`, `(?i:can't|cannot|unable to) describe cluster control plane:[^\n]*?\bAccessDenied`},
	[]string{"An error occurred (AccessDeniedException) when calling the DescribeCluster operation: User: arn:aws:iam::111122223333:user/dev is not authorized to perform: eks:DescribeCluster on resource: arn:aws:eks:eu-west-1:111122223333:cluster/prod",
		`"error":"operation error EKS: DescribeCluster, https response error StatusCode: 403 ... AccessDeniedException"`,
		"Error: Can't describe cluster control plane: AccessDeniedException"},
	[]string{"An error occurred (ResourceNotFoundException) when calling the DescribeCluster operation: No cluster found for name: prod."})

var errDescribeDenied = symptom(&Rule{
	ID:       "ERR014",
	Title:    "eks:DescribeCluster denied by IAM",
	Severity: High,
	Doc: "aws eks update-kubeconfig, eksctl, Karpenter and nodeadm (hybrid nodes) call the EKS DescribeCluster API, and IAM refused " +
		"it. This is an IAM permission of the calling principal, unrelated to aws-auth, access entries or RBAC: grant eks:DescribeCluster " +
		"on the cluster's ARN in its identity policy. \"with an explicit deny\" means a Deny statement wins: a service control policy, " +
		"a permissions boundary or a deny in one of its policies (the message names the policy type); adding an Allow will not help.",
	Refs: []string{eksIAMTroubleDoc, eksPolicyExamples, iamDeniedDoc},
}, sigDescribeDenied, func(p *Pass, ms []errMatch) {
	d := parseIAMDenial(ms[0].line.Text)
	who := "The calling principal"
	if d.User != "" {
		who = d.User
	}
	msg := who + " may not call eks:DescribeCluster"
	if d.Resource != "" {
		msg += " on " + d.Resource
	}
	msg += ". This is an IAM permission, unrelated to aws-auth or access entries: " + d.advice("eks:DescribeCluster")
	p.Reportf(ms[0].Start, ms[0].End, nil, "%s", msg)
	resource := d.Resource
	if resource == "" {
		resource = "arn:aws:eks:REGION:ACCOUNT:cluster/" + firstNonEmpty(clusterRef(p).Name, "my-cluster")
	}
	p.Suggest("Allow eks:DescribeCluster", `Add to the principal's identity policy: {"Effect": "Allow", "Action": "eks:DescribeCluster", "Resource": "`+resource+`"}`+
		"; an explicit deny is not lifted by an Allow: find the denying service control policy, permissions boundary or Deny statement.")
})

// firstNonEmpty returns the first non-empty value.
func firstNonEmpty(values ...string) string {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return ""
}

var sigConsoleNoAccess = newSignature([]string{"access to Kubernetes objects"},
	[]string{`(?:Your )?[Cc]urrent (?:user or role|IAM principal) does(?:n't| not) have access to Kubernetes objects on this (?:EKS )?cluster`},
	[]string{"Your current user or role does not have access to Kubernetes objects on this EKS cluster",
		"Your current IAM principal doesn't have access to Kubernetes objects on this cluster."},
	[]string{"error: You must be logged in to the server (Unauthorized)"})

var errConsoleNoAccess = symptom(&Rule{
	ID:       "ERR015",
	Title:    "the console principal has no access to Kubernetes objects",
	Severity: Medium,
	Doc: "The EKS console reads workloads and nodes through the Kubernetes API as the IAM principal you are signed in with (for " +
		"IAM Identity Center, the AWSReservedSSO_… role). It needs the IAM permissions the console uses (eks:AccessKubernetesApi and " +
		"the eks:List/Describe actions) and a Kubernetes identity: an access entry (AmazonEKSViewPolicy or AmazonEKSAdminViewPolicy) or " +
		"an aws-auth mapping to a group that RBAC lets view. Map the role's ARN without its path in aws-auth; access entries take the full ARN.",
	Refs: []string{eksIAMTroubleDoc, "https://repost.aws/knowledge-center/eks-kubernetes-object-access-error", accessEntriesDoc},
}, sigConsoleNoAccess, func(p *Pass, ms []errMatch) {
	var c causes
	var fix *Fix
	if who, ok := subject(p); ok {
		fix = weighMapping(p, &c, principal{caller: who})
	}
	c.add("mapping", common+5, "the console principal (for IAM Identity Center, its AWSReservedSSO_… role) has no access entry or aws-auth mapping")
	c.add("iam", common, "it lacks the IAM permission eks:AccessKubernetesApi (and the eks:List*/Describe* actions the console calls)")
	c.add("rbac", common-5, "it is mapped, but to groups that no RBAC binding lets list workloads and nodes")
	p.Report(Finding{Start: ms[0].Start, End: ms[0].End, Fix: fix, Message: "The console's principal cannot read Kubernetes objects. " + c.String()})
	who, ok := subject(p)
	if !ok {
		p.SuggestCommand("Find the console's principal", "aws sts get-caller-identity",
			"Run it in CloudShell (same sign-in as the console) and paste the output with the aws-auth ConfigMap or access entries.")
	}
	suggestCreateEntry(p, firstNonEmpty(who.Canonical, "ROLE_OR_USER_ARN"), false)
})

var sigRoleNotAssumable = newSignature([]string{"could not be assumed"},
	[]string{`Role with arn: (?P<role>[^\s,]+),? could not be assumed because it does not exist or the trusted entity is not correct`},
	[]string{"InvalidParameterException: Role with arn: arn:aws:iam::111122223333:role/eks-cluster-role, could not be assumed because it does not exist or the trusted entity is not correct"},
	[]string{"Not authorized to perform sts:AssumeRoleWithWebIdentity"})

var errRoleNotAssumable = symptom(&Rule{
	ID:       "ERR016",
	Title:    "cluster or node role cannot be assumed by EKS",
	Severity: High,
	Doc: "EKS assumes the role you give a cluster (and a managed node group) and was refused. Either the role does not exist (a typo, " +
		"another account, the service-linked role AWSServiceRoleForAmazonEKS never created), its trust policy does not let the service " +
		"assume it (eks.amazonaws.com for a cluster role, ec2.amazonaws.com for a node role), the role was created seconds ago and IAM " +
		"has not propagated it yet (retry), or, on UpdateClusterVersion with secrets encryption, the KMS key policy does not allow the role.",
	Refs: []string{clusterRoleDoc, nodeRoleDoc, "https://github.com/aws/containers-roadmap/issues/1533"},
}, sigRoleNotAssumable, func(p *Pass, ms []errMatch) {
	role := ms[0].group("role")
	service := "eks.amazonaws.com"
	line := ms[0].line.Text
	if strings.Contains(line, "Nodegroup") || strings.Contains(strings.ToLower(role), "node") {
		service = "ec2.amazonaws.com"
	}
	var c causes
	pols := trustPolicies(p)
	trusts := false
	for _, pol := range pols {
		for _, st := range pol.Statements {
			for _, v := range st.PrincipalsOf("Service") {
				trusts = trusts || st.Allows() && strings.EqualFold(v.Value, service)
			}
		}
	}
	if len(pols) > 0 && !trusts {
		c.show("trust", shownDecisive, "the pasted trust policy does not let %s assume the role: add it as a Service principal with sts:AssumeRole", service)
	}
	if strings.Contains(role, "AWSServiceRoleForAmazonEKS") {
		c.show("slr", shownLikely, "the EKS service-linked role does not exist yet: create it with aws iam create-service-linked-role --aws-service-name eks.amazonaws.com")
	}
	if strings.Contains(line, "UpdateClusterVersion") {
		c.add("kms", common+5, "the cluster encrypts secrets with a KMS key whose key policy does not allow this role")
	}
	c.add("trust", common+5, "the role's trust policy does not name %s", service)
	c.add("exists", common, "the role does not exist (a typo or another account)")
	c.add("propagation", rare+5, "the role was just created and IAM has not propagated it yet: retry in a minute")
	p.Reportf(ms[0].Start, ms[0].End, nil, "EKS could not assume %s. %s", role, c.String())
	p.SuggestCommand("Check the role's trust policy", "aws iam get-role --role-name "+arnName(role)+" --query Role.AssumeRolePolicyDocument", "Paste the output here.")
})

// arnName returns the name in an ARN, or the text itself.
func arnName(s string) string {
	if a, ok := ParseARN(s); ok {
		return a.Name()
	}
	return s
}

var sigNoSuchEntity = newSignature([]string{"NoSuchEntity"},
	[]string{`NoSuchEntity\)?[^\n]*?The (?P<kind>role|user) with name (?P<name>\S+?) cannot be found`},
	[]string{"An error occurred (NoSuchEntity) when calling the GetRole operation: The role with name eks-admin cannot be found."},
	[]string{"An error occurred (AccessDenied) when calling the GetRole operation"})

var errNoSuchEntity = symptom(&Rule{
	ID:       "ERR017",
	Title:    "the IAM principal does not exist",
	Severity: High,
	Doc: "IAM has no role or user by that name. When it is the principal that created an EKS cluster, the cluster's creator access " +
		"(an invisible system:masters mapping on older clusters, an access entry on newer ones) is tied to the deleted principal's " +
		"unique ID: recreating a principal with the same name does not bring it back, and an access entry for the old ARN must be " +
		"deleted and created again. Recover through the EKS API, which needs only IAM permissions: switch the cluster to " +
		"API_AND_CONFIG_MAP if it is CONFIG_MAP, then create an access entry with AmazonEKSClusterAdminPolicy for a principal you control.",
	Refs: []string{"https://docs.aws.amazon.com/eks/latest/userguide/creating-access-entries.html", accessEntriesDoc,
		"https://docs.aws.amazon.com/eks/latest/userguide/setting-up-access-entries.html"},
}, sigNoSuchEntity, func(p *Pass, ms []errMatch) {
	kind, name := ms[0].group("kind"), ms[0].group("name")
	msg := "IAM has no " + kind + " named " + name + "."
	if sigUnauthorized.occurs(p) {
		msg += " With the Unauthorized error, this is the lost-creator case: if " + name + " created the cluster, its admin access " +
			"died with it, and recreating it under the same name does not restore it (the cluster knows the old unique ID)."
	} else {
		msg += " If it created an EKS cluster or has an access entry, recreating it under the same name does not restore that access."
	}
	p.Reportf(ms[0].Start, ms[0].End, nil, "%s Recover through the EKS API with a principal you control: switch the cluster to "+
		"API_AND_CONFIG_MAP if needed, then create an access entry with AmazonEKSClusterAdminPolicy.", msg)
	c := clusterRef(p)
	p.SuggestCommand("Allow access entries", "aws eks update-cluster-config "+c.flags("--name")+" --access-config authenticationMode=API_AND_CONFIG_MAP",
		"Only if the cluster is still CONFIG_MAP; the update takes a few minutes and needs only IAM permissions.")
	suggestCreateEntry(p, "YOUR_ROLE_ARN", true)
})
