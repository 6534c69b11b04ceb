// Package analysis is the vocabulary eksdoctor's rules are written in,
// and the text kit they locate and edit values with.
//
// A [Rule] is a value: a stable ID, a title, a severity, the document
// [Kind]s it reads, a plain-words Doc with its references, and a Run
// function. [Run] runs rules over an [Input], the analysed (already
// redacted) text as a [Source] and the [Document]s it was split into:
// each rule once per document of its kinds, or once over all of them when
// the rule is Cross. Each run is a [Pass]; through it the rule reports
// [Finding]s, suggests next [Step]s and attaches [Artifact]s.
//
// A finding points at a byte range of the whole text and may carry a
// [Fix]: a summary and byte-range [Edit]s. [Apply] splices edits into the
// text and refuses overlapping ones, so a fix keeps everything around the
// value it changes (comments, key order, quoting, indentation); nothing is
// ever re-serialised. [Unified] turns the result into a diff.
//
// The text kit finds the bytes to edit. Parsers locate values, then the
// kit maps them back: [Source] converts offsets to lines and columns and
// parses YAML (JSON included) with positions of the whole text; [Scalar]
// is a value with its span and the [TextMap] it lives in (the whole text,
// or text [Embedded] in a string value, like the YAML inside aws-auth's
// mapRoles); the sequence and mapping edits append or remove items in the
// style the text already uses. [ARN] splits and canonicalises ARNs.
//
// Rules share the models they build through typed memo keys, one cache
// per document and one per input.
//
// The rules themselves live in package fixes; analysis never imports it.
package analysis
