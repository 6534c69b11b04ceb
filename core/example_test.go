package core_test

import (
	"fmt"
	"strings"

	"github.com/eksdoctor/eksdoctor/core"
)

// awsAuth maps a role by an ARN that keeps its IAM path, which the
// authenticator never matches.
const awsAuth = `apiVersion: v1
kind: ConfigMap
metadata:
  name: aws-auth
  namespace: kube-system
data:
  mapRoles: |
    - rolearn: arn:aws:iam::210987654321:role/platform/deployer
      username: deployer
      groups:
        - deployers
`

func ExampleAnalyze() {
	rep := core.Analyze(awsAuth, core.Options{})
	high, _ := core.SeverityRank("high")
	for _, f := range rep.Findings {
		if rank, _ := core.SeverityRank(f.Severity); rank >= high {
			fmt.Printf("%d:%d %s %s %s\n", f.Line, f.Column, f.Severity, f.Rule, f.Title)
		}
	}
	// The diff is in pseudonym space: the account is a stand-in.
	fmt.Print(rep.Diff)
	// Output:
	// 8:16 high AUTH001 role ARN with an IAM path never matches
	// --- redacted
	// +++ fixed
	// @@ -5,7 +5,7 @@
	//    namespace: kube-system
	//  data:
	//    mapRoles: |
	// -    - rolearn: arn:aws:iam::100000000001:role/platform/deployer
	// +    - rolearn: arn:aws:iam::100000000001:role/deployer
	//        username: deployer
	//        groups:
	//          - deployers
}

func ExampleRestore() {
	rep := core.Analyze(awsAuth, core.Options{})
	// The report holds a pseudonym for the account; Restore puts it back.
	rolearn := func(text string) string { return strings.TrimSpace(strings.Split(text, "\n")[7]) }
	fmt.Println("report:  ", rolearn(rep.Fixed))
	fmt.Println("restored:", rolearn(core.Restore(awsAuth, rep.Fixed)))
	// Output:
	// report:   - rolearn: arn:aws:iam::100000000001:role/deployer
	// restored: - rolearn: arn:aws:iam::210987654321:role/deployer
}

func ExampleCanI() {
	rbac := `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: pod-reader
  namespace: payments
rules:
  - apiGroups: [""]
    resources: ["pods"]
    verbs: ["get", "list", "watch"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: jane-reads-pods
  namespace: payments
subjects:
  - kind: User
    name: jane
roleRef:
  kind: Role
  name: pod-reader
  apiGroup: rbac.authorization.k8s.io
`
	res := core.CanI(rbac, core.CanIQuery{User: "jane", Verb: "get", Resource: "pods/log", Namespace: "payments"})
	fmt.Println(res.Answer)
	fmt.Println(res.Reason)
	fmt.Println(res.Command)
	// Output:
	// no
	// no binding grants get pods/log in namespace "payments" to jane; the closest: RoleBinding payments/jane-reads-pods (Role payments/pod-reader): it grants pods, and a rule for pods does not cover its subresource pods/log; add pods/log
	// kubectl auth can-i get pods --subresource=log -n payments --as=jane
}

func ExampleSimulateTrust() {
	trust := `{
  "Version": "2012-10-17",
  "Statement": [{
    "Effect": "Allow",
    "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE"},
    "Action": "sts:AssumeRoleWithWebIdentity",
    "Condition": {"StringEquals": {
      "oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:sub": "system:serviceaccount:payments:api",
      "oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:aud": "sts.amazonaws.com"
    }}
  }]
}`
	d := core.SimulateTrust(trust, core.TrustRequest{
		Provider: "oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE",
		Subject:  "system:serviceaccount:payments:worker",
	})
	fmt.Println(d.Decision)
	fmt.Println(d.Reason)
	// Output:
	// implicit-deny
	// No statement allows sts:AssumeRoleWithWebIdentity for system:serviceaccount:payments:worker from oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE. The nearest, statement 1 (line 3), fails its condition StringEquals on oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:sub: the request has system:serviceaccount:payments:worker, which is not system:serviceaccount:payments:api.
}

func ExampleRules() {
	for _, r := range core.Rules() {
		if r.ID == "AUTH001" {
			fmt.Println(r.ID, r.Severity, r.Title)
		}
	}
	// Output:
	// AUTH001 high role ARN with an IAM path never matches
}
