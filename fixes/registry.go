package fixes

// All lists every rule, sorted by ID. It is the one registry: the engine
// runs it, rules() exports it and the site renders its docs from it.
var All = []*Rule{
	authRolePath,
	authSystemMasters,
	rbacDenied,
	rbacNearMiss,
	rbacKubeletDenied,
	rbacMissingRoleDenial,
	rbacEscalationDenied,
	rbacMissingRole,
	rbacSubjectNeverMatches,
	rbacUnknownVerb,
	rbacNodesProxy,
	rbacEscalation,
	rbacPodAccess,
	rbacSecretsRead,
	rbacTokenRequest,
	rbacWebhooks,
	rbacCSRApproval,
	rbacWildcard,
	rbacBroadBinding,
	rbacAWSAuthWrite,
}

// RuleByID returns the rule with the given ID, or nil.
func RuleByID(id string) *Rule {
	for _, r := range All {
		if r.ID == id {
			return r
		}
	}
	return nil
}
