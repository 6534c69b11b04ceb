package redact

import "strings"

// AWS credentials: access key ids, secret access keys, session tokens and
// request signatures.

var awsKeyPatterns = []*pattern{
	{
		kind:     "aws-access-key-id",
		keywords: []string{"AKIA", "ASIA", "ABIA", "ACCA", "A3T"},
		find:     findAccessKeyID,
		format:   keyIDFormat,
		matches: []string{
			"aws_access_key_id = «AKIA2E3ABFGBQW4C7ZLM»",
			"«ASIAY34FZKBOKMUTVV7A»",
			"X-Amz-Credential=«ASIAY34FZKBOKMUTVV7A»%2F20240618%2Fus-west-2%2Fsts%2Faws4_request",
		},
		decoys: []string{"AKIAIOSFODNN7EXAMPLE", "AKIA2E3ABFGBQW4C7ZL", "xAKIA2E3ABFGBQW4C7ZLM", "AKIAREDACTED00000001", "AKIAXXXXXXXXXXXXXXXX"},
	},
	{
		kind:     "aws-secret-access-key",
		keywords: []string{"AKIA", "ASIA"},
		find:     findSecretNearKeyID,
		format:   fillFormat,
		matches: []string{
			"«AKIA2E3ABFGBQW4C7ZLM»,«Xq3vT8kLmZ2pR9sW4yB7nC1dF6gH0jK5aE8tU3iO»",
			"key id «AKIA2E3ABFGBQW4C7ZLM»\nsecret «Xq3vT8kLmZ2pR9sW4yB7nC1dF6gH0jK5aE8tU3iO»\n",
		},
		decoys: []string{
			"AKIAIOSFODNN7EXAMPLE wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
			"commit 9fceb02d0ae598e95dc970b74767f19372d61af8 AKIAIOSFODNN7EXAMPLE",
		},
	},
	{
		kind:     "aws-unique-id",
		keywords: []string{"AROA", "AIDA", "AGPA", "ANPA", "ANVA", "AIPA", "APKA", "ASCA"},
		find:     findUniqueID,
		format:   keyIDFormat,
		matches:  []string{`"principalId": "«AROA3XFRBF535PLBIFPI4»:botocore-session-1718"`, `"UserId": "«AIDAJQABLZS4A3QDU576Q»"`},
		decoys:   []string{"AROADBQP57FF2AEXAMPLE", "AROAREDACTED000000001"},
	},
	{
		kind:     "aws-secret-access-key",
		keywords: []string{"secret"},
		fold:     true,
		find:     findSecretAccessKey,
		format:   fillFormat,
		matches: []string{
			"aws_secret_access_key = «Xq3vT8kLmZ2pR9sW4yB7nC1dF6gH0jK5aE8tU3iO»",
			`"SecretAccessKey": "«Xq3vT8kLmZ2pR9sW4yB7nC1dF6gH0jK5aE8tU3iO»",`,
			"export AWS_SECRET_ACCESS_KEY=«Xq3vT8kLmZ2pR9sW4yB7nC1dF6gH0jK5aE8tU3iO»",
			"aws configure set aws_secret_access_key «Xq3vT8kLmZ2pR9sW4yB7nC1dF6gH0jK5aE8tU3iO»",
		},
		decoys: []string{"aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "aws_secret_access_key = ${SECRET}"},
	},
	{
		kind:     "aws-session-token",
		keywords: sessionTokenPrefixes,
		find:     findSessionTokenByPrefix,
		format:   prefixFormat(knownPrefix(sessionTokenPrefixes...), nil),
		matches:  []string{"«IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLXdlc3QtMiJHMEUCIQD6b0N1Xq3vT8kLmZ2pR9sW4yB7nC1dF6gH0jK5aE8tU3iOpQIgB7nC1dF6gH0jK5aE8tU3iOXq3vT8kLmZ2pR9sW4yB7nC1==»"},
		decoys:   []string{"IQoJb3JpZ2luX2Vj alone is just the prefix"},
	},
	{
		kind:     "aws-session-token",
		keywords: []string{"session_token", "sessiontoken", "session-token", "security_token", "securitytoken", "security-token"},
		fold:     true,
		find:     findSessionTokenByName,
		format:   prefixFormat(knownPrefix(sessionTokenPrefixes...), nil),
		matches: []string{
			"aws_session_token = «FwoGZXIvYXdzEBYaDHq3vT8kLmZ2pR9sW4yB7nC1dF6gH0jK5aE8tU3iO»",
			"X-Amz-Security-Token=«IQoJb3JpZ2luX2VjEJr%2F%2F%2F%2F%2F%2F%2F%2F%2F%2FwEaCXVzLXdlc3QtMiJHMEUCIQD6»&X-Amz-Signature=x",
		},
		decoys: []string{"aws_session_token = ", "AWS_SESSION_TOKEN=$TOKEN"},
	},
	{
		kind:     "aws-signature",
		keywords: []string{"signature="},
		fold:     true,
		find:     findSignature,
		format:   fillFormat,
		matches:  []string{"X-Amz-Signature=«3b6f1c2a9d8e7f60a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718»"},
		decoys:   []string{"Signature=abc"},
	},
}

// sessionTokenPrefixes start STS session tokens: the base64 of the
// token's first, fixed bytes.
var sessionTokenPrefixes = []string{"IQoJb3JpZ2luX2Vj", "FwoGZXIvYXdz", "FQoGZXIvYXdz", "AQoDYXdz", "AQoEYXdz"}

// findAccessKeyID finds an access key id: a four-byte prefix (three and a
// byte for A3T) and sixteen upper-case letters and digits.
func findAccessKeyID(h *hit) {
	if end, ok := keyID(h, 20); ok && !sameByte(h.text[h.at+4:end]) {
		h.emit(h.at, end)
	}
}

// keyID checks the bounds of an id of n bytes at the keyword.
func keyID(h *hit, n int) (end int, ok bool) {
	end = runEnd(h.text, h.at, min(h.hi, h.at+n+1), upperAlnum)
	return end, end-h.at == n && !wordBefore(h.text, h.at)
}

// findUniqueID finds an IAM unique id (AROA… for a role, AIDA… for a
// user), which CloudTrail and get-caller-identity print and which, like
// an access key id, encodes the account.
func findUniqueID(h *hit) {
	if end, ok := keyID(h, 21); ok {
		h.emit(h.at, end)
	}
}

// secretKeyRadius bounds how far from an access key id its secret key is
// looked for.
const secretKeyRadius = 400

// findSecretNearKeyID finds a secret access key printed near its access
// key id without a name (CSV exports, log lines): 40 base64 bytes with
// upper case, lower case and digits that are not a hexadecimal hash.
func findSecretNearKeyID(h *hit) {
	if _, ok := keyID(h, 20); !ok {
		return
	}
	s := h.text
	lo, hi := max(h.lo, h.at-secretKeyRadius), min(h.hi, h.at+secretKeyRadius)
	for i := lo; i < hi; {
		if !base64Std[s[i]] {
			i++
			continue
		}
		end := runEnd(s, i, hi, base64Std)
		if end-i == 40 && (i == 0 || !base64Any[s[i-1]]) && (end == len(s) || !base64Any[s[end]]) && isSecretKey(s[i:end]) {
			h.emit(i, end)
		}
		i = end
	}
}

// isSecretKey reports whether v looks like a generated AWS secret key.
func isSecretKey(v string) bool {
	var upper, lowerCase, digit, hex = false, false, false, true
	for i := 0; i < len(v); i++ {
		c := v[i]
		upper = upper || 'A' <= c && c <= 'Z'
		lowerCase = lowerCase || 'a' <= c && c <= 'z'
		digit = digit || digits[c]
		hex = hex && hexDigits[c]
	}
	return upper && lowerCase && digit && !hex && entropy(v) >= 4
}

// findSecretAccessKey finds a 40-byte secret key after a key whose name
// says it is one.
func findSecretAccessKey(h *hit) {
	ks, ke := keyAround(h, h.at)
	h.skipTo(ke)
	var buf [64]byte
	key := normalizeKey(buf[:0], h.text[ks:ke])
	if !hasAnySuffix(key, []string{"secretaccesskey", "secretkey", "awssecret"}) {
		return
	}
	v, ok := valueAfter(h, ks, ke)
	if !ok && strings.HasSuffix(h.text[max(h.lo, ks-len("configure set ")):ks], "configure set ") {
		// aws configure set aws_secret_access_key <key>
		v.start = skip(h.text, ke, h.hi, blank)
		v.end, ok = runEnd(h.text, v.start, h.hi, base64Std), true
	}
	if ok && v.end-v.start == 40 && runEnd(h.text, v.start, v.end, base64Std) == v.end {
		h.emit(v.start, v.end)
	}
}

// sessionTokenBytes are the bytes of a session token, also URL-encoded.
var sessionTokenBytes = newClass("a-z", "A-Z", "0-9", "+/=%")

// findSessionTokenByPrefix finds a session token by how it starts.
func findSessionTokenByPrefix(h *hit) {
	if h.at > h.lo && sessionTokenBytes[h.text[h.at-1]] {
		return
	}
	end := runEnd(h.text, h.at, h.hi, sessionTokenBytes)
	if end-h.at >= 64 {
		h.emit(h.at, end)
		h.skipTo(end)
	}
}

// findSessionTokenByName finds a session token after a key that names it.
func findSessionTokenByName(h *hit) {
	ks, ke := keyAround(h, h.at)
	h.skipTo(ke)
	v, ok := valueAfter(h, ks, ke)
	if !ok {
		return
	}
	end := runEnd(h.text, v.start, v.end, sessionTokenBytes)
	if end-v.start >= 16 && !isPlaceholder(h.text[v.start:end]) {
		h.emit(v.start, end)
	}
}

// findSignature finds a SigV4 signature: 64 hexadecimal digits.
func findSignature(h *hit) {
	start := h.at + len("signature=")
	end := runEnd(h.text, start, h.hi, hexDigits)
	if end-start == 64 && !wordAfter(h.text, end) {
		h.emit(start, end)
	}
}
