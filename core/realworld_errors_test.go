package core

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/eksdoctor/eksdoctor/fixes"
)

// realWorldDiagnoses says which rules diagnose each real-world error
// output and kubeconfig. Forbidden denials and the kubelet's refusals
// belong to the RBAC family; their rules are checked when registered.
var realWorldDiagnoses = map[string][]string{
	"errors/awsdocs-accessdeniedexception-eks-describecluster.txt":                         {"ERR014"},
	"errors/awsdocs-hybrid-nodes-describecluster-accessdenied.txt":                         {"ERR014"},
	"errors/awsdocs-hybrid-nodes-rolesanywhere-sts-assumerole-accessdenied.txt":            {"ERR041"},
	"errors/awsdocs-irsa-invalidclienttokenid-china-region.txt":                            {"ERR040"},
	"errors/awsdocs-irsa-invalididentitytoken-incorrect-audience.txt":                      {"ERR030"},
	"errors/awsdocs-irsa-invalididentitytoken-thumbprint-mismatch.txt":                     {"ERR031"},
	"errors/awsdocs-irsa-webidentityerr-token-permission-denied.txt":                       {"ERR033"},
	"errors/awsdocs-kubelet-register-node-unauthorized.txt":                                {"ERR042"},
	"errors/eks-blueprints-vpc-lattice-invoke-accessdenied-pod-identity.txt":               {"ERR041"},
	"errors/eks-workshop-v1-forbidden-rbac-user-other-namespace.txt":                       {"RBAC001"},
	"errors/eks-workshop-v1-irsa-ec2-describeinstances-unauthorizedoperation.txt":          {"ERR041"},
	"errors/eks-workshop-v2-alb-controller-accessdenied-createloadbalancer-events.txt":     {"ERR041"},
	"errors/eks-workshop-v2-forbidden-deployments-rbac-group.txt":                          {"RBAC001"},
	"errors/eks-workshop-v2-forbidden-list-pods-cluster-scope-namespace-scoped-policy.txt": {"RBAC001"},
	"errors/eks-workshop-v2-pod-identity-missing-unable-to-load-credentials.txt":           {"ERR039"},
	"errors/eks-workshop-v2-pod-using-node-role-dynamodb-not-authorized.txt":               {"ERR036"},
	"errors/eks-workshop-v2-unauthorized-after-aws-auth-mapping-removed.txt":               {"ERR001"},
	"errors/eksctl-internalerror-kubelet-authorization-nodes-proxy.txt":                    {"RBAC003"},
	"errors/eksctl-unable-to-upgrade-connection-kubelet-authorization.txt":                 {"RBAC003"},
	"errors/external-dns-forbidden-serviceaccount-list-istio-gateways.txt":                 {"RBAC001"},
	"errors/karpenter-node-register-unauthorized.txt":                                      {"ERR042"},
	"errors/karpenter-webidentityerr-sts-dns-timeout.txt":                                  {"ERR033"},
	"kubeconfig/aws-cli-testdata-old-api-version-v1alpha1.yaml":                            {"KCFG001"},
	"kubeconfig/aws-cli-testdata-valid-bad-user-missing-name.yaml":                         {"KCFG006"},
	"kubeconfig/aws-cli-update-kubeconfig-output-single.yaml":                              nil,
	"kubeconfig/aws-iam-authenticator-readme-kubeconfig-aws-profile.yaml":                  {"KCFG010"},
	"kubeconfig/awsdocs-2019-manual-kubeconfig-v1alpha1-aws-iam-authenticator.yaml":        {"KCFG001", "KCFG010"},
	"kubeconfig/eks-best-practices-super-admin-sa-token-kubeconfig.yaml":                   {"KCFG011"},
	"kubeconfig/eksctl-testdata-two-clusters-v1alpha1-exec.yaml":                           {"KCFG001"},
}

// TestRealWorldDiagnoses runs every real-world error output and kubeconfig
// through the whole analysis: each must be diagnosed by exactly the rules
// listed, and the corpus must not grow without a diagnosis here.
func TestRealWorldDiagnoses(t *testing.T) {
	for _, dir := range []string{"errors", "kubeconfig"} {
		files, _ := filepath.Glob(filepath.Join("../testdata/realworld", dir, "*"))
		for _, f := range files {
			name := dir + "/" + filepath.Base(f)
			want, listed := realWorldDiagnoses[name]
			if !listed {
				t.Errorf("%s: no expected diagnosis in realWorldDiagnoses", name)
				continue
			}
			text, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			want = slices.DeleteFunc(slices.Clone(want), func(id string) bool { return fixes.RuleByID(id) == nil })
			var got []string
			for _, finding := range Analyze(string(text), Options{}).Findings {
				ours := strings.HasPrefix(finding.Rule, "ERR") || strings.HasPrefix(finding.Rule, "KCFG")
				if (ours || slices.Contains(want, finding.Rule)) && !slices.Contains(got, finding.Rule) {
					got = append(got, finding.Rule)
				}
			}
			slices.Sort(got)
			if strings.Join(got, " ") != strings.Join(want, " ") {
				t.Errorf("%s: diagnosed by %v, want %v", name, got, want)
			}
		}
	}
}

// TestRealworldErrors runs the ERR and KCFG families over the whole
// real-world corpus (manifests, aws-auth, policies too, where they must
// stay quiet) and compares their findings, messages included, with
// testdata/realworld-errors.txt. Outside errors/ and kubeconfig/ nothing
// may fire.
func TestRealworldErrors(t *testing.T) {
	realworldGolden(t, "../testdata/realworld-errors.txt", []string{"ERR", "KCFG"}, func(path string, f Finding) {
		if dir := strings.SplitN(path, "/", 2)[0]; dir != "errors" && dir != "kubeconfig" {
			t.Errorf("%s: %s fires outside the error and kubeconfig corpus: %s", path, f.Rule, f.Message)
		}
	})
}
