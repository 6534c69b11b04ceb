package fixes

import (
	"strings"

	"github.com/eksdoctor/eksdoctor/analysis"
)

// mappedIdentity looks up, in the pasted aws-auth documents and access
// entries, the mapping EKS would use for a caller whose canonical ARN (see
// Canonical) is canonicalARN. It follows EKS: an access entry for the
// principal comes first (its ARN may carry a role path), then aws-auth
// mapRoles, then mapUsers (ARNs compared without regard to case, only
// entries in force), then mapAccounts. A pasted current authentication
// mode of API skips aws-auth, CONFIG_MAP skips access entries. who says
// what the caller is mapped to, where is the offset of the matching value
// in the text; ok is false when nothing pasted maps the caller.
func mappedIdentity(p *analysis.Pass, canonicalARN string) (who string, where int, ok bool) {
	mode := ""
	for _, doc := range p.OfKind(accessEntryKinds...) {
		if c := accessModelOf(p, doc).Config; c != nil && !c.Desired && c.Mode != nil {
			mode = c.Mode.Value
		}
	}
	id := principalID(canonicalARN)
	if mode != "CONFIG_MAP" {
		for _, doc := range p.OfKind(accessEntryKinds...) {
			for _, e := range accessModelOf(p, doc).Entries {
				if e.PrincipalARN != nil && principalID(e.PrincipalARN.Value) == id {
					return describeAccessEntry(e), e.PrincipalARN.Start, true
				}
			}
		}
	}
	if mode == "API" {
		return "", 0, false
	}
	docs := authDocs(p)
	for _, roles := range []bool{true, false} {
		for _, doc := range docs {
			for _, m := range authOf(p, doc).Mappings {
				if m.ARN != nil && m.isRole() == roles && m.ShadowedBy < 0 && m.Entry.Drop == "" &&
					authUsable(p, doc, m) && strings.EqualFold(m.Entry.ARN, canonicalARN) {
					return "aws-auth " + sectionOf(m) + ": " + describeEntry(m.Entry), m.ARN.Start, true
				}
			}
		}
	}
	a, _ := analysis.ParseARN(canonicalARN)
	for _, doc := range docs {
		for _, acct := range authOf(p, doc).Accounts {
			if acct.Value == a.Account {
				return "aws-auth mapAccounts: username " + canonicalARN + " with no groups", acct.Start, true
			}
		}
	}
	return "", 0, false
}

// authUsable reports whether the authenticator reads the entry: its
// section is read and parses as written.
func authUsable(p *analysis.Pass, doc *analysis.Document, m authMapping) bool {
	s := authOf(p, doc).Sections[m.sec]
	return s.Unread == "" && s.Err == nil
}

// sectionOf names the section an entry is read from.
func sectionOf(m authMapping) string {
	if m.Section != "iamIdentityMappings" {
		return m.Section
	}
	return "iamIdentityMappings (eksctl)"
}

// describeAccessEntry says what an access entry grants, for messages.
func describeAccessEntry(e accessEntry) string {
	out := "access entry (" + e.entryType() + ")"
	var parts []string
	if e.Username != nil {
		parts = append(parts, "username "+e.Username.Value)
	}
	if len(e.Groups) > 0 {
		var groups []string
		for _, g := range e.Groups {
			groups = append(groups, g.Value)
		}
		parts = append(parts, "groups "+strings.Join(groups, ", "))
	}
	for _, pol := range e.Policies {
		if pol.PolicyARN == nil {
			continue
		}
		name := pol.PolicyARN.Value[strings.LastIndex(pol.PolicyARN.Value, "/")+1:]
		if pol.ScopeType != nil && pol.ScopeType.Value == "namespace" {
			var ns []string
			for _, n := range pol.Namespaces {
				ns = append(ns, n.Value)
			}
			name += " in " + strings.Join(ns, ", ")
		} else if pol.ScopeType != nil {
			name += " (" + pol.ScopeType.Value + ")"
		}
		parts = append(parts, "policy "+name)
	}
	if len(parts) == 0 {
		return out
	}
	return out + ": " + strings.Join(parts, "; ")
}
