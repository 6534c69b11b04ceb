package suppress_test

import (
	"fmt"

	"github.com/eksdoctor/eksdoctor/core"
	"github.com/eksdoctor/eksdoctor/internal/suppress"
)

// The CLI makes one policy for the run and filters the findings of every
// file it analyses with it.
func ExamplePolicy_Filter() {
	ids := map[string]bool{}
	for _, r := range core.Rules() {
		ids[r.ID] = true
	}
	policy := &suppress.Policy{Skip: []string{"AUTH021"}, Known: func(id string) bool { return ids[id] }}

	text := `apiVersion: v1
kind: ConfigMap
metadata:
  name: aws-auth
  namespace: kube-system
data:
  mapRoles: |
    - rolearn: arn:aws:iam::111122223333:role/eks-nodes
      username: system:node:{{EC2PrivateDNSName}}
      groups:
        - system:bootstrappers
        - system:nodes
    # eksdoctor:ignore AUTH002 platform on-call, reviewed in SEC-1142
    - rolearn: arn:aws:iam::111122223333:role/platform-admin
      username: platform-admin
      groups:
        - system:masters
    - rolearn: arn:aws:iam::111122223333:role/developer
      username: developer
      groups:
        - system:masters # eksdoctor:ignore AUTH202
`
	kept, suppressed, problems := policy.Filter("aws-auth.yaml", text, core.Analyze(text, core.Options{}).Findings)
	for _, f := range kept {
		fmt.Printf("aws-auth.yaml:%d: %s %s\n", f.Line, f.Severity, f.Rule)
	}
	for _, s := range suppressed {
		fmt.Printf("aws-auth.yaml:%d: %s suppressed by %s %q\n", s.Finding.Line, s.Finding.Rule, s.By, s.Reason)
	}
	for _, p := range problems {
		fmt.Printf("aws-auth.yaml:%d: %s\n", p.Line, p.Message)
	}
	// Output:
	// aws-auth.yaml:21: high AUTH002
	// aws-auth.yaml:7: AUTH021 suppressed by flag ""
	// aws-auth.yaml:17: AUTH002 suppressed by inline "platform on-call, reviewed in SEC-1142"
	// aws-auth.yaml:21: eksdoctor:ignore: unknown rule AUTH202
}
