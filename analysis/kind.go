package analysis

// Kind names what a document is. The values are part of the report
// contract and never change.
type Kind string

// The document kinds of the report contract.
const (
	KindAWSAuth            Kind = "aws-auth"
	KindRole               Kind = "k8s-role"
	KindClusterRole        Kind = "k8s-clusterrole"
	KindRoleBinding        Kind = "k8s-rolebinding"
	KindClusterRoleBinding Kind = "k8s-clusterrolebinding"
	KindServiceAccount     Kind = "k8s-serviceaccount"
	KindWorkload           Kind = "k8s-workload"
	KindK8sOther           Kind = "k8s-other"
	KindKubeconfig         Kind = "kubeconfig"
	KindTrustPolicy        Kind = "iam-trust-policy"
	KindIAMPolicy          Kind = "iam-policy"
	KindAccessEntries      Kind = "access-entries"
	KindTerraform          Kind = "terraform"
	KindCloudTrail         Kind = "cloudtrail-event"
	KindCallerIdentity     Kind = "caller-identity"
	KindErrorText          Kind = "error-text"
	KindUnknown            Kind = "unknown"
)

// AllKinds lists every kind in contract order.
var AllKinds = []Kind{
	KindAWSAuth, KindRole, KindClusterRole, KindRoleBinding, KindClusterRoleBinding,
	KindServiceAccount, KindWorkload, KindK8sOther, KindKubeconfig, KindTrustPolicy,
	KindIAMPolicy, KindAccessEntries, KindTerraform, KindCloudTrail, KindCallerIdentity,
	KindErrorText, KindUnknown,
}

// Severity says how much a finding matters. The values are part of the
// report contract.
type Severity string

// The severities, from the most to the least serious.
const (
	Critical Severity = "critical"
	High     Severity = "high"
	Medium   Severity = "medium"
	Low      Severity = "low"
	Info     Severity = "info"
)

// Rank orders severities: Critical is 4, Info is 0, anything unknown is -1.
func (s Severity) Rank() int {
	switch s {
	case Critical:
		return 4
	case High:
		return 3
	case Medium:
		return 2
	case Low:
		return 1
	case Info:
		return 0
	}
	return -1
}

// ParseSeverity returns the severity named s and whether it is one.
func ParseSeverity(s string) (Severity, bool) {
	sev := Severity(s)
	return sev, sev.Rank() >= 0
}
