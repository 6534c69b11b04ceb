package main

import (
	"encoding/xml"
	"fmt"
	"io"
)

// JUnit XML as CI servers read it: one suite per analysed file, one
// failing test case per finding, and one passing case for a clean file.

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Failure   *junitFailure `xml:"failure,omitempty"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

// writeJUnit writes the run as JUnit XML.
func writeJUnit(w io.Writer, results []*result, _ *config) error {
	out := junitSuites{Name: "eksdoctor"}
	for _, r := range analysed(results) {
		suite := junitSuite{Name: r.path}
		for _, f := range r.findings {
			suite.Cases = append(suite.Cases, junitCase{
				Name: fmt.Sprintf("%s %s (%d:%d)", f.Rule, f.Title, f.Line, f.Column), Classname: r.path,
				Failure: &junitFailure{
					Message: f.Message, Type: f.Severity,
					Text: fmt.Sprintf("%s:%d:%d: %s %s %s", r.path, f.Line, f.Column, f.Severity, f.Rule, f.Message),
				},
			})
		}
		suite.Failures = len(suite.Cases)
		if len(suite.Cases) == 0 {
			suite.Cases = []junitCase{{Name: "no findings", Classname: r.path}}
		}
		suite.Tests = len(suite.Cases)
		out.Tests += suite.Tests
		out.Failures += suite.Failures
		out.Suites = append(out.Suites, suite)
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(out); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}
