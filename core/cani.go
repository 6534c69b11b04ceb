package core

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/eksdoctor/eksdoctor/analysis"

	"github.com/eksdoctor/eksdoctor/fixes"
)

// CanIQuery asks whether a subject (a user with groups, a ServiceAccount,
// or an IAM principal mapped by the paste's aws-auth or access entries)
// may make one request. The JavaScript API takes it as JSON.
type CanIQuery struct {
	// User is the Kubernetes user name, as a denial prints it.
	User string `json:"user,omitempty"`
	// Groups are groups the user has in addition to those the paste shows.
	Groups []string `json:"groups,omitempty"`
	// ServiceAccount is "namespace:name" (or the full
	// system:serviceaccount:namespace:name user name).
	ServiceAccount string `json:"serviceAccount,omitempty"`
	// Principal is an IAM role, user or session ARN, mapped to a user and
	// groups through the paste's aws-auth (or access entries).
	Principal string `json:"principal,omitempty"`
	Verb      string `json:"verb"`
	// Resource is "pods", "pods/log", "deployments.apps" or
	// "deployments.apps/scale"; kubectl short names work too. Unlike
	// kubectl auth can-i, a "/" introduces a subresource, not a name.
	Resource    string `json:"resource,omitempty"`
	Subresource string `json:"subresource,omitempty"`
	// APIGroup overrides the group found from Resource.
	APIGroup  string `json:"apiGroup,omitempty"`
	Namespace string `json:"namespace,omitempty"`
	Name      string `json:"name,omitempty"`
	// NonResourceURL asks about a URL such as /healthz instead of a
	// resource.
	NonResourceURL string `json:"nonResourceURL,omitempty"`
}

// CanIResult is CanI's answer: allowed, the binding, role and rule that
// decided it, the bindings that nearly grant a denied request and why
// they do not, notes, and the kubectl auth can-i command that asks the
// cluster the same question.
type CanIResult struct {
	Allowed bool `json:"allowed"`
	// Answer is "yes" or "no", as kubectl auth can-i prints it.
	Answer   string       `json:"answer"`
	Request  CanIRequest  `json:"request"`
	Identity CanIIdentity `json:"identity"`
	// DecidedBy is the binding, role and rule that allowed the request.
	DecidedBy *Grant `json:"decidedBy,omitempty"`
	// Reason says in one sentence why.
	Reason string `json:"reason"`
	// NearMisses are bindings that nearly grant a denied request.
	NearMisses []NearMiss `json:"nearMisses"`
	// BoundTo are the bindings that apply to the subject in the
	// request's scope.
	BoundTo []BoundRole `json:"boundTo"`
	// Notes qualify the answer (assumptions, caveats).
	Notes []string `json:"notes"`
	// Errors are the "… not found" errors the API server would append to
	// the denial.
	Errors []string `json:"errors"`
	// Command is the kubectl auth can-i command that asks the cluster.
	Command string `json:"command"`
	// Error is set, and nothing else, when the query cannot be answered.
	Error string `json:"error,omitempty"`
}

// CanIRequest is the request CanI decided: a resource request (verb,
// group, resource, subresource, name, namespace) or a non-resource path.
type CanIRequest struct {
	Verb        string `json:"verb"`
	APIGroup    string `json:"apiGroup"`
	Resource    string `json:"resource,omitempty"`
	Subresource string `json:"subresource,omitempty"`
	Name        string `json:"name,omitempty"`
	// Namespace is "" for a cluster-scope request.
	Namespace string `json:"namespace,omitempty"`
	// Path is a non-resource URL such as /healthz.
	Path string `json:"path,omitempty"`
}

// CanIIdentity is the user a request comes from: a name and every group
// it has.
type CanIIdentity struct {
	User   string   `json:"user"`
	Groups []string `json:"groups"`
}

// Grant is what allowed a request: a binding, its role and the rule.
type Grant struct {
	// Binding names the binding, e.g. "RoleBinding dev/read-pods", or the
	// access policy association that granted the request.
	Binding string `json:"binding"`
	// Role names the role, e.g. "ClusterRole view".
	Role string `json:"role"`
	// RuleFrom names the role the rule is written in when it differs
	// from Role (an aggregated ClusterRole).
	RuleFrom string     `json:"ruleFrom,omitempty"`
	Rule     PolicyRule `json:"rule"`
	// Builtin is true when the binding is one of the cluster's defaults.
	Builtin bool `json:"builtin,omitempty"`
}

// PolicyRule is one rule of a Role or ClusterRole.
type PolicyRule struct {
	Verbs           []string `json:"verbs"`
	APIGroups       []string `json:"apiGroups,omitempty"`
	Resources       []string `json:"resources,omitempty"`
	ResourceNames   []string `json:"resourceNames,omitempty"`
	NonResourceURLs []string `json:"nonResourceURLs,omitempty"`
}

// NearMiss is a binding that nearly grants a denied request, and what
// stops it.
type NearMiss struct {
	Binding string `json:"binding"`
	Role    string `json:"role,omitempty"`
	Misses  []Miss `json:"misses"`
}

// Miss is one reason a binding does not grant a request.
type Miss struct {
	// Code is one of: subject-kind, subject-name, subject-namespace,
	// group-membership, invalid-binding, namespace, cluster-scope,
	// role-not-found, roleref-kind, role-namespace, verb, api-group,
	// subresource, resource, resource-name, url.
	Code    string `json:"code"`
	Message string `json:"message"`
}

// BoundRole is a binding that applies to the subject, and its role.
type BoundRole struct {
	Binding string `json:"binding"`
	Role    string `json:"role"`
	Builtin bool   `json:"builtin,omitempty"`
}

// CanI answers, offline, what kubectl auth can-i would answer on a cluster
// holding the Roles, ClusterRoles and bindings of text, plus the default
// ones every cluster has (text may be empty to ask about those alone),
// for the subject of q with the groups the paste's identity mappings give
// it. It does not redact: the answer goes back to the person who asked,
// about their own names. It never panics: an internal error becomes
// CanIResult.Error.
func CanI(text string, q CanIQuery) (res CanIResult) {
	defer func() {
		if r := recover(); r != nil {
			res = CanIResult{Error: internalError(r)}
		}
	}()
	in := &analysis.Input{Src: analysis.NewSource(text)}
	if strings.TrimSpace(text) != "" {
		if msg := checkInput(text); msg != "" {
			return CanIResult{Error: msg}
		}
		in = inputOf(text)
		if notes := deepNotes(in.Docs, in.Src.Position); len(notes) > 0 {
			return CanIResult{Error: notes[0]}
		}
	}
	return convert[CanIResult](fixes.CanI(in, convert[fixes.CanIQuery](q)))
}

// CanIQueryFromText derives the question to prefill CanI with from a
// paste: the user and request of the first denial in its error output.
// ok is false when the paste holds none.
func CanIQueryFromText(text string) (q CanIQuery, ok bool) {
	defer func() {
		if recover() != nil {
			q, ok = CanIQuery{}, false
		}
	}()
	if checkInput(text) != "" {
		return CanIQuery{}, false
	}
	fq, ok := fixes.CanIQueryFrom(inputOf(text))
	return convert[CanIQuery](fq), ok
}

// convert turns a value of the rules' types into core's own type of the
// same JSON shape, or back: the JSON is the contract both sides keep, and
// every field of these types is in it.
func convert[To any](from any) To {
	var to To
	data, err := json.Marshal(from)
	if err == nil {
		err = json.Unmarshal(data, &to)
	}
	if err != nil {
		panic("core: converting " + fmt.Sprintf("%T", from) + ": " + err.Error())
	}
	return to
}
