package redact

import (
	"encoding/base64"
	"fmt"
	"net/netip"
	"strconv"
	"strings"
)

// Pseudonym formats. Each keeps the shape of what it replaces, so that
// the redacted text still parses and rules still read it: an account id
// stays twelve digits, an access key id keeps its prefix, base64 stays
// base64 of the same length, an IP address stays an address of the same
// kind, a multi-line key keeps its lines.

// fillFormat replaces a value byte for byte (see fill): the format of
// last resort.
var fillFormat = prefixFormat(func(string) int { return 0 }, nil)

// prefixFormat keeps the first bytes of a value that prefix says carry no
// secret (a token's vendor prefix) and the separators of sep.
func prefixFormat(prefix func(v string) int, sep *class) *format {
	return &format{
		name:    "fill",
		make:    func(_ *allocator, n int, v string) string { return fill(v, prefix(v), sep, n) },
		counter: func(v string) string { return marker(v, payload(v, prefix(v), sep)) },
	}
}

// pemFormat keeps the part of base64-encoded PEM data that encodes its
// header (-----BEGIN CERTIFICATE-----), which says what the data is.
var pemFormat = prefixFormat(pemHeaderPrefix, nil)

// pemHeaderPrefix returns how many bytes of v encode whole bytes of its
// PEM header line, or 0 when v is not base64-encoded PEM. Of PEM encoded
// twice it keeps the bytes that say so (doubleEncodedPEM).
func pemHeaderPrefix(v string) int {
	if strings.HasPrefix(v, doubleEncodedPEM) {
		return len(doubleEncodedPEM)
	}
	if !strings.HasPrefix(v, "LS0tLS1CRUdJTi") {
		return 0
	}
	head, err := base64.StdEncoding.DecodeString(v[:min(len(v), 80)/4*4])
	if err != nil {
		return 0
	}
	end := strings.Index(string(head[5:]), "-----")
	if end < 0 {
		return 0
	}
	return (end + 10) / 3 * 4
}

// doubleEncodedPEM starts base64 of base64-encoded PEM: it encodes "LS0tLS",
// the start of "-----" encoded once.
const doubleEncodedPEM = "TFMwdExT"

// knownPrefix returns a function giving the length of the first of
// prefixes that v starts with.
func knownPrefix(prefixes ...string) func(string) int {
	return func(v string) int {
		for _, p := range prefixes {
			if strings.HasPrefix(v, p) {
				return len(p)
			}
		}
		return 0
	}
}

// fill returns the n-th pseudonym with v's layout. The first keep bytes,
// whitespace, backslash escapes, trailing '=' padding, bytes of sep and a
// first or last byte that is not a letter or digit stay; the other bytes, the payload, become a marker that says what
// happened, zeros and n, in the alphabet of the payload: "1000000" for
// digits, "DEFACED" for hexadecimal digits, "redacted" for lower-case
// letters and digits, "REDACTED" for anything else. A payload too short
// for marker and number grows, by whole base64 quanta for padded base64.
func fill(v string, keep int, sep *class, n int) string {
	slots := payload(v, keep, sep)
	end := len(v)
	for end > keep && v[end-1] == '=' {
		end--
	}
	mark, num := marker(v, slots), strconv.Itoa(n)
	// The marker is the stem that makes the pseudonym cheap to check
	// against the input: it must not be cut by a separator.
	lead := contiguousRun(slots, len(mark))
	if lead < 0 && sep != nil {
		return fill(v, keep, nil, n)
	}
	lead = max(lead, 0)
	zeros := len(slots) - lead - len(mark) - len(num)
	if zeros < 0 {
		zeros = 0
		if grow := lead + len(mark) + len(num) - len(slots); end < len(v) && len(v)%4 == 0 && grow%4 != 0 {
			zeros = 4 - grow%4
		}
	}
	content := strings.Repeat("0", lead) + mark + strings.Repeat("0", zeros) + num
	var b strings.Builder
	b.Grow(len(v) + len(content) - len(slots))
	if len(slots) == 0 {
		b.WriteString(v[:keep])
		b.WriteString(content)
		b.WriteString(v[keep:])
		return b.String()
	}
	next := 0
	for i := 0; i < len(v); i++ {
		if next < len(slots) && slots[next] == i {
			next++
			if next == len(slots) {
				b.WriteString(content[next-1:])
			} else {
				b.WriteByte(content[next-1])
			}
			continue
		}
		b.WriteByte(v[i])
	}
	return b.String()
}

// contiguousRun returns the index of the first of n slots in a row that
// are adjacent bytes, or -1 (0 when there are fewer than n slots: the
// payload grows).
func contiguousRun(slots []int, n int) int {
	if len(slots) < n {
		return 0
	}
	run := 1
	for k := 1; k <= len(slots)-1 && run < n; k++ {
		if slots[k] == slots[k-1]+1 {
			run++
		} else {
			run = 1
		}
		if run == n {
			return k - n + 1
		}
	}
	if run >= n {
		return 0
	}
	return -1
}

// payload returns the positions of the bytes of v that fill replaces.
func payload(v string, keep int, sep *class) []int {
	end := len(v)
	for end > keep && v[end-1] == '=' {
		end--
	}
	slots := make([]int, 0, end-keep)
	for i := keep; i < end; i++ {
		switch c := v[i]; {
		case c == '\\' && i+1 < end:
			i++
		case space[c], sep != nil && sep[c], c < 0x80 && !alnum[c] && (i == 0 || i == len(v)-1):
		default:
			slots = append(slots, i)
		}
	}
	return slots
}

// marker picks the marker of fill for the payload bytes of v at slots.
func marker(v string, slots []int) string {
	allDigits, allHex, hexLower, hexUpper, allLower := true, true, false, false, true
	for _, i := range slots {
		c := v[i]
		allDigits = allDigits && digits[c]
		allHex = allHex && hexDigits[c]
		hexLower = hexLower || 'a' <= c && c <= 'f'
		hexUpper = hexUpper || 'A' <= c && c <= 'F'
		allLower = allLower && lowerAlnum[c]
	}
	switch {
	case len(slots) == 0:
		return "REDACTED"
	case allDigits:
		return "1000000"
	case allHex && !(hexLower && hexUpper):
		if hexLower {
			return "defaced"
		}
		return "DEFACED"
	case allLower:
		return "redacted"
	}
	return "REDACTED"
}

// filledShape reports whether v, past the blanks and escapes fill leaves,
// is nothing but zeros, a marker of fill, zeros and a number: a pseudonym
// whose value was too short or too broken up by blanks for fill to give
// it the same layout again.
func filledShape(v string) bool {
	c := strings.TrimLeft(filled(v), "0")
	for _, m := range []string{"1000000", "DEFACED", "defaced", "redacted", "REDACTED"} {
		if rest, ok := strings.CutPrefix(c, m); ok {
			num := strings.TrimLeft(rest, "0")
			return num != "" && len(num) <= ownDigits && strings.Trim(num, "0123456789") == ""
		}
	}
	return false
}

// accountFormat numbers account ids from 100000000001.
var accountFormat = &format{name: "account", make: func(_ *allocator, n int, v string) string {
	if len(v) != 12 || n > 99999999999 {
		return ""
	}
	return fmt.Sprintf("%012d", 100000000000+n)
}}

// dashedAccountFormat names an account id written as 1234-5678-9012 after
// the same id without dashes.
var dashedAccountFormat = &format{name: "account-dashed", derived: true, make: func(a *allocator, _ int, v string) string {
	plain := strings.ReplaceAll(v, "-", "")
	p := a.name(accountFormat, plain)
	if len(p) != 12 {
		return ""
	}
	return p[:4] + "-" + p[4:8] + "-" + p[8:]
}, own: func(v string) bool {
	return len(v) == 14 && v[4] == '-' && v[9] == '-' && accountFormat.owns(strings.ReplaceAll(v, "-", ""))
}}

// keyIDFormat keeps an access key id's four-letter prefix, which says
// what kind of credential it is: AKIAREDACTED00000001.
var keyIDFormat = &format{name: "key-id", counter: func(v string) string { return v[:4] }, make: func(_ *allocator, n int, v string) string {
	num := strconv.Itoa(n)
	if len(v) < 4+8+len(num) {
		return ""
	}
	return v[:4] + "REDACTED" + strings.Repeat("0", len(v)-12-len(num)) + num
}}

// instanceFormat keeps "i-" and the number of hexadecimal digits.
var instanceFormat = prefixFormat(knownPrefix("i-"), nil)

// IP addresses keep their kind: private IPv4 addresses become addresses
// in 10.254.0.0/16, public ones addresses in 198.18.0.0/15 (reserved for
// benchmarks, so never anyone's), IPv6 addresses ones in the
// documentation prefix 2001:db8::/32.
var (
	privateIPFormat = &format{name: "ip-private", make: func(_ *allocator, n int, _ string) string {
		if n > 254*256 {
			return ""
		}
		return fmt.Sprintf("10.254.%d.%d", (n-1)/254, (n-1)%254+1)
	}, own: ownIPv4("10.254.")}
	publicIPFormat = &format{name: "ip-public", make: func(_ *allocator, n int, _ string) string {
		if n > 2*254*256 {
			return ""
		}
		return fmt.Sprintf("198.%d.%d.%d", 18+(n-1)/(254*256), (n-1)/254%256, (n-1)%254+1)
	}, own: ownIPv4("198.18.", "198.19.")}
	ipv6Format = &format{name: "ip6", make: func(_ *allocator, n int, _ string) string {
		return fmt.Sprintf("2001:db8:ffff::%x", n)
	}, own: func(v string) bool {
		hex, ok := strings.CutPrefix(v, "2001:db8:ffff::")
		if !ok {
			return false
		}
		n, err := strconv.ParseUint(hex, 16, 32)
		return err == nil && n > 0 && hex == strconv.FormatUint(n, 16)
	}}
)

// ownIPv4 recognises the IPv4 pseudonyms in the ranges starting with
// prefixes: addresses written canonically whose last byte is 1 to 254.
func ownIPv4(prefixes ...string) func(string) bool {
	return func(v string) bool {
		for _, p := range prefixes {
			if strings.HasPrefix(v, p) {
				addr, err := netip.ParseAddr(v)
				return err == nil && addr.Is4() && addr.String() == v && addr.As4()[3] != 0 && addr.As4()[3] != 255
			}
		}
		return false
	}
}

// ipFormatFor returns the format for an IP address.
func ipFormatFor(addr netip.Addr) *format {
	switch {
	case addr.Is6() && !addr.Is4In6():
		return ipv6Format
	case addr.IsPrivate() || isSharedAddress(addr):
		return privateIPFormat
	}
	return publicIPFormat
}

// isSharedAddress reports whether addr is in 100.64.0.0/10, the carrier
// NAT range that EKS custom networking often uses for pods.
func isSharedAddress(addr netip.Addr) bool {
	b := addr.Unmap().As4()
	return addr.Unmap().Is4() && b[0] == 100 && b[1]&0xc0 == 64
}

// ec2HostFormat names an EC2 host name that spells an IPv4 address
// (ip-10-1-2-3, ec2-54-1-2-3) after that address's pseudonym.
var ec2HostFormat = &format{name: "ec2-host", derived: true, make: func(a *allocator, _ int, v string) string {
	prefix, dashed, _ := strings.Cut(v, "-")
	addr, err := netip.ParseAddr(strings.ReplaceAll(dashed, "-", "."))
	if err != nil {
		return ""
	}
	ip := a.name(ipFormatFor(addr), addr.String())
	if _, err := netip.ParseAddr(ip); err != nil {
		return ""
	}
	return prefix + "-" + strings.ReplaceAll(ip, ".", "-")
}, own: func(v string) bool {
	prefix, dashed, _ := strings.Cut(v, "-")
	if prefix != "ip" && prefix != "ec2" {
		return false
	}
	ip := strings.ReplaceAll(dashed, "-", ".")
	addr, err := netip.ParseAddr(ip)
	return err == nil && ipFormatFor(addr).owns(ip)
}}

// emailFormat gives addresses at example.com, a domain that is nobody's.
var emailFormat = &format{name: "email", make: func(_ *allocator, n int, _ string) string {
	return fmt.Sprintf("redacted%d@example.com", n)
}}

// nameFormat gives names such as redacted-role-1.
func nameFormat(what string) *format {
	return &format{name: "name-" + what, make: func(_ *allocator, n int, _ string) string {
		return fmt.Sprintf("redacted-%s-%d", what, n)
	}}
}
