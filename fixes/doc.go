// Package fixes holds eksdoctor's rules: what each one finds, why it
// matters, where the facts come from, and the fix. It is written in the
// vocabulary of package analysis and is run by package core.
//
// # Families
//
// Each rule's ID is its family's prefix and a number that never changes
// meaning. A family's files share the prefix of its name:
//
//	AUTH    awsauth*.go        the aws-auth ConfigMap, as the aws-iam-authenticator reads it
//	AE      accessentries*.go  EKS access entries, access policies and the authentication mode
//	RBAC    rbac*.go           Roles, ClusterRoles and bindings; denials kubectl printed
//	IAM     policy*.go, iam_*.go  identity and trust policies
//	IRSA    irsa*.go           IAM roles for service accounts: OIDC trust, ServiceAccounts, workloads
//	PODID   podid*.go          EKS Pod Identity trust and session tags
//	KCFG    kubeconfig*.go     kubeconfig files and their credential plugins
//	ERR     errtext.go, errors_*.go  the error catalogue: what a pasted error means
//	TF      terraform*.go      Terraform, read as one module (left out of the light build)
//
// # Readers, models, rules
//
// A family reads each surface form of its concept into one model whose
// values are [analysis.Scalar]s with their spans: aws-auth mappings from
// the ConfigMap's block scalar or quoted JSON (awsauth_read.go), access
// entries from AWS CLI JSON, eksctl, CloudFormation and Terraform
// (accessentries.go), policies from JSON, YAML and Terraform
// (policy_sources.go). A model is built once per document or once per
// input, through an [analysis.Key]. Rules read models, never the text
// directly, and a fix on a model's value is an edit of the form the value
// came from.
//
// Some models are engines that answer questions: the RBAC evaluator
// (rbac_eval.go, rbac_cani.go) answers `kubectl auth can-i` over the
// pasted roles and bindings, the defaults and the principals' groups; the
// policy evaluator (policy_eval.go, simulate.go) decides whether a trust
// policy admits a pod's web identity or Pod Identity request. The error
// rules use both to explain a pasted denial, and weigh the causes of an
// error by what else the paste shows (errweigh.go, evidence.go).
//
// The error catalogue recognises each error by a signature: keywords that
// prefilter the text, regular expressions, and example lines that must
// and must not match. Package core reads a paragraph as error text when a
// signature knows one of its lines ([KnownErrorLine]).
//
// # Adding a rule
//
// A rule is one [analysis.Rule] literal in its family's rules file with
// every field set: ID, Title (a few lower-case words), Severity (by the
// policy of DESIGN.md: risk, not whether it caused the pasted error),
// Kinds, Doc (why it matters and how to fix it, in plain words, saying so
// when popular advice is unsafe), Refs (constants of refs.go) and Run.
// Adding one touches four places:
//
//  1. the literal, in the family's rules file;
//  2. [All], in registry.go, in ID order;
//  3. testdata/rules/ID/, with a case where it fires and one where it must
//     not (run `go test ./core -run TestRuleCases -update` to write their
//     expectations, then read them);
//  4. docs/rules.md, which `go test ./core -run TestRulesDoc -update`
//     regenerates from the registry.
package fixes
