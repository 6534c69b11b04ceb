package redact

import (
	"net/netip"
	"strings"
)

// IP addresses and e-mail addresses.

var networkPatterns = []*pattern{
	{
		kind:     "email",
		keywords: []string{"@"},
		next:     alnum,
		guard:    func(s string, i int) bool { return i > 0 && i+1 < len(s) && emailLocal[s[i-1]] && alnum[s[i+1]] },
		find:     findEmail,
		format:   emailFormat,
		matches:  []string{"contact «jane.doe+eks@corp-mail.co.uk» for access", "assumed-role/AWSReservedSSO_Admin_1a2b/«ops@acme.io»"},
		decoys:   []string{"git@github.com:org/repo.git", "admin@example.com", "image@sha256:abc", "@types/node", "pkg@1.2.3", "root@localhost"},
	},
	{
		kind:     "ip-address",
		keywords: []string{"."},
		next:     digits,
		guard:    func(s string, i int) bool { return i > 0 && i+1 < len(s) && digits[s[i-1]] && digits[s[i+1]] },
		find:     findIPv4,
		matches:  []string{"dial tcp «52.94.133.131»:443: i/o timeout", `"sourceIPAddress": "«203.118.4.77»"`, "InternalIP  «10.0.101.7»"},
		decoys: []string{
			"169.254.169.254", "version 1.29.3", "v1.2.3.4", "0.0.0.0/0", "10.0.0.0/16", "127.0.0.1", "10.100.0.10",
			"192.0.2.44", "1.2.3.4.5", "198.18.0.1", "255.255.255.0",
		},
	},
	{
		kind:     "ip-address",
		keywords: []string{":"},
		next:     hexOrColon,
		guard: func(s string, i int) bool {
			return i > 0 && i+1 < len(s) && hexDigits[s[i-1]] && (hexDigits[s[i+1]] || s[i+1] == ':')
		},
		find:    findIPv6,
		matches: []string{"from «2600:1f14:abc:de00:1234:5678:9abc:def0» port", "[«2a05:d018:12::7»]:443"},
		decoys:  []string{"fd00:ec2::23", "::1", "12:34:56", "std::vector", "2001:db8::1", "fe80::1", "de:ad:be:ef:00:01"},
	},
}

// findEmail finds an e-mail address around an @. The user of a URL, the
// user@cluster names eksctl writes into kubeconfigs and what follows
// another address's @ are not e-mail addresses.
func findEmail(h *hit) {
	s := h.text
	start := runStart(s, h.at, max(h.lo, h.at-64), emailLocal)
	for start < h.at && s[start] == '.' {
		start++
	}
	end := runEnd(s, h.at+1, min(h.hi, h.at+256), hostChars)
	for end > h.at+1 && (s[end-1] == '.' || s[end-1] == '-') {
		end--
	}
	domain := s[h.at+1 : end]
	dot := strings.LastIndexByte(domain, '.')
	if start == h.at || start > 0 && s[start-1] == '@' || dot <= 0 || !isLetters(domain[dot+1:]) || len(domain)-dot-1 < 2 {
		return
	}
	if local := s[start:h.at]; local == "git" || isDocumentationDomain(domain) || inURLAuthority(s, start, h.lo) ||
		strings.HasSuffix(domain, ".eksctl.io") {
		return
	}
	h.emit(start, end)
}

// inURLAuthority reports whether s[i] follows "scheme://" within the same
// authority: user:password@host is not an e-mail address.
func inURLAuthority(s string, i, lo int) bool {
	from := max(lo, i-256)
	k := strings.LastIndex(s[from:i], "://")
	return k >= 0 && runEndNot(s, from+k+3, i, urlAuthorityEnd) == i
}

var (
	emailLocal = newClass("a-z", "A-Z", "0-9", "._%+-")
	hostChars  = newClass("a-z", "A-Z", "0-9", ".-")
)

func isLetters(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := lower(s[i]); c < 'a' || c > 'z' {
			return false
		}
	}
	return s != ""
}

// isDocumentationDomain reports whether domain is reserved for examples
// (RFC 2606) and so names nobody.
func isDocumentationDomain(domain string) bool {
	d := strings.ToLower(domain)
	for _, r := range []string{"example.com", "example.org", "example.net", "example", "test", "invalid", "localhost"} {
		if d == r || strings.HasSuffix(d, "."+r) {
			return true
		}
	}
	return false
}

// addressAround returns the run of chars around the keyword, at most back
// bytes before it and ahead bytes after, without a trailing dot, when
// neither a letter or digit nor extra continues it.
func addressAround(h *hit, chars *class, back, ahead int, extra byte) (start, end int, ok bool) {
	s := h.text
	start = runStart(s, h.at, max(h.lo, h.at-back), chars)
	end = runEnd(s, h.at, min(h.hi, h.at+ahead), chars)
	h.skipTo(end)
	for end > h.at && s[end-1] == '.' {
		end--
	}
	return start, end, !(start > h.lo && (alnum[s[start-1]] || s[start-1] == extra) || end < h.hi && (alnum[s[end]] || s[end] == extra))
}

// findIPv4 finds a dotted IPv4 address around a dot between digits.
func findIPv4(h *hit) {
	s := h.text
	start, end, ok := addressAround(h, dottedDigits, 16, 16, '-')
	if !ok {
		return
	}
	addr, err := netip.ParseAddr(s[start:end])
	if err != nil || !addr.Is4() || keptIPv4(addr, s, end, h.hi) {
		return
	}
	h.emitAs(start, end, h.p.kind, ipFormatFor(addr))
}

var dottedDigits = newClass("0-9", ".")

// keptIPv4 reports whether an address identifies nobody: unspecified,
// loopback, link-local (the instance metadata service), multicast and
// broadcast addresses, netmasks, documentation and benchmark ranges, the
// default cluster DNS and API service addresses of EKS, and private
// network addresses written as CIDR blocks.
func keptIPv4(addr netip.Addr, s string, end, hi int) bool {
	b := addr.As4()
	switch {
	case addr.IsUnspecified(), addr.IsLoopback(), addr.IsLinkLocalUnicast(), addr.IsMulticast(), b[0] == 255 || b[0] == 0:
		return true
	case b[0] == 192 && b[1] == 0 && b[2] == 2, b[0] == 198 && b[1] == 51 && b[2] == 100, b[0] == 203 && b[1] == 0 && b[2] == 113:
		return true
	case b[0] == 198 && (b[1] == 18 || b[1] == 19):
		return true
	}
	switch addr.String() {
	case "10.100.0.10", "10.100.0.1", "172.20.0.10", "172.20.0.1":
		return true
	}
	cidr := end < hi && s[end] == '/'
	return cidr && (addr.IsPrivate() || isSharedAddress(addr)) && b[3] == 0
}

// findIPv6 finds an IPv6 address around a colon between hexadecimal
// digits.
func findIPv6(h *hit) {
	start, end, ok := addressAround(h, ipv6Chars, 40, 46, ':')
	if !ok {
		return
	}
	text := h.text[start:end]
	addr, err := netip.ParseAddr(text)
	if err != nil || !addr.Is6() || addr.Is4In6() || strings.Count(text, ":") < 2 || !strings.Contains(text, "::") && strings.Count(text, ":") != 7 {
		return
	}
	if addr.IsLoopback() || addr.IsUnspecified() || addr.IsLinkLocalUnicast() || addr.IsMulticast() ||
		documentationIPv6.Contains(addr) || addr == podIdentityAgentIPv6 {
		return
	}
	h.emitAs(start, end, h.p.kind, ipv6Format)
}

var (
	hexOrColon        = newClass("0-9", "a-f", "A-F", ":")
	ipv6Chars         = newClass("0-9", "a-f", "A-F", ":.")
	documentationIPv6 = netip.MustParsePrefix("2001:db8::/32")
	// podIdentityAgentIPv6 is where the EKS Pod Identity agent listens.
	podIdentityAgentIPv6 = netip.MustParseAddr("fd00:ec2::23")
)
