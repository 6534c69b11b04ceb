package core

import "regexp"

// errorSignature matches the text of the errors and log lines eksdoctor
// reads: kubectl, the AWS CLI and SDKs, the aws-iam-authenticator, the
// kubelet, IRSA and Pod Identity, anywhere in a line.
var errorSignature = regexp.MustCompile(anyOf(
	`You must be logged in to the server`,
	`the server has asked for the client to provide credentials`,
	`Error from server`,
	` is forbidden: `,
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
	`(?:ResourceNotFound|InvalidParameter|InvalidRequest|ResourceInUse)Exception`,
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
))

// signalStart matches lines that can only be error output or a command:
// they start a run of error text even where a YAML key could stand.
var signalStart = regexp.MustCompile(anyOf(
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
	re := ""
	for i, a := range alternatives {
		if i > 0 {
			re += "|"
		}
		re += "(?:" + a + ")"
	}
	return re
}

// isSignal reports whether a line holds error output or a command.
func isSignal(line string) bool {
	return errorSignature.MatchString(line) || signalStart.MatchString(line)
}

// isSignalStart reports whether a trimmed line can only be error output
// or a command.
func isSignalStart(trimmed string) bool { return signalStart.MatchString(trimmed) }
