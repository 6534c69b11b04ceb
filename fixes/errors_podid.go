package fixes

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/eksdoctor/eksdoctor/analysis"
)

// Pods that end up without a role of their own: the node role fallback,
// EKS Pod Identity, an exhausted credential chain, credentials AWS does
// not recognise.

var sigNodeFallback = newSignature([]string{"assumed-role/"},
	// The account part is loose: people mask it, and colons with it.
	[]string{`(?P<arn>arn:aws[a-z-]*:sts:[^\s/]*?assumed-role/(?P<role>[^/\s]+)/i-(?:[0-9a-f]{8}|[0-9a-f]{17}|[Xx*#]{3,}))\b[^\n]*?(?:is not authorized to perform:? (?P<action>[\w-]+:[\w*]+)?|AccessDenied|UnauthorizedOperation)`,
		// a role named for nodes, whatever the session (kube2iam, kiam and
		// custom node set-ups name their own)
		`(?P<arn>arn:aws[a-z-]*:sts:[^\s/]*?assumed-role/(?P<role>[^/\s]*(?i:node-?instance-?role|node-?group|worker-?node|eks-?node-?role|KarpenterNodeRole)[^/\s]*)/[^\s/]+?) is not authorized to perform:? (?P<action>[\w-]+:[\w*]+)`},
	[]string{"User: arn:aws:sts::111122223333:assumed-role/eksctl-prod-nodegroup-NodeInstanceRole-1A2B/i-01f378b057326852a is not authorized to perform: dynamodb:Query on resource: x",
		`level=error msg="AccessDenied: User: arn:aws:sts:XXXXXXXXXassumed-role/eks-cluster-XXXXXXX-NodeInstanceRole-XXXXXXXX/i-XXXXXXXXXX is not authorized to perform: route53:ListHostedZones\n\tstatus code: 403"`,
		"AccessDenied: User: arn:aws:sts::00000000:assumed-role/ceng-eks-test-worker-node/30e721c9-ceng-eks-test-worker-node is not authorized to perform: autoscaling:DescribeTags"},
	[]string{"User: arn:aws:sts::111122223333:assumed-role/app-role/1739739040072980120 is not authorized to perform: s3:GetObject"})

// podCredentialsVar is a line of a pod's environment holding the
// variables the IRSA webhook or EKS Pod Identity inject.
var podCredentialsVar = regexp.MustCompile(`(?m)^\s*(AWS_WEB_IDENTITY_TOKEN_FILE|AWS_CONTAINER_CREDENTIALS_FULL_URI)=\S`)

// nodeActions are the services the node itself calls with its role: the
// kubelet, the VPC CNI, the Pod Identity agent, the SSM agent.
var nodeActions = regexp.MustCompile(`^(?:ecr|ec2|eks|eks-auth|ssm|ssmmessages|ec2messages|logs|cloudwatch):`)

var errNodeFallback = &analysis.Rule{
	ID:       "ERR036",
	Title:    "a pod is using the node's IAM role",
	Severity: analysis.High,
	Kinds:    []analysis.Kind{analysis.KindErrorText, analysis.KindCallerIdentity},
	Doc: "A caller of assumed-role/ROLE/i-… is an EC2 instance's role session: the node's instance profile. When that identity " +
		"appears in an application's error or in aws sts get-caller-identity run inside a pod, the pod has no IRSA or Pod Identity " +
		"credentials and its SDK fell back to IMDS, or the credentials came too late in the SDK's chain. Give the workload its own " +
		"role (a Pod Identity association or an annotated ServiceAccount), restart its pods, and block pods from IMDS (hop limit 1 or " +
		"a network policy). Do not add the application's permissions to the node role: every pod on the node would get them. When the " +
		"pod's environment shows the injected variables (AWS_WEB_IDENTITY_TOKEN_FILE, AWS_CONTAINER_CREDENTIALS_FULL_URI) and it still " +
		"calls as the node role, its SDK is older than the first that reads them (EKS user guide, supported SDKs).",
	Refs: []string{irsaOverviewDoc, irsaMinimumSDKDoc, podIdentityDoc, eksBestIAM,
		"https://github.com/external-secrets/kubernetes-external-secrets/issues/368", "https://github.com/kubernetes/autoscaler/issues/2335"},
	Run: func(p *analysis.Pass) {
		if p.Doc.Kind == analysis.KindCallerIdentity {
			for _, c := range callersIn(p, p.Doc) {
				if c.instanceSession() {
					p.Report(analysis.Finding{Start: c.Start, End: c.End, Severity: analysis.Medium, Message: c.ARN + " is an EC2 instance's role " +
						"session, the node's role. If this ran inside a pod, the pod has no IRSA or Pod Identity credentials and fell " +
						"back to the node role; give it its own role instead of widening the node role."})
					suggestWorkloadRole(p)
				}
			}
			return
		}
		for _, m := range sigNodeFallback.find(p.Src, p.Doc) {
			action := m.group("action")
			msg := "The denied caller " + m.group("arn") + " is the node's instance role, not a role of the workload's own."
			if !strings.Contains(m.group("arn"), "/i-") {
				msg = "The denied caller " + m.group("arn") + " is a session of the role " + m.group("role") + ", whose name says " +
					"it is the nodes' role, not one of the workload's own."
			}
			if nodeActions.MatchString(action) {
				msg += " If the node itself made this call (kubelet, VPC CNI, Pod Identity agent), the node role lacks " + action +
					": attach the EKS node policies (AmazonEKSWorkerNodePolicy, AmazonEC2ContainerRegistryReadOnly, AmazonEKS_CNI_Policy). " +
					"If an application pod made it, the pod fell back to the node role."
			} else if v := podCredentialsVar.FindStringSubmatch(p.Src.Text); v != nil {
				msg += " The pasted environment shows " + v[1] + ", so the pod was given credentials of its own and its AWS SDK " +
					"did not use them: SDKs older than the first that read them skip them and fall back to the node role (for IRSA: " +
					"Go v1 1.23.13, boto3 1.9.220, Java 1.11.704, JavaScript v2 2.525.0, AWS CLI 1.16.232), as does an application " +
					"that builds its credentials itself. Upgrade the application to a release built with a newer SDK; the role and " +
					"its trust need no change for this."
			} else {
				msg += " An application that gets the node's role has no IRSA or Pod Identity credentials of its own and fell back " +
					"to IMDS: give it its own role with " + firstNonEmpty(action, "the permission it needs") + " and restart its pods. " +
					"Do not add " + firstNonEmpty(action, "it") + " to the node role: every pod on the node would get it."
			}
			var shown []analysis.Cause
			for _, o := range offRole(p) {
				shown = append(shown, analysis.Cause{Start: o.Start, End: o.End, Because: fmt.Sprintf("%s %s runs as ServiceAccount %s, not %s, "+
					"which has the role, so its pods get no IRSA credentials and fall back to the node role.", o.workload.Kind, o.workload.Name, o.runsAs, o.annotated.Name)})
			}
			p.Report(analysis.Finding{Start: m.Start, End: m.End, Message: msg, Causes: shown})
			suggestWorkloadRole(p)
		}
	},
}

// suggestWorkloadRole gives the commands that give a workload its own role.
func suggestWorkloadRole(p *analysis.Pass) {
	p.SuggestCommand("Give the workload its own IAM role", "aws eks create-pod-identity-association "+clusterRef(p).flags("--cluster-name")+
		" --namespace NAMESPACE --service-account SERVICE_ACCOUNT --role-arn ROLE_ARN",
		"Or, with IRSA, annotate the ServiceAccount with eks.amazonaws.com/role-arn. Then restart the pods (`kubectl rollout restart deployment/NAME -n NAMESPACE`) "+
			"and check from inside one with `aws sts get-caller-identity`.")
}

var sigPodIdentityTrust = newSignature([]string{"Trust policy of the role provided is invalid"},
	[]string{`Trust policy of the role provided is invalid`},
	[]string{"InvalidParameterException: Trust policy of the role provided is invalid"},
	[]string{"Not authorized to perform sts:AssumeRoleWithWebIdentity"})

var errPodIdentityTrust = &analysis.Rule{
	ID:       "ERR037",
	Title:    "the role does not trust EKS Pod Identity",
	Severity: analysis.High,
	Kinds:    errorTextKinds,
	Doc: "A Pod Identity association needs a role whose trust policy lets the service principal pods.eks.amazonaws.com call both " +
		"sts:AssumeRole and sts:TagSession. A role written for IRSA (a Federated OIDC provider with sts:AssumeRoleWithWebIdentity) " +
		"is refused. Add the Pod Identity statement (a role can trust both), then create the association again.",
	Refs: []string{podIdentityRoleDoc, tfAWSProviderIssue41483},
	Run: symptom(sigPodIdentityTrust, func(p *analysis.Pass, ms []errMatch) {
		var c causes
		if pols := trustPolicies(p); len(pols) > 0 {
			trusted, tags := false, false
			for _, pol := range pols {
				for _, st := range podStatements(pol) {
					trusted = true
					for _, a := range st.Actions {
						tags = tags || !st.NotAction && (strings.EqualFold(a.Value, "sts:TagSession") || a.Value == "sts:*" || a.Value == "*")
					}
				}
			}
			switch {
			case !trusted:
				c.show("trust", shownDecisive, "the pasted trust policy has no statement for the service principal pods.eks.amazonaws.com")
			case !tags:
				c.show("tag", shownDecisive, "the pasted trust policy lets pods.eks.amazonaws.com call sts:AssumeRole but not sts:TagSession")
			}
		}
		c.add("trust", common, "the role was written for IRSA (a Federated OIDC principal) and has no pods.eks.amazonaws.com statement")
		c.add("tag", common-5, "the statement allows sts:AssumeRole but not sts:TagSession")
		p.Report(analysis.Finding{Start: ms[0].Start, End: ms[0].End, Message: fmt.Sprintf("EKS refused the role for Pod Identity. %s", c.String()), Causes: c.evidence()})
		p.Suggest("Trust EKS Pod Identity", `Add this statement to the role's trust policy: {"Effect": "Allow", "Principal": {"Service": "pods.eks.amazonaws.com"}, "Action": ["sts:AssumeRole", "sts:TagSession"]}`)
	}),
}

var sigPodIdentityAgent = newSignature([]string{"EKS Auth", "AssumeRoleForPodIdentity", "169.254.170.23", "Service account token cannot be parsed"},
	[]string{`unable to fetch credentials from EKS Auth[^\n]*`, `EKS does not have permissions to assume the associated role`,
		`AssumeRoleForPodIdentity[^\n]*?AccessDeniedException`, `dial tcp 169\.254\.170\.23:80: connect: (?:connection refused|i/o timeout)`,
		`Service account token cannot be parsed`},
	[]string{"Error fetching credentials: error getting credentials to cache: unable to fetch credentials from EKS Auth: operation error EKS Auth: AssumeRoleForPodIdentity, https response error StatusCode: 0, RequestID: , canceled, context canceled",
		`Get "http://169.254.170.23/v1/credentials": dial tcp 169.254.170.23:80: connect: connection refused`},
	[]string{"Trust policy of the role provided is invalid"})

var errPodIdentityAgent = &analysis.Rule{
	ID:       "ERR038",
	Title:    "the Pod Identity agent could not provide credentials",
	Severity: analysis.High,
	Kinds:    errorTextKinds,
	Doc: "With EKS Pod Identity the SDK asks the node's agent (169.254.170.23) for credentials, and the agent calls the EKS Auth API " +
		"with the node role. A refused connection to 169.254.170.23 means the agent is not running on that node (add-on missing, " +
		"Fargate, or IPv6 disabled on the node). AccessDenied on AssumeRoleForPodIdentity means the node role lacks " +
		"eks-auth:AssumeRoleForPodIdentity (AmazonEKSWorkerNodePolicy has it). \"EKS does not have permissions to assume the associated " +
		"role\" points at the role's trust policy. A canceled call to EKS Auth means the agent cannot reach it: private clusters need " +
		"the eks-auth VPC endpoint.",
	Refs: []string{podIdentityAgent, podIdentityRoleDoc, "https://github.com/aws/eks-pod-identity-agent/issues/50"},
	Run: symptom(sigPodIdentityAgent, func(p *analysis.Pass, ms []errMatch) {
		line := ms[0].line.Text
		var why string
		switch {
		case strings.Contains(line, "169.254.170.23"):
			why = "the Pod Identity agent is not answering on this node: install the eks-pod-identity-agent add-on (it does not run on Fargate), " +
				"and if IPv6 is disabled on the node, bind it to IPv4 only"
		case strings.Contains(line, "AccessDeniedException"):
			why = "the node role may not call eks-auth:AssumeRoleForPodIdentity: attach AmazonEKSWorkerNodePolicy or allow that action"
		case strings.Contains(line, "does not have permissions to assume"):
			why = "EKS Auth could not assume the associated role: its trust policy must let pods.eks.amazonaws.com call sts:AssumeRole and sts:TagSession"
		case strings.Contains(line, "cannot be parsed"):
			why = "the client sent the token with a Bearer prefix; the Authorization header must hold the raw token from AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"
		default:
			why = "the agent could not reach the EKS Auth API: in a private cluster add the eks-auth interface VPC endpoint; otherwise check the node's route out and throttling"
		}
		p.Reportf(ms[0].Start, ms[0].End, nil, "The Pod Identity agent could not provide credentials: %s.", why)
		p.SuggestCommand("Check the agent", "kubectl -n kube-system logs -l app.kubernetes.io/name=eks-pod-identity-agent --tail=50",
			"`kubectl -n kube-system get daemonset eks-pod-identity-agent` shows where it runs; `aws eks list-pod-identity-associations "+clusterRef(p).flags("--cluster-name")+"` lists the associations.")
	}),
}

var sigNoCredentials = newSignature([]string{"providers in the chain", "provider in the chain", "NoCredentialProviders", "from any providers", "no EC2 IMDS role found", "NoCredentialsError"},
	[]string{`Unable to load (?:AWS )?credentials from any (?:of the providers|provider) in the chain`, `NoCredentialProviders: no valid providers in chain`,
		`Could not load credentials from any providers`, `failed to refresh cached credentials, no EC2 IMDS role found`, `NoCredentialsError: Unable to locate credentials`},
	[]string{"software.amazon.awssdk.core.exception.SdkClientException: Unable to load credentials from any of the providers in the chain AwsCredentialsProviderChain(",
		"NoCredentialProviders: no valid providers in chain. Deprecated."},
	[]string{"Unable to locate credentials. You can configure credentials by running \"aws configure\"."})

var errNoCredentials = &analysis.Rule{
	ID:       "ERR039",
	Title:    "the SDK found no credentials",
	Severity: analysis.High,
	Kinds:    errorTextKinds,
	Doc: "The AWS SDK tried every source of its default chain and found nothing: no environment keys, no IRSA variables " +
		"(AWS_ROLE_ARN, AWS_WEB_IDENTITY_TOKEN_FILE), no Pod Identity variables (AWS_CONTAINER_CREDENTIALS_FULL_URI) and no answer from " +
		"the instance metadata service (which pods should not reach). The workload has no role of its own: create a Pod Identity " +
		"association or annotate its ServiceAccount with eks.amazonaws.com/role-arn, then restart the pods, since both are injected only " +
		"when a pod is created.",
	Refs: []string{sdkCredChainDoc, podIdentityDoc, irsaOverviewDoc},
	Run: symptom(sigNoCredentials, func(p *analysis.Pass, ms []errMatch) {
		line := ms[0].line.Text
		var seen []string
		if strings.Contains(line, "AWS_WEB_IDENTITY_TOKEN_FILE") {
			seen = append(seen, "no IRSA token (AWS_WEB_IDENTITY_TOKEN_FILE unset)")
		}
		if strings.Contains(line, "AWS_CONTAINER_CREDENTIALS_FULL_URI") {
			seen = append(seen, "no Pod Identity (AWS_CONTAINER_CREDENTIALS_FULL_URI unset)")
		}
		if strings.Contains(line, "IMDS") {
			seen = append(seen, "no answer from instance metadata (good: it keeps pods off the node role)")
		}
		detail := ""
		if len(seen) > 0 {
			detail = " The SDK reports " + quoteList(seen) + "."
		}
		p.Report(analysis.Finding{Start: ms[0].Start, End: ms[0].End, Causes: podTrustGaps(p), Message: fmt.Sprintf("The SDK found no credentials in any source.%s The workload has no IAM role of its own: "+
			"create a Pod Identity association (or annotate its ServiceAccount for IRSA) and restart its pods, which get the "+
			"credentials only when they are created.", detail)})
		suggestWorkloadRole(p)
	}),
}

// podTrustGaps returns the pasted trust statements for Pod Identity that
// leave out an action it needs: the association is created, and its pods
// get no credentials.
func podTrustGaps(p *analysis.Pass) []analysis.Cause {
	var out []analysis.Cause
	for _, pol := range trustPolicies(p) {
		for _, s := range pol.Statements {
			if missing := podActionsMissing(s); trustsPods(s) && len(missing) > 0 {
				out = append(out, analysis.Cause{Start: s.Actions[0].Start, End: s.Actions[0].End, Because: "The pasted Pod Identity trust " +
					"policy does not allow " + strings.Join(missing, " or ") + ", so EKS cannot assume the role for the pods and their SDK's " +
					"container provider gets no credentials."})
			}
		}
	}
	return out
}

var sigInvalidToken = newSignature([]string{"InvalidClientTokenId", "security token included in the request is invalid"},
	[]string{`InvalidClientTokenId\)?:?[^\n]*?security token included in the request is invalid`, `UnrecognizedClientException\)?:?[^\n]*?security token included in the request is invalid`},
	[]string{"An error occurred (InvalidClientTokenId) when calling the GetCallerIdentity operation: The security token included in the request is invalid"},
	[]string{"The security token included in the request is expired"})

var errInvalidToken = &analysis.Rule{
	ID:       "ERR040",
	Title:    "credentials not recognised by AWS",
	Severity: analysis.High,
	Kinds:    errorTextKinds,
	Doc: "AWS could not match the access key to any credentials it knows: the key was deleted, deactivated or mistyped, a temporary " +
		"key (ASIA…) was sent without its AWS_SESSION_TOKEN, or the request went to an endpoint of another partition or a region that " +
		"is not enabled. IRSA pods in the China (aws-cn) or GovCloud partitions need AWS_REGION or AWS_DEFAULT_REGION so the SDK calls " +
		"that partition's STS instead of the global endpoint.",
	Refs: []string{"https://docs.aws.amazon.com/STS/latest/APIReference/CommonErrors.html", eksTroubleDoc, irsaOverviewDoc},
	Run: symptom(sigInvalidToken, func(p *analysis.Pass, ms []errMatch) {
		var c causes
		if chinaPartition(p) {
			c.show("partition", shownLikely, "the paste is about the China partition: the SDK must call its regional STS, so set AWS_REGION (or AWS_DEFAULT_REGION) in the pod")
		}
		c.add("key", common+5, "the access key was deleted, deactivated or mistyped, or a temporary key was sent without AWS_SESSION_TOKEN")
		c.add("partition", common, "in China or GovCloud, the SDK called the global STS endpoint because no region is set (IRSA pods need AWS_REGION)")
		c.add("optin", rare+5, "the region the request went to is an opt-in region not enabled for the account")
		p.Report(analysis.Finding{Start: ms[0].Start, End: ms[0].End, Message: fmt.Sprintf("AWS does not recognise the credentials sent. %s", c.String()), Causes: c.evidence()})
		p.SuggestCommand("Check the credentials in use", "aws configure list",
			"It shows where the keys come from; also look at `env | grep AWS_`, and in a pod check that AWS_REGION is set.")
	}),
}

// chinaPartitionKey keeps what chinaPartition builds, once for the whole input.
var chinaPartitionKey = analysis.NewKey[bool]("china-partition")

// chinaPartition reports whether the paste is about the China partition.
// It reads the whole paste once, not once per error document.
func chinaPartition(p *analysis.Pass) bool {
	return analysis.MemoInput(p.Input, chinaPartitionKey, func() bool {
		text := p.Src.Text
		return strings.Contains(text, "arn:aws-cn:") || strings.Contains(text, "cn-north-1") || strings.Contains(text, "cn-northwest-1")
	})
}
