package fixes

import (
	"fmt"
	"sort"
	"strings"

	"github.com/eksdoctor/eksdoctor/analysis"
)

// Weighing the evidence: each error rule lists the causes of its error,
// each with a weight that the paste raises (it shows the cause) or leaves
// at its prior (how common the cause is), and says them most likely first.

// cause is one possible reason for an error. Causes of the same topic
// say the same thing from different evidence: when the paste shows a
// cause, the merely common causes of its topic are left out.
type cause struct {
	topic  string
	weight int
	text   string
	shown  bool
	// at is where the paste shows it, when it is written somewhere: the
	// place a finding of another rule may point at.
	at *analysis.Cause
}

// causes collects the possible reasons for one error.
type causes struct {
	list []cause
	// ruled holds the topics the paste rules out, and notes says why.
	ruled map[string]bool
	notes []string
}

// add records a cause that is common; the paste does not say either way.
func (c *causes) add(topic string, weight int, format string, args ...any) {
	c.list = append(c.list, cause{topic, weight, fmt.Sprintf(format, args...), false, nil})
}

// show records a cause the paste shows.
func (c *causes) show(topic string, weight int, format string, args ...any) {
	c.list = append(c.list, cause{topic, weight, fmt.Sprintf(format, args...), true, nil})
}

// showAt records a cause the paste shows at [start, end).
func (c *causes) showAt(start, end int, topic string, weight int, format string, args ...any) {
	text := fmt.Sprintf(format, args...)
	c.list = append(c.list, cause{topic, weight, text, true, &analysis.Cause{Start: start, End: end, Because: capitalize(text) + "."}})
}

// evidence returns the causes the paste shows at a place, most likely
// first, for the finding about the error.
func (c *causes) evidence() []analysis.Cause {
	var shown []cause
	for _, x := range c.list {
		if x.at != nil {
			shown = append(shown, x)
		}
	}
	sort.SliceStable(shown, func(i, j int) bool { return shown[i].weight > shown[j].weight })
	var out []analysis.Cause
	for _, x := range shown {
		out = append(out, *x.at)
	}
	return out
}

// ruleOut records that the paste rules out a topic, and why.
func (c *causes) ruleOut(topic string, format string, args ...any) {
	if c.ruled == nil {
		c.ruled = map[string]bool{}
	}
	c.ruled[topic] = true
	c.notes = append(c.notes, fmt.Sprintf(format, args...))
}

// shown reports whether the paste shows any cause.
func (c *causes) shown() bool {
	for _, x := range c.list {
		if x.shown {
			return true
		}
	}
	return false
}

// String lists the causes most likely first, at most four, after what
// the paste rules out.
func (c *causes) String() string {
	shownTopics := map[string]bool{}
	for _, x := range c.list {
		if x.shown {
			shownTopics[x.topic] = true
		}
	}
	var kept []cause
	for _, x := range c.list {
		if x.shown || !shownTopics[x.topic] && !c.ruled[x.topic] {
			kept = append(kept, x)
		}
	}
	sort.SliceStable(kept, func(i, j int) bool { return kept[i].weight > kept[j].weight })
	var b strings.Builder
	for _, n := range c.notes {
		b.WriteString(n + ". ")
	}
	if c.shown() {
		b.WriteString("From what you pasted, most likely first: ")
	} else {
		b.WriteString("Likely causes, most common first (paste more to narrow it down): ")
	}
	for i, x := range kept[:min(len(kept), 4)] {
		if i > 0 {
			b.WriteString(" ")
		}
		fmt.Fprintf(&b, "(%d) %s.", i+1, strings.TrimSuffix(x.text, "."))
	}
	return b.String()
}

// Weights: what the paste shows outranks what is merely common.
const (
	shownDecisive = 95 // the paste shows this is the cause
	shownLikely   = 85 // the paste shows a condition that causes the error
	common        = 50 // a frequent cause, nothing pasted says either way
	rare          = 30 // possible, rarely the reason
)

// principal is an IAM principal an error concerns, with where the paste
// shows it.
type principal struct {
	caller
	// node marks an EC2 instance's role session (a node's identity).
	node bool
}

// kubectlPrincipal returns the principal kubectl's token carries: the
// role the kubeconfig's plugin assumes, else the one the paste's caller
// identities agree on.
func kubectlPrincipal(p *analysis.Pass) (principal, bool) {
	if a, ok := activeKubeconfig(p); ok && a.User != nil && a.User.Exec != nil {
		if r := a.User.Exec.role(); r != nil {
			if arn, ok := analysis.ParseARN(r.Value); ok && arn.ResourceType() == "role" {
				arn.Resource = "role/" + arn.Name()
				return principal{caller: caller{ARN: r.Value, Canonical: arn.String(), Start: r.Start, End: r.End}}, true
			}
		}
	}
	c, ok := subject(p)
	return principal{caller: c, node: c.instanceSession()}, ok
}

// weighMapping adds what the pasted mappings say about a principal the
// cluster refused, and returns the fix that maps it when that is the cause.
func weighMapping(p *analysis.Pass, c *causes, who principal) *analysis.Fix {
	if !mappingsPasted(p) {
		return nil
	}
	arn := who.Canonical
	if what, _, mapped := mappedIdentity(p, arn); mapped {
		c.ruleOut("mapping", "The paste maps %s (%s), so the mapping is not what fails", arn, what)
		return nil
	}
	if v, ok := pathVariant(p, arn); ok && !ignoresAWSAuth(p) {
		c.showAt(v.Start, v.End, "mapping", shownDecisive, "the aws-auth rolearn %s carries an IAM path, so it never matches %s (rule AUTH001 removes the path)", v.Value, arn)
		return nil
	}
	if ignoresAWSAuth(p) || len(authDocs(p)) == 0 {
		why := "has no access entry in what you pasted, so the cluster does not know it"
		if ignoresAWSAuth(p) && len(authDocs(p)) > 0 {
			why = "has no access entry, and the cluster's authentication mode is API, which ignores the aws-auth you pasted"
		}
		c.show("mapping", shownDecisive, "%s %s", arn, why)
		suggestCreateEntry(p, arn, false)
		return nil
	}
	entry := humanMapping(arn)
	if who.node {
		entry = nodeMapping(arn)
	}
	fix := addMappingFix(p, entry)
	what := "the fix adds it"
	switch {
	case fix == nil:
		what = "add an entry for it"
	case !who.node:
		what = "the fix maps it to its own group " + entry.Groups[0] + ", which grants nothing until you bind it"
		suggestBind(p, entry.Groups[0])
	}
	c.show("mapping", shownDecisive, "%s is not mapped in the pasted aws-auth or access entries; %s", arn, what)
	if fix != nil {
		suggestWhoami(p)
	}
	return fix
}

// weighBrokenAWSAuth adds a pasted aws-auth section that does not parse.
func weighBrokenAWSAuth(p *analysis.Pass, c *causes) {
	if s, ok := brokenSection(p); ok {
		c.show("yaml", shownLikely, "the pasted aws-auth %s does not parse (%s), and the authenticator then drops every entry of %s, nodes included",
			s.Name, s.Err.Msg, s.Name)
	}
}
