package fixes

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/eksdoctor/eksdoctor/analysis"
)

// The aws-iam-authenticator's log lines (CloudWatch stream authenticator-*).

var sigTokenExpired = newSignature([]string{"X-Amz-Date parameter is expired", "re-listing nodes"},
	[]string{`X-Amz-Date parameter is expired \((?P<minutes>\d+) minute expiration\)(?: (?P<date>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d))?`,
		`(?P<eksctl>re-listing nodes): Unauthorized`},
	[]string{`level=warning msg="access denied" error="input token was not properly formatted: X-Amz-Date parameter is expired (15 minute expiration) 2024-06-18 14:02:11 +0000 UTC"`,
		"Error: re-listing nodes: Unauthorized"},
	[]string{`level=warning msg="access denied" error="identity is not mapped"`, "Error: listing nodes: Unauthorized"})

var errTokenExpired = &analysis.Rule{
	ID:       "ERR018",
	Title:    "the EKS token was older than 15 minutes",
	Severity: analysis.High,
	Kinds:    errorTextKinds,
	Doc: "An EKS bearer token is a presigned sts:GetCallerIdentity request, and the authenticator refuses it 15 minutes after it was " +
		"signed, whatever expiry the client believed. A credential plugin (aws eks get-token) makes a fresh one for every kubectl run; " +
		"a token pasted into a kubeconfig, a CI variable, or Terraform's aws_eks_cluster_auth data source in a long apply goes stale. " +
		"Use an exec credential plugin instead: aws eks update-kubeconfig writes one, and Terraform's kubernetes and helm providers take " +
		"an exec block running aws eks get-token. eksctl before 0.116.0 kept one token for a whole command, so waiting 15 minutes for nodes " +
		"ended in \"re-listing nodes: Unauthorized\".",
	Refs: []string{authenticatorToken, "https://github.com/eksctl-io/eksctl/pull/5772", "https://repost.aws/knowledge-center/eks-troubleshoot-rbac-errors",
		"https://registry.terraform.io/providers/hashicorp/kubernetes/latest/docs#exec-plugins"},
	Run: symptom(sigTokenExpired, func(p *analysis.Pass, ms []errMatch) {
		if ms[0].group("eksctl") != "" {
			p.Reportf(ms[0].Start, ms[0].End, nil, "eksctl listed the nodes, then was refused listing them again: the one token it made "+
				"at the start expired after 15 minutes while it waited for nodes to join. eksctl 0.116.0 and later refresh the token; "+
				"upgrade eksctl (nodes that take 15 minutes or more to join, such as a long preBootstrapCommands, trigger it).")
			return
		}
		var c causes
		weighKubeconfigToken(p, &c)
		c.add("token", common, "a token stored instead of generated: a kubeconfig token, a CI variable or Terraform's aws_eks_cluster_auth in a long apply")
		c.add("clock", rare, "the clock of the machine that made the token is wrong")
		p.Report(analysis.Finding{Start: ms[0].Start, End: ms[0].End, Message: fmt.Sprintf("The authenticator refused a token signed more than %s minutes earlier%s. %s", firstNonEmpty(ms[0].group("minutes"), "15"), times(ms), c.String()), Causes: c.evidence()})
		p.SuggestCommand("Generate tokens on demand", "aws eks update-kubeconfig "+clusterRef(p).flags("--name"),
			"Writes an exec plugin that makes a fresh token for every call; in Terraform, give the kubernetes and helm providers an exec block "+
				"with command \"aws\" and args [\"eks\", \"get-token\", \"--cluster-name\", NAME].")
	}),
}

var sigNotMapped = newSignature([]string{"is not mapped"},
	[]string{`(?:ARN|[Ii]dentity) is not mapped`},
	[]string{`time="2024-06-18T14:12:44Z" level=warning msg="access denied" arn="arn:aws:iam::111122223333:role/developer" error="identity is not mapped" method=POST path=/authenticate`,
		`level=warning msg="access denied" arn="arn:aws:iam::111122223333:role/admin" error="ARN is not mapped"`},
	[]string{`level=info msg="access granted" arn="arn:aws:iam::111122223333:role/admin"`})

var logARN = regexp.MustCompile(`arn=\\?"(arn:[^"\\\s]+)|is not mapped: (arn:\S+)`)

var errNotMapped = &analysis.Rule{
	ID:       "ERR019",
	Title:    "the authenticator found no mapping for the principal",
	Severity: analysis.High,
	Kinds:    errorTextKinds,
	Doc: "The authenticator verified the token, turned the caller's ARN into its canonical form (an assumed-role session becomes " +
		"arn:aws:iam::ACCOUNT:role/NAME, without path) and found it neither in aws-auth nor in an access entry, so the request is " +
		"Unauthorized. The log says \"ARN is not mapped\" (up to v0.6.13), \"Identity is not mapped\" or \"identity is not mapped\" " +
		"(v0.7.7 and later). Compare the arn= field with aws-auth case-insensitively; a rolearn written with a path never matches. " +
		"Add the entry (or an access entry); when the aws-auth is pasted, the fix adds it.",
	Refs: []string{authenticatorServer, eksUnauthorized, authConfigMapDoc, controlPlaneLogsDoc},
	Run: symptom(sigNotMapped, func(p *analysis.Pass, ms []errMatch) {
		seen := map[string]bool{}
		for _, m := range ms {
			arn := ""
			if sub := logARN.FindStringSubmatch(m.line.Text); sub != nil {
				arn = firstNonEmpty(sub[1], sub[2])
			}
			canonical, ok := analysis.Canonical(arn)
			if !ok {
				if !seen[""] {
					seen[""] = true
					p.Reportf(m.Start, m.End, nil, "The authenticator found no aws-auth entry or access entry for the caller. "+
						"The arn= field of the same log line names the principal to add.")
				}
				continue
			}
			if seen[strings.ToLower(canonical)] {
				continue
			}
			seen[strings.ToLower(canonical)] = true
			who := principal{caller: caller{ARN: arn, Canonical: canonical}, node: instanceSessionARN.MatchString(arn)}
			var c causes
			fix := weighMapping(p, &c, who)
			if what, _, ok := mappedIdentity(p, canonical); ok && strings.HasPrefix(what, "aws-auth") {
				c.show("stale", shownLikely, "the pasted aws-auth maps it but the cluster's does not: the paste is not the live ConfigMap "+
					"(not applied, edited since, or another cluster's), or the live one fails to parse")
			}
			if sigConfigMapParse.occurs(p) {
				c.show("yaml", shownLikely, "the same log shows the authenticator failing to parse aws-auth: the entry may sit in the section it dropped (rule ERR020)")
			}
			weighBrokenAWSAuth(p, &c)
			c.add("mapping", common+5, "there is no aws-auth entry or access entry for it yet")
			c.add("mapping", common, "its aws-auth rolearn has an IAM path, or is an assumed-role (sts) ARN, so it never matches")
			lead := "The authenticator verified the token of " + canonical + " but found no mapping for it. "
			if who.node {
				lead = "The node role " + canonical + " is not mapped: nodes with this role cannot join or stay Ready. "
			} else {
				c.add("profile", rare, "the person or program used another role than the one that was mapped (check its profile)")
			}
			p.Report(analysis.Finding{Start: m.Start, End: m.End, Fix: fix, Message: lead + c.String(), Causes: c.evidence()})
			if !mappingsPasted(p) {
				entry := humanMapping(canonical)
				if who.node {
					entry = nodeMapping(canonical)
				}
				suggestIdentityMapping(p, entry)
			}
		}
		suggestAccessConfig(p)
	}, sigTokenExpired),
}

var sigConfigMapParse = newSignature([]string{"Errors parsing configmap", "error parsing the config maps"},
	[]string{`Errors parsing configmap: \[(?P<errors>[^\n]*)\]`, `There was an error parsing the config maps`},
	[]string{`level=warning msg="Errors parsing configmap: [yaml: line 13: did not find expected key]"`},
	[]string{`level=warning msg="access denied"`})

var errConfigMapParse = &analysis.Rule{
	ID:       "ERR020",
	Title:    "the authenticator could not parse aws-auth",
	Severity: analysis.Critical,
	Kinds:    errorTextKinds,
	Doc: "When a mapRoles or mapUsers value of aws-auth is not valid YAML, the authenticator drops that whole section and keeps only " +
		"the sections that parsed: one indentation slip in mapRoles unmaps every role, the node roles included, so nodes go NotReady " +
		"and people get Unauthorized. The log names the YAML error and its line within the section. Fix the YAML (newer clusters " +
		"reject such edits with a validating webhook; older ones accept them), and prefer eksctl create iamidentitymapping or access " +
		"entries to hand edits.",
	Refs: []string{authenticatorConfigMap, authenticatorPR607, authConfigMapDoc},
	Run: symptom(sigConfigMapParse, func(p *analysis.Pass, ms []errMatch) {
		msg := "The authenticator could not parse aws-auth (" + firstNonEmpty(ms[0].group("errors"), "see the log line") +
			"): it dropped every entry of the broken section, node roles included, so nodes and people mapped there are refused."
		if s, ok := brokenSection(p); ok {
			msg += " The pasted aws-auth's " + s.Name + " does not parse either"
			if s.Err.Line > 0 {
				line, _ := p.Src.Position(s.Text.LineOffset(s.Err.Line, 1))
				msg += ", at line " + strconv.Itoa(line) + " of the paste"
			}
			if !strings.Contains(ms[0].line.Text, s.Err.Msg) {
				msg += " (" + s.Err.Msg + ")"
			}
			msg += "."
		} else {
			suggestAWSAuth(p)
		}
		p.Reportf(ms[0].Start, ms[0].End, nil, "%s", msg)
	}),
}

var sigSessionName = newSignature([]string{"SessionName did not contain an instance id"},
	[]string{`SessionName did not contain an instance id`},
	[]string{`level=warning msg="access denied" arn="arn:aws:sts::111122223333:assumed-role/ci/build-42" error="SessionName did not contain an instance id"`},
	[]string{"identity is not mapped"})

var errSessionName = &analysis.Rule{
	ID:       "ERR021",
	Title:    "a non-EC2 principal is mapped as a node",
	Severity: analysis.High,
	Kinds:    errorTextKinds,
	Doc: "The aws-auth entry that matched the caller has username system:node:{{EC2PrivateDNSName}}, which the authenticator can only " +
		"fill in for an EC2 instance's role session (session name i-…). The caller is something else: a person or CI job using the node " +
		"role, a role wrongly mapped as a node, or a Fargate or hybrid node role, which needs system:node:{{SessionName}}. Give people " +
		"and programs their own role and mapping; never let them assume the node role.",
	Refs: []string{authenticatorServer, authConfigMapDoc},
	Run: symptom(sigSessionName, func(p *analysis.Pass, ms []errMatch) {
		msg := "The caller matched an aws-auth entry whose username uses {{EC2PrivateDNSName}}, but it is not an EC2 instance's session, " +
			"so the authenticator refuses it."
		if sub := logARN.FindStringSubmatch(ms[0].line.Text); sub != nil {
			arn := firstNonEmpty(sub[1], sub[2])
			msg += " The caller is " + arn + "."
			if strings.Contains(strings.ToLower(arn), "fargate") || strings.Contains(strings.ToLower(arn), "podexecution") {
				msg += " For a Fargate pod execution role the username must be system:node:{{SessionName}}."
			}
		}
		p.Reportf(ms[0].Start, ms[0].End, nil, "%s Map people and programs with their own role and username; keep the node role for nodes.", msg)
	}),
}
