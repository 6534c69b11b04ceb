package fixes

import (
	"strings"

	"github.com/eksdoctor/eksdoctor/analysis"
)

// A client that finds no PEM where a certificate or key belongs: the
// cluster's CA data or a client certificate given base64-encoded where
// PEM is expected, or encoded twice.

var sigNoPEM = newSignature([]string{"PEM"},
	[]string{
		`unable to load root certificates: (?P<why>unable to parse bytes as PEM block|no valid certificate authority data seen)`,
		`tls: (?P<why>failed to find any PEM data in (?:certificate|key) input|found a certificate rather than a key in the PEM for the private key)`,
	},
	[]string{`Error: Kubernetes cluster unreachable: unable to load root certificates: unable to parse bytes as PEM block`,
		`error: tls: failed to find any PEM data in certificate input`},
	[]string{`x509: certificate signed by unknown authority`})

var errNoPEM = &analysis.Rule{
	ID:       "ERR049",
	Title:    "a client finds no PEM in the cluster's CA or its certificate",
	Severity: analysis.High,
	Kinds:    errorTextKinds,
	Doc: "client-go (kubectl, Terraform's kubernetes and helm providers, controllers) reads the cluster's CA certificate and " +
		"any client certificate and key as PEM. \"unable to load root certificates: unable to parse bytes as PEM block\" means " +
		"the CA data holds no PEM block at all; \"no valid certificate authority data seen\" that its PEM blocks hold no " +
		"certificate; \"tls: failed to find any PEM data\" the same of a client certificate or key. Most often the data is " +
		"still base64: EKS returns the CA base64-encoded (certificate_authority[0].data, cluster_certificate_authority_data), " +
		"so a Terraform provider needs base64decode() around it (TF015), while a kubeconfig's certificate-authority-data takes " +
		"the base64 itself; data encoded twice starts with TFMwdExT instead of LS0tLS1CRUdJTi. Nothing about IAM or RBAC is " +
		"involved: the client stops before it sends a request.",
	Refs: []string{"https://github.com/kubernetes/client-go/blob/master/transport/transport.go",
		"https://pkg.go.dev/crypto/tls#X509KeyPair", "https://github.com/kubernetes/client-go/issues/703"},
	Run: symptom(sigNoPEM, func(p *analysis.Pass, ms []errMatch) {
		why := ms[0].group("why")
		what := "the cluster's CA data"
		if strings.Contains(why, "input") || strings.Contains(why, "private key") {
			what = "the client certificate or key"
		}
		var c causes
		if what == "the client certificate or key" {
			c.add("base64", common, "the certificate or key is still base64 where PEM is needed: a program given kubeconfig's "+
				"client-certificate-data or client-key-data must decode it, as client-go does")
		} else if providerCAReferences != nil {
			for _, at := range providerCAReferences(p) {
				c.showAt(at[0], at[1], "provider", shownLikely, "a Terraform provider's cluster_ca_certificate is given the base64 data EKS returns, without base64decode()")
			}
		}
		c.add("provider", common, "a Terraform kubernetes or helm provider gets cluster_ca_certificate without base64decode() around the EKS data")
		c.add("twice", rare, "the data was base64-encoded twice (once decoded it must start with -----BEGIN; encoded once it starts with LS0tLS1CRUdJTi)")
		c.add("edited", rare, "the kubeconfig's data was cut or edited by hand: let aws eks update-kubeconfig write it again")
		p.Report(analysis.Finding{Start: ms[0].Start, End: ms[0].End, Causes: c.evidence(), Message: "The client found no PEM in " +
			what + " (" + why + "), so it stopped before sending any request: this is not IAM or RBAC. " + c.String()})
	}),
}
