// Command eksdoctor diagnoses Amazon EKS access problems from text, for CI
// and scripts, with the same core as the web page.
//
// Usage:
//
//	eksdoctor analyze [flags] [PATH...]   report findings in files and directories (stdin: -)
//	eksdoctor rules [--format md|json]    list the rules
//	eksdoctor explain RULE                a rule's doc, references and an example
//	eksdoctor redact [flags]              redact stdin to stdout
//	eksdoctor serve [flags] DIR           serve a built site (dist/) locally
//	eksdoctor version                     print the version
//
// Flags may come before, between or after the arguments; "--" ends them.
// Exit status: 0 when all is well, 1 when analyze found a finding at or
// above --fail-on, 2 on a usage error or an input that cannot be read.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
)

// Exit statuses.
const (
	exitOK       = 0
	exitFindings = 1
	exitError    = 2
)

const usage = `eksdoctor diagnoses Amazon EKS access problems from pasted text.

Usage:
  eksdoctor analyze [flags] [PATH...]   report findings in files and directories (stdin: -)
  eksdoctor rules [--format md|json]    list the rules
  eksdoctor explain RULE                a rule's doc, references and an example
  eksdoctor redact [flags]              redact stdin to stdout
  eksdoctor serve [flags] DIR           serve a built site (dist/) locally
  eksdoctor version                     print the version (also --version)

Run "eksdoctor COMMAND -h" for a command's flags.
`

// env is what a command reads and writes, so tests can run it in-process.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
}

func main() {
	os.Exit(run(os.Args[1:], env{os.Stdin, os.Stdout, os.Stderr}))
}

// run executes the command line args and returns the exit status.
func run(args []string, e env) int {
	if len(args) == 0 {
		fmt.Fprint(e.stderr, usage)
		return exitError
	}
	commands := map[string]func([]string, env) int{
		"analyze":   analyze,
		"rules":     rulesCmd,
		"explain":   explain,
		"redact":    redactCmd,
		"serve":     serve,
		"version":   versionCmd,
		"--version": versionCmd,
	}
	switch cmd, ok := commands[args[0]]; {
	case ok:
		return cmd(args[1:], e)
	case args[0] == "help" || args[0] == "-h" || args[0] == "--help":
		fmt.Fprint(e.stdout, usage)
		return exitOK
	default:
		fmt.Fprintf(e.stderr, "eksdoctor: unknown command %q\n\n%s", args[0], usage)
		return exitError
	}
}

// newFlags returns a flag set for a command that reports to e.stderr.
func newFlags(name, synopsis string, e env) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprintf(e.stderr, "usage: eksdoctor %s %s\n", name, synopsis)
		fs.PrintDefaults()
	}
	return fs
}

// parse parses args, flags and arguments in any order ("--" ends the
// flags), and returns the arguments, or the exit status to stop with.
func parse(fs *flag.FlagSet, args []string) (rest []string, status int, stop bool) {
	for {
		err := fs.Parse(args)
		switch {
		case errors.Is(err, flag.ErrHelp):
			return nil, exitOK, true
		case err != nil:
			return nil, exitError, true
		}
		left := fs.Args()
		if n := len(args) - len(left); n > 0 && args[n-1] == "--" || len(left) == 0 {
			return append(rest, left...), 0, false
		}
		rest, args = append(rest, left[0]), left[1:]
	}
}

// parseN is parse for a command that takes exactly n arguments: with
// another number it prints the usage and stops with exitError.
func parseN(fs *flag.FlagSet, args []string, n int) (rest []string, status int, stop bool) {
	rest, status, stop = parse(fs, args)
	if !stop && len(rest) != n {
		fs.Usage()
		return nil, exitError, true
	}
	return rest, status, stop
}

// flagSet reports whether the flag name was given on the command line.
func flagSet(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}
