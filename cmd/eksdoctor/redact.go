package main

import (
	"fmt"
	"io"

	"github.com/eksdoctor/eksdoctor/redact"
)

// redactCmd copies stdin to stdout with secrets and account ids replaced
// by pseudonyms. It holds the input and its redacted copy, no more: the
// same value must get the same pseudonym throughout, so it cannot stream.
func redactCmd(args []string, e env) int {
	fs := newFlags("redact", "[flags] < INPUT > OUTPUT", e)
	identifiers := fs.Bool("identifiers", false, "also replace role, user and cluster names")
	if status, stop := parse(fs, args); stop {
		return status
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return exitError
	}
	b, err := io.ReadAll(e.stdin)
	if err != nil {
		fmt.Fprintf(e.stderr, "eksdoctor redact: reading stdin: %v\n", err)
		return exitError
	}
	res := redact.Redact(string(b), redact.Options{Identifiers: *identifiers})
	if _, err := io.WriteString(e.stdout, res.Text); err != nil {
		fmt.Fprintf(e.stderr, "eksdoctor redact: %v\n", err)
		return exitError
	}
	return exitOK
}
