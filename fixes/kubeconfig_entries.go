package fixes

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	yaml "go.yaml.in/yaml/v3"

	"github.com/eksdoctor/eksdoctor/analysis"
)

// The kubeconfig rules about its entries: references that resolve,
// credentials it should not hold, values left unfilled, YAML that parses.

var kcfgDangling = &analysis.Rule{
	ID:       "KCFG006",
	Title:    "context names a user or cluster that is not defined",
	Severity: analysis.High,
	Kinds:    []analysis.Kind{analysis.KindKubeconfig},
	Doc: "Every context names a cluster entry and a user entry by name, and current-context names a context. A name that matches " +
		"no entry makes kubectl fail (\"context was not found\", \"user … was not found\") or, for a missing cluster, fall back to " +
		"localhost:8080; entries without a name can never be referenced. When exactly one entry lacks its name and exactly one " +
		"reference dangles, the fix gives the entry that name. A kubeconfig whose names were masked before pasting is not " +
		"checked: masking by hand often changes one occurrence of a name and not another.",
	Refs: []string{kubeconfigAPI, kubeconfigConceptDoc},
	Run: func(p *analysis.Pass) {
		kc := kubeconfigOf(p, p.Doc)
		if kc == nil || kc.masksNames() {
			return // names masked by hand may differ where the real ones agree
		}
		if kc.Current != nil && kc.Current.Value != "" && kc.current() == nil {
			p.Reportf(kc.Current.Start, kc.Current.End, nil, "current-context is %s, but no context has that name.", kc.Current.Value)
		}
		var unnamedUsers, unnamedClusters []*yaml.Node
		for _, u := range kc.Users {
			if u.Name == nil {
				unnamedUsers = append(unnamedUsers, u.Item)
			}
		}
		for _, c := range kc.Clusters {
			if c.Name == nil {
				unnamedClusters = append(unnamedClusters, c.Item)
			}
		}
		reportDangling(p, kc, "user", func(c kcContext) *analysis.Scalar { return c.User },
			func(name string) bool { return kc.user(name) != nil }, unnamedUsers)
		reportDangling(p, kc, "cluster", func(c kcContext) *analysis.Scalar { return c.Cluster },
			func(name string) bool { return kc.cluster(name) != nil }, unnamedClusters)
	},
}

// reportDangling reports contexts whose reference names no entry, and
// names the one unnamed entry after the one dangling reference.
func reportDangling(p *analysis.Pass, kc *kubeconfig, what string, ref func(kcContext) *analysis.Scalar, defined func(string) bool, unnamed []*yaml.Node) {
	var dangling []*analysis.Scalar
	for _, c := range kc.Contexts {
		if r := ref(c); r != nil && !defined(r.Value) {
			dangling = append(dangling, r)
		}
	}
	names := map[string]bool{}
	for _, r := range dangling {
		names[r.Value] = true
	}
	for _, r := range dangling {
		var fix *analysis.Fix
		msg := "A context uses " + what + " " + r.Value + ", which is not defined"
		if len(names) == 1 && len(unnamed) == 1 {
			fix = insertKey(p, unnamed[0], "name", r.Value)
			if fix != nil {
				fix.Summary = "Name the unnamed " + what + " entry " + r.Value
			}
			msg += "; the only " + what + " entry has no name, so it is probably this one"
		}
		p.Reportf(r.Start, r.End, fix, "%s.", msg)
	}
}

var kcfgStaticToken = &analysis.Rule{
	ID:       "KCFG007",
	Title:    "static token in the kubeconfig",
	Severity: analysis.Medium,
	Kinds:    []analysis.Kind{analysis.KindKubeconfig},
	Doc: "A token written into a kubeconfig is a credential at rest: anyone who gets the file is that user. An EKS token " +
		"(k8s-aws-v1.…) also stops working 15 minutes after it was made, which is why kubeconfigs built from one work briefly then " +
		"give Unauthorized. Use an exec plugin that makes a fresh token per call (aws eks update-kubeconfig writes one). A long-lived " +
		"ServiceAccount token belongs only in a break-glass kubeconfig kept offline, and should be rotated after use. Both are " +
		"medium: the expired EKS token fails one person's kubectl, not the cluster.",
	Refs: []string{kubeconfigDoc, "https://kubernetes.io/docs/reference/access-authn-authz/authentication/#service-account-tokens", authenticatorToken},
	Run: func(p *analysis.Pass) {
		eachUser(p, func(u *kcUser) {
			switch t := u.Token; {
			case t == nil || t.Value == "":
			case strings.HasPrefix(t.Value, eksTokenPrefix):
				p.Report(analysis.Finding{Start: t.Start, End: t.End, Message: "User " + u.Name.Text() + " holds a static EKS " +
					"token, which stops working 15 minutes after it was made (then kubectl gets Unauthorized); use an exec plugin " +
					"running aws eks get-token."})
			default:
				p.Reportf(t.Start, t.End, nil, "User %s holds a static bearer token: anyone with this file has the access it grants, "+
					"and it does not expire by itself. Prefer an exec plugin with IAM; keep static tokens for offline break-glass kubeconfigs.", u.Name.Text())
			}
		})
	},
}

var kcfgInsecure = &analysis.Rule{
	ID:       "KCFG008",
	Title:    "insecure-skip-tls-verify turns TLS checks off",
	Severity: analysis.High,
	Kinds:    []analysis.Kind{analysis.KindKubeconfig},
	Doc: "insecure-skip-tls-verify: true makes kubectl accept any certificate, so whoever intercepts the connection receives the " +
		"token (or EKS-signed request) kubectl sends. EKS always provides the cluster's CA in certificate-authority-data; with both " +
		"set, kubectl refuses to run. Remove the flag (the fix does when the CA data is there) or regenerate the kubeconfig with aws eks " +
		"update-kubeconfig; for a TLS-intercepting proxy, exclude the endpoint from interception rather than skipping verification.",
	Refs: []string{kubeconfigAPI, kubeconfigDoc},
	Run: func(p *analysis.Pass) {
		kc := kubeconfigOf(p, p.Doc)
		if kc == nil {
			return
		}
		for _, c := range kc.Clusters {
			v := c.Insecure
			if v == nil || !strings.EqualFold(v.Value, "true") {
				continue
			}
			var fix *analysis.Fix
			msg := "Cluster " + c.Name.Text() + " skips TLS verification: anyone intercepting the connection gets the credentials kubectl sends."
			if c.CAData != nil {
				msg += " It also has certificate-authority-data, and kubectl refuses the two together."
				line := p.Src.LineOf(v.Start)
				if strings.HasPrefix(strings.TrimSpace(p.Src.Line(line)), "insecure-skip-tls-verify:") {
					fix = &analysis.Fix{Summary: "Remove insecure-skip-tls-verify", Edits: []analysis.Edit{analysis.Delete(p.Src.LineStart(line), p.Src.LineStart(line+1))}, Harden: true}
				}
			}
			p.Reportf(v.Start, v.End, fix, "%s", msg)
		}
	},
}

var kcfgEmbeddedSecret = &analysis.Rule{
	ID:       "KCFG009",
	Title:    "private key or password in the kubeconfig",
	Severity: analysis.Medium,
	Kinds:    []analysis.Kind{analysis.KindKubeconfig},
	Doc: "client-key-data is a private key and password a basic-auth password: whoever has the file is that user, and the report " +
		"shows them only redacted. EKS authenticates IAM principals, not client certificates or passwords (basic auth was removed " +
		"in Kubernetes 1.19), so such a user is for another cluster or a copied admin kubeconfig. Don't share the file, and rotate " +
		"the credential if it was shared.",
	Refs: []string{kubeconfigAPI, "https://kubernetes.io/docs/reference/access-authn-authz/authentication/"},
	Run: func(p *analysis.Pass) {
		eachUser(p, func(u *kcUser) {
			if k := u.ClientKey; k != nil && k.Value != "" {
				p.Reportf(k.Start, k.End, nil, "User %s embeds a client private key: whoever has this file is that user. EKS does not "+
					"use client certificates for IAM principals; keep the file private and rotate the key if it was shared.", u.Name.Text())
			}
			if pw := u.Password; pw != nil && pw.Value != "" {
				p.Reportf(pw.Start, pw.End, nil, "User %s stores a basic-auth password in clear; Kubernetes 1.19 removed basic "+
					"authentication, so it does not work either.", u.Name.Text())
			}
		})
	},
}

var kcfgPlaceholder = &analysis.Rule{
	ID:       "KCFG010",
	Title:    "template placeholder left in the kubeconfig",
	Severity: analysis.Medium,
	Kinds:    []analysis.Kind{analysis.KindKubeconfig},
	Doc: "Kubeconfig templates from documentation hold placeholders such as <endpoint-url>, <cluster-name> or <the endpoint of " +
		"your cluster> that must be replaced with the cluster's values before kubectl can use them. aws eks update-kubeconfig writes " +
		"the whole entry with the cluster's endpoint, CA and name, which is simpler and safer than filling a template by hand. " +
		"People also hide values this way before pasting: a placeholder that describes its value is reported as unfilled, a short " +
		"name in angle brackets or a template variable (${server}) is reported at low severity and worded for both readings, and a paste that masks values elsewhere " +
		"(XXXX, REDACTED, ***), or one whose only placeholders are the endpoint and the CA data, which people hide before " +
		"pasting, is not reported.",
	Refs: []string{kubeconfigDoc},
	Run: func(p *analysis.Pass) {
		kc := kubeconfigOf(p, p.Doc)
		if kc == nil {
			return
		}
		values := []*analysis.Scalar{}
		for _, c := range kc.Clusters {
			values = append(values, c.Server, c.CAData)
		}
		for _, u := range kc.Users {
			if u.Exec == nil {
				continue
			}
			for i := range u.Exec.Args {
				values = append(values, &u.Exec.Args[i])
			}
			for _, name := range slices.Sorted(maps.Keys(u.Exec.Env)) {
				values = append(values, u.Exec.Env[name])
			}
		}
		var found []*analysis.Scalar
		var names []string
		stock, endpointOnly := false, true
		for i, v := range values {
			if v == nil {
				continue
			}
			if known(v.Value) {
				continue
			}
			sev, _, ok := placeholderNote(p, v.Value, "")
			template := analysis.MaskOf(v.Value) == analysis.Templated
			if ok || template {
				found, names = append(found, v), append(names, v.Value)
				stock = stock || sev == analysis.Medium
				endpointOnly = endpointOnly && !template && i < 2*len(kc.Clusters)
			}
		}
		if len(found) == 0 || endpointOnly && !stock {
			return // the endpoint and CA are what people hide before pasting
		}
		if stock {
			p.Reportf(found[0].Start, found[0].End, nil, "The kubeconfig still holds template placeholders (%s); kubectl cannot use it "+
				"until they are replaced. aws eks update-kubeconfig writes the real values.", quoteList(names))
			return
		}
		p.Report(analysis.Finding{Severity: analysis.Low, Start: found[0].Start, End: found[0].End, Message: fmt.Sprintf("The kubeconfig "+
			"holds placeholders (%s): if the kubeconfig kubectl reads holds them too, kubectl cannot use it; ignore this if a template "+
			"fills them in first, or you put them there to hide the real values. aws eks update-kubeconfig writes the real values.", quoteList(names))})
	},
}

var (
	// keyWithoutSpace matches "key:value", a mapping key glued to its value.
	keyWithoutSpace = regexp.MustCompile(`^\s*(?:-\s+)?([A-Za-z][\w.-]*):[^\s/:]`)
)

var kcfgUnparsable = &analysis.Rule{
	ID:       "KCFG011",
	Title:    "kubeconfig is not valid YAML",
	Severity: analysis.High,
	Kinds:    []analysis.Kind{analysis.KindKubeconfig},
	Doc: "kubectl refuses a kubeconfig that is not valid YAML (\"error loading config file\"), for every context in it. Common " +
		"slips are a missing space after a colon (key:value), tabs for indentation, and a list item indented differently from its " +
		"siblings. Fix the line the error names, or regenerate the entry with aws eks update-kubeconfig. An error on a line " +
		"where a value was masked before pasting is most likely the masking's, and is not reported.",
	Refs: []string{kubeconfigAPI, "https://yaml.org/spec/1.2.2/"},
	Run: func(p *analysis.Pass) {
		if p.Doc.ParseError == nil {
			return
		}
		msg, at, keySlip := p.Doc.ParseError.Error(), p.Doc.Start, false
		if m := yamlErrorLine.FindStringSubmatch(msg); m != nil {
			n, _ := strconv.Atoi(m[1])
			line := p.Src.LineOf(p.Doc.Start) + n - 1
			at = p.Src.LineStart(line)
			msg = "line " + strconv.Itoa(line) + ": " + m[2]
			for l := line - 1; l <= line; l++ {
				if k := keyWithoutSpace.FindStringSubmatch(p.Src.Line(l)); k != nil && l >= p.Src.LineOf(p.Doc.Start) {
					at = p.Src.LineStart(l)
					msg += "; line " + strconv.Itoa(l) + " has no space after " + k[1] + ":"
					keySlip = true
					break
				}
			}
		}
		if !keySlip && maskedNear(p.Src, at) {
			return
		}
		p.Reportf(at, at, nil, "This kubeconfig is not valid YAML (%s), so kubectl cannot load any of its contexts.", msg)
	},
}

var kcfgBase64 = &analysis.Rule{
	ID:       "KCFG012",
	Title:    "certificate data that is not base64",
	Severity: analysis.High,
	Kinds:    []analysis.Kind{analysis.KindKubeconfig},
	Doc: "certificate-authority-data, client-certificate-data and client-key-data hold base64 (of a PEM certificate or key). " +
		"kubectl decodes them when it loads the file, so one character outside the base64 alphabet (a $ or a quote left by a " +
		"copy, a space from a wrapped line, a placeholder) makes it refuse the whole file for every context: error loading " +
		"config file …: illegal base64 data at input byte N. Copy the value again, or let aws eks update-kubeconfig write " +
		"it. This rule checks the characters only (KCFG013 checks the PEM header): the values are redacted before analysis, so " +
		"their length and the rest of their content are not checked, and a value hidden before pasting is left alone.",
	Refs: []string{kubeconfigAPI, "https://github.com/kubernetes/kubernetes/issues/53661", "https://github.com/kubernetes/kubernetes/issues/69278"},
	Run: func(p *analysis.Pass) {
		kc := kubeconfigOf(p, p.Doc)
		if kc == nil {
			return
		}
		check := func(key string, v *analysis.Scalar) {
			if v == nil || !known(v.Value) {
				return
			}
			bad := strings.IndexFunc(v.Value, func(r rune) bool { return !isBase64Byte(r) })
			if eq := strings.IndexByte(v.Value, '='); bad < 0 && eq >= 0 && strings.Trim(v.Value[eq:], "=") != "" {
				bad = eq + len(v.Value[eq:]) - len(strings.TrimLeft(v.Value[eq:], "=")) // data after the padding
			}
			if bad < 0 {
				return
			}
			r, size := utf8.DecodeRuneInString(v.Value[bad:])
			char := strconv.QuoteRune(r)
			at := v.Start
			if v.Value == p.Src.Text[v.Start:v.End] {
				at += bad
			}
			var fix *analysis.Fix
			if tail := v.Value[bad:]; strings.IndexFunc(tail, isBase64Byte) < 0 && bad > 0 {
				fix = &analysis.Fix{Summary: "Remove the " + strconv.Quote(tail) + " after the data", Edits: []analysis.Edit{v.Replace(v.Value[:bad])}}
			}
			p.Report(analysis.Finding{Start: at, End: at + size, Fix: fix, Message: key + " is not base64: " + char +
				" at byte " + strconv.Itoa(bad) + " is not a base64 character, so kubectl refuses the whole file for every context " +
				"(error loading config file …: illegal base64 data at input byte …). Copy the value again, " +
				"or let aws eks update-kubeconfig write it."})
		}
		for _, c := range kc.Clusters {
			check("certificate-authority-data", c.CAData)
		}
		for _, u := range kc.Users {
			check("client-certificate-data", u.ClientCert)
			check("client-key-data", u.ClientKey)
		}
	},
}

// isBase64Byte reports whether r is a character of standard base64.
func isBase64Byte(r rune) bool {
	return r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '+' || r == '/' || r == '='
}
