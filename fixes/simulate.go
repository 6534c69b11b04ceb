package fixes

// SimulateTrust evaluates a request against the trust policy in the input:
// the one of the requested role when several are pasted with their ARNs,
// else the first.
func SimulateTrust(in *Input, req TrustRequest) TrustDecision {
	p := &Pass{Input: in}
	var chosen *Policy
	for _, pol := range trustPolicies(p) {
		if chosen == nil || req.RoleARN != "" && roleARNOf(pol) == req.RoleARN {
			chosen = pol
		}
	}
	if chosen == nil {
		return TrustDecision{Decision: "error", Statements: []StatementTrace{},
			Error: "No trust policy found: paste the role's trust policy (aws iam get-role output or the policy JSON)."}
	}
	return EvaluateTrust(in.Src, chosen, req)
}

// TrustRequestFrom derives the request a pod would make from what is
// pasted: the ServiceAccount (its subject, audience and role annotation)
// and the provider of a CloudTrail event or of the trust policy; for a
// role that trusts only Pod Identity, the session tags of the
// ServiceAccount. Without a ServiceAccount, a CloudTrail
// AssumeRoleWithWebIdentity event gives the request. ok is false when
// nothing pasted says who asks.
func TrustRequestFrom(in *Input) (req TrustRequest, ok bool) {
	p := &Pass{Input: in}
	events := webIdentityEvents(p)
	trusts := trustPolicies(p)
	sas := serviceAccounts(p)
	if len(sas) == 0 {
		if len(events) == 0 {
			return TrustRequest{}, false
		}
		e := events[0]
		return TrustRequest{Provider: e.Provider, Subject: e.Subject, Audience: e.Audience, RoleARN: e.RoleARN}, true
	}
	sa := sas[0]
	for _, s := range sas {
		if s.RoleARN != nil {
			sa = s
			break
		}
	}
	if sa.RoleARN != nil {
		req.RoleARN = sa.RoleARN.Value
	}
	pols, _ := forRole(trusts, req.RoleARN)
	for _, pol := range pols {
		if len(podStatements(pol)) > 0 && len(irsaStatements(pol)) == 0 {
			ns := sa.Namespace
			if ns == "" {
				ns = "default"
			}
			req.SessionTags = map[string]string{"kubernetes-namespace": ns, "kubernetes-service-account": sa.Name}
			return req, true
		}
		if reqs := saRequests(pol, sa); req.Provider == "" && len(reqs) > 0 {
			req.Provider, req.Subject, req.Audience = reqs[0].Provider, reqs[0].Subject, reqs[0].Audience
		}
	}
	if len(events) > 0 {
		req.Provider = events[0].Provider
	}
	if req.Subject == "" {
		req.Subject, req.Audience = sa.Subject("default"), sa.Audience
	}
	return req, true
}
