package fixes

import (
	"slices"
	"strings"

	yaml "go.yaml.in/yaml/v3"

	"github.com/eksdoctor/eksdoctor/analysis"
)

var authNoUsername = &analysis.Rule{
	ID:       "AUTH022",
	Title:    "aws-auth mapping without a username",
	Severity: analysis.Medium,
	Kinds:    awsAuthKinds,
	Doc: "The authenticator does not require a username: a mapping without one authenticates its principal with an " +
		"empty Kubernetes username. The groups still work, so kubectl get and apply succeed, but the API server " +
		"forwards an empty user to aggregated APIs, which then answer Unauthorized: kubectl top (metrics.k8s.io) and " +
		"custom metrics fail while everything else works. The audit log also cannot tell who acted. Give every mapping " +
		"a username; the one access entries would use keeps it the same after a migration: the user's ARN, or for a " +
		"role arn:aws:sts::ACCOUNT:assumed-role/ROLE/{{SessionName}}. eksctl writes no username unless --username is given.",
	Refs: []string{authenticatorServer, authConfigMapDoc, "https://github.com/kubernetes-sigs/aws-iam-authenticator/issues/289",
		"https://github.com/aws/aws-cdk/issues/5263", customUsernameDoc},
	Run: func(p *analysis.Pass) {
		for _, m := range authOf(p, p.Doc).Mappings {
			if !m.lacksUsername() {
				continue
			}
			username := defaultUsername(m)
			var fix *analysis.Fix
			if username != "" {
				fix = setUsernameFix(m, username)
			}
			msg := entryName(m) + " is mapped without a username, so it authenticates with an empty one: its groups work, " +
				"but aggregated APIs such as metrics.k8s.io answer Unauthorized (kubectl top fails) and the audit log cannot say who acted."
			if username != "" {
				msg += " Set username: " + username + "."
			}
			p.Reportf(m.ARN.Start, m.ARN.End, fix, "%s", msg)
		}
	},
}

// lacksUsername reports whether the authenticator gives a mapping that
// is in effect and grants groups an empty username (node mappings are
// AUTH014's). A mapping without groups either is usually cut short by
// the paste.
func (m *authMapping) lacksUsername() bool {
	return m.ShadowedBy < 0 && m.Entry.Drop == "" && m.Entry.Username == "" && m.ARN != nil && len(m.Entry.Groups) > 0 &&
		m.nodeKind() == nodeNone && !slices.Contains(m.Entry.Mistyped, "username") && (m.Username == nil || m.Username.Value == "")
}

// unnamedMappings returns the pasted mappings that lack a username.
func unnamedMappings(p *analysis.Pass) []authMapping {
	var out []authMapping
	for _, d := range authDocs(p) {
		for _, m := range authOf(p, d).Mappings {
			if m.lacksUsername() {
				out = append(out, m)
			}
		}
	}
	return out
}

// defaultUsername returns the username an access entry would give the
// mapping's principal, or "" when its ARN is masked or not an IAM ARN.
func defaultUsername(m authMapping) string {
	a, ok := analysis.ParseARN(m.ARN.Value)
	if !ok || a.Service != "iam" || analysis.HasMask(m.ARN.Value) {
		return ""
	}
	switch a.ResourceType() {
	case "user":
		return m.ARN.Value
	case "role":
		return "arn:" + a.Partition + ":sts::" + a.Account + ":assumed-role/" + a.Name() + "/{{SessionName}}"
	}
	return ""
}

// setUsernameFix writes username into a block mapping: it replaces an
// empty username value, or adds a username line after the ARN's, at the
// ARN key's indentation. It returns nil for flow mappings (JSON).
func setUsernameFix(m authMapping, username string) *analysis.Fix {
	summary := "Set the username " + username
	if m.Username != nil {
		return &analysis.Fix{Summary: summary, Edits: []analysis.Edit{m.Username.Replace(username)}}
	}
	i := slices.IndexFunc(m.Keys, func(k authKey) bool { return k.Value == m.ARN.Node })
	if i < 0 || m.Node == nil || m.Node.Style&yaml.FlowStyle != 0 || m.ARN.Node.Line != m.Keys[i].Key.Node.Line {
		return nil
	}
	key := m.Keys[i].Key
	src := key.At.Source()
	end := src.LineEnd(key.Node.Line)
	line := strings.Repeat(" ", key.Node.Column-1) + "username: " + analysis.YAMLScalar(username)
	return &analysis.Fix{Summary: summary, Edits: []analysis.Edit{key.At.Edit(end, end, src.Newline()+line)}}
}
