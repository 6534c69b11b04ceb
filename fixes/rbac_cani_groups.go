package fixes

import "slices"

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
