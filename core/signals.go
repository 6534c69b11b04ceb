package core

import (
	"strings"

	"github.com/eksdoctor/eksdoctor/fixes"
	"github.com/eksdoctor/eksdoctor/internal/prefilter"
)

// errorSignature matches the text of the errors and log lines eksdoctor
// reads: kubectl, the AWS CLI and SDKs, the aws-iam-authenticator, the
// kubelet, IRSA and Pod Identity, anywhere in a line.
var errorSignature = prefilter.NewAlternation(errorSignatures...)

// errorSignatures are the alternatives of errorSignature.
var errorSignatures = []string{
	`You must be logged in to the server`,
	`the server has asked for the client to provide credentials`,
	`Error from server`,
	` is forbidden: `,
	`\bforbidden: User "`,
	`Forbidden`,
	`Unauthorized`,
	`Unable to connect to the server`,
	`couldn't get current server API group list`,
	`The connection to the server \S+ was refused`,
	`An error occurred \(`,
	`AccessDenied`,
	`UnauthorizedOperation`,
	`(?i:not authorized to perform)`,
	`access denied`,
	`is not mapped`,
	`exec plugin`,
	`getting credentials`,
	`executable \S+ (?:not found|failed)`,
	`WebIdentityErr`,
	`InvalidIdentityToken`,
	`ExpiredToken`,
	`InvalidClientTokenId`,
	`SignatureDoesNotMatch`,
	`x509: `,
	`unable to upgrade connection`,
	`Errors parsing configmap`,
	`SessionName did not contain`,
	`No OpenIDConnect provider`,
	`Incorrect token audience`,
	`ResourceNotFoundException`,
	`InvalidParameterException`,
	`InvalidRequestException`,
	`ResourceInUseException`,
	`Unable to load (?:AWS )?credentials`,
	`NoCredentialProviders`,
	`failed to refresh cached credentials`,
	`Trust policy of the role provided is invalid`,
	`configmaps "aws-auth" not found`,
	`does(?:n't| not) have access to Kubernetes objects`,
	`Kubernetes configuration file is (?:group|world)-readable`,
	`i/o timeout`,
	`connection refused`,
	`no such host`,
	`\bNotReady\b`,
	`\bError: `,
	`^\s*(?:error|Error|ERROR|fatal):`,
	`level=(?:error|warning|warn)\b`,
	`^[EWF]\d{4} \d\d:\d\d:\d\d`,
}

// signalStart matches lines that can only be error output or a command:
// they start a run of error text even where a YAML key could stand. The
// whole expression is anchored, so that a line that does not start like
// one is rejected at its first byte, before the expression runs.
var signalStart = prefilter.MustCompile("^" + anyOf(
	`^(?:error|Error|ERROR|fatal):`,
	`^Error from server`,
	`^Unable to connect to the server`,
	`^The connection to the server`,
	`^An error occurred \(`,
	`^[EWF]\d{4} \d\d:\d\d:\d\d`,
	`^(?:time="[^"]*" )?level=`,
	`^(?:\$|%|>|❯|➜|PS [^>]*>)\s*(?:sudo\s+)?(?:kubectl|aws|eksctl|helm|terraform|aws-iam-authenticator|k|kubectl-\S+|curl|export|cat)\b`,
	`^(?:kubectl|aws|eksctl|aws-iam-authenticator) \S`,
))

// anyOf joins alternatives into one regular expression.
func anyOf(alternatives ...string) string {
	re := "(?:"
	for i, a := range alternatives {
		if i > 0 {
			re += "|"
		}
		re += "(?:" + a + ")"
	}
	return re + ")"
}

// signatureWords holds, lower-cased, a word of every alternative of
// errorSignature: text without any of them cannot match, so most lines
// of configuration skip the regular expression.
var signatureWords = wordSet(`logged credentials error forbidden unauthorized connect api refused occurred
		accessdenied unauthorizedoperation authorized denied mapped plugin getting executable webidentityerr
		invalididentitytoken expiredtoken invalidclienttokenid signaturedoesnotmatch x upgrade configmap sessionname
		openidconnect audience resourcenotfoundexception invalidparameterexception invalidrequestexception
		resourceinuseexception load nocredentialproviders refresh trust configmaps timeout host notready fatal level
		objects readable
		e w f`)

// wordSet returns the set of the space-separated words of text.
func wordSet(text string) map[string]bool {
	set := map[string]bool{}
	for _, w := range strings.Fields(text) {
		set[w] = true
	}
	return set
}

// hasErrorSignature reports whether text holds an error signature.
func hasErrorSignature(text string) bool {
	for start := 0; start < len(text); {
		for start < len(text) && !isLetter(text[start]) {
			start++
		}
		end := start
		for end < len(text) && isLetter(text[end]) {
			end++
		}
		if end-start <= maxSignatureWord && end > start && signatureWords[strings.ToLower(text[start:end])] {
			return errorSignature.MatchString(text)
		}
		start = end
	}
	return false
}

// maxSignatureWord is longer than any word of signatureWords.
const maxSignatureWord = 32

func isLetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }

// lineHead is how much of a line the line classifiers read: keys,
// prompts and error signatures are at the start, and a bound keeps a
// pasted multi-megabyte line from costing a regular expression scan.
const lineHead = 4096

// head returns the start of line that the line classifiers read.
func head(line string) string { return line[:min(len(line), lineHead)] }

// isSignal reports whether a line holds error output or a command.
func isSignal(line string) bool {
	line = head(line)
	return hasErrorSignature(line) || signalStart.MatchString(line) || isCommand(strings.TrimSpace(line))
}

// isSignalStart reports whether a trimmed line can only be error output
// or a command.
func isSignalStart(trimmed string) bool {
	return signalStart.MatchString(head(trimmed)) || isCommand(trimmed)
}

// promptCommand matches a command line of a shell session behind any
// prompt people have: user@host:~$, [root@ip-10-0-0-1 ~]#, bash-4.2#,
// ➜  repo git:(main) ✗, (venv) ➜  ~, robert ❱. A bare "# " is not one:
// YAML comments start so.
var promptCommand = prefilter.MustCompile(`^\S.{0,78}?[$#%>❯❱➜✗»]\s+(?:[~.\w/-]+\s+)?(?:sudo\s+(?:-E\s+)?)?` +
	`(?:kubectl|aws|eksctl|helm|terraform|aws-iam-authenticator|kubectl-\S+|cdk|pulumi|curl|cat|grep|export|echo)(?:\s|$)`)

// isCommand reports whether a trimmed line is a command behind a prompt.
// A line with no prompt character near its start is rejected before the
// expression runs: most lines of a paste are YAML, and their ARNs hold
// "aws", one of the commands the expression looks for.
func isCommand(trimmed string) bool {
	return hasPrompt(trimmed[:min(len(trimmed), promptReach)]) && promptCommand.MatchString(head(trimmed))
}

// hasPrompt reports whether s holds a character that ends a prompt: $, #,
// %, >, or one of ❯ ❱ ➜ ✗ », which start with the bytes 0xE2 and 0xC2.
func hasPrompt(s string) bool {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '$', '#', '%', '>':
			return true
		case 0xE2, 0xC2:
			if strings.ContainsAny(s[i:], "❯❱➜✗»") {
				return true
			}
		}
	}
	return false
}

// promptReach is how far into a line promptCommand looks for a prompt.
const promptReach = 96

// hasErrorLine reports whether a line of text holds an error signature.
func hasErrorLine(text string) bool {
	_, ok := errorLineOf(text)
	return ok
}

// errorLineOf returns the first line of text that holds an error: one
// with an error signature, or one that a rule of the error catalogue
// knows.
func errorLineOf(text string) (string, bool) {
	for line := range strings.Lines(text) {
		if hasErrorSignature(head(line)) {
			return line, true
		}
	}
	return fixes.KnownErrorLine(text)
}
