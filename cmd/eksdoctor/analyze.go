package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/eksdoctor/eksdoctor/core"
)

// stdinName names standard input in output.
const stdinName = "<stdin>"

// fileReport is one line of --format json: the report of one input plus
// the name it was read from.
type fileReport struct {
	File string `json:"file"`
	core.Report
}

func analyze(args []string, e env) int {
	fs := newFlags("analyze", "[flags] [FILE...]", e)
	format := fs.String("format", "text", "output `format`: text (one line per finding) or json (one report per line)")
	failOn := fs.String("fail-on", "high", "exit 1 when a finding at or above this `severity` exists: critical, high, medium, low, info or none")
	verbose := fs.Bool("v", false, "also list the documents found in each input (text format)")
	redact := fs.Bool("redact", true, "replace secrets and account ids with pseudonyms in the output")
	identifiers := fs.Bool("redact-identifiers", false, "also replace role, user and cluster names")
	harden := fs.Bool("harden", false, "also apply hardening fixes, which take privilege away, to the fixed text (json format); repairs are always applied")
	if status, stop := parse(fs, args); stop {
		return status
	}
	threshold, ok := core.SeverityRank(*failOn)
	if *failOn == "none" {
		threshold, ok = noThreshold, true
	}
	if !ok {
		fmt.Fprintf(e.stderr, "eksdoctor analyze: --fail-on %q is not a severity (critical, high, medium, low, info or none)\n", *failOn)
		return exitError
	}
	if *format != "text" && *format != "json" {
		fmt.Fprintf(e.stderr, "eksdoctor analyze: --format %q is not text or json\n", *format)
		return exitError
	}
	opts := core.Options{KeepSecrets: !*redact, RedactIdentifiers: *identifiers, Harden: *harden}
	files := fs.Args()
	if len(files) == 0 {
		files = []string{"-"}
	}
	status := exitOK
	for _, name := range files {
		text, display, err := readInput(name, e.stdin)
		if err != nil {
			fmt.Fprintf(e.stderr, "eksdoctor: %v\n", err)
			status = exitError
			continue
		}
		rep := core.Analyze(text, opts)
		if *format == "json" {
			writeJSON(e.stdout, fileReport{display, rep})
		} else {
			writeText(e.stdout, display, rep, *verbose)
		}
		switch {
		case rep.Error != "":
			fmt.Fprintf(e.stderr, "%s: %s\n", display, rep.Error)
			status = exitError
		case status == exitOK && failing(rep, threshold):
			status = exitFindings
		}
	}
	return status
}

// readInput reads the file name, or stdin for "-", and returns its text
// and the name to show for it.
func readInput(name string, stdin io.Reader) (text, display string, err error) {
	display = name
	r := stdin
	if name == "-" {
		display = stdinName
	} else {
		f, err := os.Open(name)
		if err != nil {
			return "", name, err
		}
		defer f.Close()
		r = f
	}
	// Read one byte past the limit so that core reports the input as too large.
	b, err := io.ReadAll(io.LimitReader(r, core.MaxInputBytes+1))
	if err != nil {
		return "", display, fmt.Errorf("%s: %v", display, err)
	}
	return string(b), display, nil
}

// noThreshold is the severity rank of --fail-on none: nothing reaches it.
const noThreshold = 99

// failing reports whether rep has a finding whose severity ranks at or
// above threshold.
func failing(rep core.Report, threshold int) bool {
	for _, f := range rep.Findings {
		if rank, _ := core.SeverityRank(f.Severity); rank >= threshold {
			return true
		}
	}
	return false
}

func writeText(w io.Writer, name string, rep core.Report, verbose bool) {
	if verbose {
		for _, d := range rep.Documents {
			fmt.Fprintf(w, "%s:%d-%d: [%s] %s\n", name, d.StartLine, d.EndLine, d.Kind, d.Title)
		}
	}
	if !rep.Recognised && rep.Error == "" {
		fmt.Fprintf(w, "%s: nothing recognised: nothing in it is EKS access material, so nothing was checked\n", name)
		return
	}
	if len(rep.Causes) > 0 {
		c := rep.Causes[0]
		f := rep.Findings[c.Finding]
		fmt.Fprintf(w, "%s:%d:%d: cause %s %s\n", name, f.Line, f.Column, f.Rule, c.Because)
	}
	for _, f := range rep.Findings {
		fmt.Fprintf(w, "%s:%d:%d: %s %s %s\n", name, f.Line, f.Column, f.Severity, f.Rule, f.Message)
	}
}

func writeJSON(w io.Writer, v any) {
	b, err := json.Marshal(v)
	if err != nil { // a Report always encodes
		panic(err)
	}
	w.Write(append(b, '\n'))
}
