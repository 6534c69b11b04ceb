package analysis

import (
	"github.com/tidwall/gjson"
	yaml "go.yaml.in/yaml/v3"
)

// Format is the syntax a document is written in.
type Format string

// The formats the splitter recognises.
const (
	FormatText Format = "text"
	FormatYAML Format = "yaml"
	FormatJSON Format = "json"
	FormatHCL  Format = "hcl"
)

// Document is one part of the input: a YAML document, a JSON value, a
// Terraform file, a run of error lines. It is parsed once, when the input
// is split, and every rule shares that parse.
type Document struct {
	Index int
	Kind  Kind
	// Title is a short human name, e.g. `ConfigMap kube-system/aws-auth`.
	Title  string
	Format Format
	// Start and End are the document's byte range in the whole text.
	Start, End int
	// Text is the document's own text, the whole text's [Start, End).
	Text string
	// YAML is the document's root node when Format is FormatYAML and it
	// parsed. Node lines are lines of the whole text.
	YAML *yaml.Node
	// ParseError says why the document did not parse, when it did not.
	ParseError error
	// Output marks what a command printed (a Terraform plan, eksctl's
	// table of mappings): its findings hold, but no fix may edit it.
	Output bool

	memo memo
}

// Key names a value that rules build once and share, of type T: a model
// of a document, or of the whole input. Declare one per value, as a
// package-level variable.
type Key[T any] struct{ name string }

// NewKey returns a new key; name says what the value is, for debugging.
func NewKey[T any](name string) *Key[T] { return &Key[T]{name} }

// String returns the key's name.
func (k *Key[T]) String() string { return k.name }

// memo is a cache of values by key.
type memo map[any]any

// Memo returns the value build makes for doc under key, building it only
// the first time, so that several rules share one model of a document.
func Memo[T any](doc *Document, key *Key[T], build func() T) T {
	return memoized(&doc.memo, key, build)
}

// MemoInput returns the value build makes for the whole input under key,
// building it only the first time: a model that every document of the
// paste contributes to, shared by every rule of one analysis.
func MemoInput[T any](in *Input, key *Key[T], build func() T) T {
	return memoized(&in.memo, key, build)
}

func memoized[T any](cache *memo, key *Key[T], build func() T) T {
	if v, ok := (*cache)[key]; ok {
		return v.(T)
	}
	v := build()
	if *cache == nil {
		*cache = memo{}
	}
	(*cache)[key] = v
	return v
}

// Node returns the YAML node tree of the document being checked.
func (p *Pass) Node() *yaml.Node { return p.NodeOf(p.Doc) }

// jsonAsYAML is the YAML node tree of a JSON document.
var jsonAsYAML = NewKey[*yaml.Node]("json-as-yaml")

// NodeOf returns the YAML node tree of doc. JSON documents are parsed as
// YAML (JSON is YAML) the first time a rule asks, so rules locate values
// the same way in both. It is nil when the document does not parse.
func (p *Pass) NodeOf(doc *Document) *yaml.Node {
	if doc.YAML != nil || doc.Format != FormatJSON {
		return doc.YAML
	}
	return Memo(doc, jsonAsYAML, func() *yaml.Node {
		n, _ := p.Src.ParseYAML(doc.Start, doc.End)
		return n
	})
}

// JSON looks up a gjson path in a JSON document. The result's Index is
// relative to the document; add Start, or use JSONSpan.
func (doc *Document) JSON(path string) gjson.Result {
	return gjson.Get(doc.Text, path)
}

// JSONSpan returns the byte range of a result of doc.JSON in the whole text.
func (doc *Document) JSONSpan(r gjson.Result) (start, end int) {
	return doc.Start + r.Index, doc.Start + r.Index + len(r.Raw)
}
