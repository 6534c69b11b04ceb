package redact

import "strings"

// Credentials with a format of their own: HTTP authorization headers, a
// Docker config's auth, the CSV the AWS console gives for a new user,
// the result of a Terraform random_password.

// findConsoleCSVPassword finds the passwords in the CSV file the AWS
// console gives for a new IAM user: the second column under its header.
func findConsoleCSVPassword(h *hit) {
	s := h.text
	if h.at > h.lo && s[h.at-1] != '\n' {
		return
	}
	start := lineEnd(s, h.at, h.hi) + 1
	for n := 0; start < h.hi && n < 1000; n++ {
		end := lineEnd(s, start, min(h.hi, start+1024))
		c1 := strings.IndexByte(s[start:end], ',')
		c2 := strings.IndexByte(s[start+c1+1:end], ',')
		if c1 < 0 || c2 < 0 {
			break
		}
		if p := start + c1 + 1; c2 > 0 {
			h.emit(p, p+c2)
		}
		start = end + 1
	}
	h.skipTo(start)
}

// findRandomPassword finds the result of a Terraform random_password in
// a state file: the "result" of the resource that follows.
func findRandomPassword(h *hit) {
	s := h.text
	rest := s[h.at+len(h.kw) : min(h.hi, h.at+4096)]
	r := strings.Index(rest, `"result"`)
	if r < 0 || strings.Contains(rest[:r], `"type"`) {
		return
	}
	ks := h.at + len(h.kw) + r + 1
	if v, ok := valueAfter(h, ks, ks+len("result")); ok && v.quoted {
		h.emit(v.start, v.end)
	}
}

// tokenBytes are the bytes of bearer tokens and other opaque tokens.
var tokenBytes = newClass("a-z", "A-Z", "0-9", "._~+/=-")

// findBearer finds the token after "Bearer ".
func findBearer(h *hit) {
	start := h.at + len("bearer ")
	end := runEnd(h.text, start, h.hi, tokenBytes)
	if v := h.text[start:end]; len(v) >= 16 && looksRandom(v) && !isPlaceholder(v) {
		h.emit(start, end)
	}
}

// findBasicAuth finds the credentials after "Authorization: Basic ".
func findBasicAuth(h *hit) {
	before := h.text[max(h.lo, h.at-40):h.at]
	if !containsFold(before[strings.LastIndexByte(before, '\n')+1:], "authorization") {
		return
	}
	start := h.at + len("basic ")
	end := runEnd(h.text, start, h.hi, base64Std)
	end = runEnd(h.text, end, h.hi, padding)
	if end-start >= 8 && !isPlaceholder(h.text[start:end]) {
		h.emit(start, end)
	}
}

// findDockerAuth finds the base64 user:password of a Docker config's
// "auth" key.
func findDockerAuth(h *hit) {
	q := 1
	if h.kw[0] == '\\' {
		q = 2
	}
	v, ok := valueAfter(h, h.at+q, h.at+len(h.kw)-q)
	if ok && v.quoted && v.end-v.start >= 8 && !isPlaceholder(h.text[v.start:v.end]) {
		h.emit(v.start, v.end)
	}
}
