package main

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

// githubLevels map severities to GitHub Actions annotation commands.
var githubLevels = map[string]string{"critical": "error", "high": "error", "medium": "warning", "low": "warning", "info": "notice"}

// writeGitHub writes one GitHub Actions workflow command per finding,
// which the runner shows as an annotation on the file's line:
// ::error file=F,line=L,col=C,endLine=…,endColumn=…,title=RULE title::message
func writeGitHub(w io.Writer, results []*result, _ *config) error {
	b := bufio.NewWriter(w)
	for _, r := range analysed(results) {
		for _, f := range r.findings {
			var props []string
			if r.file != "" {
				props = append(props, "file="+githubProperty(r.path))
			}
			props = append(props,
				fmt.Sprintf("line=%d", f.Line), fmt.Sprintf("col=%d", f.Column),
				fmt.Sprintf("endLine=%d", f.EndLine), fmt.Sprintf("endColumn=%d", f.EndColumn),
				"title="+githubProperty(f.Rule+" "+f.Title))
			fmt.Fprintf(b, "::%s %s::%s\n", githubLevels[f.Severity], strings.Join(props, ","), githubData(f.Message))
		}
	}
	return b.Flush()
}

// githubData escapes a workflow command's message: %, CR and LF.
var githubData = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace

// githubProperty escapes a workflow command's property value: what
// githubData does, and the ":" and "," that end properties.
var githubProperty = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace
