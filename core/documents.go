package core

import (
	"iter"
	"strings"

	"github.com/tidwall/gjson"
	yaml "go.yaml.in/yaml/v3"

	"github.com/eksdoctor/eksdoctor/analysis"
	"github.com/eksdoctor/eksdoctor/fixes"
)

// MaxDocuments is how many documents one analysis reads. No real paste
// under MaxInputBytes comes near it; it bounds the time and memory that a
// stream of tiny documents could cost.
const MaxDocuments = 20000

// readDocuments splits text into documents, read from the text made
// readable and with Terraform plans written as the configuration they
// plan (afterPlans); a document that a plan's rewriting changed is marked
// as output. It returns the source they are read from.
func readDocuments(text string) (src *analysis.Source, docs []*analysis.Document, stoppedAt int) {
	shown := readable(text)
	planned := afterPlans(shown)
	src = analysis.NewSource(planned)
	docs, stoppedAt = splitDocuments(src)
	if planned != shown {
		for _, d := range docs {
			d.Output = d.Output || shown[d.Start:d.End] != planned[d.Start:d.End]
		}
	}
	return src, docs, stoppedAt
}

// splitDocuments splits the whole text into classified documents. Parts
// that are not recognised are dropped when anything else is recognised;
// a paste with nothing recognisable is one unknown document. The
// documents of a named file are titled after it. After MaxDocuments it
// stops and returns the offset where it stopped, else -1.
func splitDocuments(src *analysis.Source) (docs []*analysis.Document, stoppedAt int) {
	known, made := false, 0
	stoppedAt = -1
	files := splitFiles(src)
blocks:
	for r, b := range blocks(src, files) {
		src.Yield()
		for _, d := range documentsOf(src, b) {
			if made++; made > MaxDocuments {
				stoppedAt = d.Start
				break blocks
			}
			if tooDeep(d) == nil {
				classify(d)
			}
			if d.Kind != analysis.KindUnknown || tooDeep(d) != nil {
				known = true
				docs = append(docs, d)
			} else if !r.prose {
				docs = append(docs, d)
			}
		}
	}
	if !known {
		start := len(src.Text) - len(strings.TrimLeft(src.Text, " \t\r\n"))
		end := len(strings.TrimRight(src.Text, " \t\r\n"))
		docs = []*analysis.Document{{Kind: analysis.KindUnknown, Title: "unrecognised text", Format: analysis.FormatText,
			Start: start, End: end, Text: src.Text[start:end]}}
	}
	kept := docs[:0]
	for _, d := range docs {
		if !known || d.Kind != analysis.KindUnknown || tooDeep(d) != nil {
			d.Index = len(kept)
			kept = append(kept, d)
		}
	}
	if known {
		titleAfterFiles(kept, files)
	}
	return kept, stoppedAt
}

// titleAfterFiles titles the documents of each named file after it: the
// only document of a file takes its name, each of several the name before
// its own title.
func titleAfterFiles(docs []*analysis.Document, files []file) {
	first := 0
	for _, f := range files {
		last := first
		for last < len(docs) && docs[last].Start < f.end {
			last++
		}
		for _, d := range docs[first:last] {
			switch {
			case f.name == "":
			case last-first == 1:
				d.Title = f.name
			default:
				d.Title = f.name + ": " + d.Title
			}
		}
		first = last
	}
}

// blocks cuts the text into blocks, file by file and region by region,
// after the byte order mark it may start with.
func blocks(src *analysis.Source, files []file) iter.Seq2[region, block] {
	return func(yield func(region, block) bool) {
		for _, f := range files {
			for _, r := range regions(src, f.start, f.end) {
				if r.start == 0 && strings.HasPrefix(src.Text, "\ufeff") {
					r.start = len("\ufeff")
				}
				for _, b := range cutBlocks(src, r.start, r.end) {
					if !yield(r, b) {
						return
					}
				}
			}
		}
	}
}

// documentsOf turns a block into documents: one per YAML document, one
// per item of a Kubernetes List, one for anything else; a block that
// nests too deeply to parse is one unknown document of text, which no
// rule parses (tooDeep).
func documentsOf(src *analysis.Source, b block) []*analysis.Document {
	newDoc := func(start, end int, format analysis.Format) *analysis.Document {
		return &analysis.Document{Format: format, Start: start, End: end, Text: src.Text[start:end]}
	}
	if err := src.CheckDepth(b.start, b.end, b.format); err != nil {
		d := newDoc(b.start, b.end, analysis.FormatText)
		d.Kind, d.Title, d.ParseError = analysis.KindUnknown, "nested too deeply to read", err
		return []*analysis.Document{d}
	}
	switch b.format {
	case analysis.FormatYAML:
		var docs []*analysis.Document
		parsed := streamNodes(src, b)
		for _, r := range yamlDocuments(src, b) {
			node, err := parsed(r[0], r[1])
			if items := listItems(node); len(items) > 0 {
				docs = append(docs, yamlItems(src, items, r[1])...)
				continue
			}
			d := newDoc(r[0], r[1], analysis.FormatYAML)
			d.YAML, d.ParseError = node, err
			docs = append(docs, d)
		}
		return docs
	case analysis.FormatJSON:
		d := newDoc(b.start, b.end, analysis.FormatJSON)
		if items := d.JSON("items"); strings.HasSuffix(d.JSON("kind").String(), "List") && items.IsArray() {
			var docs []*analysis.Document
			items.ForEach(func(_, item gjson.Result) bool {
				start, end := d.JSONSpan(item)
				docs = append(docs, newDoc(start, end, analysis.FormatJSON))
				return true
			})
			return docs
		}
		return []*analysis.Document{d}
	}
	d := newDoc(b.start, b.end, b.format)
	switch {
	case cutKind(b) != "":
		d.Kind = cutKind(b)
	case b.table != "":
		d.Kind, d.Output = b.table, true
	case !b.prose && !hasErrorLine(d.Text) && fixes.AccessCommand(d.Text) != "":
		d.Kind = analysis.KindAccessEntries
	case !b.prose && !hasErrorLine(d.Text) && fixes.PodAssociationCommand(d.Text) != "":
		d.Kind = analysis.KindServiceAccount
	case b.prose || !hasErrorLine(d.Text):
		d.Kind = analysis.KindUnknown
	default:
		d.Kind = analysis.KindErrorText
	}
	return []*analysis.Document{d}
}

// tooDeep returns why d was not read when it nests more than
// analysis.MaxDepth levels deep, else nil.
func tooDeep(d *analysis.Document) *analysis.DepthError {
	err, _ := d.ParseError.(*analysis.DepthError)
	return err
}

// cutKinds are the kinds that cutting the text decides alone: a document
// is of one of them exactly when cutKind says so of its block. (A
// caller identity is not one: a whoami table is cut, but JSON and YAML
// identities are told by their keys.)
var cutKinds = []analysis.Kind{analysis.KindTerraform}

// cutKind returns the kind of a block that is one of cutKinds, or "".
func cutKind(b block) analysis.Kind {
	if b.format == analysis.FormatHCL {
		return analysis.KindTerraform
	}
	return ""
}

// streamNodes parses a YAML block with one decoder, which costs far less
// than a parser per document in long streams, and returns a function that
// gives the node of the document at [start, end): the decoded one whose
// root lies in it, or a parse of the range on its own when the decoder
// stopped at a syntax error before it or split the stream differently.
func streamNodes(src *analysis.Source, b block) func(start, end int) (*yaml.Node, error) {
	start := b.start
	if start == 0 && strings.HasPrefix(src.Text, "\ufeff") {
		start = len("\ufeff")
	}
	roots, _ := src.ParseYAMLStream(start, b.end)
	next := 0
	return func(start, end int) (*yaml.Node, error) {
		first, last := src.LineOf(start), src.LineOf(max(start, end-1))
		for next < len(roots) && roots[next].Line < first {
			next++
		}
		if next < len(roots) && roots[next].Line <= last {
			next++
			return roots[next-1], nil
		}
		return src.ParseYAML(start, end)
	}
}

// listItems returns the items of a Kubernetes List (kind List, RoleList…).
func listItems(n *yaml.Node) []*yaml.Node {
	items := analysis.Lookup(n, "items")
	if !strings.HasSuffix(analysis.ScalarValue(n, "kind"), "List") || items == nil || items.Kind != yaml.SequenceNode {
		return nil
	}
	return items.Content
}

// yamlItems makes a document of each item of a YAML list: from the line
// of the item to the line of the next one.
func yamlItems(src *analysis.Source, items []*yaml.Node, end int) []*analysis.Document {
	var docs []*analysis.Document
	for i, item := range items {
		start := src.LineStart(item.Line)
		stop := end
		if i+1 < len(items) {
			stop = src.LineStart(items[i+1].Line)
		}
		docs = append(docs, &analysis.Document{Format: analysis.FormatYAML, Start: start, End: stop,
			Text: src.Text[start:stop], YAML: analysis.Resolve(item)})
	}
	return docs
}
