package fixes

import (
	"fmt"
	"strings"
	"testing"

	"github.com/eksdoctor/eksdoctor/analysis"
)

// The trust simulator's cases. Each expected decision follows the IAM
// semantics collected in the reference (iam-irsa-terraform.md §6, from the
// IAM User Guide's condition, operator, multivalued-key and evaluation-
// logic pages): values OR, keys and operators AND, a missing key is false
// except for negated operators, IfExists, Null and ForAllValues; Like
// wildcards * and ?; case-sensitive values, case-insensitive key names;
// an explicit Deny wins; default deny.

const (
	simHost     = "oidc.eks.eu-west-1.amazonaws.com/id/5C6D2B1E8F9A4B7C3D2E1F0A9B8C7D6E"
	simProvider = "arn:aws:iam::210987654321:oidc-provider/" + simHost
	simOther    = "arn:aws:iam::210987654321:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/0A1B2C3D4E5F60718293A4B5C6D7E8F9"
	simSubject  = "system:serviceaccount:payments:payments-api"
)

// stmt writes one statement; principal and action are JSON values, cond
// the Condition object's body ("" for none).
func stmt(effect, principal, action, cond string) string {
	s := fmt.Sprintf(`{"Effect": %q, "Principal": %s, "Action": %s`, effect, principal, action)
	if cond != "" {
		s += `, "Condition": {` + cond + `}`
	}
	return s + "}"
}

func trustDoc(statements ...string) string {
	return `{"Version": "2012-10-17", "Statement": [` + strings.Join(statements, ", ") + `]}`
}

// irsaStmt is an Allow for the test provider with the given conditions.
func irsaStmt(cond string) string {
	return stmt("Allow", `{"Federated": "`+simProvider+`"}`, `"sts:AssumeRoleWithWebIdentity"`, cond)
}

// subAud is the canonical condition body.
func subAud(op, sub, aud string) string {
	return fmt.Sprintf(`%q: {%q: %q, %q: %q}`, op, simHost+":sub", sub, simHost+":aud", aud)
}

func podStmt(action, cond string) string {
	return stmt("Allow", `{"Service": "pods.eks.amazonaws.com"}`, action, cond)
}

const podActions = `["sts:AssumeRole", "sts:TagSession"]`

// parseTrust reads the first policy of a JSON trust policy text.
func parseTrust(t *testing.T, text string) (*analysis.Source, *Policy) {
	t.Helper()
	src := analysis.NewSource(text)
	doc := &analysis.Document{Kind: analysis.KindTrustPolicy, Format: analysis.FormatJSON, End: len(text), Text: text}
	p := &analysis.Pass{Input: &analysis.Input{Src: src, Docs: []*analysis.Document{doc}}}
	set := policiesOf(p, doc)
	if len(set.Policies) != 1 {
		t.Fatalf("policy does not parse: %s", text)
	}
	return src, set.Policies[0]
}

var (
	irsaReq = TrustRequest{Provider: simProvider, Subject: simSubject}
	tags    = map[string]string{"kubernetes-namespace": "payments", "kubernetes-service-account": "payments-api",
		"eks-cluster-name": "prod", "eks-cluster-arn": "arn:aws:eks:eu-west-1:210987654321:cluster/prod"}
	podReq = TrustRequest{SessionTags: tags}
)

func withSubject(sub string) TrustRequest { r := irsaReq; r.Subject = sub; return r }
func withContext(r TrustRequest, kv ...string) TrustRequest {
	r.Context = map[string][]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		r.Context[kv[i]] = append(r.Context[kv[i]], kv[i+1])
	}
	return r
}

func TestEvaluateTrust(t *testing.T) {
	cases := []struct {
		name   string
		policy string
		req    TrustRequest
		// want is the decision; stmt the deciding statement (1-based, 0
		// for none); key a suffix of the deciding condition's key ("" for
		// none).
		want string
		stmt int
		key  string
	}{
		// IRSA: principal, action, the canonical conditions.
		{"canonical policy admits its ServiceAccount", trustDoc(irsaStmt(subAud("StringEquals", simSubject, "sts.amazonaws.com"))), irsaReq, "allow", 1, ""},
		{"another namespace is refused on :sub", trustDoc(irsaStmt(subAud("StringEquals", simSubject, "sts.amazonaws.com"))), withSubject("system:serviceaccount:default:payments-api"), "implicit-deny", 1, ":sub"},
		{"another audience is refused on :aud", trustDoc(irsaStmt(subAud("StringEquals", simSubject, "sts.amazonaws.com"))), TrustRequest{Provider: simProvider, Subject: simSubject, Audience: "vault"}, "implicit-deny", 1, ":aud"},
		{"an empty audience means sts.amazonaws.com", trustDoc(irsaStmt(subAud("StringEquals", simSubject, "sts.amazonaws.com"))), TrustRequest{Provider: simProvider, Subject: simSubject}, "allow", 1, ""},
		{"a provider in another account is not the principal", trustDoc(irsaStmt(subAud("StringEquals", simSubject, "sts.amazonaws.com"))), TrustRequest{Provider: strings.Replace(simProvider, "210987654321", "109876543210", 1), Subject: simSubject}, "implicit-deny", 1, ""},
		{"an issuer URL matches the provider of that issuer", trustDoc(irsaStmt(subAud("StringEquals", simSubject, "sts.amazonaws.com"))), TrustRequest{Provider: "https://" + simHost, Subject: simSubject}, "allow", 1, ""},
		{"an issuer with a trailing slash too", trustDoc(irsaStmt(subAud("StringEquals", simSubject, "sts.amazonaws.com"))), TrustRequest{Provider: "https://" + simHost + "/", Subject: simSubject}, "allow", 1, ""},
		{"sts:AssumeRole does not cover web identity", trustDoc(stmt("Allow", `{"Federated": "`+simProvider+`"}`, `"sts:AssumeRole"`, subAud("StringEquals", simSubject, "sts.amazonaws.com"))), irsaReq, "implicit-deny", 1, ""},
		{"sts:* covers it", trustDoc(stmt("Allow", `{"Federated": "`+simProvider+`"}`, `"sts:*"`, subAud("StringEquals", simSubject, "sts.amazonaws.com"))), irsaReq, "allow", 1, ""},
		{"sts:AssumeRole* covers it", trustDoc(stmt("Allow", `{"Federated": "`+simProvider+`"}`, `["sts:AssumeRole*"]`, "")), irsaReq, "allow", 1, ""},
		{"action names are not case-sensitive", trustDoc(stmt("Allow", `{"Federated": "`+simProvider+`"}`, `"STS:assumerolewithwebidentity"`, "")), irsaReq, "allow", 1, ""},
		{"NotAction of another action covers it", trustDoc(`{"Effect": "Allow", "Principal": {"Federated": "` + simProvider + `"}, "NotAction": "sts:AssumeRole"}`), irsaReq, "allow", 1, ""},
		{"NotAction of it excludes it", trustDoc(`{"Effect": "Allow", "Principal": {"Federated": "` + simProvider + `"}, "NotAction": "sts:AssumeRoleWith*"}`), irsaReq, "implicit-deny", 1, ""},
		// Values OR, keys AND, operators AND.
		{"values of one key are ORed", trustDoc(irsaStmt(fmt.Sprintf(`"StringEquals": {%q: ["system:serviceaccount:payments:worker", %q]}`, simHost+":sub", simSubject))), irsaReq, "allow", 1, ""},
		{"keys are ANDed", trustDoc(irsaStmt(subAud("StringEquals", simSubject, "sts.amazon.com"))), irsaReq, "implicit-deny", 1, ":aud"},
		{"operators are ANDed", trustDoc(irsaStmt(fmt.Sprintf(`"StringEquals": {%q: %q}, "StringLike": {%q: "system:serviceaccount:payments:worker-*"}`, simHost+":sub", simSubject, simHost+":sub"))), irsaReq, "implicit-deny", 1, ":sub"},
		{"two exact and one wildcard on the same key: the exact governs", trustDoc(irsaStmt(fmt.Sprintf(`"StringEquals": {%q: %q}, "StringLike": {%q: "system:serviceaccount:payments:*"}`, simHost+":sub", simSubject, simHost+":sub"))), irsaReq, "allow", 1, ""},
		// String operators and wildcards.
		{"StringEquals takes * literally", trustDoc(irsaStmt(subAud("StringEquals", "system:serviceaccount:payments:*", "sts.amazonaws.com"))), irsaReq, "implicit-deny", 1, ":sub"},
		{"StringLike * matches any run", trustDoc(irsaStmt(subAud("StringLike", "system:serviceaccount:payments:*", "sts.amazonaws.com"))), irsaReq, "allow", 1, ""},
		{"StringLike * matches an empty run", trustDoc(irsaStmt(subAud("StringLike", "system:serviceaccount:payments:payments-api*", "sts.amazonaws.com"))), irsaReq, "allow", 1, ""},
		{"StringLike ? matches one character", trustDoc(irsaStmt(subAud("StringLike", "system:serviceaccount:payments:worker-?", "sts.amazonaws.com"))), withSubject("system:serviceaccount:payments:worker-1"), "allow", 1, ""},
		{"StringLike ? does not match two", trustDoc(irsaStmt(subAud("StringLike", "system:serviceaccount:payments:worker-?", "sts.amazonaws.com"))), withSubject("system:serviceaccount:payments:worker-10"), "implicit-deny", 1, ":sub"},
		{"StringLike is case-sensitive", trustDoc(irsaStmt(subAud("StringLike", "system:serviceaccount:Payments:*", "sts.amazonaws.com"))), irsaReq, "implicit-deny", 1, ":sub"},
		{"StringEquals is case-sensitive", trustDoc(irsaStmt(subAud("StringEquals", "system:serviceaccount:payments:Payments-API", "sts.amazonaws.com"))), irsaReq, "implicit-deny", 1, ":sub"},
		{"StringEqualsIgnoreCase is not", trustDoc(irsaStmt(subAud("StringEqualsIgnoreCase", "system:serviceaccount:payments:Payments-API", "STS.amazonaws.com"))), irsaReq, "allow", 1, ""},
		{"key names are not case-sensitive", trustDoc(irsaStmt(fmt.Sprintf(`"StringEquals": {%q: %q}`, strings.ToUpper(simHost)+":SUB", simSubject))), irsaReq, "allow", 1, ""},
		// Missing keys.
		{"a key with https:// is missing: StringEquals is false", trustDoc(irsaStmt(fmt.Sprintf(`"StringEquals": {%q: %q}`, "https://"+simHost+":sub", simSubject))), irsaReq, "implicit-deny", 1, ":sub"},
		{"a missing key under StringNotEquals is true (fails open)", trustDoc(irsaStmt(fmt.Sprintf(`"StringNotEquals": {%q: "system:serviceaccount:kube-system:default"}`, "https://"+simHost+":sub"))), irsaReq, "allow", 1, ""},
		{"StringNotEquals admits every other subject", trustDoc(irsaStmt(fmt.Sprintf(`"StringNotEquals": {%q: "system:serviceaccount:kube-system:default"}`, simHost+":sub"))), irsaReq, "allow", 1, ""},
		{"StringNotEquals refuses the listed subject", trustDoc(irsaStmt(fmt.Sprintf(`"StringNotEquals": {%q: "system:serviceaccount:kube-system:default"}`, simHost+":sub"))), withSubject("system:serviceaccount:kube-system:default"), "implicit-deny", 1, ":sub"},
		{"a negated operator with several values refuses each", trustDoc(irsaStmt(fmt.Sprintf(`"StringNotEquals": {%q: ["system:serviceaccount:a:b", %q]}`, simHost+":sub", simSubject))), irsaReq, "implicit-deny", 1, ":sub"},
		{"StringNotLike refuses a match", trustDoc(irsaStmt(fmt.Sprintf(`"StringNotLike": {%q: "system:serviceaccount:kube-*:*"}`, simHost+":sub"))), withSubject("system:serviceaccount:kube-system:aws-node"), "implicit-deny", 1, ":sub"},
		{"IfExists on a present key still compares", trustDoc(irsaStmt(subAud("StringLikeIfExists", "system:serviceaccount:other:*", "sts.amazonaws.com"))), irsaReq, "implicit-deny", 1, ":sub"},
		{"IfExists on a missing key is true", trustDoc(irsaStmt(fmt.Sprintf(`"StringLikeIfExists": {%q: "system:serviceaccount:other:*"}`, simHost+":subject"))), irsaReq, "allow", 1, ""},
		{"Null false: the key is present", trustDoc(irsaStmt(fmt.Sprintf(`"Null": {%q: "false"}`, simHost+":sub"))), irsaReq, "allow", 1, ""},
		{"Null true: the key must be absent", trustDoc(irsaStmt(fmt.Sprintf(`"Null": {%q: "true"}`, simHost+":sub"))), irsaReq, "implicit-deny", 1, ":sub"},
		{"Null true on a claim EKS tokens lack", trustDoc(irsaStmt(fmt.Sprintf(`"Null": {%q: true}`, simHost+":amr"))), irsaReq, "allow", 1, ""},
		// Set operators.
		{"ForAnyValue matches one value", trustDoc(irsaStmt(fmt.Sprintf(`"ForAnyValue:StringEquals": {%q: ["sts.amazonaws.com", "vault"]}`, simHost+":aud"))), irsaReq, "allow", 1, ""},
		{"ForAnyValue on a missing key is false", trustDoc(irsaStmt(fmt.Sprintf(`"ForAnyValue:StringEquals": {%q: "pwd"}`, simHost+":amr"))), irsaReq, "implicit-deny", 1, ":amr"},
		{"ForAllValues on a missing key is true", trustDoc(irsaStmt(fmt.Sprintf(`"ForAllValues:StringEquals": {%q: "pwd"}`, simHost+":amr"))), irsaReq, "allow", 1, ""},
		{"ForAllValues needs every value listed", trustDoc(irsaStmt(fmt.Sprintf(`"ForAllValues:StringEquals": {%q: "vault"}`, simHost+":aud"))), irsaReq, "implicit-deny", 1, ":aud"},
		{"a multivalued key without a set operator matches on any value", trustDoc(irsaStmt(`"StringEquals": {"aws:PrincipalTag/team": "payments"}`)), withContext(irsaReq, "aws:PrincipalTag/team", "search", "aws:PrincipalTag/team", "payments"), "allow", 1, ""},
		// Effects, principals, statements.
		{"an explicit Deny wins over an Allow", trustDoc(irsaStmt(subAud("StringLike", "system:serviceaccount:payments:*", "sts.amazonaws.com")), stmt("Deny", `{"Federated": "`+simProvider+`"}`, `"sts:AssumeRoleWithWebIdentity"`, fmt.Sprintf(`"StringEquals": {%q: %q}`, simHost+":sub", simSubject))), irsaReq, "explicit-deny", 2, ""},
		{"a Deny whose condition fails does not apply", trustDoc(irsaStmt(subAud("StringLike", "system:serviceaccount:payments:*", "sts.amazonaws.com")), stmt("Deny", `{"Federated": "`+simProvider+`"}`, `"sts:AssumeRoleWithWebIdentity"`, fmt.Sprintf(`"StringEquals": {%q: "system:serviceaccount:payments:debug"}`, simHost+":sub"))), irsaReq, "allow", 1, ""},
		{"a Deny of everyone denies", trustDoc(irsaStmt(""), stmt("Deny", `"*"`, `"sts:*"`, "")), irsaReq, "explicit-deny", 2, ""},
		{"Principal * admits a web identity", trustDoc(stmt("Allow", `"*"`, `"sts:AssumeRoleWithWebIdentity"`, subAud("StringEquals", simSubject, "sts.amazonaws.com"))), irsaReq, "allow", 1, ""},
		{"Principal AWS * is the same as *", trustDoc(stmt("Allow", `{"AWS": "*"}`, `"sts:AssumeRoleWithWebIdentity"`, "")), irsaReq, "allow", 1, ""},
		{"a service principal does not admit a web identity", trustDoc(podStmt(podActions, "")), irsaReq, "implicit-deny", 0, ""},
		{"the second cluster's statement admits its token", trustDoc(stmt("Allow", `{"Federated": "`+simOther+`"}`, `"sts:AssumeRoleWithWebIdentity"`, ""), irsaStmt(subAud("StringEquals", simSubject, "sts.amazonaws.com"))), irsaReq, "allow", 2, ""},
		{"two providers in one statement with one's keys refuse the other's token", trustDoc(stmt("Allow", `{"Federated": ["`+simOther+`", "`+simProvider+`"]}`, `"sts:AssumeRoleWithWebIdentity"`, fmt.Sprintf(`"StringEquals": {"oidc.eks.us-east-1.amazonaws.com/id/0A1B2C3D4E5F60718293A4B5C6D7E8F9:sub": %q}`, simSubject))), irsaReq, "implicit-deny", 1, ":sub"},
		{"NotPrincipal admits a principal it does not list", trustDoc(`{"Effect": "Allow", "NotPrincipal": {"Federated": "` + simOther + `"}, "Action": "sts:AssumeRoleWithWebIdentity"}`), irsaReq, "allow", 1, ""},
		{"a statement without Effect allows nothing", trustDoc(`{"Principal": {"Federated": "` + simProvider + `"}, "Action": "sts:AssumeRoleWithWebIdentity"}`), irsaReq, "implicit-deny", 0, ""},
		{"an operator IAM rejects never matches", trustDoc(irsaStmt(subAud("stringEquals", simSubject, "sts.amazonaws.com"))), irsaReq, "implicit-deny", 1, ":sub"},
		{"of a repeated operator only the last counts (first lost)", trustDoc(irsaStmt(fmt.Sprintf(`"StringEquals": {%q: %q}, "StringEquals": {%q: "system:serviceaccount:payments:worker"}`, simHost+":sub", simSubject, simHost+":sub"))), irsaReq, "implicit-deny", 1, ":sub"},
		{"of a repeated operator only the last counts (last kept)", trustDoc(irsaStmt(fmt.Sprintf(`"StringEquals": {%q: "system:serviceaccount:payments:worker"}, "StringEquals": {%q: %q}`, simHost+":sub", simHost+":sub", simSubject))), irsaReq, "allow", 1, ""},
		// Policy variables and other operator families, on context keys.
		{"a policy variable takes the request's value", trustDoc(irsaStmt(fmt.Sprintf(`"StringLike": {%q: "system:serviceaccount:${aws:PrincipalTag/team}:*"}`, simHost+":sub"))), withContext(irsaReq, "aws:PrincipalTag/team", "payments"), "allow", 1, ""},
		{"a policy variable of a missing key matches nothing", trustDoc(irsaStmt(fmt.Sprintf(`"StringLike": {%q: "system:serviceaccount:${aws:PrincipalTag/team}:*"}`, simHost+":sub"))), irsaReq, "implicit-deny", 1, ":sub"},
		{"${*} is a literal asterisk", trustDoc(irsaStmt(`"StringLike": {"sts:RoleSessionName": "batch-${*}"}`)), withContext(irsaReq, "sts:RoleSessionName", "batch-7"), "implicit-deny", 1, "RoleSessionName"},
		{"NumericLessThanEquals", trustDoc(irsaStmt(`"NumericLessThanEquals": {"aws:MultiFactorAuthAge": "3600"}`)), withContext(irsaReq, "aws:MultiFactorAuthAge", "7200"), "implicit-deny", 1, "MultiFactorAuthAge"},
		{"DateLessThan", trustDoc(irsaStmt(`"DateLessThan": {"aws:CurrentTime": "2030-01-01T00:00:00Z"}`)), withContext(irsaReq, "aws:CurrentTime", "2026-05-04T10:00:00Z"), "allow", 1, ""},
		{"Bool", trustDoc(irsaStmt(`"Bool": {"aws:SecureTransport": "true"}`)), withContext(irsaReq, "aws:SecureTransport", "false"), "implicit-deny", 1, "SecureTransport"},
		{"IpAddress in a CIDR", trustDoc(irsaStmt(`"IpAddress": {"aws:SourceIp": ["10.0.0.0/8", "192.0.2.7"]}`)), withContext(irsaReq, "aws:SourceIp", "10.20.30.40"), "allow", 1, ""},
		{"NotIpAddress refuses an address in the CIDR", trustDoc(irsaStmt(`"NotIpAddress": {"aws:SourceIp": "10.0.0.0/8"}`)), withContext(irsaReq, "aws:SourceIp", "10.20.30.40"), "implicit-deny", 1, "SourceIp"},
		{"ArnLike compares each ARN part with wildcards", trustDoc(podStmt(podActions, `"ArnLike": {"aws:SourceArn": "arn:aws:eks:*:210987654321:cluster/prod*"}`)), withContext(podReq, "aws:SourceArn", "arn:aws:eks:eu-west-1:210987654321:cluster/prod-blue"), "allow", 1, ""},
		{"ArnLike does not let * cross a colon", trustDoc(podStmt(podActions, `"ArnLike": {"aws:SourceArn": "arn:aws:eks:*:cluster/prod"}`)), withContext(podReq, "aws:SourceArn", "arn:aws:eks:eu-west-1:210987654321:cluster/prod"), "implicit-deny", 1, "SourceArn"},
		// Pod Identity.
		{"Pod Identity: AWS's trust policy", trustDoc(podStmt(podActions, "")), podReq, "allow", 1, ""},
		{"Pod Identity needs sts:TagSession", trustDoc(podStmt(`"sts:AssumeRole"`, "")), podReq, "implicit-deny", 1, ""},
		{"Pod Identity needs sts:AssumeRole", trustDoc(podStmt(`"sts:TagSession"`, "")), podReq, "implicit-deny", 1, ""},
		{"Pod Identity with sts:*", trustDoc(podStmt(`"sts:*"`, "")), podReq, "allow", 1, ""},
		{"a list of services including pods.eks.amazonaws.com", trustDoc(stmt("Allow", `{"Service": ["ec2.amazonaws.com", "pods.eks.amazonaws.com"]}`, podActions, "")), podReq, "allow", 1, ""},
		{"session tags match the namespace and ServiceAccount", trustDoc(podStmt(podActions, `"StringEquals": {"aws:RequestTag/kubernetes-namespace": "payments", "aws:RequestTag/kubernetes-service-account": "payments-api"}`)), podReq, "allow", 1, ""},
		{"another namespace's tag is refused", trustDoc(podStmt(podActions, `"StringEquals": {"aws:RequestTag/kubernetes-namespace": "payment"}`)), podReq, "implicit-deny", 1, "kubernetes-namespace"},
		{"tag keys are compared without case", trustDoc(podStmt(podActions, `"StringEquals": {"AWS:RequestTag/Kubernetes-Namespace": "payments"}`)), podReq, "allow", 1, ""},
		{"aws:PrincipalTag is not a session tag", trustDoc(podStmt(podActions, `"StringEquals": {"aws:PrincipalTag/kubernetes-namespace": "payments"}`)), podReq, "implicit-deny", 1, "kubernetes-namespace"},
		{"aws:TagKeys under ForAllValues lists every tag passed", trustDoc(podStmt(podActions, `"ForAllValues:StringEquals": {"aws:TagKeys": ["eks-cluster-arn", "eks-cluster-name", "kubernetes-namespace", "kubernetes-service-account"]}`)), podReq, "allow", 1, ""},
		{"aws:TagKeys under ForAllValues refuses an unlisted tag", trustDoc(podStmt(podActions, `"ForAllValues:StringEquals": {"aws:TagKeys": ["kubernetes-namespace", "kubernetes-service-account"]}`)), podReq, "implicit-deny", 1, "TagKeys"},
		{"aws:TagKeys under ForAnyValue needs one", trustDoc(podStmt(podActions, `"ForAnyValue:StringLike": {"aws:TagKeys": "kubernetes-*"}`)), podReq, "allow", 1, ""},
		{"StringNotLike on the namespace tag admits others", trustDoc(podStmt(podActions, `"StringNotLike": {"aws:RequestTag/kubernetes-namespace": "kube-*"}`)), podReq, "allow", 1, ""},
		{"aws:SourceAccount is not assumed to be in the request", trustDoc(podStmt(podActions, `"StringEquals": {"aws:SourceAccount": "210987654321"}`)), podReq, "implicit-deny", 1, "SourceAccount"},
		{"aws:SourceAccount given in the context", trustDoc(podStmt(podActions, `"StringEquals": {"aws:SourceAccount": "210987654321"}`)), withContext(podReq, "aws:SourceAccount", "210987654321"), "allow", 1, ""},
		{"a Deny of sts:TagSession denies Pod Identity", trustDoc(podStmt(podActions, ""), stmt("Deny", `{"Service": "pods.eks.amazonaws.com"}`, `"sts:TagSession"`, "")), podReq, "explicit-deny", 2, ""},
		{"an IRSA trust policy does not admit Pod Identity", trustDoc(irsaStmt(subAud("StringEquals", simSubject, "sts.amazonaws.com"))), podReq, "implicit-deny", 0, ""},
		{"nothing to evaluate without a provider or tags", trustDoc(irsaStmt("")), TrustRequest{Subject: simSubject}, "error", 0, ""},
	}
	if len(cases) < 60 {
		t.Fatalf("only %d simulator cases", len(cases))
	}
	for _, c := range cases {
		src, pol := parseTrust(t, c.policy)
		d := EvaluateTrust(src, pol, c.req)
		if d.Decision != c.want || d.Allowed != (c.want == "allow") {
			t.Errorf("%s: decision %s (%s), want %s", c.name, d.Decision, d.Reason, c.want)
			continue
		}
		gotStmt := 0
		if d.Statement != nil {
			gotStmt = d.Statement.Index
		}
		if c.want != "error" && gotStmt != c.stmt {
			t.Errorf("%s: decided by statement %d (%s), want %d", c.name, gotStmt, d.Reason, c.stmt)
		}
		switch {
		case c.key == "" && d.Condition != nil:
			t.Errorf("%s: decided by condition %s, want none (%s)", c.name, d.Condition.Key, d.Reason)
		case c.key != "" && (d.Condition == nil || !strings.HasSuffix(d.Condition.Key, c.key)):
			t.Errorf("%s: decided by condition %+v, want one on …%s (%s)", c.name, d.Condition, c.key, d.Reason)
		}
	}
}

// TestGlob checks the Like wildcards.
func TestGlob(t *testing.T) {
	cases := []struct {
		pattern, s string
		want       bool
	}{
		{"*", "", true}, {"a*", "a", true}, {"a*c", "abbbc", true}, {"a*c", "abbbd", false},
		{"a?c", "abc", true}, {"a?c", "ac", false}, {"*b*", "abc", true}, {"a**", "a", true},
		{"ä?", "äö", true}, {"A*", "abc", false}, {"*c", "abcabc", true}, {"a*b*c", "aXbYc", true},
	}
	for _, c := range cases {
		if got := glob(c.pattern, c.s); got != c.want {
			t.Errorf("glob(%q, %q) = %v, want %v", c.pattern, c.s, got, c.want)
		}
	}
}

// TestParseOperator checks which operator names IAM accepts.
func TestParseOperator(t *testing.T) {
	for name, ok := range map[string]bool{
		"StringEquals": true, "ForAnyValue:StringLike": true, "ForAllValues:ArnEqualsIfExists": true,
		"NumericGreaterThanEqualsIfExists": true, "Null": true, "NullIfExists": false, "stringEquals": false,
		"StringEqual": false, "ForAnyValues:StringLike": false, "StringLikeIgnoreCase": false, "": false,
	} {
		if _, got := ParseOperator(name); got != ok {
			t.Errorf("ParseOperator(%q) ok = %v, want %v", name, got, ok)
		}
	}
	for written, want := range map[string]string{
		"stringequals": "StringEquals", "StringEqual": "StringEquals", "ForAnyValues:StringLike": "ForAnyValue:StringLike",
		"StringLikeIfExist": "StringLikeIfExists", "Banana": "",
	} {
		if got := closestOperator(written); got != want {
			t.Errorf("closestOperator(%q) = %q, want %q", written, got, want)
		}
	}
}
