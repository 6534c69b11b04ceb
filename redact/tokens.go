package redact

import (
	"encoding/base64"
	"slices"
	"strings"
)

// Keys and tokens with a structure of their own: PEM private keys, JWTs
// (ServiceAccount tokens among them) and EKS bearer tokens. JWTs and EKS
// tokens are redacted inside: their readable parts are decoded, redacted
// like any text and encoded again, so that a rule can still read a
// token's issuer or region and compare it with the rest of the paste.

var pemPatterns = []*pattern{
	{
		kind:     "private-key",
		keywords: []string{"-----BEGIN"},
		find:     findPEMKey,
		format:   fillFormat,
		matches: []string{
			"-----BEGIN RSA PRIVATE KEY-----«\nMIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun\nVTLw7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u+qKhbwKfBstIs+bMY2Zkp18gnTxK\n»-----END RSA PRIVATE KEY-----",
			`"private_key_pem": "-----BEGIN EC PRIVATE KEY-----«\nMHcCAQEEIBkg4LVWM9nuwNSk3yByxZpYRTBnVJk5oT4DZEmB6D8qoAoGCCqGSM49\n»-----END EC PRIVATE KEY-----\n"`,
		},
		decoys: []string{
			"-----BEGIN CERTIFICATE-----\nMIIDBTCCAe2gAwIBAgIIS5bK3Y7r1lMwDQYJKoZIhvcNAQELBQAwFTETMBEGA1UE\n-----END CERTIFICATE-----",
			"-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n-----END PUBLIC KEY-----",
		},
	},
	{
		kind:     "pem-base64",
		keywords: []string{"LS0tLS1CRUdJTi"},
		find:     findBase64Blob(40),
		format:   pemFormat,
		matches:  []string{"caBundle: «LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUMvakNDQWVhZ0F3SUJBZ0lCQURBTkJna3Foa2lHOXcwQkFRc0ZBREFW»"},
		decoys:   []string{"LS0tLS1CRUdJTi is base64 for -----BEGIN"},
	},
}

var tokenPatterns = []*pattern{
	{
		kind:     "eks-bearer-token",
		keywords: []string{"k8s-aws-v1."},
		find:     findEKSToken,
		format:   eksTokenFormat,
		matches:  []string{"token: «k8s-aws-v1.aHR0cHM6Ly9zdHMudXMtd2VzdC0yLmFtYXpvbmF3cy5jb20vP0FjdGlvbj1HZXRDYWxsZXJJZGVudGl0eQ»"},
		decoys:   []string{"tokens start with k8s-aws-v1. and then base64", "k8s-aws-v1.$TOKEN"},
	},
	{
		kind:     "jwt",
		keywords: []string{"eyJ"},
		find:     findJWT,
		format:   jwtFormat,
		matches: []string{
			"id-token: «eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJodHRwczovL2xvZ2luLmV4YW1wbGUub3JnIiwic3ViIjoiMTIzIn0.c2lnbmF0dXJlLWJ5dGVzLWhlcmU»",
		},
		decoys: []string{"eyJhbGciOiJub25lIn0 alone", "eyJ.eyJ.x"},
	},
}

// findPEMKey finds the body of a PEM private key, between its BEGIN and
// END lines; the lines themselves stay.
func findPEMKey(h *hit) {
	s := h.text
	i := h.at + len("-----BEGIN")
	j := strings.Index(s[i:min(h.hi, i+100)], "-----")
	if j < 0 || !strings.Contains(s[i:i+j], "PRIVATE KEY") {
		return
	}
	start := i + j + len("-----")
	// An earlier search may have found no END line up to *noEnd.
	noEnd, base := h.memo(), h.st.base
	from := max(start, *noEnd-base)
	limit := min(h.hi, start+maxValueLen)
	end := -1
	if from < limit {
		if e := strings.Index(s[from:limit], "-----END"); e >= 0 {
			end = from + e
		}
	}
	if end < 0 {
		*noEnd = max(*noEnd, base+limit-len("-----END"))
		return
	}
	h.emit(start, end)
	h.skipTo(end)
}

// findBase64Blob returns a matcher for base64 data of at least n bytes
// that starts with its keyword: base64-encoded PEM ("-----BEGIN" encodes
// as LS0tLS1CRUdJTi) in kubeconfigs, webhook configurations and
// Terraform state; the JSON token `aws ecr get-login-password` prints.
func findBase64Blob(n int) func(h *hit) {
	return func(h *hit) {
		if h.at > h.lo && base64Std[h.text[h.at-1]] {
			return
		}
		end := runEnd(h.text, runEnd(h.text, h.at, h.hi, base64Std), h.hi, padding)
		if end-h.at >= n {
			h.emit(h.at, end)
		}
	}
}

// findEKSToken finds an EKS bearer token: k8s-aws-v1. and a base64url
// presigned STS URL.
func findEKSToken(h *hit) {
	if h.at > h.lo && (alnum[h.text[h.at-1]] || h.text[h.at-1] == '-') {
		return
	}
	start := h.at + len("k8s-aws-v1.")
	end := runEnd(h.text, start, h.hi, base64URL)
	if end-start >= 20 {
		h.emit(h.at, end)
	}
}

// eksTokenFormat redacts the presigned URL inside an EKS token: its
// access key id, session token and signature.
var eksTokenFormat = &format{name: "fill", stemless: true}

// The token formats redact what they decode with the patterns, which
// list them: they get their functions at init to break the cycle.
func init() {
	eksTokenFormat.make, eksTokenFormat.own = makeEKSToken, ownEKSToken
	jwtFormat.make, jwtFormat.own = makeJWT, ownJWT
}

func makeEKSToken(a *allocator, n int, v string) string {
	const prefix = "k8s-aws-v1."
	body := v[len(prefix):]
	url, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(body, "="))
	if err != nil || !strings.HasPrefix(string(url), "https://") || a.nesting > 0 {
		return fill(v, len(prefix), nil, n)
	}
	redacted := a.redactNested(string(url))
	if redacted == string(url) {
		return fill(v, len(prefix), nil, n)
	}
	return prefix + base64.RawURLEncoding.EncodeToString([]byte(redacted))
}

// ownEKSToken recognises a redacted EKS token: its presigned URL names an
// access key id already redacted and holds nothing more to redact, or it
// was filled.
func ownEKSToken(v string) bool {
	const prefix = "k8s-aws-v1."
	if !strings.HasPrefix(v, prefix) {
		return false
	}
	url, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(v[len(prefix):], "="))
	if err == nil && strings.Contains(string(url), "REDACTED") {
		return !holdsSecrets(string(url))
	}
	return numbered(v, func(n int) string { return fill(v, len(prefix), nil, n) })
}

// findJWT finds a JSON Web Token: three base64url parts, the first two
// JSON objects (eyJ is the encoding of {"), the third the signature. A
// token issued to a Kubernetes ServiceAccount is told apart by its
// claims.
func findJWT(h *hit) {
	s, i := h.text, h.at
	if i > h.lo && base64URL[s[i-1]] {
		return
	}
	headerEnd := runEnd(s, i, h.hi, base64URL)
	h.skipTo(headerEnd)
	if headerEnd-i < 10 || headerEnd >= h.hi || s[headerEnd] != '.' || !strings.HasPrefix(s[headerEnd+1:h.hi], "ey") {
		return
	}
	payloadEnd := runEnd(s, headerEnd+1, h.hi, base64URL)
	if payloadEnd-headerEnd < 10 || payloadEnd >= h.hi || s[payloadEnd] != '.' {
		return
	}
	end := runEnd(s, payloadEnd+1, h.hi, base64URL)
	kind := "jwt"
	if claims := decodeSegment(s[headerEnd+1 : payloadEnd]); strings.Contains(claims, "kubernetes.io") ||
		strings.Contains(claims, "system:serviceaccount:") || strings.Contains(claims, "kubernetes/serviceaccount") {
		kind = "k8s-serviceaccount-token"
	}
	h.emitAs(i, end, kind, jwtFormat)
	h.skipTo(end)
}

// decodeSegment decodes one base64url part of a JWT, or returns "".
func decodeSegment(seg string) string {
	b, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(seg, "="))
	if err != nil {
		return ""
	}
	return string(b)
}

// jwtFormat redacts a JWT part by part: the header keeps its algorithm
// and loses its key id, the claims are redacted like any text (an issuer
// URL keeps its region and gets the pseudonym of its OIDC id), the
// signature is replaced. A token that does not decode is replaced byte
// for byte.
var jwtFormat = &format{name: "fill"}

func makeJWT(a *allocator, n int, v string) string {
	parts := strings.Split(v, ".")
	header, claims := decodeSegment(parts[0]), decodeSegment(parts[1])
	if len(parts) != 3 || !strings.HasPrefix(header, "{") || !strings.HasPrefix(claims, "{") || a.nesting > 0 {
		return fill(v, 0, separators, n)
	}
	if start, end, ok := jsonStringValue(header, "kid"); ok && end > start {
		header = header[:start] + a.name(fillFormat, header[start:end]) + header[end:]
	}
	enc := base64.RawURLEncoding
	return enc.EncodeToString([]byte(header)) + "." + enc.EncodeToString([]byte(a.redactNested(claims))) + "." +
		fill(parts[2], 0, nil, n)
}

// ownJWT recognises a redacted JWT: its signature is a pseudonym and its
// claims hold nothing more to redact, or it was filled.
func ownJWT(v string) bool {
	if numbered(v, func(n int) string { return fill(v, 0, separators, n) }) {
		return true
	}
	if strings.Count(v, ".") != 2 {
		return false
	}
	parts := strings.Split(v, ".")
	return holdsStem(parts[2]) && fillFormat.owns(parts[2]) && !holdsSecrets(decodeSegment(parts[1]))
}

// jsonStringValue returns where the string value of key starts and ends
// in the JSON object text, found by text search.
func jsonStringValue(text, key string) (start, end int, ok bool) {
	i := strings.Index(text, `"`+key+`"`)
	if i < 0 {
		return 0, 0, false
	}
	i += len(key) + 2
	i = skip(text, i, len(text), space)
	if i >= len(text) || text[i] != ':' {
		return 0, 0, false
	}
	i = skip(text, i+1, len(text), space)
	if i >= len(text) || text[i] != '"' {
		return 0, 0, false
	}
	end = closingQuote(text, i, len(text))
	return i + 1, end, end > i
}

// holdsSecrets reports whether the patterns of secrets find anything in
// text.
func holdsSecrets(text string) bool {
	s := &session{known: map[string]bool{}}
	s.res.reset()
	s.scan(text, 0, 0, len(text), 0, len(text), true, true, false)
	return slices.ContainsFunc(s.res.pending, func(m match) bool { return !m.kept })
}

// redactNested redacts text decoded from inside a value, with the
// patterns of secrets only, sharing this redaction's pseudonyms. Tokens
// inside it are not opened again (see allocator.nesting).
func (a *allocator) redactNested(text string) string {
	a.nesting++
	defer func() { a.nesting-- }()
	s := &session{alloc: a, known: map[string]bool{}}
	s.res.reset()
	s.scan(text, 0, 0, len(text), 0, len(text), true, true, false)
	s.settle(len(text), false, true)
	var b strings.Builder
	pos := 0
	for _, m := range s.res.settled {
		b.WriteString(text[pos:m.start])
		if m.kept {
			b.WriteString(m.value)
		} else {
			b.WriteString(a.name(m.format, m.value))
		}
		pos = m.end
	}
	b.WriteString(text[pos:])
	return b.String()
}
