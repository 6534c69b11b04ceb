package fixes

import (
	"regexp"
	"strings"

	yaml "go.yaml.in/yaml/v3"
)

// The aws-auth family reads the identity mappings of the aws-auth
// ConfigMap (YAML or JSON, the block-scalar form and the list form of the
// authenticator's own config) into one model, shared by its rules.

// authMapping is one entry of mapRoles or mapUsers.
type authMapping struct {
	// Section is "mapRoles" or "mapUsers".
	Section  string
	Node     *yaml.Node
	ARN      *Scalar
	Username *Scalar
	Groups   []Scalar
}

// authModel is what an aws-auth document maps.
type authModel struct {
	Mappings []authMapping
}

// authSections are the keys the authenticator reads, case-sensitive.
var authSections = []string{"mapRoles", "mapUsers"}

// authOf returns the model of an aws-auth document, built once and shared
// by every rule, cross-document ones included.
func authOf(p *Pass, doc *Document) authModel {
	return Memo(doc, "aws-auth", func() authModel {
		var m authModel
		root := p.NodeOf(doc)
		for _, container := range []*yaml.Node{Lookup(root, "data"), root, Lookup(root, "server")} {
			for _, key := range authSections {
				_, v := MapEntry(container, key)
				if v != nil {
					m.Mappings = append(m.Mappings, sectionMappings(p.Src, key, v)...)
				}
			}
		}
		return m
	})
}

// sectionMappings reads the entries of one section, whether its value is
// the usual string of embedded YAML or a YAML list.
func sectionMappings(src *Source, key string, v *yaml.Node) []authMapping {
	var at textMap = wholeText{src}
	list := v
	if v.Kind == yaml.ScalarNode {
		e, ok := src.EmbeddedScalar(v)
		if !ok {
			return nil
		}
		var root yaml.Node
		if yaml.Unmarshal([]byte(e.Value), &root) != nil {
			return nil
		}
		at, list = e, Resolve(&root)
	}
	if list == nil || list.Kind != yaml.SequenceNode {
		return nil
	}
	var out []authMapping
	for _, item := range list.Content {
		if item = Resolve(item); item.Kind == yaml.MappingNode {
			out = append(out, readMapping(at, key, item))
		}
	}
	return out
}

// readMapping reads one entry. Keys match case-insensitively, as the
// authenticator's JSON decoding does.
func readMapping(at textMap, section string, n *yaml.Node) authMapping {
	m := authMapping{Section: section, Node: n}
	for i := 0; i+1 < len(n.Content); i += 2 {
		key, v := n.Content[i].Value, Resolve(n.Content[i+1])
		switch {
		case v == nil:
		case v.Kind == yaml.ScalarNode && (strings.EqualFold(key, "rolearn") || strings.EqualFold(key, "userarn")):
			s := locate(at, v)
			m.ARN = &s
		case v.Kind == yaml.ScalarNode && strings.EqualFold(key, "username"):
			s := locate(at, v)
			m.Username = &s
		case v.Kind == yaml.SequenceNode && strings.EqualFold(key, "groups"):
			for _, g := range v.Content {
				if g = Resolve(g); g.Kind == yaml.ScalarNode {
					m.Groups = append(m.Groups, locate(at, g))
				}
			}
		}
	}
	return m
}

const (
	authConfigMapDoc = "https://docs.aws.amazon.com/eks/latest/userguide/auth-configmap.html"
	authenticatorARN = "https://github.com/kubernetes-sigs/aws-iam-authenticator/blob/master/pkg/arn/arn.go"
	rbacGoodPractice = "https://kubernetes.io/docs/concepts/security/rbac-good-practices/"
	accessEntriesDoc = "https://docs.aws.amazon.com/eks/latest/userguide/access-entries.html"
)

var authRolePath = &Rule{
	ID:       "AUTH001",
	Title:    "role ARN with an IAM path never matches",
	Severity: High,
	Kinds:    []Kind{KindAWSAuth},
	Doc: "The authenticator compares the caller's ARN from sts:GetCallerIdentity with each rolearn. " +
		"For a role that ARN is built from the assumed-role session, which carries only the role's name, never its path, " +
		"so an entry written as role/my-team/my-role or role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_… never matches " +
		"and the person gets Unauthorized. Write the ARN without the path: arn:aws:iam::ACCOUNT:role/NAME. " +
		"EKS access entries, unlike aws-auth, accept the full ARN with its path.",
	Refs: []string{authConfigMapDoc, authenticatorARN,
		"https://github.com/kubernetes-sigs/aws-iam-authenticator/issues/268"},
	Run: func(p *Pass) {
		for _, m := range authOf(p, p.Doc).Mappings {
			if m.ARN == nil {
				continue
			}
			arn, ok := ParseARN(m.ARN.Value)
			if !ok || arn.Service != "iam" || arn.ResourceType() != "role" || arn.Path() == "/" ||
				strings.HasPrefix(arn.Path(), "/aws-service-role/") {
				continue
			}
			stripped := arn
			stripped.Resource = "role/" + arn.Name()
			what := "the IAM path " + arn.Path()
			if strings.HasPrefix(arn.Path(), "/aws-reserved/sso.amazonaws.com/") {
				what = "the IAM Identity Center path " + arn.Path()
			}
			p.Reportf(m.ARN.Start, m.ARN.End,
				&Fix{Summary: "Remove the path from the role ARN", Edits: []Edit{m.ARN.Replace(stripped.String())}},
				"%s includes %s; the authenticator matches roles by name only, so this entry never matches anyone. Use %s.",
				m.ARN.Value, what, stripped)
		}
	},
}

// breakGlass matches the names of emergency-access principals, the one
// acceptable use of system:masters.
var breakGlass = regexp.MustCompile(`(?i)break[-_.]?glass|emergency`)

// adminName matches principals named for administrators.
var adminName = regexp.MustCompile(`(?i)admin`)

var authSystemMasters = &Rule{
	ID:       "AUTH002",
	Title:    "principal mapped to system:masters",
	Severity: High,
	Kinds:    []Kind{KindAWSAuth},
	Doc: "Members of system:masters bypass every RBAC check, and no binding can take that away: the only way to revoke " +
		"it is to edit aws-auth again. Mapping developers, CI or read-only roles there gives them full control of the cluster. " +
		"Map the principal to its own group instead and grant that group what it needs with a RoleBinding or ClusterRoleBinding " +
		"(the built-in view or edit ClusterRoles, or cluster-admin for real administrators), creating the binding before you " +
		"change the mapping. Keep system:masters for a break-glass role only. With access entries, use the " +
		"AmazonEKSClusterAdminPolicy association instead.",
	Refs: []string{rbacGoodPractice, authConfigMapDoc,
		"https://docs.aws.amazon.com/eks/latest/best-practices/identity-and-access-management.html", accessEntriesDoc},
	Run: func(p *Pass) {
		for _, m := range authOf(p, p.Doc).Mappings {
			if m.ARN == nil || breakGlass.MatchString(m.ARN.Value) {
				continue
			}
			for _, g := range m.Groups {
				if g.Value != "system:masters" {
					continue
				}
				group := ownGroup(m)
				fix := &Fix{Summary: "Map to the group " + group + " instead of system:masters", Edits: []Edit{g.Replace(group)}}
				if adminName.MatchString(m.ARN.Value) {
					p.Report(Finding{Severity: Medium, Start: g.Start, End: g.End, Fix: fix, Message: m.ARN.Value +
						" is mapped to system:masters, which no RBAC binding can revoke. Even for administrators, prefer a group bound to cluster-admin."})
					p.SuggestCommand("Bind "+group+" to cluster-admin before changing the mapping",
						"kubectl create clusterrolebinding "+group+"-cluster-admin --clusterrole=cluster-admin --group="+group,
						"Create the binding first, so the administrators keep access when the mapping changes.")
					continue
				}
				p.Report(Finding{Start: g.Start, End: g.End, Fix: fix, Message: m.ARN.Value +
					" is mapped to system:masters: full, unrevocable control of the cluster. Map it to its own group and bind only what it needs."})
				p.SuggestCommand("Grant "+group+" only what it needs",
					"kubectl create rolebinding "+group+"-edit --clusterrole=edit --group="+group+" --namespace=NAMESPACE",
					"Binds the built-in edit ClusterRole in one namespace; use --clusterrole=view for read-only access.")
			}
		}
	},
}

// ownGroup names the group a principal gets instead of system:masters:
// its username when that is a plain name, else its permission set (for an
// IAM Identity Center role) or role or user name, in the characters group
// names conventionally use.
func ownGroup(m authMapping) string {
	name := m.ARN.Value
	if arn, ok := ParseARN(name); ok {
		name = arn.Name()
		if set := ssoPermissionSet.FindStringSubmatch(name); set != nil {
			name = set[1]
		}
	}
	if m.Username != nil && plainName.MatchString(m.Username.Value) {
		name = m.Username.Value
	}
	name = strings.Trim(nonGroupChars.ReplaceAllString(strings.ToLower(name), "-"), "-")
	if name == "" {
		return "eks-users"
	}
	return name
}

var (
	nonGroupChars    = regexp.MustCompile(`[^a-z0-9]+`)
	plainName        = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9._-]*$`)
	ssoPermissionSet = regexp.MustCompile(`^AWSReservedSSO_(.+)_[0-9a-f]{16}$`)
)
