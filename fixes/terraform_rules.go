package fixes

import "github.com/eksdoctor/eksdoctor/analysis"

// The Terraform family's rules as every build lists them: what each one
// finds, why it matters and where the facts come from. Their Run functions
// read HCL, so they live with the Terraform reader in the terraform*.go
// files, which carry //go:build !noterraform. A build with -tags
// noterraform has no HCL parser: terraform_light.go declares the same
// names as nil functions, so these rules are still listed and documented
// but never run (Run skips them; LeftOut names their kind).

// terraformKinds are the kinds the Terraform rules read.
var terraformKinds = []analysis.Kind{analysis.KindTerraform}

var tfNodeRolePolicies = &analysis.Rule{
	ID:       "TF001",
	Title:    "node role lacks the managed policies nodes need",
	Severity: analysis.High,
	Kinds:    terraformKinds,
	Cross:    true,
	Doc: "The IAM role of EKS nodes needs AmazonEKSWorkerNodePolicy (node components describe EC2 resources and the " +
		"cluster with it, and the EKS Pod Identity agent gets credentials with it; Auto Mode nodes use " +
		"AmazonEKSWorkerNodeMinimalPolicy) and AmazonEC2ContainerRegistryPullOnly or the older ReadOnly policy (the " +
		"networking add-ons run images from Amazon ECR). Without them nodes do not become Ready. The fix adds the missing " +
		"aws_iam_role_policy_attachment resources. The rule stays quiet when a variable, a customer policy or an inline " +
		"policy might grant the same permissions. Checkov and Trivy have no check for this; CKV_AWS_58, sometimes quoted " +
		"for it, is about secrets encryption.",
	Refs: []string{nodeRoleDoc, "https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AmazonEKSWorkerNodePolicy.html",
		"https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AmazonEC2ContainerRegistryPullOnly.html"},
	Run: runNodeRolePolicies,
}

var tfNodeRoleCNI = &analysis.Rule{
	ID:       "TF002",
	Title:    "node role holds the CNI policy meant for aws-node",
	Severity: analysis.Low,
	Kinds:    terraformKinds,
	Cross:    true,
	Doc: "The VPC CNI (the aws-node DaemonSet) needs AmazonEKS_CNI_Policy, or the IPv6 policy, to attach network " +
		"interfaces and assign pod IPs. On the node role, every pod on the node can use those permissions through the " +
		"instance metadata service; AWS recommends giving them to a role for the kube-system/aws-node service account " +
		"instead (IRSA, or EKS Pod Identity) and setting it on the vpc-cni add-on. Create that role first: removing the " +
		"policy from the node role before aws-node has its own role stops pod networking. When the paste already gives " +
		"aws-node its own role, the fix removes the node role's attachment. When the paste declares the vpc-cni add-on " +
		"without a role and the node role has no CNI policy either, aws-node has no permissions at all and new pods get no IPs: " +
		"an outage, so that case is high (the placement itself is low: hygiene). Neither Checkov nor Trivy checks where the CNI " +
		"policy is.",
	Refs: []string{cniRoleDoc, nodeRoleDoc, eksBestIAM},
	Run:  runNodeRoleCNI,
}

var tfNodeRoleDangerous = &analysis.Rule{
	ID:       "TF003",
	Title:    "node role grants what every pod inherits",
	Severity: analysis.High,
	Kinds:    terraformKinds,
	Cross:    true,
	Doc: "Pods reach the node role through the instance metadata service unless IMDSv2 is required with a hop limit of 1, " +
		"and pods on the host network reach it regardless, so anything on the node role is granted to every workload on " +
		"those nodes. AdministratorAccess, PowerUserAccess and IAMFullAccess hand over the account; AmazonEC2FullAccess, " +
		"AmazonS3FullAccess and AmazonEKSClusterPolicy (the control plane's own policy, which no node component needs) are " +
		"almost as bad, and so is one role shared by the cluster and its nodes. The node role's inline and customer policies " +
		"are read too: access-entry actions (eks:* among them) let any pod make itself cluster-admin, ec2:RunInstances lets " +
		"any pod launch instances, and an application's data permissions belong to that application. Give the workload that needs " +
		"the permission its own role (IRSA or EKS Pod Identity) and remove the attachment from the node role once it uses " +
		"it; no automatic fix is offered, because a pod may rely on the node role today. Checkov's CKV_AWS_274 flags " +
		"AdministratorAccess on any role.",
	Refs: []string{eksBestIAM, nodeRoleDoc, checkovSources + "IAMManagedAdminPolicy.py"},
	Run:  runNodeRoleDangerous,
}

var tfLaunchTemplateIMDSv1 = &analysis.Rule{
	ID:       "TF004",
	Title:    "node launch template allows IMDSv1",
	Severity: analysis.High,
	Kinds:    terraformKinds,
	Cross:    true,
	Doc: "IMDSv1 answers any request that reaches 169.254.169.254, so a server-side request forgery in any pod hands out " +
		"the node role's credentials; IMDSv2 needs a session token first. A launch template without metadata_options, or " +
		"without http_tokens, leaves the choice to the AMI's default; http_tokens = \"optional\" turns IMDSv1 on. The fix sets " +
		"http_tokens = \"required\" and, when the hop limit is not set, sets it: 1 when the paste shows pods using IRSA or EKS " +
		"Pod Identity (pods then cannot reach the node role at all), 2 otherwise, so that pods that still read the node role " +
		"keep working over IMDSv2 (IMDSv1 has no hop limit, so they reach it today). Do not set http_endpoint = \"disabled\": " +
		"node components need the metadata service. Checkov CKV_AWS_79 and Trivy AVD-AWS-0130 check the same setting. " +
		"It checks the launch templates node groups and Auto Scaling groups of the paste use, and those that look like a " +
		"node's without one (user data that runs the EKS bootstrap or nodeadm, an EKS-optimised AMI, a name for nodes or " +
		"workers), saying so in the message.",
	Refs: []string{imdsBestPractice, launchTemplateDoc, imdsDoc, checkovSources + "IMDSv1Disabled.py", trivyAVD + "avd-aws-0130"},
	Run:  runLaunchTemplateIMDSv1,
}

var tfLaunchTemplateHops = &analysis.Rule{
	ID:       "TF005",
	Title:    "node launch template hop limit lets pods reach the node role",
	Severity: analysis.Medium,
	Kinds:    terraformKinds,
	Cross:    true,
	Doc: "The metadata response hop limit decides whether IMDSv2 answers pods: containers sit one network hop behind the " +
		"node, so a hop limit of 2 lets every pod get the node role's credentials, and 1 keeps them to the node and " +
		"host-network pods. Use 1 when pods get credentials from IRSA or EKS Pod Identity; 2 only while some pods must " +
		"still read the node role from the metadata service; never more than 2, which no pod needs. The fix sets 1 when " +
		"the paste shows IRSA or Pod Identity in use, else 2. Checkov CKV_AWS_341 flags any hop limit above 1; Trivy has " +
		"no hop limit check. Launch templates are chosen as TF004 chooses them.",
	Refs: []string{imdsBestPractice, launchTemplateDoc, "https://docs.aws.amazon.com/eks/latest/userguide/al2023.html",
		checkovSources + "LaunchTemplateMetadataHop.py"},
	Run: runLaunchTemplateHops,
}

var tfClusterAuthMode = &analysis.Rule{
	ID:       "TF006",
	Title:    "cluster authentication mode is CONFIG_MAP",
	Severity: analysis.Medium,
	Kinds:    terraformKinds,
	Cross:    true,
	Doc: "In CONFIG_MAP mode only the aws-auth ConfigMap grants access, which AWS has deprecated in favour of access " +
		"entries: one YAML typo there locks everyone out, nodes included. A cluster created through the API without " +
		"access_config gets CONFIG_MAP. Access entries fail in that mode (\"The cluster's authentication mode must be set " +
		"to one of [API, API_AND_CONFIG_MAP]\"), and an access_config that leaves bootstrap_cluster_creator_admin_permissions " +
		"unset sends false, which CONFIG_MAP rejects at creation. Modes only move forward: CONFIG_MAP to API_AND_CONFIG_MAP, " +
		"then, once every aws-auth entry has an access entry, to API; never back, and never straight from CONFIG_MAP to " +
		"API. The fix sets API_AND_CONFIG_MAP, an in-place update that keeps aws-auth working.",
	Refs: []string{accessEntriesSetupDoc, grantAccessDoc,
		eksAccessConfigAPI, eksClusterTFDoc},
	Run: runClusterAuthMode,
}

var tfClusterCreatorAdmin = &analysis.Rule{
	ID:       "TF007",
	Title:    "cluster creator gets unmanaged admin access",
	Severity: analysis.Low,
	Kinds:    terraformKinds,
	Cross:    true,
	Doc: "bootstrap_cluster_creator_admin_permissions = true gives whoever creates the cluster, often a CI role, an access " +
		"entry with AmazonEKSClusterAdminPolicy that no Terraform resource describes, so reviews never see it. The EKS " +
		"module's enable_cluster_creator_admin_permissions does the same with an access entry for whichever identity runs " +
		"terraform apply. Grant administrators with explicit access entries for named roles instead. Do not flip the " +
		"cluster setting on an existing cluster: it forces a new cluster; delete the creator's access entry instead, " +
		"after the explicit entries exist.",
	Refs: []string{eksBestIAM,
		eksAccessConfigAPI, eksClusterTFDoc, eksModuleDoc},
	Run: runClusterCreatorAdmin,
}

var tfClusterPublicEndpoint = &analysis.Rule{
	ID:       "TF008",
	Title:    "public cluster endpoint open to the internet",
	Severity: analysis.Medium,
	Kinds:    terraformKinds,
	Cross:    true,
	Doc: "The public API endpoint is on by default and, without public_access_cidrs, accepts connections from 0.0.0.0/0. " +
		"Requests still need valid credentials, but the API server is then exposed to every scan and to any leaked or " +
		"stolen credential from anywhere. Restrict public_access_cidrs to the networks that run kubectl and CI, or turn " +
		"the public endpoint off and use the private one. Checkov CKV_AWS_38 and Trivy AVD-AWS-0041 check the same; " +
		"CKV_AWS_39 and AVD-AWS-0040 flag any public endpoint.",
	Refs: []string{endpointDoc, checkovSources + "EKSPublicAccessCIDR.py", checkovSources + "EKSPublicAccess.py",
		trivyAVD + "avd-aws-0041", trivyAVD + "avd-aws-0040"},
	Run: runClusterPublicEndpoint,
}

var tfClusterEncryption = &analysis.Rule{
	ID:       "TF009",
	Title:    "no customer-managed key for Kubernetes secrets",
	Severity: analysis.Low,
	Kinds:    terraformKinds,
	Cross:    true,
	Doc: "Since Kubernetes 1.28, EKS encrypts all Kubernetes API data at rest with envelope encryption by default. An " +
		"encryption_config with resources = [\"secrets\"] and your own KMS key adds what the default does not: a key policy " +
		"you control, CloudTrail records of every decryption, and the ability to revoke access. Before 1.28 it is the only " +
		"envelope encryption of secrets. Once enabled it cannot be removed. Checkov CKV_AWS_58 (\"Ensure EKS Cluster has " +
		"Secrets Encryption Enabled\") and Trivy AVD-AWS-0039 check this setting.",
	Refs: []string{envelopeDoc, "https://docs.aws.amazon.com/eks/latest/userguide/enable-kms.html",
		checkovSources + "EKSSecretsEncryption.py", trivyAVD + "avd-aws-0039"},
	Run: runClusterEncryption,
}

var tfClusterLogs = &analysis.Rule{
	ID:       "TF010",
	Title:    "control plane logs miss audit or authenticator",
	Severity: analysis.Medium,
	Kinds:    terraformKinds,
	Cross:    true,
	Doc: "The authenticator log is the only place EKS records why an IAM identity was refused (\"access denied ... ARN is " +
		"not mapped\") and which Kubernetes user and groups it was mapped to; the audit log records what each identity " +
		"did. Both are off unless enabled_cluster_log_types lists them. The fix adds them (they are billed as CloudWatch " +
		"Logs ingestion). Checkov CKV_AWS_37 wants all five log types and Trivy AVD-AWS-0038 checks logging too.",
	Refs: []string{controlPlaneLogsDoc, checkovSources + "EKSControlPlaneLogging.py", trivyAVD + "avd-aws-0038"},
	Run:  runClusterLogs,
}

var tfOpenIngress = &analysis.Rule{
	ID:       "TF011",
	Title:    "cluster or node security group open to the internet",
	Severity: analysis.High,
	Kinds:    terraformKinds,
	Cross:    true,
	Doc: "EKS needs 443 from the nodes to the control plane and 10250 from the control plane to the nodes, between its " +
		"own security groups, never from the internet. 10250 is the kubelet API, which runs commands in pods for whoever " +
		"it authorizes; 443 on the cluster security group reaches the API server's private endpoint and, since managed " +
		"nodes share that security group, the nodes too. Allow the security group of the other side (source_security_group_id, " +
		"referenced_security_group_id) or the VPC's CIDR instead of 0.0.0.0/0 or ::/0; the public endpoint's own " +
		"allow-list is public_access_cidrs, not a security group. Trivy AVD-AWS-0107 flags any ingress from /0; Checkov " +
		"CKV_AWS_277 flags ingress from 0.0.0.0/0 on all ports.",
	Refs: []string{sgReqsDoc, "https://docs.aws.amazon.com/eks/latest/best-practices/network-security.html",
		trivyAVD + "avd-aws-0107", checkovSources + "SecurityGroupUnrestrictedIngressAny.py"},
	Run: runOpenIngress,
}

var tfPodIdentityTrust = &analysis.Rule{
	ID:       "TF012",
	Title:    "pod identity association whose role refuses it",
	Severity: analysis.High,
	Kinds:    terraformKinds,
	Cross:    true,
	Doc: "An aws_eks_pod_identity_association only works when its role's trust policy lets pods.eks.amazonaws.com " +
		"assume the role with the session tags EKS adds (kubernetes-namespace, kubernetes-service-account, " +
		"eks-cluster-name, …). A role that trusts only an OIDC provider (an IRSA role) makes EKS refuse the association " +
		"(\"Trust policy of the role provided is invalid\"); the fix adds the Pod Identity statement and keeps the IRSA one. " +
		"Session-tag conditions that name another namespace or service account let the association be created but " +
		"give its pods no credentials; make them match the association. Missing sts:TagSession is PODID001's finding.",
	Refs: []string{podIdentityRoleDoc,
		podIDTagsDoc,
		tfAWSProviderIssue41483},
	Run: runPodIdentityTrust,
}

var tfIRSAModuleSubjects = &analysis.Rule{
	ID:       "TF013",
	Title:    "service account of the IRSA module written as a full subject",
	Severity: analysis.High,
	Kinds:    terraformKinds,
	Cross:    true,
	Doc: "The terraform-aws-modules IRSA role modules take namespace_service_accounts as \"namespace:name\" and write " +
		"the subject system:serviceaccount:namespace:name themselves. An entry that already starts with " +
		"system:serviceaccount: becomes system:serviceaccount:system:serviceaccount:…, which no token carries, so the pod " +
		"is refused with \"Not authorized to perform sts:AssumeRoleWithWebIdentity\". The fix keeps only namespace:name. " +
		"The modules' other inputs go through the IRSA and IAM rules as the trust policy they produce.",
	Refs: []string{"https://registry.terraform.io/modules/terraform-aws-modules/iam/aws/latest/submodules/iam-role-for-service-accounts",
		irsaRoleDoc},
	Run: runIRSAModuleSubjects,
}

var tfProviderCA = &analysis.Rule{
	ID:       "TF015",
	Title:    "provider given the cluster CA certificate in base64",
	Severity: analysis.High,
	Kinds:    terraformKinds,
	Cross:    true,
	Doc: "The kubernetes, helm and kubectl providers take cluster_ca_certificate in PEM (-----BEGIN CERTIFICATE-----), " +
		"while EKS returns the certificate base64-encoded: certificate_authority[0].data of aws_eks_cluster (resource or " +
		"data source) and the EKS module's cluster_certificate_authority_data. Passed as it is, every plan that needs the " +
		"cluster stops with \"Kubernetes cluster unreachable: unable to load root certificates: unable to parse bytes as PEM " +
		"block\" (client-go's words for CA data that holds no PEM). Wrap the reference in base64decode(), as the providers' " +
		"EKS examples do. The fix does.",
	Refs: []string{"https://registry.terraform.io/providers/hashicorp/kubernetes/latest/docs#exec-plugins",
		"https://github.com/kubernetes/client-go/blob/master/transport/transport.go",
		"https://github.com/hashicorp/terraform-provider-helm/issues/1086"},
	Run: runProviderCA,
}

var tfControllerRole = &analysis.Rule{
	ID:       "TF014",
	Title:    "controller chart released with no IAM role for its ServiceAccount",
	Severity: analysis.Medium,
	Kinds:    terraformKinds,
	Cross:    true,
	Doc: "Controllers that call AWS APIs (the load balancer controller, external-dns, Karpenter, cluster-autoscaler, the EBS " +
		"and EFS CSI drivers) need an IAM role of their own: an eks.amazonaws.com/role-arn annotation on the ServiceAccount their " +
		"chart creates (IRSA), or a Pod Identity association. A helm_release that lets the chart create the ServiceAccount with " +
		"neither leaves the controller on the node's role: it is refused what its policy grants, or gets no credentials where " +
		"the instance metadata service is out of pods' reach. Set the annotation through the chart's values (in a set block, " +
		"escape the dots: serviceAccount.annotations.eks\\.amazonaws\\.com/role-arn). The rule stays quiet when the paste " +
		"holds a Pod Identity association or the release does not create the ServiceAccount.",
	Refs: []string{lbcInstallDoc, irsaOverviewDoc, podIdentityDoc, "https://github.com/kubernetes-sigs/aws-load-balancer-controller/issues/2627"},
	Run:  runControllerRole,
}
