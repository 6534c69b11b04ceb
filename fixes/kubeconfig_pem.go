package fixes

import (
	"encoding/base64"
	"strings"

	"github.com/eksdoctor/eksdoctor/analysis"
)

// What a kubeconfig's data fields hold once decoded: PEM of a
// certificate, or of a key. Redaction keeps the base64 of the PEM header
// line (-----BEGIN CERTIFICATE-----), which is no secret, and the first
// bytes of data encoded twice, so these checks work on the redacted text.

// pemBase64Prefix starts the base64 of "-----BEGIN".
const pemBase64Prefix = "LS0tLS1CRUdJTi"

// twiceEncoded starts base64 of base64-encoded PEM (redaction keeps it:
// redact.doubleEncodedPEM).
const twiceEncoded = "TFMwdExT"

// pemType returns the type of the PEM block whose base64 v starts with
// ("CERTIFICATE", "RSA PRIVATE KEY"), or "" when v does not show one.
func pemType(v string) string {
	if !strings.HasPrefix(v, pemBase64Prefix) {
		return ""
	}
	head := v[:min(len(v), 80)/4*4]
	data, err := base64.StdEncoding.DecodeString(head)
	if err != nil {
		return ""
	}
	rest, ok := strings.CutPrefix(string(data), "-----BEGIN ")
	if !ok {
		return ""
	}
	// Redaction keeps whole base64 quanta of the header, which may end
	// before its last dashes; a type has none.
	typ, _, ok := strings.Cut(rest, "-")
	if !ok {
		return ""
	}
	return typ
}

var kcfgPEMContent = &analysis.Rule{
	ID:       "KCFG013",
	Title:    "certificate data that holds the wrong PEM",
	Severity: analysis.High,
	Kinds:    []analysis.Kind{analysis.KindKubeconfig},
	Doc: "certificate-authority-data and client-certificate-data hold base64 of a PEM certificate (-----BEGIN CERTIFICATE-----, " +
		"LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t once encoded), client-key-data base64 of a PEM private key. kubectl decodes " +
		"them, then client-go and Go's TLS parse the PEM and stop before any request: data encoded twice (it starts with " +
		"TFMwdExT) gives \"unable to load root certificates: unable to parse bytes as PEM block\" or \"tls: failed to find " +
		"any PEM data\"; a key in the CA field \"no valid certificate authority data seen\"; a certificate and key swapped " +
		"\"tls: found a certificate rather than a key in the PEM for the private key\". The fix swaps a user's certificate " +
		"and key back when both are swapped; otherwise let aws eks update-kubeconfig write the cluster's data again. Only " +
		"the PEM header is checked: the rest is redacted before analysis.",
	Refs: []string{kubeconfigAPI, "https://github.com/kubernetes/client-go/blob/master/transport/transport.go",
		"https://pkg.go.dev/crypto/tls#X509KeyPair", "https://github.com/kubernetes/client-go/issues/703"},
	Run: func(p *analysis.Pass) {
		kc := kubeconfigOf(p, p.Doc)
		if kc == nil {
			return
		}
		for _, c := range kc.Clusters {
			switch v := c.CAData; {
			case v == nil:
			case strings.HasPrefix(v.Value, twiceEncoded):
				reportTwiceEncoded(p, "certificate-authority-data", v, "unable to load root certificates: unable to parse bytes as PEM block")
			case pemType(v.Value) != "" && pemType(v.Value) != "CERTIFICATE":
				p.Reportf(v.Start, v.End, nil, "certificate-authority-data holds a PEM block of type %s, not the cluster's CA certificate: kubectl "+
					"stops with \"unable to load root certificates: no valid certificate authority data seen\". Let aws eks "+
					"update-kubeconfig write it again.", pemType(v.Value))
			}
		}
		for _, u := range kc.Users {
			checkClientPEM(p, u)
		}
	},
}

// checkClientPEM checks a user's client certificate and key.
func checkClientPEM(p *analysis.Pass, u kcUser) {
	cert, key := u.ClientCert, u.ClientKey
	for _, f := range []struct {
		name  string
		v     *analysis.Scalar
		input string
	}{{"client-certificate-data", cert, "certificate"}, {"client-key-data", key, "key"}} {
		if f.v != nil && strings.HasPrefix(f.v.Value, twiceEncoded) {
			reportTwiceEncoded(p, f.name, f.v, "tls: failed to find any PEM data in "+f.input+" input")
		}
	}
	certType, keyType := "", ""
	if cert != nil {
		certType = pemType(cert.Value)
	}
	if key != nil {
		keyType = pemType(key.Value)
	}
	switch {
	case certType != "" && keyType == "CERTIFICATE" && certType != "CERTIFICATE":
		var fix *analysis.Fix
		if editable(*cert) && editable(*key) {
			fix = &analysis.Fix{Summary: "Swap client-certificate-data and client-key-data",
				Edits: []analysis.Edit{cert.Replace(key.Value), key.Replace(cert.Value)}}
		}
		p.Reportf(key.Start, key.End, fix, "User %s has its certificate and key swapped: client-key-data holds the CERTIFICATE and "+
			"client-certificate-data a %s, so kubectl stops with \"tls: found a certificate rather than a key in the PEM for "+
			"the private key\".", u.Name.Text(), certType)
	case keyType == "CERTIFICATE":
		p.Reportf(key.Start, key.End, nil, "client-key-data of user %s holds a certificate, not a private key: kubectl stops "+
			"with \"tls: found a certificate rather than a key in the PEM for the private key\".", u.Name.Text())
	case certType != "" && certType != "CERTIFICATE":
		p.Reportf(cert.Start, cert.End, nil, "client-certificate-data of user %s holds a PEM block of type %s, not a certificate: kubectl stops "+
			"with \"tls: failed to find certificate PEM data in certificate input, but did find a private key; PEM inputs may "+
			"have been switched\".", u.Name.Text(), certType)
	}
}

// reportTwiceEncoded reports data base64-encoded twice, with the error
// the client gives for it.
func reportTwiceEncoded(p *analysis.Pass, field string, v *analysis.Scalar, clientError string) {
	p.Reportf(v.Start, v.End, nil, "%s is base64-encoded twice (it starts with %s, the encoding of LS0tLS): decoded once it is "+
		"still base64, not PEM, so kubectl stops with %q. Decode it once (base64 -d) and put that here.", field, twiceEncoded, clientError)
}
