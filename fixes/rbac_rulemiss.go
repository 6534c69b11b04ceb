package fixes

import (
	"fmt"
	"slices"
	"strings"
)

// ruleNear returns the first rule that misses the request in exactly one
// way a person would plausibly get wrong, and that way.
func ruleNear(rules []effRule, q Request) (effRule, *Miss) {
	for _, er := range rules {
		if m := ruleMiss(er.rule.PolicyRule, q); m != nil {
			return er, m
		}
	}
	return effRule{}, nil
}

// ruleMiss returns the one near reason a rule misses a request, or nil.
func ruleMiss(r PolicyRule, q Request) *Miss {
	verbOK := anyMatches(r.Verbs, q.Verb)
	if !q.resourceRequest() {
		urlOK := slices.ContainsFunc(r.NonResourceURLs, func(u string) bool { return urlMatches(u, q.Path) })
		switch {
		case urlOK && !verbOK:
			return &Miss{"verb", fmt.Sprintf("it allows %s on %s, not %s", strings.Join(r.Verbs, ", "), q.Path, q.Verb)}
		case !urlOK && verbOK:
			for _, u := range r.NonResourceURLs {
				if !strings.HasSuffix(u, "*") && strings.HasPrefix(q.Path, strings.TrimSuffix(u, "/")+"/") {
					return &Miss{"url", fmt.Sprintf("it allows %s but not the paths below it; add %s/*", u, strings.TrimSuffix(u, "/"))}
				}
			}
		}
		return nil
	}
	groupOK, resOK, nameOK := anyMatches(r.APIGroups, q.APIGroup), resourceMatches(r.Resources, q), nameMatches(r.ResourceNames, q.Name)
	resNear := ""
	if !resOK {
		resNear = resourceNear(r.Resources, q)
		if resNear == "" {
			return nil
		}
	}
	misses := 0
	for _, ok := range []bool{verbOK, groupOK, resOK, nameOK} {
		if !ok {
			misses++
		}
	}
	if misses != 1 {
		return nil
	}
	switch {
	case !verbOK:
		return &Miss{"verb", verbMiss(r, q)}
	case !groupOK:
		return &Miss{"api-group", fmt.Sprintf("it grants %s in API group %s, but the request is for API group %s",
			q.Resource, listOf(r.APIGroups), quoteGroup(q.APIGroup))}
	case !resOK:
		return &Miss{"subresource", resNear}
	case q.Name == "":
		return &Miss{"resource-name", fmt.Sprintf("the rule is limited to resourceNames %s, and this %s names no object (create and "+
			"deletecollection never do; a list or watch does only with --field-selector metadata.name=NAME)", listOf(r.ResourceNames), q.Verb)}
	}
	return &Miss{"resource-name", fmt.Sprintf("the rule is limited to resourceNames %s, which do not include %q", listOf(r.ResourceNames), q.Name)}
}

// resourceNear explains a resource list that was probably meant to
// match: a base resource without the subresource, "pods/*", or a
// misspelt (singular, capitalised) resource. "" when it was not.
func resourceNear(resources []string, q Request) string {
	for _, r := range resources {
		switch {
		case q.Subresource != "" && r == q.Resource:
			return fmt.Sprintf("it grants %s, and a rule for %s does not cover its subresource %s; add %s",
				r, r, q.combined(), q.combined())
		case q.Subresource != "" && r == q.Resource+"/*":
			return fmt.Sprintf("%s is not a wildcard in RBAC (only */%s or * are); list %s", r, q.Subresource, q.combined())
		case r != q.combined() && (strings.EqualFold(r, q.combined()) || strings.EqualFold(r+"s", q.Resource) && q.Subresource == ""):
			return fmt.Sprintf("it lists %q, but resources are written exactly as in the API path, lower-case and plural: %s", r, q.combined())
		}
	}
	return ""
}

// verbMiss explains a rule that lacks the request's verb.
func verbMiss(r PolicyRule, q Request) string {
	s := fmt.Sprintf("it allows %s on %s, not %s", strings.Join(r.Verbs, ", "), q.combined(), q.Verb)
	switch {
	case streamingSubresource(q) && q.Verb == "get":
		s += " (kubectl 1.30 and later opens " + q.combined() + " over WebSocket, which is a get; grant get and create)"
	case streamingSubresource(q) && q.Verb == "create":
		s += " (the older SPDY upgrade is a create, and API servers from 1.35 check create for WebSocket too; grant get and create)"
	}
	return s
}

// streamingSubresource reports whether the request opens a stream to a
// container (exec, attach, port-forward), which kubectl does with a get
// (WebSocket) or a create (SPDY).
func streamingSubresource(q Request) bool {
	return q.Resource == "pods" && (q.Subresource == "exec" || q.Subresource == "attach" || q.Subresource == "portforward")
}

// listOf formats a list as YAML flow: ["", "apps"].
func listOf(list []string) string {
	quoted := make([]string, len(list))
	for i, v := range list {
		quoted[i] = fmt.Sprintf("%q", v)
	}
	return "[" + strings.Join(quoted, ", ") + "]"
}

// quoteGroup names an API group for people: `"" (core)` or `"apps"`.
func quoteGroup(g string) string {
	if g == "" {
		return `"" (core)`
	}
	return fmt.Sprintf("%q", g)
}
