package redact

import "strings"

// Tokens whose vendor prefix says what they are. Each is data: its
// prefixes, the bytes of its body and their number, and an example; the
// pseudonym keeps the prefix and the separators, so a reader still sees
// a GitHub token where there was one.

type vendorToken struct {
	kind     string
	prefixes []string
	body     *class
	min, max int
	// must, if set, is a string the body contains (the legacy OpenAI
	// marker T3BlbkFJ).
	must    string
	example string
}

var (
	alnumBody   = newClass("a-z", "A-Z", "0-9")
	wordBody    = newClass("a-z", "A-Z", "0-9", "_")
	urlSafeBody = newClass("a-z", "A-Z", "0-9", "_-")
	dottedBody  = newClass("a-z", "A-Z", "0-9", "_.-")
	slackBody   = newClass("a-z", "A-Z", "0-9", "-")
	webhookBody = newClass("a-z", "A-Z", "0-9", "/")
	hexBody     = newClass("0-9", "a-f")
	letterBody  = newClass("a-z", "A-Z")
	// vendorSeparators stay in pseudonyms: the parts of a Slack token, the
	// path of a webhook URL.
	vendorSeparators = newClass("-._/")
)

var vendorTokens = []vendorToken{
	{"github-token", []string{"ghp_", "gho_", "ghu_", "ghs_", "ghr_"}, alnumBody, 36, 255, "", "ghp_R4nd0mT0k3nW1thTh1rtySixCh4r4ct3rs1X"},
	{"github-token", []string{"github_pat_"}, wordBody, 22, 255, "", "github_pat_11ABCDEFG0abcdefghijkl_MNOPQRSTUVWXyz0123456789abcdefghijklmnopqrstuvwxyzABCDEF"},
	{"gitlab-token", []string{"glpat-", "gldt-", "glrt-", "glcbt-", "glptt-", "glsoat-", "glft-", "glimt-", "glagent-", "gloas-"}, dottedBody, 20, 300, "", "glpat-xY9zK2mQ4pL7vB1nR5tW"},
	{"slack-token", []string{"xoxb-", "xoxp-", "xoxe-", "xoxa-", "xoxs-", "xoxo-", "xoxr-", "xapp-", "xoxe.xoxp-"}, slackBody, 10, 300, "", "xoxb-2718281828-3141592653589-Zx2kQ9vLmPq3rT7uW1yB5nC8"},
	{"slack-webhook", []string{"hooks.slack.com/services/", "hooks.slack.com/workflows/", "hooks.slack.com/triggers/"}, webhookBody, 20, 200, "", "hooks.slack.com/services/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"},
	{"stripe-key", []string{"sk_live_", "sk_test_", "rk_live_", "rk_test_", "whsec_"}, alnumBody, 10, 255, "", "sk_live_51HqZx2kQ9vLmPq3rT7uW1yB5nC8dF0gH4jK6"},
	{"openai-api-key", []string{"sk-proj-", "sk-svcacct-", "sk-admin-", "sk-None-"}, urlSafeBody, 20, 300, "", "sk-proj-Zx2kQ9vLmPq3rT7uW1yB5nC8dF0gH4jK6sA2eR9tY1uI3oP5"},
	{"openai-api-key", []string{"sk-"}, alnumBody, 48, 48, "T3BlbkFJ", "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"},
	{"anthropic-api-key", []string{"sk-ant-api03-", "sk-ant-admin01-", "sk-ant-oat01-", "sk-ant-ort01-"}, urlSafeBody, 20, 300, "", "sk-ant-api03-Zx2kQ9vLmPq3rT7uW1yB5nC8dF0gH4jK6sA2eR9tY1uI3oP5-AbCdEf_GhIjKlMnOpQrStUvWxYz0123456789abcdefghijklmnopqrstuvwxyzAA"},
	{"npm-token", []string{"npm_"}, alnumBody, 36, 36, "", "npm_Zx2kQ9vLmPq3rT7uW1yB5nC8dF0gH4jK6sA2"},
	{"vault-token", []string{"hvs.", "hvb.", "hvr."}, urlSafeBody, 20, 300, "", "hvs.CAESIZx2kQ9vLmPq3rT7uW1yB5nC8dF0gH4jK6sA2eR9tY1uGh4KHGh2cy5"},
	{"gcp-api-key", []string{"AIza"}, urlSafeBody, 35, 35, "", "AIzaSyZx2kQ9vLmPq3rT7uW1yB5nC8dF0gH4jK6"},
	{"huggingface-token", []string{"hf_"}, letterBody, 30, 40, "", "hf_ZxkQvLmPqrTuWyBnCdFgHjKsAeRtYuIo"},
	{"docker-hub-token", []string{"dckr_pat_"}, urlSafeBody, 20, 100, "", "dckr_pat_Zx2kQ9vLmPq3rT7uW1yB5nC8dF0"},
	{"pypi-token", []string{"pypi-AgEIcHlwaS5vcmc"}, urlSafeBody, 50, 300, "", "pypi-AgEIcHlwaS5vcmcCJDZx2kQ9vLmPq3rT7uW1yB5nC8dF0gH4jK6sA2eR9tY1uI3oP5aS7dF9gH2jK4lZ6xC8vB0n"},
	{"sendgrid-api-key", []string{"SG."}, dottedBody, 60, 80, "", "SG.Zx2kQ9vLmPq3rT7uW1yB5n.C8dF0gH4jK6sA2eR9tY1uI3oP5aS7dF9gH2jK4lZ6xC8"},
	{"digitalocean-token", []string{"dop_v1_", "doo_v1_", "dor_v1_"}, hexBody, 64, 64, "", "dop_v1_3b6f1c2a9d8e7f60a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718"},
}

// vendorPatterns turns vendorTokens into patterns, one per kind and
// body.
var vendorPatterns = func() []*pattern {
	var out []*pattern
	for _, t := range vendorTokens {
		out = append(out, &pattern{
			kind:     t.kind,
			keywords: t.prefixes,
			find:     t.find,
			format:   prefixFormat(knownPrefix(t.prefixes...), vendorSeparators),
			matches:  []string{"token: «" + t.example + "»", `"` + "«" + t.example + "»" + `"`},
			decoys:   []string{t.prefixes[0] + "${TOKEN}", "x" + t.example},
		})
	}
	return out
}()

// find finds a token of this vendor at the keyword.
func (t vendorToken) find(h *hit) {
	s := h.text
	if h.at > h.lo && (alnum[s[h.at-1]] || s[h.at-1] == '_') {
		return
	}
	start := h.at + len(h.kw)
	end := runEnd(s, start, min(h.hi, start+t.max+1), t.body)
	n := end - start
	if n < t.min || n > t.max || wordAfter(s, end) || sameByte(s[start:end]) ||
		t.must != "" && !strings.Contains(s[start:end], t.must) {
		return
	}
	h.emit(h.at, end)
	h.skipTo(end)
}
