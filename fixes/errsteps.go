package fixes

import "strings"

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
func withProfile(p *Pass, cmd string) string {
	if a, ok := activeKubeconfig(p); ok && a.User != nil && a.User.Exec != nil {
		if prof := a.User.Exec.profile(); prof != "" && !placeholder.MatchString(prof) {
			return "AWS_PROFILE=" + prof + " " + cmd
		}
	}
	return cmd
}

// suggestCallerIdentity asks for the identity kubectl's plugin signs as.
func suggestCallerIdentity(p *Pass) {
	detail := "Run `" + withProfile(p, "aws sts get-caller-identity") + "` in the same shell, with the same profile, that runs kubectl, " +
		"and paste its output here: its Arn is the principal the cluster must map."
	if a, ok := activeKubeconfig(p); ok && a.User != nil && a.User.Exec != nil && a.User.Exec.role() != nil {
		detail += " Your kubeconfig assumes " + a.User.Exec.role().Value + " first; that role, not your own identity, is what the cluster sees."
	}
	p.Suggest("Check which IAM identity signs the token", detail)
}

// suggestAccessConfig asks for the cluster's authentication mode.
func suggestAccessConfig(p *Pass) {
	p.Suggest("Check which mappings the cluster reads",
		"Run `aws eks describe-cluster "+clusterRef(p).flags("--name")+" --query cluster.accessConfig`: "+
			"CONFIG_MAP reads only aws-auth, API only access entries, API_AND_CONFIG_MAP both (access entries win).")
}

// suggestMappings asks for the cluster's mappings, to look the principal up.
func suggestMappings(p *Pass) {
	c := clusterRef(p)
	p.Suggest("Paste the cluster's identity mappings",
		"Run `aws eks list-access-entries "+c.flags("--cluster-name")+"` and, with a principal that still has access, "+
			"`kubectl -n kube-system get configmap aws-auth -o yaml`, and paste both here with the error.")
}

// suggestAuthenticatorLogs gives the CloudWatch Logs Insights query that
// shows why the authenticator refused a token.
func suggestAuthenticatorLogs(p *Pass) {
	c := clusterRef(p)
	name := c.Name
	if name == "" {
		name = "my-cluster"
	}
	p.Suggest("Read the authenticator's reason",
		"With authenticator logging on (`aws eks update-cluster-config "+c.flags("--name")+
			` --logging '{"clusterLogging":[{"types":["authenticator"],"enabled":true}]}'`+"`), run this CloudWatch Logs Insights query on the log group /aws/eks/"+name+
			"/cluster: `fields @timestamp, @message | filter @logStream like /authenticator/ | filter @message like /access denied/ | sort @timestamp desc | limit 50`. "+
			"Its arn= and error= fields say which principal was refused and why; paste the lines here.")
}

// suggestWhoami asks to check the Kubernetes identity a token maps to.
func suggestWhoami(p *Pass) {
	p.Suggest("Check the mapping once it is applied",
		"Run `kubectl auth whoami` (kubectl 1.28 or later) as that principal: it prints the Kubernetes username and groups the token now maps to.")
}

// suggestCreateEntry gives the commands that grant a principal access
// with an access entry.
func suggestCreateEntry(p *Pass, principal string, admin bool) {
	c := clusterRef(p)
	cmd := "aws eks create-access-entry " + c.flags("--cluster-name") + " --principal-arn " + principal
	policy := "AmazonEKSViewPolicy --access-scope type=namespace,namespaces=NAMESPACE"
	if admin {
		policy = "AmazonEKSClusterAdminPolicy --access-scope type=cluster"
	}
	p.Suggest("Grant "+principal+" access with an access entry",
		"`"+cmd+"`, then `aws eks associate-access-policy "+c.flags("--cluster-name")+" --principal-arn "+principal+
			" --policy-arn arn:aws:eks::aws:cluster-access-policy/"+policy+"`. For a role, use its full ARN with any path.")
}

// suggestIdentityMapping gives the eksctl command that adds an aws-auth
// entry.
func suggestIdentityMapping(p *Pass, m newMapping) {
	cmd := "eksctl create iamidentitymapping --cluster " + firstNonEmpty(clusterRef(p).Name, "my-cluster") + " --arn " + m.ARN +
		" --username '" + m.Username + "'"
	for _, g := range m.Groups {
		cmd += " --group " + g
	}
	p.Suggest("Map "+m.ARN, "In CONFIG_MAP or API_AND_CONFIG_MAP mode: `"+cmd+"`; in API mode create an access entry instead.")
}

// suggestBind tells how to give a newly mapped group what it needs.
func suggestBind(p *Pass, group string) {
	p.Suggest("Bind "+group+" to what it needs",
		"The new mapping grants nothing until RBAC does: `kubectl create rolebinding "+group+"-edit --clusterrole=edit --group="+group+
			" --namespace=NAMESPACE` (or --clusterrole=view), then check with `kubectl auth can-i --list --namespace=NAMESPACE`.")
}

// quoteList joins values for a message: "a", "a and b", "a, b and c".
func quoteList(values []string) string {
	switch len(values) {
	case 0:
		return ""
	case 1:
		return values[0]
	}
	return strings.Join(values[:len(values)-1], ", ") + " and " + values[len(values)-1]
}
