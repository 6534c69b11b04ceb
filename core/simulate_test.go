package core

import (
	"encoding/json"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const (
	simSA = `apiVersion: v1
kind: ServiceAccount
metadata:
  name: payments-api
  namespace: payments
  annotations:
    eks.amazonaws.com/role-arn: arn:aws:iam::210987654321:role/payments-api-irsa
`
	simTrust = `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Principal": {
        "Federated": "arn:aws:iam::210987654321:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/5C6D2B1E8F9A4B7C3D2E1F0A9B8C7D6E"
      },
      "Action": "sts:AssumeRoleWithWebIdentity",
      "Condition": {
        "StringEquals": {
          "oidc.eks.eu-west-1.amazonaws.com/id/5C6D2B1E8F9A4B7C3D2E1F0A9B8C7D6E:sub": "system:serviceaccount:payment:payments-api",
          "oidc.eks.eu-west-1.amazonaws.com/id/5C6D2B1E8F9A4B7C3D2E1F0A9B8C7D6E:aud": "sts.amazonaws.com"
        }
      }
    }
  ]
}
`
	simPodTrust = `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "pods.eks.amazonaws.com"},
 "Action": ["sts:AssumeRole", "sts:TagSession"],
 "Condition": {"StringEquals": {"aws:RequestTag/kubernetes-namespace": "payments"}}}]}
`
)

// TestSimulateFromPaste runs the page's flow: derive the request from the
// pasted ServiceAccount, then simulate it against the pasted trust policy.
func TestSimulateFromPaste(t *testing.T) {
	paste := simSA + "---\n" + simTrust
	req, ok := TrustRequestFromText(paste)
	if !ok {
		t.Fatal("no request derived from a ServiceAccount and a trust policy")
	}
	want := TrustRequest{
		Provider: "arn:aws:iam::210987654321:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/5C6D2B1E8F9A4B7C3D2E1F0A9B8C7D6E",
		Subject:  "system:serviceaccount:payments:payments-api", RoleARN: "arn:aws:iam::210987654321:role/payments-api-irsa",
	}
	if req.Provider != want.Provider || req.Subject != want.Subject || req.RoleARN != want.RoleARN || req.Audience != "" {
		t.Errorf("request = %+v, want %+v", req, want)
	}
	d := SimulateTrust(paste, req)
	if d.Allowed || d.Decision != "implicit-deny" || d.Condition == nil || !strings.HasSuffix(d.Condition.Key, ":sub") {
		t.Fatalf("decision = %+v, want an implicit deny on :sub", d)
	}
	if d.Statement.Line != 12 || d.Condition.Line != 20 {
		t.Errorf("statement at line %d and condition at line %d, want 12 and 20 of the paste", d.Statement.Line, d.Condition.Line)
	}
	req.Subject = "system:serviceaccount:payment:payments-api"
	if d := SimulateTrust(paste, req); !d.Allowed {
		t.Errorf("the subject the policy names is refused: %s", d.Reason)
	}
}

func TestSimulateRequests(t *testing.T) {
	event, err := os.ReadFile("../testdata/classify/cloudtrail-assumerolewithwebidentity-denied.json")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, paste string
		ok          bool
		check       func(TrustRequest) bool
	}{
		{"a CloudTrail event gives the whole request", string(event) + "\n" + simTrust, true, func(r TrustRequest) bool {
			return r.Subject == "system:serviceaccount:payments:payments-api" && r.Audience == "sts.amazonaws.com" &&
				strings.HasSuffix(r.Provider, "oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/5C6D2B1E8F9A4B7C3D2E1F0A9B8C7D6E") &&
				r.RoleARN == "arn:aws:iam::210987654321:role/payments-api-irsa"
		}},
		{"a Pod Identity role gives session tags", simSA + "---\n" + simPodTrust, true, func(r TrustRequest) bool {
			return r.SessionTags["kubernetes-namespace"] == "payments" && r.SessionTags["kubernetes-service-account"] == "payments-api" &&
				r.Provider == "" && r.PodIdentity()
		}},
		{"a ServiceAccount alone gives the subject", simSA, true, func(r TrustRequest) bool {
			return r.Subject == "system:serviceaccount:payments:payments-api" && r.Provider == ""
		}},
		{"a trust policy alone says nothing about who asks", simTrust, false, nil},
	}
	for _, tt := range tests {
		req, ok := TrustRequestFromText(tt.paste)
		if ok != tt.ok || ok && !tt.check(req) {
			t.Errorf("%s: got %+v (ok %v)", tt.name, req, ok)
		}
	}
	if d := SimulateTrust(simSA+"---\n"+simPodTrust, TrustRequest{SessionTags: map[string]string{"kubernetes-namespace": "payments"}}); !d.Allowed {
		t.Errorf("Pod Identity request refused: %s", d.Reason)
	}
	if d := SimulateTrust(simSA, TrustRequest{Provider: "https://oidc.example", Subject: "x"}); d.Decision != "error" || d.Error == "" {
		t.Errorf("no trust policy: got %+v", d)
	}
	if d := SimulateTrust("", TrustRequest{}); d.Decision != "error" || d.Error == "" {
		t.Errorf("empty input: got %+v", d)
	}
}

// TestSimulateGalleryPodIdentity derives the request of the gallery's Pod
// Identity example from its association alone (it pastes no
// ServiceAccount) and finds what the example is about: the trust does not
// allow sts:TagSession.
func TestSimulateGalleryPodIdentity(t *testing.T) {
	paste := galleryExample(t, "pod-identity.txt")
	req, ok := TrustRequestFromText(paste)
	want := map[string]string{"kubernetes-namespace": "carts", "kubernetes-service-account": "carts", "eks-cluster-name": "prod"}
	if !ok || !req.PodIdentity() || !maps.Equal(req.SessionTags, want) {
		t.Fatalf("request = %+v (ok %v), want Pod Identity session tags %v", req, ok, want)
	}
	if d := SimulateTrust(paste, req); d.Allowed || !strings.Contains(d.Reason, "sts:TagSession") {
		t.Errorf("decision = %s: %s, want a deny for the missing sts:TagSession", d.Decision, d.Reason)
	}
}

// galleryExample returns the text of an example of the page's gallery.
func galleryExample(t *testing.T, file string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "site", "examples", file))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// TestTrustDecisionJSON pins the JSON field names the page reads.
func TestTrustDecisionJSON(t *testing.T) {
	var req TrustRequest
	if err := json.Unmarshal([]byte(`{"provider": "https://oidc.eks.eu-west-1.amazonaws.com/id/5C6D2B1E8F9A4B7C3D2E1F0A9B8C7D6E",
		"sub": "system:serviceaccount:payment:payments-api", "aud": "sts.amazonaws.com"}`), &req); err != nil {
		t.Fatal(err)
	}
	out, err := json.Marshal(SimulateTrust(simTrust, req))
	if err != nil {
		t.Fatal(err)
	}
	for _, field := range []string{`"allowed":true`, `"decision":"allow"`, `"statement":{"index":1`, `"statements":[`,
		`"conditions":[{"operator":"StringEquals"`, `"request":["system:serviceaccount:payment:payments-api"]`, `"context":{`} {
		if !strings.Contains(string(out), field) {
			t.Errorf("decision JSON lacks %s: %s", field, out)
		}
	}
}
