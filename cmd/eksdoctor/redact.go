package main

import (
	"fmt"

	"github.com/eksdoctor/eksdoctor/redact"
)

// redactCmd copies stdin to stdout with secrets and account ids replaced
// by pseudonyms, streaming: it holds a few megabytes whatever the input's
// size. When stdin is a file, the output is what Redact gives for the
// whole text, so Restore inverts it.
func redactCmd(args []string, e env) int {
	fs := newFlags("redact", "[flags] < INPUT > OUTPUT", e)
	identifiers := fs.Bool("identifiers", false, "also replace role, user and cluster names")
	_, status, stop := parseN(fs, args, 0)
	if stop {
		return status
	}
	if _, err := redact.RedactReader(e.stdin, e.stdout, redact.Options{Identifiers: *identifiers}); err != nil {
		fmt.Fprintf(e.stderr, "eksdoctor redact: %v\n", err)
		return exitError
	}
	return exitOK
}
