package fixes

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/tools/txtar"

	"github.com/eksdoctor/eksdoctor/analysis"
)

// The fuzz targets below hand arbitrary text to one family's parsers as a
// document of that family's kind, the way the splitter would, and check
// that its rules never panic and that every fix they offer applies. Each
// is seeded with the inputs of its family's golden cases.

func FuzzAWSAuth(f *testing.F) { fuzzKind(f, analysis.KindAWSAuth, analysis.FormatYAML, "AUTH") }
func FuzzAccessEntries(f *testing.F) {
	fuzzKind(f, analysis.KindAccessEntries, analysis.FormatJSON, "AE")
}
func FuzzRBAC(f *testing.F) { fuzzKind(f, analysis.KindClusterRole, analysis.FormatYAML, "RBAC") }
func FuzzPolicy(f *testing.F) {
	fuzzKind(f, analysis.KindTrustPolicy, analysis.FormatJSON, "IAM", "IRSA", "PODID")
}
func FuzzKubeconfig(f *testing.F) { fuzzKind(f, analysis.KindKubeconfig, analysis.FormatYAML, "KCFG") }
func FuzzErrorText(f *testing.F) {
	fuzzKind(f, analysis.KindErrorText, analysis.FormatText, "ERR", "RBAC00")
}
func FuzzTerraform(f *testing.F) { fuzzKind(f, analysis.KindTerraform, analysis.FormatHCL, "TF") }

// fuzzKind runs the rules on text as one document of kind and format,
// seeded from testdata/rules/<prefix>*.
func fuzzKind(f *testing.F, kind analysis.Kind, format analysis.Format, prefixes ...string) {
	for _, prefix := range prefixes {
		files, _ := filepath.Glob("../testdata/rules/" + prefix + "*/*.txtar")
		for _, file := range files {
			data, err := os.ReadFile(file)
			if err != nil {
				f.Fatal(err)
			}
			for _, sec := range txtar.Parse(data).Files {
				if sec.Name == "input" {
					f.Add(string(sec.Data))
				}
			}
		}
	}
	f.Fuzz(func(t *testing.T, text string) {
		if !utf8.ValidString(text) || strings.IndexByte(text, 0) >= 0 {
			return
		}
		src := analysis.NewSource(text)
		doc := &analysis.Document{Kind: kind, Format: format, End: len(text), Text: text}
		if format == analysis.FormatYAML {
			doc.YAML, doc.ParseError = src.ParseYAML(0, len(text))
		}
		res := analysis.Run(&analysis.Input{Src: src, Docs: []*analysis.Document{doc}}, All)
		for _, found := range res.Findings {
			if found.Start < 0 || found.End < found.Start || found.End > len(text) {
				t.Fatalf("%s reports [%d,%d) in %d bytes", found.Rule, found.Start, found.End, len(text))
			}
			if found.Fix == nil {
				continue
			}
			if _, err := analysis.Apply(text, found.Fix.Edits); err != nil {
				t.Fatalf("%s's fix does not apply: %v", found.Rule, err)
			}
		}
	})
}
