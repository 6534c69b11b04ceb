package fixes

// All lists every rule, sorted by ID. It is the one registry: the engine
// runs it, rules() exports it and the site renders its docs from it.
var All = []*Rule{
	authRolePath,
	authSystemMasters,
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
	errKubeletAuthzError,
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
