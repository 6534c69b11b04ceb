package fixes

import (
	"fmt"
	"slices"
	"strings"

	"github.com/eksdoctor/eksdoctor/analysis"
)

// Risky grants of cluster-scoped machinery: admission webhooks, CSR
// approval, wildcards, and the aws-auth ConfigMap.

var admissionResources = []string{"mutatingwebhookconfigurations", "validatingwebhookconfigurations", "validatingadmissionpolicies",
	"validatingadmissionpolicybindings", "mutatingadmissionpolicies", "mutatingadmissionpolicybindings"}

var rbacWebhooks = &analysis.Rule{
	ID:       "RBAC025",
	Title:    "admission webhooks can be rewritten",
	Severity: analysis.High,
	Kinds:    roleKinds,
	Doc: "Admission webhooks and policies see, and mutating ones rewrite, every object they match, Secrets included. Whoever can " +
		"create, update or delete their configurations can switch off the cluster's policy checks or send every object to a " +
		"server of their choice. A controller that only refreshes its own webhook's caBundle needs get and update on that " +
		"configuration alone: add resourceNames with its name.",
	Refs: []string{rbacGoodPractice, webhookDoc},
	Run: riskRun(func(p *analysis.Pass, r *rbacRule, role *rbacRole, rr roleReach) (analysis.Severity, string, *analysis.Fix, bool) {
		res := listedAll(r, "admissionregistration.k8s.io", admissionResources...)
		verbs := r.verbsOf(writeVerbs...)
		if len(res) == 0 || len(verbs) == 0 || len(r.ResourceNames) > 0 || role.Kind == "Role" {
			return "", "", nil, false
		}
		return analysis.High, fmt.Sprintf("allows %s on all %s: it can switch off the cluster's admission checks or send objects, Secrets "+
			"included, to any server. Limit it to the configuration it manages with resourceNames.", strings.Join(verbs, ", "), strings.Join(res, " and ")), nil, true
	}, focus{"resources", []string{"mutatingwebhookconfigurations", "validatingwebhookconfigurations", "*"}}),
}

var rbacCSRApproval = &analysis.Rule{
	ID:       "RBAC026",
	Title:    "certificate signing requests can be approved",
	Severity: analysis.High,
	Kinds:    roleKinds,
	Doc: "With update on certificatesigningrequests/approval and approve on a signer, a user can approve their own request for a " +
		"client certificate with any user and groups, system:masters included, for the kubernetes.io/kube-apiserver-client " +
		"signer. Keep CSR approval to the cluster's approver, or limit approve to the signers a component needs with " +
		"resourceNames (for example kubernetes.io/kubelet-serving).",
	Refs: []string{rbacGoodPractice, certificatesDoc},
	Run: riskRun(func(p *analysis.Pass, r *rbacRule, role *rbacRole, rr roleReach) (analysis.Severity, string, *analysis.Fix, bool) {
		if r.listed("certificates.k8s.io", "signers") == "" || len(r.verbsOf("approve", "sign")) == 0 || role.Kind == "Role" {
			return "", "", nil, false
		}
		for _, n := range r.ResourceNames {
			if n != "kubernetes.io/kube-apiserver-client" && n != "kubernetes.io/legacy-unknown" && !strings.HasSuffix(n, "/*") {
				return "", "", nil, false
			}
		}
		pol := policyOf(p)
		sub := map[string]string{"approve": "approval", "sign": "status"}[r.verbsOf("approve", "sign")[0]]
		if pol.grants(role, Request{Verb: "update", APIGroup: "certificates.k8s.io", Resource: "certificatesigningrequests", Subresource: sub}) == nil &&
			pol.grants(role, Request{Verb: "patch", APIGroup: "certificates.k8s.io", Resource: "certificatesigningrequests", Subresource: sub}) == nil {
			return "", "", nil, false
		}
		return analysis.High, fmt.Sprintf("can %s certificate signing requests for client-certificate signers: a certificate for any user or "+
			"group, system:masters included. Limit the signers with resourceNames.", strings.Join(r.verbsOf("approve", "sign"), " and ")), nil, true
	}, focus{"resources", []string{"certificatesigningrequests/approval", "signers", "*"}}, focus{"verbs", []string{"approve"}}),
}

var rbacWildcard = &analysis.Rule{
	ID:       "RBAC027",
	Title:    "wildcard in rules",
	Severity: analysis.Medium,
	Kinds:    roleKinds,
	Doc: "A \"*\" in verbs, resources or apiGroups grants everything that exists now and everything added later: \"*\" resources " +
		"include Secrets, \"*\" verbs include escalate, bind and impersonate, and \"*\" on both is cluster-admin in that scope. " +
		"List the API groups, resources and verbs the component uses (kubectl api-resources and its documentation, or audit2rbac " +
		"over an audit log, tell you which). \"*\" resources of the core group in every namespace, with list, watch or a " +
		"write, are high: they read every Secret or rewrite aws-auth, as RBAC023 and RBAC029 rate them when named. So are, in " +
		"every namespace, \"*\" verbs on roles, bindings, users, groups or ServiceAccounts (escalate, bind, impersonate) " +
		"and every verb on every resource of the RBAC, admission or certificates API groups: paths to cluster-admin.",
	Refs: []string{rbacGoodPractice, audit2rbac},
	Run: riskRun(func(p *analysis.Pass, r *rbacRule, role *rbacRole, rr roleReach) (analysis.Severity, string, *analysis.Fix, bool) {
		allVerbs, allResources, allGroups := slices.Contains(r.Verbs, "*"), slices.Contains(r.Resources, "*"), slices.Contains(r.APIGroups, "*")
		switch {
		case allVerbs && allResources && (allGroups || slices.Contains(r.APIGroups, "")) && rr.privileged():
			return analysis.High, "allows every verb on every resource " + rr.where() + ": that is cluster-admin. List the resources and verbs it uses.", nil, true
		case allVerbs && allResources:
			sev := analysis.Medium
			if rr.everywhere() && slices.ContainsFunc(r.APIGroups, func(g string) bool { return slices.Contains(escalationGroups, g) }) {
				sev = analysis.High // RBAC021, RBAC025 and RBAC026 rate these grants high when named
			}
			return sev, "allows every verb on every resource of " + groupsPhrase(r.APIGroups) + " " + rr.where() +
				coveredPhrase(r) + ". List the resources and verbs it uses.", nil, true
		case allResources:
			sev := analysis.Medium
			if coversCore(r) && rr.everywhere() && len(r.verbsOf("list", "watch", "create", "update", "patch", "delete")) > 0 {
				sev = analysis.High // every Secret, aws-auth or every pod: a path to cluster-admin or to every Secret
			}
			return sev, fmt.Sprintf("allows %s on every resource of %s %s%s. List the resources.", strings.Join(r.Verbs, ", "),
				groupsPhrase(r.APIGroups), rr.where(), coveredPhrase(r)), nil, true
		case allVerbs && len(r.NonResourceURLs) > 0:
			return analysis.Low, "allows every verb on non-resource URLs " + listOf(r.NonResourceURLs) + ". List the verbs (usually get).", nil, true
		case allVerbs:
			sev, including := analysis.Low, "deletecollection and verbs added later"
			if slices.ContainsFunc(r.Resources, func(res string) bool { return slices.Contains(escalationResources, res) }) {
				sev, including = analysis.Medium, "escalate, bind, impersonate and deletecollection where they apply"
				if rr.everywhere() {
					sev = analysis.High // escalate, bind or impersonate: a path to cluster-admin
				}
			}
			return sev, "allows every verb on " + strings.Join(r.Resources, ", ") + ", including " + including + ". List the verbs it uses.", nil, true
		case allGroups:
			return analysis.Low, "names resources " + strings.Join(r.Resources, ", ") + " in every API group, including ones added later. " +
				"List the API groups.", nil, true
		}
		return "", "", nil, false
	}, focus{"apiGroups", []string{"*"}}, focus{"resources", []string{"*"}}, focus{"verbs", []string{"*"}}),
}

// escalationGroups are the API groups whose every verb on every resource
// is a path to cluster-admin: RBAC itself, admission webhooks, and
// certificate signing.
var escalationGroups = []string{"rbac.authorization.k8s.io", "admissionregistration.k8s.io", "certificates.k8s.io"}

// escalationResources are the resources on which "*" verbs include
// escalate, bind or impersonate.
var escalationResources = []string{"roles", "clusterroles", "rolebindings", "clusterrolebindings", "users", "groups", "serviceaccounts", "uids", "userextras"}

// coversCore reports whether r's API groups include the core group,
// where Secrets, ConfigMaps and pods are.
func coversCore(r *rbacRule) bool {
	return slices.Contains(r.APIGroups, "") || slices.Contains(r.APIGroups, "*")
}

// coveredPhrase says what a "*" of resources includes that matters, for
// a message: Secrets only when the core group is covered.
func coveredPhrase(r *rbacRule) string {
	if coversCore(r) {
		return ", Secrets and resources added later included"
	}
	return ", resources added later included"
}

var rbacAWSAuthWrite = &analysis.Rule{
	ID:       "RBAC029",
	Title:    "aws-auth ConfigMap writable",
	Severity: analysis.High,
	Kinds:    roleKinds,
	Doc: "On EKS clusters that use the aws-auth ConfigMap, whoever can update or patch ConfigMaps in kube-system can map any IAM " +
		"role to system:masters and take over the cluster, and whoever can delete them can lock every node and user out. A rule " +
		"on configmaps without resourceNames, granted cluster-wide or in kube-system, includes aws-auth. Limit it to the " +
		"ConfigMaps the component uses with resourceNames, in a Role of its own namespace (leader election belongs in leases).",
	Refs: []string{authConfigMapDoc, "https://github.com/PaloAltoNetworks/rbac-police", rbacGoodPractice},
	Run: riskRun(func(p *analysis.Pass, r *rbacRule, role *rbacRole, rr roleReach) (analysis.Severity, string, *analysis.Fix, bool) {
		if !rr.privileged() || r.listed("", "configmaps") == "" || len(r.ResourceNames) > 0 && !slices.Contains(r.ResourceNames, "aws-auth") {
			return "", "", nil, false
		}
		if verbs := r.verbsOf("update", "patch"); len(verbs) > 0 {
			return analysis.High, fmt.Sprintf("allows %s on configmaps %s, which includes kube-system/aws-auth: an EKS user mapping to "+
				"system:masters is one edit away. Limit it with resourceNames to the ConfigMaps it uses.", strings.Join(verbs, ", "), rr.where()), nil, true
		}
		if verbs := r.verbsOf("delete", "deletecollection"); len(verbs) > 0 {
			return analysis.Medium, fmt.Sprintf("allows %s on configmaps %s, which includes kube-system/aws-auth: deleting it locks nodes "+
				"and users out. Limit it with resourceNames.", strings.Join(verbs, ", "), rr.where()), nil, true
		}
		return "", "", nil, false
	}, focus{"resourceNames", []string{"aws-auth"}}, focus{"resources", []string{"configmaps", "*"}}),
}

// groupsPhrase names API groups for a message.
func groupsPhrase(groups []string) string {
	if slices.Contains(groups, "*") {
		return "every API group"
	}
	return "API groups " + listOf(groups)
}
