package fixes

import (
	"fmt"
	"strings"

	"github.com/eksdoctor/eksdoctor/analysis"
)

// Errors of the EKS and IAM APIs around cluster access: DescribeCluster
// denied, the console without access, roles EKS cannot assume, principals
// that no longer exist.

var sigDescribeDenied = newSignature([]string{"DescribeCluster", "cluster control plane"},
	[]string{`not authorized to perform: eks:DescribeCluster(?: on resource: (?P<resource>\S+))?(?: (?P<reason>with an explicit deny[^\n]*|because no [a-z -]+ allows[^\n]*))?`,
		`DescribeCluster\b[^\n]*?\bAccessDeniedException`, `(?i:can't|cannot|unable to) describe cluster control plane:[^\n]*?\bAccessDenied`},
	[]string{"An error occurred (AccessDeniedException) when calling the DescribeCluster operation: User: arn:aws:iam::111122223333:user/dev is not authorized to perform: eks:DescribeCluster on resource: arn:aws:eks:eu-west-1:111122223333:cluster/prod",
		`"error":"operation error EKS: DescribeCluster, https response error StatusCode: 403 ... AccessDeniedException"`,
		"Error: Can't describe cluster control plane: AccessDeniedException"},
	[]string{"An error occurred (ResourceNotFoundException) when calling the DescribeCluster operation: No cluster found for name: prod."})

var errDescribeDenied = &analysis.Rule{
	ID:       "ERR014",
	Title:    "eks:DescribeCluster denied by IAM",
	Severity: analysis.High,
	Kinds:    errorTextKinds,
	Doc: "aws eks update-kubeconfig, eksctl, Karpenter and nodeadm (hybrid nodes) call the EKS DescribeCluster API, and IAM refused " +
		"it. This is an IAM permission of the calling principal, unrelated to aws-auth, access entries or RBAC: grant eks:DescribeCluster " +
		"on the cluster's ARN in its identity policy. \"with an explicit deny\" means a Deny statement wins: a service control policy, " +
		"a permissions boundary or a deny in one of its policies (the message names the policy type); adding an Allow will not help.",
	Refs: []string{eksIAMTroubleshootDoc, eksPolicyExamples, iamDeniedDoc},
	Run: symptom(sigDescribeDenied, func(p *analysis.Pass, ms []errMatch) {
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
	}),
}

var sigConsoleNoAccess = newSignature([]string{"access to Kubernetes objects"},
	[]string{`(?:Your )?[Cc]urrent (?:user or role|IAM principal) does(?:n't| not) have access to Kubernetes objects on this (?:EKS )?cluster`},
	[]string{"Your current user or role does not have access to Kubernetes objects on this EKS cluster",
		"Your current IAM principal doesn't have access to Kubernetes objects on this cluster."},
	[]string{"error: You must be logged in to the server (Unauthorized)"})

var errConsoleNoAccess = &analysis.Rule{
	ID:       "ERR015",
	Title:    "the console principal has no access to Kubernetes objects",
	Severity: analysis.Medium,
	Kinds:    errorTextKinds,
	Doc: "The EKS console reads workloads and nodes through the Kubernetes API as the IAM principal you are signed in with (for " +
		"IAM Identity Center, the AWSReservedSSO_… role). It needs the IAM permissions the console uses (eks:AccessKubernetesApi and " +
		"the eks:List/Describe actions) and a Kubernetes identity: an access entry (AmazonEKSViewPolicy or AmazonEKSAdminViewPolicy) or " +
		"an aws-auth mapping to a group that RBAC lets view. Map the role's ARN without its path in aws-auth; access entries take the full ARN.",
	Refs: []string{eksIAMTroubleshootDoc, "https://repost.aws/knowledge-center/eks-kubernetes-object-access-error", accessEntriesDoc},
	Run: symptom(sigConsoleNoAccess, func(p *analysis.Pass, ms []errMatch) {
		var c causes
		var fix *analysis.Fix
		if who, ok := subject(p); ok {
			fix = weighMapping(p, &c, principal{caller: who})
		}
		c.add("mapping", common+5, "the console principal (for IAM Identity Center, its AWSReservedSSO_… role) has no access entry or aws-auth mapping")
		c.add("iam", common, "it lacks the IAM permission eks:AccessKubernetesApi (and the eks:List*/Describe* actions the console calls)")
		c.add("rbac", common-5, "it is mapped, but to groups that no RBAC binding lets list workloads and nodes")
		p.Report(analysis.Finding{Start: ms[0].Start, End: ms[0].End, Fix: fix, Message: "The console's principal cannot read Kubernetes objects. " + c.String(), Causes: c.evidence()})
		who, ok := subject(p)
		if !ok {
			p.SuggestCommand("Find the console's principal", "aws sts get-caller-identity",
				"Run it in CloudShell (same sign-in as the console) and paste the output with the aws-auth ConfigMap or access entries.")
		}
		suggestCreateEntry(p, firstNonEmpty(who.Canonical, "ROLE_OR_USER_ARN"), false)
	}),
}

var sigRoleNotAssumable = newSignature([]string{"could not be assumed"},
	[]string{`Role with arn: (?P<role>[^\s,]+),? could not be assumed because it does not exist or the trusted entity is not correct`},
	[]string{"InvalidParameterException: Role with arn: arn:aws:iam::111122223333:role/eks-cluster-role, could not be assumed because it does not exist or the trusted entity is not correct"},
	[]string{"Not authorized to perform sts:AssumeRoleWithWebIdentity"})

var errRoleNotAssumable = &analysis.Rule{
	ID:       "ERR016",
	Title:    "cluster or node role cannot be assumed by EKS",
	Severity: analysis.High,
	Kinds:    errorTextKinds,
	Doc: "EKS assumes the role you give a cluster (and a managed node group) and was refused. Either the role does not exist (a typo, " +
		"another account, the service-linked role AWSServiceRoleForAmazonEKS never created), its trust policy does not let the service " +
		"assume it (eks.amazonaws.com for a cluster role, ec2.amazonaws.com for a node role), the role was created seconds ago and IAM " +
		"has not propagated it yet (retry), or, on UpdateClusterVersion with secrets encryption, the KMS key policy does not allow the role.",
	Refs: []string{clusterRoleDoc, nodeRoleDoc, "https://github.com/aws/containers-roadmap/issues/1533"},
	Run: symptom(sigRoleNotAssumable, func(p *analysis.Pass, ms []errMatch) {
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
		p.Report(analysis.Finding{Start: ms[0].Start, End: ms[0].End, Message: fmt.Sprintf("EKS could not assume %s. %s", role, c.String()), Causes: c.evidence()})
		p.SuggestCommand("Check the role's trust policy", "aws iam get-role --role-name "+arnName(role)+" --query Role.AssumeRolePolicyDocument", "Paste the output here.")
	}),
}

// arnName returns the name in an ARN, or the text itself.
func arnName(s string) string {
	if a, ok := analysis.ParseARN(s); ok {
		return a.Name()
	}
	return s
}

var sigNoSuchEntity = newSignature([]string{"NoSuchEntity"},
	[]string{`NoSuchEntity\)?[^\n]*?The (?P<kind>role|user) with name (?P<name>\S+?) cannot be found`},
	[]string{"An error occurred (NoSuchEntity) when calling the GetRole operation: The role with name eks-admin cannot be found."},
	[]string{"An error occurred (AccessDenied) when calling the GetRole operation"})

var errNoSuchEntity = &analysis.Rule{
	ID:       "ERR017",
	Title:    "the IAM principal does not exist",
	Severity: analysis.High,
	Kinds:    errorTextKinds,
	Doc: "IAM has no role or user by that name. When it is the principal that created an EKS cluster, the cluster's creator access " +
		"(an invisible system:masters mapping on older clusters, an access entry on newer ones) is tied to the deleted principal's " +
		"unique ID: recreating a principal with the same name does not bring it back, and an access entry for the old ARN must be " +
		"deleted and created again. Recover through the EKS API, which needs only IAM permissions: switch the cluster to " +
		"API_AND_CONFIG_MAP if it is CONFIG_MAP, then create an access entry with AmazonEKSClusterAdminPolicy for a principal you control.",
	Refs: []string{createEntriesDoc, accessEntriesDoc,
		accessEntriesSetupDoc},
	Run: symptom(sigNoSuchEntity, func(p *analysis.Pass, ms []errMatch) {
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
	}),
}
