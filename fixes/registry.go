package fixes

import (
	"slices"

	"github.com/eksdoctor/eksdoctor/analysis"
)

// All lists every rule, sorted by ID. It is the one registry: the engine
// runs it, rules() exports it and the site renders its docs from it.
var All = []*analysis.Rule{
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
	errUnauthorized,
	errDiscovery,
	errUnreachable,
	errX509Name,
	errX509Authority,
	errLocalhost,
	errReadable,
	errAnonymous,
	errPluginAPIVersion,
	errPluginSkew,
	errPluginNotFound,
	errPluginFailed,
	errClusterNotFound,
	errDescribeDenied,
	errConsoleNoAccess,
	errRoleNotAssumable,
	errNoSuchEntity,
	errTokenExpired,
	errNotMapped,
	errConfigMapParse,
	errSessionName,
	errSystemGroup,
	errReservedUsername,
	errModeRequired,
	errModeOneStep,
	errBootstrapCreator,
	errEntryExists,
	errAWSAuthMissing,
	errNoOIDCProvider,
	errAudience,
	errThumbprint,
	errWebIdentityDenied,
	errWebIdentityErr,
	errExpiredToken,
	errRequestARN,
	errNodeFallback,
	errPodIdentityTrust,
	errPodIdentityAgent,
	errNoCredentials,
	errInvalidToken,
	errDenied,
	errKubeletUnauthorized,
	errNodegroupDenied,
	errNotReady,
	errEksctlAccessEntry,
	errPrincipalRefused,
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
	kcfgAPIVersion,
	kcfgPluginArgs,
	kcfgClusterName,
	kcfgRegion,
	kcfgRoleARN,
	kcfgDangling,
	kcfgStaticToken,
	kcfgInsecure,
	kcfgEmbeddedSecret,
	kcfgPlaceholder,
	kcfgUnparsable,
	podIDActions,
	podIDWrongMechanism,
	podIDTagConditions,
	podIDUnscoped,
	podIDServiceAccountTags,
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
	tfNodeRolePolicies,
	tfNodeRoleCNI,
	tfNodeRoleDangerous,
	tfLaunchTemplateIMDSv1,
	tfLaunchTemplateHops,
	tfClusterAuthMode,
	tfClusterCreatorAdmin,
	tfClusterPublicEndpoint,
	tfClusterEncryption,
	tfClusterLogs,
	tfOpenIngress,
	tfPodIdentityTrust,
	tfIRSAModuleSubjects,
}

// RuleByID returns the rule with the given ID, or nil.
func RuleByID(id string) *analysis.Rule {
	for _, r := range All {
		if r.ID == id {
			return r
		}
	}
	return nil
}

// LeftOut returns the kinds read by the rules this build leaves out (nil
// Run), sorted: documents of these kinds are not fully analysed here. It
// is empty in the normal build and [KindTerraform] under the noterraform
// build tag.
func LeftOut() []analysis.Kind {
	var kinds []analysis.Kind
	for _, r := range All {
		if r.Run == nil {
			kinds = append(kinds, r.Kinds...)
		}
	}
	slices.Sort(kinds)
	return slices.Compact(kinds)
}
