package fixes

import (
	"slices"
	"strings"

	yaml "go.yaml.in/yaml/v3"

	"github.com/eksdoctor/eksdoctor/analysis"
)

// The rules about templates and node mappings.

var authTemplate = &analysis.Rule{
	ID:       "AUTH012",
	Title:    "template variable the authenticator does not know",
	Severity: analysis.High,
	Kinds:    awsAuthKinds,
	Doc: "The authenticator replaces exactly five variables in usernames and groups, with exact case and no spaces: " +
		"{{EC2PrivateDNSName}}, {{AccountID}}, {{SessionName}}, {{SessionNameRaw}} and {{AccessKeyID}}. Anything else, " +
		"such as {{EC2PrivateDnsName}}, {{ SessionName }} or {{Session}}, stays in the name literally: every session " +
		"maps to the same user, and a node that registers as system:node:{{EC2PrivateDnsName}} is refused by the node " +
		"authorizer. Spell the variable exactly.",
	Refs: []string{authenticatorServer, authenticatorDocs},
	Run: func(p *analysis.Pass) {
		for _, m := range authOf(p, p.Doc).Mappings {
			for _, s := range templatedValues(m) {
				for _, loc := range templateToken.FindAllStringSubmatchIndex(s.Value, -1) {
					reportTemplate(p, s, loc)
				}
			}
		}
	},
}

// templatedValues returns an entry's username and groups.
func templatedValues(m authMapping) []analysis.Scalar {
	out := append([]analysis.Scalar(nil), m.Groups...)
	if m.Username != nil {
		out = append(out, *m.Username)
	}
	return out
}

// reportTemplate reports the {{…}} token at loc in s when it is not one of
// the variables, with a fix when it is one of them misspelt by case,
// blanks or underscores.
func reportTemplate(p *analysis.Pass, s analysis.Scalar, loc []int) {
	inner := s.Value[loc[2]:loc[3]]
	if slices.Contains(templateVars, inner) {
		return
	}
	exact := s.Value == s.At.Source().Text[s.AtStart:s.AtEnd]
	start, end := s.Start, s.End
	if exact {
		start, end = s.At.Offset(s.AtStart+loc[0]), s.At.Offset(s.AtStart+loc[1])
	}
	msg := s.Value[loc[0]:loc[1]] + " is not a variable the authenticator knows, so it stays in the name literally."
	var fix *analysis.Fix
	for _, v := range templateVars {
		if normKey(inner) != strings.ToLower(v) {
			continue
		}
		msg += " Write {{" + v + "}}."
		if exact {
			fix = &analysis.Fix{Summary: "Write {{" + v + "}}", Edits: []analysis.Edit{s.At.Edit(s.AtStart+loc[2], s.AtStart+loc[3], v)}}
		}
	}
	if !strings.Contains(msg, "Write") {
		msg += " The variables are {{" + strings.Join(templateVars, "}}, {{") + "}}."
	}
	p.Reportf(start, end, fix, "%s", msg)
}

var authEC2DNSName = &analysis.Rule{
	ID:       "AUTH013",
	Title:    "{{EC2PrivateDNSName}} outside a node role mapping",
	Severity: analysis.High,
	Kinds:    awsAuthKinds,
	Doc: "To render {{EC2PrivateDNSName}} the authenticator reads the caller's session name as an EC2 instance ID and " +
		"looks the instance up. Only EC2 nodes have such a session; for a person, a CI job, an IAM user (which has no " +
		"session at all) or a Fargate pod the lookup fails with 'SessionName did not contain an instance id' and the " +
		"caller is denied. Use it only in the node role's username system:node:{{EC2PrivateDNSName}}; for people use " +
		"{{SessionName}} or a fixed name.",
	Refs: []string{authenticatorServer, authConfigMapDoc},
	Run: func(p *analysis.Pass) {
		for _, m := range authOf(p, p.Doc).Mappings {
			for _, s := range templatedValues(m) {
				if !strings.Contains(s.Value, "{{EC2PrivateDNSName}}") {
					continue
				}
				why := ""
				switch k := m.nodeKind(); {
				case !m.isRole():
					why = "an IAM user has no session name, so the authenticator cannot render it and denies " + entryName(m)
				case k == nodeNone:
					why = "this is not a node mapping (it lacks system:nodes), so anyone but an EC2 instance using " +
						entryName(m) + " is denied with 'SessionName did not contain an instance id'"
				default:
					continue
				}
				p.Reportf(s.Start, s.End, nil, "{{EC2PrivateDNSName}} is only for EC2 node roles: %s.", why)
			}
		}
	},
}

var authNodeMapping = &analysis.Rule{
	ID:       "AUTH014",
	Title:    "node role mapped with the wrong username or groups",
	Severity: analysis.High,
	Kinds:    awsAuthKinds,
	Doc: "Nodes need an exact mapping. Linux EC2 nodes: username system:node:{{EC2PrivateDNSName}} with groups " +
		"system:bootstrappers and system:nodes; Windows nodes also need eks:kube-proxy-windows for DNS; Fargate pod " +
		"execution roles: system:node:{{SessionName}} with system:bootstrappers, system:nodes and system:node-proxier; " +
		"hybrid nodes: system:node:{{SessionName}} with system:bootstrappers and system:nodes. With another username the " +
		"node authorizer refuses the kubelet, and without the groups nodes cannot bootstrap, so they never turn Ready " +
		"(managed node groups report AccessDenied). Do not edit the entries EKS adds for managed node groups and Fargate.",
	Refs: []string{authConfigMapDoc, "https://docs.aws.amazon.com/eks/latest/userguide/windows-support.html",
		"https://docs.aws.amazon.com/eks/latest/userguide/pod-execution-role.html",
		"https://docs.aws.amazon.com/eks/latest/userguide/hybrid-nodes-cluster-prep.html"},
	Run: func(p *analysis.Pass) {
		for _, m := range authOf(p, p.Doc).Mappings {
			switch k := m.nodeKind(); {
			case m.ShadowedBy >= 0, m.Partial:
			case k != nodeNone:
				checkNodeUsername(p, m, k)
				checkNodeGroups(p, m, k)
			case m.isRole() && !slices.Contains(m.intendedGroups(), "system:masters"):
				if named := nodeRoleKind(m.name()); named != nodeNone {
					p.Report(analysis.Finding{Severity: analysis.Medium, Start: m.ARN.Start, End: m.ARN.End, Message: entryName(m) +
						" is named like a " + named.String() + " but is not mapped as one (" + describeEntry(m.Entry) + "). If nodes use it, " +
						"they cannot join: map it to " + named.username() + " with " + strings.Join(named.groups(), " and ") + "."})
				}
			}
		}
	},
}

func checkNodeUsername(p *analysis.Pass, m authMapping, k nodeKind) {
	want := k.username()
	switch {
	case want == "":
		return
	case m.Username == nil || m.Username.Value == "":
		if m.Entry.Username == "" && !slices.Contains(m.Entry.Mistyped, "username") && m.ARN != nil {
			p.Reportf(m.ARN.Start, m.ARN.End, setUsernameFix(m, want), "%s looks like a %s but has no username; the node authorizer "+
				"accepts a kubelet only as %s, so its nodes cannot register.", entryName(m), k, want)
		}
		return
	case templateToken.ReplaceAllStringFunc(m.Username.Value, fixTemplateCase) == want:
		return
	}
	p.Reportf(m.Username.Start, m.Username.End, &analysis.Fix{Summary: "Use the username " + want, Edits: []analysis.Edit{m.Username.Replace(want)}},
		"%s looks like a %s, whose username must be %s; with %s the node authorizer refuses it.", entryName(m), k, want, m.Username.Value)
}

// fixTemplateCase returns a {{…}} token with its variable spelt exactly,
// when it is one of the variables in another spelling.
func fixTemplateCase(token string) string {
	inner := normKey(token[2 : len(token)-2])
	for _, v := range templateVars {
		if inner == strings.ToLower(v) {
			return "{{" + v + "}}"
		}
	}
	return token
}

func checkNodeGroups(p *analysis.Pass, m authMapping, k nodeKind) {
	have := m.intendedGroups()
	var missing []string
	for _, g := range k.groups() {
		if !slices.Contains(have, g) {
			missing = append(missing, g)
		}
	}
	if len(missing) == 0 {
		return
	}
	start, end := m.Keys[0].Key.Start, m.Keys[0].Key.End
	if m.GroupsValue != nil {
		s := analysis.Locate(m.at, m.GroupsValue)
		start, end = s.Start, s.End
	}
	if len(m.Groups) > 0 {
		start, end = m.Groups[0].Start, m.Groups[len(m.Groups)-1].End
	}
	p.Reportf(start, end, addGroupsFix(m, missing), "%s looks like a %s but lacks %s: its nodes cannot join or stay Ready.",
		entryName(m), k, strings.Join(missing, " and "))
}

// addGroupsFix inserts group items after the last one, written like it.
func addGroupsFix(m authMapping, groups []string) *analysis.Fix {
	if len(m.Groups) == 0 || m.GroupsValue.Style&yaml.FlowStyle != 0 {
		return nil
	}
	last := m.Groups[len(m.Groups)-1]
	src := last.At.Source()
	start, end := src.ScalarSpan(last.Node)
	lineStart := src.LineStart(last.Node.Line)
	prefix := src.Text[lineStart:start]
	if strings.TrimSpace(prefix) != "-" || !strings.HasSuffix(prefix, " ") { // an empty last item has no space after its dash
		return nil
	}
	quote := src.Text[start:last.AtStart]
	var text strings.Builder
	for _, g := range groups {
		text.WriteString("\n" + prefix + quote + g + quote)
	}
	return &analysis.Fix{Summary: "Add " + strings.Join(groups, ", "), Edits: []analysis.Edit{last.At.Edit(end, end, text.String())}}
}

var authNoNodeRole = &analysis.Rule{
	ID:       "AUTH015",
	Title:    "aws-auth ConfigMap maps no node role",
	Severity: analysis.Medium,
	Kinds:    awsAuthKinds,
	Doc: "A full aws-auth ConfigMap replaces the one in the cluster when applied. If it has no entry mapping a node " +
		"role to system:node:{{EC2PrivateDNSName}} with system:bootstrappers and system:nodes, self-managed nodes (and " +
		"managed node groups while the cluster is in CONFIG_MAP mode) lose their mapping and go NotReady; this is how " +
		"exporting aws-auth, editing it and applying a partial copy locks nodes out. Keep the node role entries that are in " +
		"the cluster (kubectl get configmap aws-auth -n kube-system -o yaml), or give the node roles EC2_LINUX access entries first.",
	Refs: []string{authConfigMapDoc, eksTroubleDoc, migrateEntriesDoc},
	Run: func(p *analysis.Pass) {
		m := authOf(p, p.Doc)
		switch {
		case len(m.Sections) == 0,
			m.Form == formTerraform && !slices.ContainsFunc(m.Sections, func(s authSection) bool { return s.Name == "mapRoles" && !s.Merged }),
			m.Form != formConfigMap && m.Form != formTerraform:
			return
		}
		for _, s := range m.Sections {
			if s.Err != nil && s.Repair == nil {
				return
			}
		}
		for _, mp := range m.Mappings {
			if mp.nodeKind() != nodeNone {
				return
			}
		}
		start, end := m.Sections[0].KeySpan[0], m.Sections[0].KeySpan[1]
		if m.Form == formConfigMap {
			at := m.Sections[0].Key
			if k, _ := analysis.MapEntry(m.Root, "data"); k != nil {
				at = k
			}
			if at == nil { // entries read a line at a time
				at = m.Sections[0].Value.Content[0].Content[0]
			}
			start, end = p.Src.ScalarSpan(at)
		}
		msg := "This aws-auth ConfigMap maps no node role. Applied as it is, it removes the node role mappings from " +
			"the cluster, and nodes that rely on them go NotReady. Keep the node role entries from the cluster's aws-auth."
		switch {
		case m.Form == formTerraform && p.Doc.Output:
			msg = "After this plan, aws-auth maps no node role: applying it removes the node role mappings from the " +
				"cluster, and nodes that rely on them go NotReady. Add the node roles' entries to the mapRoles that Terraform writes."
		case m.Form == formTerraform:
			msg = "The aws-auth ConfigMap this Terraform writes maps no node role. Applied, it removes the node role " +
				"mappings from the cluster, and nodes that rely on them go NotReady. Add the node roles' entries to its mapRoles."
		case analysis.Lookup(m.Root, "metadata", "resourceVersion") != nil || analysis.Lookup(m.Root, "metadata", "creationTimestamp") != nil:
			msg = "The cluster's aws-auth maps no node role, so self-managed nodes (and managed node groups while the " +
				"cluster is in CONFIG_MAP mode) cannot authenticate. If the cluster has such nodes, map their role again " +
				"or give it an EC2_LINUX access entry."
		}
		p.Reportf(start, end, nil, "%s", msg)
		p.SuggestCommand("Compare with the node role entries in the cluster before applying",
			"kubectl get configmap aws-auth -n kube-system -o yaml\naws eks list-access-entries "+clusterRef(p).flags("--cluster-name"), "")
	},
}
