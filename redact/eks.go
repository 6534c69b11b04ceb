package redact

import "strings"

// EKS and EC2 identifiers: cluster endpoints, OIDC provider ids, EC2 host
// names and instance ids.

// hexIDFormat replaces a 32-digit id with one of the same case. A
// cluster's endpoint and its OIDC issuer share this id, so both get the
// same pseudonym, as the id does in trust policies and CloudTrail events.
var hexIDFormat = fillFormat

var eksPatterns = []*pattern{
	{
		kind:     "eks-cluster-endpoint",
		keywords: []string{".eks.amazonaws.com"},
		find:     findEndpointID,
		format:   hexIDFormat,
		matches: []string{
			"server: https://«5C6D2B1E8F9A4B7C3D2E1F0A9B8C7D6E».gr7.eu-west-1.eks.amazonaws.com",
			"https://«964c03d0934f8b3d97fbc6982bd906f4».sk1.us-west-2.eks.amazonaws.com.cn",
		},
		decoys: []string{"https://E0EED553387FD639757D97A76EXAMPLE.gr7.region-code.eks.amazonaws.com", `"Service": "eks.amazonaws.com"`, "pods.eks.amazonaws.com"},
	},
	{
		kind:     "eks-oidc-id",
		keywords: []string{"oidc.eks."},
		find:     findOIDCID,
		format:   hexIDFormat,
		matches: []string{
			"https://oidc.eks.us-west-2.amazonaws.com/id/«5C6D2B1E8F9A4B7C3D2E1F0A9B8C7D6E»",
			`"oidc.eks.eu-west-1.amazonaws.com/id/«A1B2C3D4E5F60718293A4B5C6D7E8F90»:sub": "system:serviceaccount:x:y"`,
			"oidc.eks.us-east-1.amazonaws.com%2Fid%2F«0A1B2C3D4E5F60718293A4B5C6D7E8F9»",
		},
		decoys: []string{"oidc.eks.region-code.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE", "oidc.eks.us-west-2.amazonaws.com/id/${OIDC_ID}"},
	},
	{
		kind:     "ec2-private-dns",
		keywords: []string{"ip-"},
		find:     findEC2Host,
		format:   ec2HostFormat,
		matches:  []string{"node/«ip-192-168-12-34».us-west-2.compute.internal", "Node «ip-10-0-101-7».ec2.internal is NotReady", "system:node:«ip-10-0-101-7»"},
		decoys:   []string{"ip-1-2-3", "skip-10-0-0-1", "ip-999-1-1-1.ec2.internal"},
	},
	{
		kind:     "ec2-public-dns",
		keywords: []string{"ec2-"},
		find:     findEC2Host,
		format:   ec2HostFormat,
		matches:  []string{"«ec2-54-201-33-7».us-west-2.compute.amazonaws.com"},
		decoys:   []string{"ec2-instance-connect", "ec2-user"},
	},
	{
		kind:     "ec2-instance-id",
		keywords: []string{"i-"},
		find:     findInstanceID,
		format:   instanceFormat,
		matches:  []string{`"instanceId": "«i-0a1b2c3d4e5f67890»"`, "«i-0a1b2c3d4e5f67890».us-west-2.compute.internal", "aws:ec2:«i-1a2b3c4d»"},
		decoys:   []string{"i-1234567890abcdef0", "multi-az", "i-0a1b2c3d4e5f6789", "i-0a1b2c3d4e5f67890z"},
	},
}

// findEndpointID finds the 32-digit id of a cluster endpoint,
// <id>.<label>.<region>.eks.amazonaws.com.
func findEndpointID(h *hit) {
	s := h.text
	region := runStart(s, h.at, max(h.lo, h.at-40), lowerAlnumDash)
	if region == h.at || region == h.lo || s[region-1] != '.' {
		return
	}
	label := runStart(s, region-1, max(h.lo, region-8), lowerAlnum)
	if label == region-1 || label == h.lo || s[label-1] != '.' {
		return
	}
	id := label - 1 - 32
	if id >= h.lo && runEnd(s, id, label-1, hexDigits) == label-1 && !wordBefore(s, id) {
		h.emit(id, label-1)
	}
}

// findOIDCID finds the id of an EKS OIDC issuer,
// oidc.eks.<region>.amazonaws.com[.cn]/id/<id>, also URL-encoded.
func findOIDCID(h *hit) {
	s := h.text
	i := runEnd(s, h.at+len("oidc.eks."), min(h.hi, h.at+40), lowerAlnumDash)
	for _, suffix := range []string{".amazonaws.com.cn/id/", ".amazonaws.com/id/", ".amazonaws.com%2Fid%2F", ".amazonaws.com%2fid%2f"} {
		if strings.HasPrefix(s[i:h.hi], suffix) {
			start := i + len(suffix)
			if end := runEnd(s, start, h.hi, upperAlnum); end-start == 32 && !wordAfter(s, end) {
				h.emit(start, end)
			}
			return
		}
	}
}

// findEC2Host finds an EC2 host name that spells an IPv4 address:
// ip-10-0-1-23 (private), ec2-54-1-2-3 (public).
func findEC2Host(h *hit) {
	s := h.text
	if h.at > h.lo && (alnum[s[h.at-1]] || s[h.at-1] == '-') {
		return
	}
	i := h.at + len(h.kw)
	for part := 0; part < 4; part++ {
		end := runEnd(s, i, min(h.hi, i+3), digits)
		if end == i || part < 3 && (end >= h.hi || s[end] != '-') {
			return
		}
		if n := atoi(s[i:end]); n > 255 || len(s[i:end]) > 1 && s[i] == '0' {
			return
		}
		i = end + 1
	}
	end := i - 1
	if end < h.hi && (alnum[s[end]] || s[end] == '-') {
		return
	}
	h.emit(h.at, end)
}

// atoi parses a short run of digits.
func atoi(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}

// documentationInstances are instance ids from AWS documentation.
var documentationInstances = map[string]bool{
	"i-1234567890abcdef0": true, "i-0123456789abcdef0": true, "i-01234567890abcdef": true, "i-1234567890abcdef": true,
}

// findInstanceID finds an EC2 instance id: i- and 8 or 17 hexadecimal
// digits.
func findInstanceID(h *hit) {
	s := h.text
	if h.at > h.lo && (alnum[s[h.at-1]] || s[h.at-1] == '-') {
		return
	}
	start := h.at + 2
	end := runEnd(s, start, min(h.hi, start+18), hexDigits)
	if n := end - start; (n == 8 || n == 17) && !wordAfter(s, end) && !documentationInstances[s[h.at:end]] &&
		runEnd(s, start, end, lowerHexOrDigit) == end {
		h.emit(h.at, end)
	}
}

var lowerHexOrDigit = newClass("0-9", "a-f")
