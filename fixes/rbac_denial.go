package fixes

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/eksdoctor/eksdoctor/analysis"

	"github.com/eksdoctor/eksdoctor/internal/prefilter"
)

// Reading denials. The API server builds them from fixed formats
// (k8s.io/apiserver responsewriters.forbiddenMessage wrapped by
// apimachinery's NewForbidden), kubectl prefixes "Error from server
// (Forbidden): ", and the RBAC authorizer appends "RBAC: …" only when a
// binding references a role that does not exist. The kubelet has its own
// format for the API server's exec, attach, port-forward and log calls.

// denial is one authorization failure read from error text.
type denial struct {
	Request
	// User is the user name the API server printed.
	User string
	// Groups are the user's groups, when the message names them (some
	// API servers before 1.11 did).
	Groups []string
	// Reason is what the authorizers appended after the sentence.
	Reason string
	// Missing are the "… not found" role errors in the reason.
	Missing []string
	// Kubelet marks the kubelet refusing the API server (Forbidden) or
	// failing to ask it (KubeletError, "Authorization error").
	Kubelet, KubeletError bool
	// Start and End locate the denial's line in the analysed text.
	Start, End int
	// Command is the kubectl command the denial answered, if pasted.
	Command *kubectlCommand
}

var (
	// forbiddenRE matches the current message, anywhere in a line.
	forbiddenRE = prefilter.MustCompile(`(?:([a-z0-9][a-z0-9.-]*)(?: ("(?:[^"\\]|\\.)*"))? is forbidden|forbidden): User ("(?:[^"\\]|\\.)*") cannot (\S+) ` +
		`(?:resource "([^"/]*)(?:/([^"]*))?" in API group "([^"]*)" (?:in the namespace ("(?:[^"\\]|\\.)*")|at the cluster scope)|path ("(?:[^"\\]|\\.)*"))(?:: (.*))?`)
	// legacyRE matches the messages of API servers before 1.11:
	// `User "u" cannot list pods in the namespace "ns"`.
	legacyRE = prefilter.MustCompile(`(?:([a-z0-9][a-z0-9.-]*)(?: ("(?:[^"\\]|\\.)*"))? is forbidden: )?User ("(?:[^"\\]|\\.)*")(?: groups \[([^\]]*)\])? cannot ([a-z*]+) ` +
		`([a-z0-9-]+)(?:/([a-z0-9-]+))?(?:\.([a-z0-9.-]+))? (?:in the namespace ("(?:[^"\\]|\\.)*")|at the cluster scope)`)
	// kubeletRE matches the kubelet's answer to the API server.
	kubeletRE = prefilter.MustCompile(`(Forbidden|Authorization error) \(user=([^,]*), verb=([^,]*), resource=([^,]*), subresource(?:\(s\))?=\[?([^\])]*)\]?\)`)
	// notFoundRE matches a missing role in the RBAC reason.
	notFoundRE = regexp.MustCompile(`(?:clusterrole|role)\.rbac\.authorization\.k8s\.io "[^"]+" not found`)
)

// rbacDenialsKey keeps what denialsOf builds, once for each document.
var rbacDenialsKey = analysis.NewKey[[]denial]("rbac-denials")

// denialsOf returns the denials in an error-text document, built once.
func denialsOf(doc *analysis.Document) []denial {
	return analysis.Memo(doc, rbacDenialsKey, func() []denial {
		var out []denial
		var cmd *kubectlCommand
		offset := doc.Start
		for _, line := range strings.SplitAfter(doc.Text, "\n") {
			text := strings.TrimRight(line, "\r\n")
			if c, ok := parseKubectl(text); ok {
				cmd = &c
			} else if d, ok := parseDenial(text); ok {
				d.Start, d.End, d.Command = offset+len(text)-len(strings.TrimLeft(text, " \t")), offset+len(text), cmd
				out = append(out, d)
			}
			offset += len(line)
		}
		return out
	})
}

// logQuotes unescapes a message quoted in a log line.
var logQuotes = strings.NewReplacer(`\\`, `\`, `\"`, `"`)

// parseDenial reads the denial in one line of text. Messages quoted
// inside log lines (msg="… \"pods\" …") are unescaped first.
func parseDenial(line string) (denial, bool) {
	if strings.Contains(line, `\"`) {
		line = logQuotes.Replace(line)
	}
	if m := forbiddenRE.FindStringSubmatch(line); m != nil {
		d := denial{User: unquote(m[3]), Reason: m[10]}
		d.Verb, d.Resource, d.Subresource, d.APIGroup = m[4], m[5], m[6], m[7]
		d.Name, d.Namespace, d.Path = unquote(m[2]), unquote(m[8]), unquote(m[9])
		if d.Path != "" {
			d.Resource, d.Name = "", ""
		}
		d.Missing = notFoundRE.FindAllString(d.Reason, -1)
		return d, true
	}
	if m := legacyRE.FindStringSubmatch(line); m != nil {
		d := denial{User: unquote(m[3]), Groups: unquoteAll(m[4])}
		d.Verb, d.Resource, d.Subresource, d.APIGroup = m[5], m[6], m[7], m[8]
		d.Name, d.Namespace = unquote(m[2]), unquote(m[9])
		if _, group, ok := strings.Cut(m[1], "."); ok && d.APIGroup == "" {
			d.APIGroup = group
		}
		return d, true
	}
	if m := kubeletRE.FindStringSubmatch(line); m != nil {
		d := denial{User: m[2], Kubelet: true, KubeletError: m[1] == "Authorization error"}
		d.Verb, d.Resource = m[3], m[4]
		if sub := strings.Fields(m[5]); len(sub) > 0 { // "[proxy]" or empty
			d.Subresource = sub[0]
		}
		return d, true
	}
	return denial{}, false
}

// unquote reads a Go-quoted string as the API server prints names; ""
// for an empty match.
func unquote(q string) string {
	if q == "" {
		return ""
	}
	if s, err := strconv.Unquote(q); err == nil {
		return s
	}
	return strings.Trim(q, `"`)
}

// unquoteAll reads a list the API server prints with %q, such as the
// groups of a user: "developers" "system:authenticated".
func unquoteAll(s string) []string {
	var out []string
	for _, f := range strings.Fields(s) {
		out = append(out, unquote(f))
	}
	return out
}

// whoIs says what kind of identity a user name is, "" for a plain user.
func whoIs(user string) string {
	if ns, name, ok := serviceAccountOf(user); ok {
		return "ServiceAccount " + name + " in namespace " + ns
	}
	switch {
	case user == "system:anonymous":
		return "no credentials"
	case strings.HasPrefix(user, "system:node:"):
		return "the kubelet of node " + strings.TrimPrefix(user, "system:node:")
	}
	if a, ok := analysis.ParseARN(user); ok {
		switch parts := strings.Split(a.Resource, "/"); {
		case a.Service == "sts" && a.ResourceType() == "assumed-role" && len(parts) == 3:
			return "IAM role " + parts[1] + ", session " + parts[2]
		case a.ResourceType() == "user":
			return "IAM user " + a.Name()
		}
	}
	return ""
}

// userPhrase names a user as a sentence starts: User "x" (what it is).
func userPhrase(user string) string {
	if who := whoIs(user); who != "" {
		return fmt.Sprintf("User %q (%s)", user, who)
	}
	return fmt.Sprintf("User %q", user)
}
