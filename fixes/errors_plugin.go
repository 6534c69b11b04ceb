package fixes

import (
	"fmt"
	"strings"

	"github.com/eksdoctor/eksdoctor/analysis"
)

// Errors of the credential plugin (aws eks get-token, aws-iam-authenticator)
// and of the cluster lookup it depends on.

var sigPluginAPIVersion = newSignature([]string{"exec plugin: invalid apiVersion"},
	[]string{`exec plugin: invalid apiVersion "(?P<version>[^"]*)"`},
	[]string{`error: exec plugin: invalid apiVersion "client.authentication.k8s.io/v1alpha1"`},
	[]string{`exec plugin is configured to use API version client.authentication.k8s.io/v1beta1`})

var errPluginAPIVersion = &analysis.Rule{
	ID:       "ERR009",
	Title:    "the credential plugin's apiVersion is not supported",
	Severity: analysis.High,
	Kinds:    errorTextKinds,
	Doc: "kubectl 1.24 and later (client-go) accept only client.authentication.k8s.io/v1beta1 and v1 for an exec credential plugin; " +
		"v1alpha1 was removed. The kubeconfig was written by an AWS CLI older than 1.24.0, an old aws-iam-authenticator or eksctl. " +
		"Upgrade the AWS CLI and run aws eks update-kubeconfig again, or change the user's exec apiVersion to " +
		"client.authentication.k8s.io/v1beta1 (rule KCFG001 does it when the kubeconfig is pasted).",
	Refs: []string{execPluginGo, awsCLIIssue6920, "https://github.com/aws/containers-roadmap/issues/1736"},
	Run: symptom(sigPluginAPIVersion, func(p *analysis.Pass, ms []errMatch) {
		version := ms[0].group("version")
		what := "The kubeconfig's exec apiVersion " + version + " is one kubectl no longer accepts"
		if version == "" {
			what = "The kubeconfig's exec section has no apiVersion, which kubectl requires"
		}
		var users []string
		for _, kc := range kubeconfigs(p) {
			for _, u := range kc.Users {
				if u.Exec != nil && u.Exec.APIVersion.Text() == version {
					users = append(users, u.Name.Text())
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
	}),
}

var sigPluginSkew = newSignature([]string{"exec plugin is configured to use API version"},
	[]string{`exec plugin is configured to use API version (?P<want>\S+), plugin returned version (?P<got>\S+)`},
	[]string{"exec plugin is configured to use API version client.authentication.k8s.io/v1alpha1, plugin returned version client.authentication.k8s.io/v1beta1"},
	[]string{`exec plugin: invalid apiVersion "client.authentication.k8s.io/v1alpha1"`})

var errPluginSkew = &analysis.Rule{
	ID:       "ERR010",
	Title:    "the credential plugin answers in another API version",
	Severity: analysis.High,
	Kinds:    errorTextKinds,
	Doc: "The kubeconfig asks the exec plugin for one client.authentication.k8s.io version and the plugin answered in another. " +
		"AWS CLI 1.20.9 and 2.2.24 began answering in v1beta1, so a kubeconfig still set to v1alpha1 fails; an old " +
		"aws-iam-authenticator or AWS CLI answers v1alpha1 to a kubeconfig set to v1beta1. Make both sides agree on v1beta1: upgrade " +
		"the plugin and set the kubeconfig's exec apiVersion to client.authentication.k8s.io/v1beta1.",
	Refs: []string{execPluginGo, "https://github.com/aws/aws-cli/issues/6308", awsCLIIssue6920},
	Run: symptom(sigPluginSkew, func(p *analysis.Pass, ms []errMatch) {
		want, got := ms[0].group("want"), ms[0].group("got")
		advice := "set the kubeconfig's exec apiVersion to " + got + " (rule KCFG001 does it when the kubeconfig is pasted)"
		if strings.HasSuffix(got, "v1alpha1") {
			advice = "the plugin is too old for the kubeconfig: upgrade the AWS CLI (or aws-iam-authenticator) so it answers in " + want
		}
		p.Reportf(ms[0].Start, ms[0].End, nil, "The kubeconfig expects %s but the credential plugin answered %s: %s.", want, got, advice)
		p.SuggestCommand("Check the plugin's version", "aws --version",
			"Or `aws-iam-authenticator version`; upgrade it, then run `aws eks update-kubeconfig "+clusterRef(p).flags("--name")+"`.")
	}),
}

var sigPluginNotFound = newSignature([]string{"not found"},
	[]string{`exec: executable (?P<cmd>\S+) not found`, `exec: \\?"(?P<cmd>[^"\\]+)\\?": executable file not found in \$PATH`},
	[]string{"Unable to connect to the server: getting credentials: exec: executable aws not found",
		`getting credentials: exec: "aws-iam-authenticator": executable file not found in $PATH`},
	[]string{"getting credentials: exec: executable aws failed with exit code 255"})

var errPluginNotFound = &analysis.Rule{
	ID:       "ERR011",
	Title:    "the credential plugin is not installed where kubectl runs",
	Severity: analysis.High,
	Kinds:    errorTextKinds,
	Doc: "kubectl runs the kubeconfig's exec command (aws, or aws-iam-authenticator) to get a token, and could not find it on the " +
		"PATH of the process that ran kubectl. That process is often not your shell: Terraform, Helm, an IDE, Lens, Argo CD or a CI " +
		"image each have their own PATH. Install the AWS CLI there, or write the command's absolute path in the kubeconfig's exec " +
		"command. A kubeconfig that uses aws-iam-authenticator can be regenerated with aws eks update-kubeconfig to use the AWS CLI.",
	Refs: []string{execPluginGo, credPluginDoc, eksTroubleDoc},
	Run: symptom(sigPluginNotFound, func(p *analysis.Pass, ms []errMatch) {
		cmd := ms[0].group("cmd")
		advice := "install it there, or put its absolute path (`which " + cmd + "` in your shell) in the kubeconfig's exec command"
		if strings.Contains(cmd, "authenticator") {
			advice += "; or run aws eks update-kubeconfig to switch the kubeconfig to the AWS CLI's aws eks get-token"
		}
		p.Reportf(ms[0].Start, ms[0].End, nil, "kubectl could not find the credential plugin %s on the PATH of the process that ran it "+
			"(often Terraform, Helm, an IDE or a CI image, not your shell): %s.", cmd, advice)
		p.SuggestCommand("Find the plugin", "which "+cmd, "Run it where kubectl works, and `echo $PATH` in the failing environment.")
	}),
}

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
	{newSignature([]string{"parameter RoleArn"}, []string{`Invalid length for parameter RoleArn, value: 0`},
		[]string{"Parameter validation failed:\nInvalid length for parameter RoleArn, value: 0, valid min length: 20"}, []string{"Invalid length for parameter RoleSessionName"}),
		"profile", "the kubeconfig gives aws eks get-token an empty --role-arn (a variable that was not set when the kubeconfig was " +
			"written, often by a CI step): remove the option or give it the role's ARN"},
	{newSignature([]string{"nvalid choice"}, []string{`[Ii]nvalid choice: '(?:get-token|eks)'`},
		[]string{"aws: error: argument operation: Invalid choice: 'get-token'"}, []string{"invalid apiVersion"}),
		"args", "the AWS CLI is too old to have aws eks get-token: upgrade it"},
}

var errPluginFailed = &analysis.Rule{
	ID:       "ERR012",
	Title:    "the credential plugin failed",
	Severity: analysis.High,
	Kinds:    errorTextKinds,
	Doc: "kubectl ran the kubeconfig's exec command to get a token and it exited with an error, so no request was sent. The " +
		"command's own message, printed just before, says why; with the AWS CLI the usual reasons are an expired IAM Identity Center " +
		"(SSO) session (run aws sso login), no credentials in that environment, expired temporary credentials, a profile that does " +
		"not exist there, or a --role-arn the caller may not assume. Run the exec command by hand (kubectl config view --minify shows " +
		"it) to see its error.",
	Refs: []string{execPluginGo, awsCLIReturnCodes, ssoLoginDoc},
	Run: symptom(sigPluginFailed, func(p *analysis.Pass, ms []errMatch) {
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
		p.Report(analysis.Finding{Start: ms[0].Start, End: ms[0].End, Message: fmt.Sprintf("kubectl ran %s to get a token and it failed%s, so nothing reached the cluster. %s", cmd, times(ms), c.String()), Causes: c.evidence()})
		p.SuggestCommand("Run the plugin by hand", withProfile(p, "aws eks get-token "+clusterRef(p).flags("--cluster-name")),
			"Its own error says why it fails; after an SSO expiry, run `aws sso login` with the same profile.")
		suggestCallerIdentity(p)
	}),
}

var sigClusterNotFound = newSignature([]string{"No cluster found"},
	[]string{`ResourceNotFoundException\)?:?[^\n]*?No cluster found for name: (?P<name>[^\s.]+(?:\.[^\s.]+)*?)\.?(?:\s|$)`},
	[]string{"An error occurred (ResourceNotFoundException) when calling the DescribeCluster operation: No cluster found for name: prod."},
	[]string{"Error from server (NotFound): configmaps \"aws-auth\" not found"})

var errClusterNotFound = &analysis.Rule{
	ID:       "ERR013",
	Title:    "no EKS cluster has that name in that region and account",
	Severity: analysis.High,
	Kinds:    errorTextKinds,
	Doc: "EKS looked for the cluster in one region of one account and found none by that name. Cluster names are case-sensitive " +
		"and regional: the usual causes are the AWS CLI's default region (or AWS_REGION) differing from the cluster's, another " +
		"account's credentials (profile), or a typo. List the clusters where you are looking with aws eks list-clusters and pass " +
		"--region explicitly.",
	Refs: []string{"https://docs.aws.amazon.com/eks/latest/APIReference/API_DescribeCluster.html", kubeconfigDoc},
	Run: symptom(sigClusterNotFound, func(p *analysis.Pass, ms []errMatch) {
		name := ms[0].group("name")
		var c causes
		if id := clusterRef(p); id.Region != "" && id.Name == name {
			c.show("region", shownLikely, "the paste places %s in %s: pass --region %s (the CLI otherwise uses its default region)", name, id.Region, id.Region)
		}
		c.add("region", common+5, "the AWS CLI's default region (aws configure get region, AWS_REGION) is not the cluster's")
		c.add("account", common, "the credentials belong to another account than the cluster's (check the profile)")
		c.add("name", common-5, "the name differs: cluster names are case-sensitive")
		p.Report(analysis.Finding{Start: ms[0].Start, End: ms[0].End, Message: fmt.Sprintf("EKS has no cluster named %s in the region and account the request went to. %s", name, c.String()), Causes: c.evidence()})
		p.SuggestCommand("List the clusters where you are looking", withProfile(p, "aws eks list-clusters --region "+firstNonEmpty(clusterRef(p).Region, "REGION")),
			"Compare with `aws configure get region` and the account in `aws sts get-caller-identity`.")
	}),
}
