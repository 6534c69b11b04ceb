package fixes

import (
	"slices"
	"strings"

	"github.com/eksdoctor/eksdoctor/analysis"
)

// A denial names the user and (but on some old API servers) not its
// groups, yet the groups decide which bindings apply. The can-i question
// a paste prefills carries the groups the paste shows the user has: those
// the API server itself names (an old denial, an escalation error), those
// the identity mappings that give the user its name add (aws-auth, access
// entries, kubectl auth whoami) and, when neither says anything, those a
// kubectl auth can-i the person ran shows: the cluster answered yes, and
// of the pasted bindings only one group's grant it. A binding alone is no
// evidence: it says what a group may do, not who is in it.

// pasteGroups returns the groups the paste shows the user of denial d,
// found in doc, has, without those the API server adds to every such user.
func pasteGroups(p *analysis.Pass, doc *analysis.Document, d denial) []string {
	groups := slices.Clone(d.Groups)
	for _, doc := range p.OfKind(analysis.KindErrorText) {
		groups = append(groups, namedGroups(doc, d.User)...)
	}
	s := resolveIdentity(identityMappings(p), d.User, "", nil)
	for _, m := range s.mappings {
		groups = append(groups, m.Groups...)
	}
	if len(groups) == 0 && !s.groupsKnown {
		groups = groupsBehindAnswers(p, doc, s)
	}
	added := automaticGroups(d.User)
	var out []string
	for _, g := range groups {
		if !slices.Contains(added, g) && !slices.Contains(out, g) {
			out = append(out, g)
		}
	}
	return out
}

// namedGroups returns the groups an escalation-prevention error in
// doc names for user: the API server lists every group it has.
func namedGroups(doc *analysis.Document, user string) []string {
	var out []string
	for line := range strings.Lines(doc.Text) {
		if m := escalationRE.FindStringSubmatch(line); m != nil && m[3] == user {
			out = append(out, unquoteAll(m[4])...)
		}
	}
	return out
}

// groupsBehindAnswers returns the groups that the kubectl auth can-i
// answers of doc show user s is in: for each request answered yes that
// s's identity does not explain, the one group whose pasted bindings
// grant it, if only one does. It trusts the answers only when every
// denial of doc names s, so that they come from the same person.
func groupsBehindAnswers(p *analysis.Pass, doc *analysis.Document, s subjectIdentity) []string {
	for _, d := range denialsOf(doc) {
		if d.User != s.User {
			return nil
		}
	}
	pol := policyOf(p)
	extra := pol.accessPolicyGrants(s)
	var out []string
	for _, req := range answeredYes(doc) {
		if pol.authorize(s.Identity, req, extra).allowed {
			continue
		}
		var explain []string
		for _, g := range pol.boundGroups() {
			id := Identity{User: s.User, Groups: append(slices.Clone(s.Groups), g)}
			if pol.authorize(id, req, extra).allowed {
				explain = append(explain, g)
			}
		}
		if len(explain) == 1 && !slices.Contains(out, explain[0]) {
			out = append(out, explain[0])
		}
	}
	return out
}

// boundGroups returns the groups the pasted bindings name, but for the
// system: groups Kubernetes reserves for itself.
func (pol *policy) boundGroups() []string {
	var out []string
	for _, b := range pol.bindings {
		if b.Builtin || b.Origin != "" {
			continue
		}
		for _, s := range b.Subjects {
			if s.Kind == "Group" && !strings.HasPrefix(s.Name, "system:") && !slices.Contains(out, s.Name) {
				out = append(out, s.Name)
			}
		}
	}
	return out
}

// answeredYes returns the requests of the kubectl auth can-i commands in
// doc that the cluster answered yes.
func answeredYes(doc *analysis.Document) []Request {
	var out []Request
	var asked *Request
	for line := range strings.Lines(doc.Text) {
		text := strings.TrimSpace(line)
		if cmd, ok := parseKubectl(text); ok {
			asked = nil
			if req, ok := cmd.canIRequest(); ok {
				asked = &req
			}
			continue
		}
		if asked == nil || text == "" || strings.HasPrefix(text, "Warning:") {
			continue
		}
		if text == "yes" {
			out = append(out, *asked)
		}
		asked = nil
	}
	return out
}

// canIRequest returns the request a kubectl auth can-i command asks
// about for the person who runs it. ok is false for other commands, for
// --list, for a command asked as someone else or with other credentials,
// and for a namespaced resource without -n or -A: the namespace of the
// kubeconfig's context is not in the paste.
func (cmd kubectlCommand) canIRequest() (Request, bool) {
	if cmd.Verb != "auth can-i" || len(cmd.Args) < 2 {
		return Request{}, false
	}
	for _, f := range []string{"--list", "--as", "--as-group", "--as-uid", "--context", "--kubeconfig", "--user", "--token"} {
		if _, ok := cmd.Flags[f]; ok {
			return Request{}, false
		}
	}
	q := CanIQuery{Verb: cmd.Args[0], Namespace: cmd.Namespace, Subresource: cmd.Flags["--subresource"]}
	if strings.HasPrefix(cmd.Args[1], "/") {
		q.NonResourceURL = cmd.Args[1]
	} else {
		q.Resource, q.Name, _ = strings.Cut(cmd.Args[1], "/") // kubectl's TYPE/NAME
		resource, group := lookupResource(q.Resource)
		if q.Namespace == "" && !cmd.AllNamespaces && ResourceScope(group, resource) != ScopeCluster {
			return Request{}, false
		}
	}
	req, _, err := q.request()
	return req, err == ""
}

// automaticGroups returns the groups the API server adds to a user it
// authenticates, or impersonates without being given groups:
// system:authenticated, and a ServiceAccount's own two.
func automaticGroups(user string) []string {
	if user == "system:anonymous" {
		return nil
	}
	added := []string{"system:authenticated"}
	if ns, _, ok := serviceAccountOf(user); ok {
		added = append(added, "system:serviceaccounts", "system:serviceaccounts:"+ns)
	}
	return added
}

// impersonationGroups returns the --as-group values that give a request
// made with --as the groups of s: every group but those the API server
// adds itself. Given any group, it adds only system:authenticated, so a
// ServiceAccount with more groups than its own names them all.
func impersonationGroups(s subjectIdentity) []string {
	added := automaticGroups(s.User)
	if _, _, isSA := serviceAccountOf(s.User); isSA && slices.ContainsFunc(s.Groups, func(g string) bool { return !slices.Contains(added, g) }) {
		added = added[:1]
	}
	return slices.DeleteFunc(slices.Clone(s.Groups), func(g string) bool { return slices.Contains(added, g) })
}
