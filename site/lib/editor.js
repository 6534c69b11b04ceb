// editor.js: the CodeMirror 6 editor, loaded lazily by the page and the
// component. It lives in a shadow root: there CodeMirror installs its
// styles as constructed style sheets, which the site's CSP allows (in a
// document it would add a <style> element, which the CSP blocks). Colours
// come from the CSS variables of css/theme.css, so the themes need nothing
// here.
import { EditorState, EditorSelection, Compartment, StateEffect, StateField, RangeSet } from "@codemirror/state";
import {
  EditorView, Decoration, GutterMarker, gutter, keymap, lineNumbers, placeholder as placeholderText,
  highlightActiveLine, highlightActiveLineGutter,
} from "@codemirror/view";
import { defaultKeymap, history, historyKeymap } from "@codemirror/commands";
import { HighlightStyle, syntaxHighlighting } from "@codemirror/language";
import { tags as t } from "@lezer/highlight";
import { yaml } from "@codemirror/lang-yaml";
import { json } from "@codemirror/lang-json";
import { hcl } from "codemirror-lang-hcl";

const languages = { yaml, json, hcl };
const rank = { critical: 4, high: 3, medium: 2, low: 1, info: 0 };
const jsonKinds = new Set(["iam-trust-policy", "iam-policy", "cloudtrail-event", "caller-identity", "access-entries"]);

/**
 * guessLanguage picks the highlighting for text: from the report's
 * documents when there are any (the kind covering most lines wins), else
 * from the first characters.
 */
export function guessLanguage(text, documents = []) {
  const lines = { yaml: 0, json: 0, hcl: 0 };
  for (const d of documents) {
    const n = d.endLine - d.startLine + 1;
    if (d.kind === "terraform") lines.hcl += n;
    else if (jsonKinds.has(d.kind) && /^\s*[[{]/.test(lineText(text, d.startLine))) lines.json += n;
    else if (d.kind !== "error-text" && d.kind !== "unknown") lines.yaml += n;
  }
  const best = Object.entries(lines).sort((a, b) => b[1] - a[1])[0];
  if (best[1] > 0) return best[0];
  if (/^\s*[[{]/.test(text)) return "json";
  if (/^\s*(resource|module|data|provider|variable|locals|terraform)\b[^\n]*\{/m.test(text)) return "hcl";
  return "yaml";
}

function lineText(text, n) {
  return text.split("\n", n)[n - 1] ?? "";
}

const highlight = HighlightStyle.define([
  { tag: [t.propertyName, t.attributeName], color: "var(--tok-key)" },
  { tag: [t.string, t.special(t.string)], color: "var(--tok-string)" },
  { tag: [t.number, t.integer, t.float], color: "var(--tok-number)" },
  { tag: [t.bool, t.null, t.atom, t.labelName], color: "var(--tok-atom)" },
  { tag: [t.comment, t.lineComment, t.blockComment], color: "var(--tok-comment)", fontStyle: "italic" },
  { tag: [t.keyword, t.controlKeyword, t.meta, t.typeName], color: "var(--tok-meta)", fontWeight: "600" },
]);

const sevColor = (s) => `var(--${s in rank ? s : "info"})`;
const tint = (color, pct) => `color-mix(in srgb, ${color} ${pct}%, transparent)`;

const theme = EditorView.theme({
  "&": { height: "100%", color: "var(--text)", backgroundColor: "var(--panel)", fontSize: "13px" },
  "&.cm-focused": { outline: "none" },
  ".cm-scroller": { fontFamily: "var(--mono)", lineHeight: "1.5" },
  ".cm-content": { caretColor: "var(--text)", padding: "6px 0" },
  ".cm-cursor": { borderLeftColor: "var(--text)" },
  ".cm-gutters": { backgroundColor: "var(--code-bg)", color: "var(--muted)", borderRight: "1px solid var(--border)" },
  ".cm-activeLine": { backgroundColor: tint("var(--accent)", 7) },
  ".cm-activeLineGutter": { backgroundColor: tint("var(--accent)", 16), color: "var(--text)" },
  ".cm-content ::selection, &.cm-focused .cm-content ::selection": { backgroundColor: tint("var(--accent)", 30) },
  ".cm-placeholder": { color: "var(--muted)" },
  ".cm-markers": { width: "14px" },
  ".cm-marker": { display: "inline-block", width: "8px", height: "8px", borderRadius: "50%", margin: "0 3px" },
  ...Object.fromEntries(Object.keys(rank).flatMap((s) => [
    [`.cm-marker.sev-${s}`, { backgroundColor: sevColor(s) }],
    [`.cm-finding-line.sev-${s}`, { backgroundColor: tint(sevColor(s), 11) }],
    [`.cm-finding-range.sev-${s}`, { textDecoration: `underline wavy ${sevColor(s)}`, textUnderlineOffset: "3px" }],
  ])),
});

class Marker extends GutterMarker {
  constructor(severity, label) {
    super();
    this.severity = severity;
    this.label = label;
  }
  eq(other) {
    return other.severity === this.severity && other.label === this.label;
  }
  toDOM() {
    const dot = document.createElement("span");
    dot.className = `cm-marker sev-${this.severity}`;
    dot.title = this.label;
    return dot;
  }
}

const setFindings = StateEffect.define();

// offset converts a 1-based line and column (in Unicode code points, as
// reports count them) to a document position, clamped to the document.
function offset(doc, line, column) {
  const l = doc.line(Math.min(Math.max(line || 1, 1), doc.lines));
  let i = 0;
  for (let n = 1; n < (column || 1) && i < l.length; n++) i += l.text.codePointAt(i) > 0xffff ? 2 : 1;
  return l.from + i;
}

function range(doc, f) {
  const from = offset(doc, f.line, f.column);
  const to = f.endLine ? offset(doc, f.endLine, f.endColumn) : from;
  return { from, to: Math.max(from, to) };
}

// findingsField holds the decorations and gutter markers of the findings
// shown; edits move them until the next analysis replaces them.
const findingsField = StateField.define({
  create: () => ({ decorations: Decoration.none, markers: Decoration.none }),
  update(value, tr) {
    for (const e of tr.effects) if (e.is(setFindings)) return build(tr.state.doc, e.value);
    if (!tr.docChanged) return value;
    return { decorations: value.decorations.map(tr.changes), markers: value.markers.map(tr.changes) };
  },
  provide: (f) => EditorView.decorations.from(f, (v) => v.decorations),
});

function build(doc, findings) {
  const perLine = new Map(); // line start → {severity, labels}
  const marks = [];
  for (const f of findings) {
    if (!f.line || f.line > doc.lines) continue;
    const start = doc.line(f.line).from;
    const worst = perLine.get(start);
    const label = `${f.severity} ${f.rule}: ${f.title || f.message}`;
    if (!worst) perLine.set(start, { severity: f.severity, labels: [label] });
    else {
      worst.labels.push(label);
      if ((rank[f.severity] ?? 0) > (rank[worst.severity] ?? 0)) worst.severity = f.severity;
    }
    const { from, to } = range(doc, f);
    if (to > from) marks.push(Decoration.mark({ class: `cm-finding-range sev-${f.severity}` }).range(from, to));
  }
  const lineDecos = [];
  const markers = [];
  for (const [start, { severity, labels }] of perLine) {
    lineDecos.push(Decoration.line({ class: `cm-finding-line sev-${severity}` }).range(start));
    markers.push(new Marker(severity, labels.join("\n")).range(start));
  }
  return {
    decorations: Decoration.set([...lineDecos, ...marks], true),
    markers: RangeSet.of(markers, true),
  };
}

/**
 * createEditor puts an editor in host's shadow root (made when missing)
 * and returns its controller.
 * @param {Element|ShadowRoot} host
 * @param {{doc?: string, label?: string, placeholder?: string,
 *   onChange?: (text: string) => void, onSubmit?: () => void}} options
 */
export function createEditor(host, { doc = "", label = "Input", placeholder = "", onChange, onSubmit } = {}) {
  const root = host instanceof ShadowRoot ? host : host.shadowRoot || host.attachShadow({ mode: "open" });
  const language = new Compartment();
  let current = guessLanguage(doc);
  const view = new EditorView({
    root,
    parent: root,
    state: EditorState.create({
      doc,
      extensions: [
        lineNumbers(),
        gutter({ class: "cm-markers", markers: (v) => v.state.field(findingsField).markers }),
        highlightActiveLineGutter(),
        highlightActiveLine(),
        history(),
        keymap.of([
          { key: "Mod-Enter", run: () => (onSubmit?.(), true) },
          ...defaultKeymap,
          ...historyKeymap,
        ]),
        EditorView.lineWrapping,
        EditorState.tabSize.of(2),
        placeholderText(placeholder),
        language.of(languages[current]()),
        syntaxHighlighting(highlight),
        findingsField,
        theme,
        EditorView.contentAttributes.of({ "aria-label": label, "aria-multiline": "true", spellcheck: "false", autocapitalize: "off", autocorrect: "off" }),
        EditorView.updateListener.of((u) => {
          if (u.docChanged) onChange?.(u.state.doc.toString());
        }),
      ],
    }),
  });

  return {
    view,
    get text() {
      return view.state.doc.toString();
    },
    /** setText replaces the whole text (one undoable change). */
    setText(text) {
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text }, selection: { anchor: 0 } });
      view.scrollDOM.scrollTop = 0;
    },
    /** setLanguage switches the highlighting to "yaml", "json" or "hcl". */
    setLanguage(name) {
      if (name === current || !languages[name]) return;
      current = name;
      view.dispatch({ effects: language.reconfigure(languages[name]()) });
    },
    /** showFindings marks the findings' lines and ranges. */
    showFindings(findings) {
      view.dispatch({ effects: setFindings.of(findings) });
    },
    /** jump selects a finding's range, scrolls it to the middle and focuses the editor. */
    jump(f) {
      const { from, to } = range(view.state.doc, f);
      view.dispatch({
        selection: EditorSelection.single(from, to),
        effects: EditorView.scrollIntoView(from, { y: "center" }),
      });
      view.focus();
    },
    /** reveal scrolls a finding's line into view, leaving the cursor and focus alone. */
    reveal(f) {
      view.dispatch({ effects: EditorView.scrollIntoView(range(view.state.doc, f).from, { y: "center" }) });
    },
    focus() {
      view.focus();
    },
  };
}
