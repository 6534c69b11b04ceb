package fixes

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/eksdoctor/eksdoctor/analysis"
)

// CanIQuery asks whether a subject may make one request, answered offline
// over the Roles, ClusterRoles, bindings and identity mappings of a paste
// plus the cluster's default roles and bindings.
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

// CanIResult is the simulator's answer.
type CanIResult struct {
	Allowed bool `json:"allowed"`
	// Answer is "yes" or "no", as kubectl auth can-i prints it.
	Answer   string   `json:"answer"`
	Request  Request  `json:"request"`
	Identity Identity `json:"identity"`
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

// knownVerbs are the verbs Kubernetes authorizes for resources.
var knownVerbs = []string{"get", "list", "watch", "create", "update", "patch", "delete", "deletecollection",
	"use", "bind", "escalate", "impersonate", "approve", "sign", "attest", "proxy", "*"}

// CanI answers a query over the documents of in.
func CanI(in *analysis.Input, q CanIQuery) CanIResult {
	res := CanIResult{NearMisses: []NearMiss{}, BoundTo: []BoundRole{}, Notes: []string{}, Errors: []string{}}
	req, notes, err := q.request()
	if err != "" {
		res.Error = err
		return res
	}
	user := q.User
	if q.ServiceAccount != "" {
		sa := strings.TrimPrefix(q.ServiceAccount, "system:serviceaccount:")
		ns, name, ok := strings.Cut(strings.Replace(sa, "/", ":", 1), ":")
		if !ok || ns == "" || name == "" {
			res.Error = "serviceAccount must be namespace:name"
			return res
		}
		user = "system:serviceaccount:" + ns + ":" + name
	}
	if user == "" && q.Principal == "" && len(q.Groups) == 0 {
		res.Error = "say who asks: a user, a ServiceAccount, an IAM principal or groups"
		return res
	}
	p := inputPass(in)
	pol := policyOf(p)
	s := resolveIdentity(identityMappings(p), user, q.Principal, q.Groups)
	if s.User == "" && q.Principal != "" {
		res.Error = "the paste maps no user to " + q.Principal + "; paste its aws-auth mapping or access entry, or give the user name"
		return res
	}
	extra := pol.accessPolicyGrants(s)
	res.Request, res.Identity = req, s.Identity
	res.Notes = append(res.Notes, notes...)
	d := pol.authorize(s.Identity, req, extra)
	res.Allowed, res.Answer = d.allowed, "no"
	res.Errors = append(res.Errors, d.errors...)
	res.BoundTo = append(res.BoundTo, pol.boundTo(s.Identity, req, extra)...)
	switch {
	case d.masters:
		res.Answer, res.Reason = "yes", s.User+" is in system:masters, which bypasses RBAC: every request is allowed and no binding can take that away"
	case d.allowed:
		res.Answer, res.DecidedBy = "yes", d.grant
		res.Reason = fmt.Sprintf("%s grants it through %s", d.grant.Binding, d.grant.Role)
		if d.grant.RuleFrom != "" {
			res.Reason += " (the rule comes from " + d.grant.RuleFrom + ", which it aggregates)"
		}
	default:
		// The query says who asks: a group it does not list is not one
		// the user is in, unlike for a denial, which names no groups.
		asked := s
		asked.groupsKnown = true
		res.NearMisses = pol.nearMisses(asked, req, extra, d.errors)
		res.Reason = "no binding grants " + req.String() + " to " + s.User
		if len(res.NearMisses) > 0 {
			res.Reason += "; the closest: " + res.NearMisses[0].Message()
		}
	}
	res.Notes = append(res.Notes, identityNotes(s, req, q)...)
	res.Command = canICommand(req, s)
	return res
}

// request turns the query into the request the API server would see,
// with notes on what it changed.
func (q CanIQuery) request() (Request, []string, string) {
	var notes []string
	verb := strings.ToLower(strings.TrimSpace(q.Verb))
	if verb == "" {
		return Request{}, nil, "verb is required"
	}
	if q.NonResourceURL != "" {
		if !strings.HasPrefix(q.NonResourceURL, "/") {
			return Request{}, nil, "nonResourceURL must start with /"
		}
		return Request{Verb: verb, Path: q.NonResourceURL}, notes, ""
	}
	if q.Resource == "" {
		return Request{}, nil, "resource or nonResourceURL is required"
	}
	if !slices.Contains(knownVerbs, verb) {
		notes = append(notes, fmt.Sprintf("%q is not a verb Kubernetes checks for resources (kubectl describe, edit, label "+
			"and annotate use get, list, patch and update), so no rule written for it ever allows anything", verb))
	}
	res, sub, _ := strings.Cut(q.Resource, "/")
	if q.Subresource != "" {
		sub = q.Subresource
	}
	resource, group := lookupResource(res)
	if q.APIGroup != "" || strings.Contains(res, ".") {
		group = q.APIGroup
		if group == "" {
			_, group, _ = strings.Cut(res, ".")
		}
	}
	req := Request{Verb: verb, APIGroup: group, Resource: resource, Subresource: sub, Name: q.Name, Namespace: q.Namespace}
	if resource == "namespaces" && q.Name != "" {
		if req.Namespace != "" && req.Namespace != q.Name {
			notes = append(notes, "a request for namespace "+q.Name+" is made in namespace "+q.Name+", not "+req.Namespace)
		}
		req.Namespace = q.Name
	} else if req.Namespace != "" && ResourceScope(group, resource) == ScopeCluster {
		notes = append(notes, fmt.Sprintf("%s are cluster-scoped, so the request carries no namespace and no RoleBinding in %s applies "+
			"(kubectl auth can-i -n %s may still say yes: kubernetes/kubernetes#75970)", resource, req.Namespace, req.Namespace))
		req.Namespace = ""
	}
	switch {
	case req.Name != "" && (verb == "create" || verb == "deletecollection") && sub == "":
		notes = append(notes, "a "+verb+" request carries no object name, so resourceNames rules never match it")
		req.Name = ""
	case req.Name != "" && (verb == "list" || verb == "watch"):
		notes = append(notes, "a "+verb+" names an object only when it selects one with --field-selector metadata.name="+req.Name)
	}
	return req, notes, ""
}

// identityNotes qualifies an answer with what the simulator assumed
// about the subject.
func identityNotes(s subjectIdentity, req Request, q CanIQuery) []string {
	var notes []string
	if !s.groupsKnown {
		notes = append(notes, "the paste shows no groups for "+s.User+" (no aws-auth mapping, access entry or kubectl auth whoami output "+
			"names it), so only system:authenticated was assumed")
	}
	for _, m := range s.mappings {
		if m.Principal != "" {
			notes = append(notes, fmt.Sprintf("%s maps %s to user %q with groups %s", m.Source, m.Principal, m.Username, listOf(m.Groups)))
		}
	}
	if len(s.mappings) > 0 && slices.ContainsFunc(s.mappings, func(m IdentityMapping) bool { return len(m.Policies) > 0 }) {
		notes = append(notes, "access policies do not show in kubectl auth can-i --list, and EKS drops them from impersonated (--as) requests: "+
			"check as the user itself")
	}
	if strings.HasPrefix(s.User, "system:node:") {
		notes = append(notes, "kubelets are authorized by the Node authorizer before RBAC, which allows what their own pods need; this answer covers RBAC only")
	}
	if streamingSubresource(req) {
		notes = append(notes, "kubectl 1.30 and later opens "+req.combined()+" over WebSocket (a get), older ones with SPDY (a create), "+
			"and API servers from 1.35 check create for both: grant get and create")
	}
	return notes
}

// canICommand returns the kubectl auth can-i command that asks the
// cluster the same question, as the user with every group s has (the
// cluster does not map an impersonated user through aws-auth). It needs
// permission to impersonate.
func canICommand(req Request, s subjectIdentity) string {
	var b strings.Builder
	b.WriteString("kubectl auth can-i " + req.Verb + " ")
	if !req.resourceRequest() {
		b.WriteString(req.Path)
	} else {
		b.WriteString(req.Resource)
		if req.APIGroup != "" {
			b.WriteString("." + req.APIGroup)
		}
		if req.Name != "" {
			b.WriteString("/" + req.Name)
		}
		if req.Subresource != "" {
			b.WriteString(" --subresource=" + req.Subresource)
		}
		if req.Namespace != "" {
			b.WriteString(" -n " + req.Namespace)
		}
	}
	if s.User != "" {
		b.WriteString(" --as=" + analysis.ShellQuote(s.User))
	}
	for _, g := range impersonationGroups(s) {
		b.WriteString(" --as-group=" + analysis.ShellQuote(g))
	}
	return b.String()
}

// CanIQueryFrom derives the question to prefill the simulator with from
// the first denial in a paste's error output: who was refused what, with
// the groups the paste shows the user has (pasteGroups). ok is false when
// the paste holds no denial of a person or ServiceAccount.
func CanIQueryFrom(in *analysis.Input) (q CanIQuery, ok bool) {
	p := inputPass(in)
	for _, doc := range in.OfKind(analysis.KindErrorText) {
		for _, d := range denialsOf(doc) {
			if d.Kubelet || d.KubeletError {
				continue
			}
			resource := d.Resource
			if d.APIGroup != "" && resource != "" {
				resource += "." + d.APIGroup
			}
			return CanIQuery{User: d.User, Groups: pasteGroups(p, doc, d), Verb: d.Verb, Resource: resource, Subresource: d.Subresource,
				Namespace: d.Namespace, Name: d.Name, NonResourceURL: d.Path}, true
		}
	}
	return CanIQuery{}, false
}

// Subjects returns a query, without a request, for each subject a paste
// gives Kubernetes access to: every IAM principal (or user) its identity
// mappings map, and every user, group and ServiceAccount its own bindings
// name. Ask each the same requests to see what a change to the paste
// grants or takes away. A mapping no caller can match (a role ARN with a
// path, which the authenticator compares without it, or not an IAM ARN
// at all) gives nobody access and is left out.
func Subjects(in *analysis.Input) []CanIQuery {
	p := inputPass(in)
	var out []CanIQuery
	for _, m := range identityMappings(p) {
		if m.Principal != "" {
			arn, _ := analysis.ParseARN(m.Principal)
			if why, _ := unmatchableARN(m.Principal); why != "" || arn.ResourceType() == "role" && arn.Path() != "/" {
				continue
			}
			out = append(out, CanIQuery{Principal: m.Principal})
		} else if m.Username != "" {
			out = append(out, CanIQuery{User: m.Username, Groups: m.Groups})
		}
	}
	for _, b := range policyOf(p).bindings {
		if b.Builtin || b.Origin != "" {
			continue
		}
		for _, s := range b.Subjects {
			switch s.Kind {
			case "User":
				out = append(out, CanIQuery{User: s.Name})
			case "Group":
				out = append(out, CanIQuery{Groups: []string{s.Name}})
			case "ServiceAccount":
				out = append(out, CanIQuery{ServiceAccount: cmp.Or(s.Namespace, b.Namespace) + ":" + s.Name})
			}
		}
	}
	return out
}

// inputPass returns a pass over the whole input for the simulator, which
// reports nothing.
func inputPass(in *analysis.Input) *analysis.Pass {
	return &analysis.Pass{Input: in, Rule: &analysis.Rule{}, Out: &analysis.Result{}}
}
