package redact

import "strings"

// AWS account ids: in ARNs, in fields and arguments that name an account,
// in trust policy principals and in registry and sign-in host names.

var accountPatterns = []*pattern{
	{
		kind:     "aws-account-id",
		keywords: []string{"arn:", "arn%3a"},
		fold:     true,
		find:     findARNAccount,
		format:   accountFormat,
		matches: []string{
			"arn:aws:iam::«210987654321»:role/dev",
			"arn:aws-cn:eks:cn-north-1:«556677889900»:cluster/x",
			"arn:aws:sts::«210987654321»:assumed-role/dev/jane",
			"arn%3Aaws%3Aiam%3A%3A«210987654321»%3Arole%2Fdev",
		},
		decoys: []string{
			"arn:aws:iam::aws:policy/AmazonEKSClusterPolicy", "arn:aws:iam::111122223333:role/x",
			"arn:aws:iam::123456789012:root", "arn:${Partition}:iam::${AccountId}:role/x", "arn:aws:iam::2109876543210:role/x",
		},
	},
	{
		kind:     "aws-account-id",
		keywords: []string{"account", "owner"},
		fold:     true,
		find:     findAccountField,
		format:   accountFormat,
		matches: []string{
			`"Account": "«210987654321»"`, `account_id = "«555566667777»"`, `AWS_ACCOUNT_ID=«210987654321»`,
			`"recipientAccountId": "«210987654321»"`, "--account-id «210987654321»", "in account «210987654321», the role",
			`allowed_account_ids = ["«210987654321»", "«310987654321»"]`, `"OwnerId": "«210987654321»"`,
			`"aws:SourceAccount": "«210987654321»"`,
			"$ aws sts get-caller-identity --query Account --output text\n«210987654321»\n",
			"  mapAccounts: |\n    - \"«210987654321»\"\n    - «310987654321»\n",
		},
		decoys: []string{`"Account": "123456789012"`, `"Id": "210987654321"`, "account 12345", "accountName: prod", `"AccountId": "2109876543210"`},
	},
	{
		kind:     "aws-account-id",
		keywords: []string{"account", "owner"},
		fold:     true,
		find:     findDashedAccount,
		format:   dashedAccountFormat,
		matches:  []string{"Account ID: «2109-8765-4321»"},
		decoys:   []string{"Account ID: 1111-2222-3333", "account 2109-8765-43210"},
	},
	{
		kind:     "aws-account-id",
		keywords: []string{`"aws"`},
		fold:     true,
		find:     findPrincipalAccounts,
		format:   accountFormat,
		matches:  []string{`"Principal": {"AWS": "«210987654321»"}`, `"AWS": ["arn:aws:iam::«310987654321»:root", "«410987654321»"]`},
		decoys:   []string{`"AWS": "111122223333"`, `"AWS": "*"`},
	},
	{
		kind:     "aws-account-id",
		keywords: []string{".dkr.ecr.", ".signin.aws.amazon.com", ".signin.amazonaws-us-gov.com"},
		find:     findHostAccount,
		format:   accountFormat,
		matches:  []string{"image: «210987654321».dkr.ecr.us-west-2.amazonaws.com/app:1.4.2", "https://«210987654321».signin.aws.amazon.com/console"},
		decoys:   []string{"602401143452.dkr.ecr.us-west-2.amazonaws.com/eks/coredns:v1.11.1-eksbuild.9", "111122223333.dkr.ecr.region-code.amazonaws.com"},
	},
}

// documentationAccounts are account ids from AWS documentation, which
// identify nobody.
var documentationAccounts = map[string]bool{
	"123456789012": true, "111122223333": true, "444455556666": true, "777788889999": true,
	"012345678901": true, "000000000000": true, "111111111111": true, "222222222222": true,
	"999999999999": true, "123456789000": true,
}

// awsOwnedAccounts are accounts AWS owns: the registries of the images of
// Amazon EKS add-ons, one per region
// (https://docs.aws.amazon.com/eks/latest/userguide/add-ons-images.html).
var awsOwnedAccounts = map[string]bool{
	"602401143452": true, "877085696533": true, "800184023465": true, "533267051163": true, "296578399912": true,
	"900889452093": true, "491585149902": true, "151610086707": true, "333609536671": true, "121268973566": true,
	"918309763551": true, "961992271922": true, "590381155156": true, "455263428931": true, "900612956339": true,
	"066635153087": true, "730335286997": true, "558608220178": true, "759879836304": true, "761377655185": true,
	"151742754352": true, "013241004608": true, "877088126301": true,
}

// isAccount reports whether s[i:i+12] is an account id to redact: twelve
// digits that stand alone and belong to neither AWS nor its documentation.
func isAccount(s string, i, hi int) bool {
	if i+12 > hi || runEnd(s, i, i+12, digits) != i+12 || i > 0 && digits[s[i-1]] || i+12 < len(s) && alnum[s[i+12]] {
		return false
	}
	v := s[i : i+12]
	return !documentationAccounts[v] && !awsOwnedAccounts[v]
}

// findARNAccount finds the account of an ARN, also URL-encoded:
// arn:partition:service:region:account:resource.
func findARNAccount(h *hit) {
	s := h.text
	sep := ":"
	if h.kw != "arn:" {
		sep = s[h.at+3 : h.at+6]
	}
	i := h.at + 3 + len(sep)
	for part := 0; part < 3; part++ {
		i = runEnd(s, i, min(h.hi, i+64), lowerAlnumDash)
		if !strings.HasPrefix(s[i:h.hi], sep) {
			return
		}
		i += len(sep)
	}
	if isAccount(s, i, h.hi) && strings.HasPrefix(s[i+12:h.hi], sep) {
		h.emit(i, i+12)
	}
}

var lowerAlnumDash = newClass("a-z", "0-9", "-")

// accountKeyEndings are what may follow "account" or "owner" in a key
// that holds account ids (normalised, see normalizeKey).
var accountKeyEndings = map[string]bool{"": true, "s": true, "id": true, "ids": true, "number": true, "no": true, "accountid": true}

// findAccountField finds the account ids after a key or a word that
// names an account: "Account": "…", account_id = "…", --account-id …,
// allowed_account_ids = ["…", "…"], "account 210987654321".
func findAccountField(h *hit) {
	i, ok := afterAccountKey(h)
	if !ok {
		return
	}
	s := h.text
	if le := lineEnd(s, i, min(h.hi, i+256)); strings.Trim(s[i:le], " \t\r|") == "" || strings.Contains(s[i:le], "--output text") {
		// The accounts follow one per line: a YAML list (mapAccounts: |),
		// or what aws sts get-caller-identity --query Account --output
		// text prints.
		for n := 0; n < 100 && le < h.hi; n++ {
			next := skip(s, skip(s, le+1, h.hi, blank), h.hi, yamlItem)
			le = lineEnd(s, next, min(h.hi, next+256))
			if !isAccount(s, next, h.hi) || strings.Trim(s[next+12:le], ` "'\r`) != "" {
				return
			}
			h.emit(next, next+12)
		}
		return
	}
	list := i < h.hi && s[i] == '['
	if list {
		i++
	}
	for n := 0; n < 100; n++ {
		i = skip(s, i, h.hi, accountListFiller)
		if !isAccount(s, i, h.hi) {
			return
		}
		h.emit(i, i+12)
		if !list {
			return
		}
		i += 12
	}
}

// accountListFiller may stand between a key and its account ids.
var accountListFiller = newClass(` "',\(`)

// afterAccountKey checks that the keyword starts a key or phrase naming
// an account and returns where its value may start.
func afterAccountKey(h *hit) (int, bool) {
	s := h.text
	word := h.kw
	ke := runEnd(s, h.at+len(word), h.hi, keyChars)
	var buf [64]byte
	if !accountKeyEndings[string(normalizeKey(buf[:0], s[h.at+len(word):ke]))] {
		return 0, false
	}
	h.skipTo(ke)
	i := skip(s, ke, h.hi, newClassQuotes)
	i = skip(s, i, h.hi, blank)
	if i < h.hi && (s[i] == ':' || s[i] == '=') {
		i = skip(s, i+1, h.hi, blank)
	} else if i == ke {
		return 0, false
	}
	if strings.HasPrefix(strings.ToLower(s[i:min(h.hi, i+3)]), "id") {
		i = skip(s, skip(s, i+2, h.hi, newClassQuotes), h.hi, accountSep)
	}
	return skip(s, i, h.hi, newClassQuotes), true
}

var (
	yamlItem       = newClass(`- "'`)
	newClassQuotes = newClass(`"'\`)
	accountSep     = newClass(" \t:=(")
)

// findDashedAccount finds an account id written as the console shows it,
// 2109-8765-4321.
func findDashedAccount(h *hit) {
	i, ok := afterAccountKey(h)
	if !ok || i+14 > h.hi {
		return
	}
	v := h.text[i : i+14]
	if v[4] != '-' || v[9] != '-' || wordAfter(h.text, i+14) || i+14 < h.hi && h.text[i+14] == '-' {
		return
	}
	plain := v[:4] + v[5:9] + v[10:]
	if isAccount(plain, 0, 12) {
		h.emit(i, i+14)
	}
}

// findPrincipalAccounts finds account ids given as a policy's AWS
// principal: "AWS": "210987654321" or a list of them.
func findPrincipalAccounts(h *hit) {
	s := h.text
	i := skip(s, h.at+len(h.kw), h.hi, blank)
	if i >= h.hi || s[i] != ':' {
		return
	}
	i = skip(s, i+1, h.hi, space)
	end := i + 1
	if i < h.hi && s[i] == '[' {
		e := strings.IndexByte(s[i:h.hi], ']')
		if e < 0 {
			return
		}
		end = i + e
	}
	for j := i; j < end && j+13 < h.hi; j++ {
		if s[j] == '"' && isAccount(s, j+1, h.hi) && s[j+13] == '"' {
			h.emit(j+1, j+13)
		}
	}
}

// findHostAccount finds the account that starts a host name: an ECR
// registry, a console sign-in URL.
func findHostAccount(h *hit) {
	if i := h.at - 12; i >= h.lo && isAccount(h.text, i, h.at) {
		h.emit(i, h.at)
	}
}
