package fixes

// All lists every rule, sorted by ID. It is the one registry: the engine
// runs it, rules() exports it and the site renders its docs from it.
var All = []*Rule{
	aeSystemGroup,
	aeReservedUsername,
	aeSessionNameColon,
	aeEntryType,
	aeClusterAdmin,
	aeAuthMode,
	aeModeChange,
	aePrincipal,
	aePolicy,
	aeDuplicate,
	authRolePath,
	authSystemMasters,
	authUnparsable,
	authListNotString,
	authSectionKey,
	authEntryKey,
	authValueType,
	authMergedGroups,
	authUnmatchableARN,
	authPlaceholder,
	authWrongSection,
	authTemplate,
	authEC2DNSName,
	authNodeMapping,
	authNoNodeRole,
	authMapAccounts,
	authGroupTypo,
	authDuplicate,
	authSSOMatcher,
	authGroupBinding,
	authMigration,
	iamMalformedJSON,
	iamAdmin,
	iamServiceWildcard,
	iamPassRole,
	iamNotElements,
	iamEscalation,
	iamCredentials,
	iamNodeRolePermissions,
	iamNodeRoleMissing,
	iamWildcardEquals,
	iamShadowedKey,
	iamUnknownOperator,
	irsaProviderARN,
	irsaAction,
	irsaKeyProvider,
	irsaKeyForm,
	irsaNoSubject,
	irsaNoAudience,
	irsaSubjectForm,
	irsaAudience,
	irsaAudienceHoldsSubject,
	irsaWideSubject,
	irsaUnknownClaim,
	irsaFailsOpen,
	irsaServiceAccountTrust,
	irsaAnnotation,
	irsaWorkloadServiceAccount,
	irsaCloudTrailReplay,
	podIDActions,
	podIDWrongMechanism,
	podIDTagConditions,
	podIDUnscoped,
	podIDServiceAccountTags,
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
