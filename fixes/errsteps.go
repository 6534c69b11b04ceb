package fixes

import "github.com/eksdoctor/eksdoctor/analysis"

// The next steps the error rules suggest: exact commands, with the cluster,
// region and profile filled in from the paste where it says them.

// flags returns the CLI flags naming the cluster: nameFlag and the name
// (my-cluster when unknown), and --region when known.
func (c eksCluster) flags(nameFlag string) string {
	name := c.Name
	if name == "" {
		name = "my-cluster"
	}
	out := nameFlag + " " + name
	if c.Region != "" {
		out += " --region " + c.Region
	}
	return out
}

// withProfile prefixes a command with the AWS profile the active
// kubeconfig's credential plugin uses, if any.
func withProfile(p *analysis.Pass, cmd string) string {
	if a, ok := activeKubeconfig(p); ok && a.User != nil && a.User.Exec != nil {
		if prof := a.User.Exec.profile(); prof != "" && known(prof) {
			return "AWS_PROFILE=" + prof + " " + cmd
		}
	}
	return cmd
}

// suggestCallerIdentity asks for the identity kubectl's plugin signs as.
func suggestCallerIdentity(p *analysis.Pass) {
	detail := "Run it in the same shell, with the same profile, that runs kubectl, and paste its output here: its Arn is the principal the cluster must map."
	if a, ok := activeKubeconfig(p); ok && a.User != nil && a.User.Exec != nil && a.User.Exec.role() != nil {
		detail += " Your kubeconfig assumes " + a.User.Exec.role().Value + " first; that role, not your own identity, is what the cluster sees."
	}
	p.SuggestCommand("Check which IAM identity signs the token", withProfile(p, "aws sts get-caller-identity"), detail)
}

// suggestAccessConfig asks for the cluster's authentication mode.
func suggestAccessConfig(p *analysis.Pass) {
	p.SuggestCommand("Check which mappings the cluster reads", "aws eks describe-cluster "+clusterRef(p).flags("--name")+" --query cluster.accessConfig",
		"CONFIG_MAP reads only aws-auth, API only access entries, API_AND_CONFIG_MAP both (an access entry wins over aws-auth).")
}

// suggestMappings asks for the cluster's mappings, to look the principal up.
func suggestMappings(p *analysis.Pass) {
	p.SuggestCommand("Paste the cluster's access entries", "aws eks list-access-entries "+clusterRef(p).flags("--cluster-name"),
		"Paste the output here with the error, so the principal can be looked up.")
	suggestAWSAuth(p)
}

// suggestAWSAuth asks for the aws-auth ConfigMap.
func suggestAWSAuth(p *analysis.Pass) {
	p.SuggestCommand("Paste the aws-auth ConfigMap", "kubectl -n kube-system get configmap aws-auth -o yaml",
		"Run it as a principal that still has access (the cluster creator, or one with an access entry) and paste the output here.")
}

// authenticatorQuery is the CloudWatch Logs Insights query that lists the
// authenticator's refusals.
const authenticatorQuery = "fields @timestamp, @message | filter @logStream like /authenticator/ | filter @message like /access denied/ | sort @timestamp desc | limit 50"

// suggestAuthenticatorLogs gives the CloudWatch Logs Insights query that
// shows why the authenticator refused a token.
func suggestAuthenticatorLogs(p *analysis.Pass) {
	c := clusterRef(p)
	p.SuggestCommand("Read the authenticator's reason",
		"aws logs start-query --log-group-name /aws/eks/"+firstNonEmpty(c.Name, "my-cluster")+"/cluster --start-time $(($(date +%s) - 3600)) "+
			"--end-time $(date +%s) --query-string '"+authenticatorQuery+"'",
		"Then `aws logs get-query-results --query-id ID` (or run the query in CloudWatch Logs Insights). The arn= and error= fields say which "+
			"principal was refused and why; paste the lines here. It needs authenticator logging: `aws eks update-cluster-config "+c.flags("--name")+
			` --logging '{"clusterLogging":[{"types":["authenticator"],"enabled":true}]}'`+"`.")
}

// suggestWhoami asks to check the Kubernetes identity a token maps to.
func suggestWhoami(p *analysis.Pass) {
	p.SuggestCommand("Check the mapping once it is applied", "kubectl auth whoami",
		"Run it as that principal (kubectl 1.28 or later): it prints the Kubernetes username and groups the token now maps to.")
}

// suggestCreateEntry gives the commands that grant a principal access
// with an access entry.
func suggestCreateEntry(p *analysis.Pass, principal string, admin bool) {
	c := clusterRef(p)
	policy := "AmazonEKSViewPolicy --access-scope type=namespace,namespaces=NAMESPACE"
	if admin {
		policy = "AmazonEKSClusterAdminPolicy --access-scope type=cluster"
	}
	p.SuggestCommand("Give "+principal+" an access entry", "aws eks create-access-entry "+c.flags("--cluster-name")+" --principal-arn "+principal,
		"For a role, use its full ARN, with any path. The entry alone grants nothing: associate an access policy or map it to a group that RBAC binds.")
	p.SuggestCommand("Grant "+principal+" an access policy", "aws eks associate-access-policy "+c.flags("--cluster-name")+" --principal-arn "+principal+
		" --policy-arn arn:aws:eks::aws:cluster-access-policy/"+policy, "Choose the narrowest policy and scope that does the job.")
}

// suggestIdentityMapping gives the eksctl command that adds an aws-auth
// entry.
func suggestIdentityMapping(p *analysis.Pass, m newMapping) {
	cmd := "eksctl create iamidentitymapping --cluster " + firstNonEmpty(clusterRef(p).Name, "my-cluster") + " --arn " + m.ARN +
		" --username '" + m.Username + "'"
	for _, g := range m.Groups {
		cmd += " --group " + g
	}
	p.SuggestCommand("Map "+m.ARN, cmd, "For a cluster in CONFIG_MAP or API_AND_CONFIG_MAP mode; in API mode create an access entry instead.")
}

// suggestBind tells how to give a newly mapped group what it needs.
func suggestBind(p *analysis.Pass, group string) {
	p.SuggestCommand("Bind "+group+" to what it needs", "kubectl create rolebinding "+group+"-edit --clusterrole=edit --group="+group+" --namespace=NAMESPACE",
		"The new mapping grants nothing until RBAC does; use --clusterrole=view for read-only access, then check with `kubectl auth can-i --list --namespace=NAMESPACE`.")
}

// suggestUpdateKubeconfig gives the command that rewrites the cluster's
// kubeconfig entry.
func suggestUpdateKubeconfig(p *analysis.Pass) {
	p.SuggestCommand("Regenerate the kubeconfig", "aws eks update-kubeconfig "+clusterRef(p).flags("--name"),
		"It writes the cluster's current endpoint, its CA and an exec plugin that makes fresh tokens.")
}
