// render.js: builds the DOM for a report, for the page and the component
// alike. Every string from the report or from rules() becomes text nodes;
// links are made only from http(s) URLs.
import { el, plural, safeURL } from "./dom.js";

const severities = ["critical", "high", "medium", "low", "info"];

/** severityCounts gives "1 high, 2 medium" for findings. */
export function severityCounts(findings) {
  return severities
    .map((s) => [s, findings.filter((f) => f.severity === s).length])
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s}`)
    .join(", ");
}

/** summaryText says in one line what the report found. */
export function summaryText(report) {
  const findings = report.findings || [];
  const docs = plural((report.documents || []).length, "document");
  if (findings.length === 0) return `No problems found in ${docs}.`;
  return `${plural(findings.length, "finding")} (${severityCounts(findings)}) in ${docs}.`;
}

function lines(d) {
  return d.startLine === d.endLine ? `line ${d.startLine}` : `lines ${d.startLine}–${d.endLine}`;
}

function documentHead(doc, tag = "h3", className = "doc-head") {
  return el(tag, { className },
    el("span", { className: "kind" }, doc.kind),
    el("span", { className: "doc-title" }, doc.title || doc.kind),
    el("span", {}, lines(doc)));
}

/**
 * explanation renders a rule's doc and references, as rules() gives them,
 * or nothing for an unknown rule.
 */
export function explanation(rule) {
  if (!rule) return null;
  const body = el("div", { className: "explain-body" });
  for (const para of String(rule.doc || "").split(/\n\s*\n/)) {
    if (para.trim()) body.append(el("p", {}, para.trim()));
  }
  const refs = rule.references || [];
  if (refs.length) {
    body.append(el("h4", {}, "Sources"),
      el("ul", { className: "refs" }, ...refs.map((ref) => {
        const href = safeURL(ref);
        return el("li", {}, href ? el("a", { href, target: "_blank", rel: "noopener noreferrer" }, ref) : String(ref));
      })));
  }
  return el("details", { className: "explain" },
    el("summary", {}, "Why this matters and how to fix it"), body);
}

/**
 * fixLabel says what a finding's fix does and whether the fixed config
 * holds it: a repair is applied unless it overlaps another or the person
 * cleared it; a hardening (it takes privilege away) only when asked for.
 * chosen says whether the fix was asked for, when the page lets people
 * choose.
 */
export function fixLabel(fix, chosen) {
  const harden = fix.kind === "harden";
  if (fix.applied !== false) return `${harden ? "Hardening" : "Fix"}: ${fix.summary}`;
  if (chosen === false) return `${harden ? "Hardening" : "Fix"}, not applied: ${fix.summary}`;
  if (harden && chosen === undefined) return `Hardening, not in the fixed config unless asked for (it takes privilege away): ${fix.summary}`;
  return `${harden ? "Hardening" : "Fix"}, not applied because it overlaps another: ${fix.summary}`;
}

/**
 * splitMessage returns a message's first sentence and the rest, "" when
 * it has one sentence.
 */
export function splitMessage(msg) {
  const m = /^(.+?[.!?])\s+(?=[A-Z(`"'])/s.exec(String(msg || ""));
  return m ? [m[1], msg.slice(m[0].length)] : [String(msg || ""), ""];
}

function locationButton(f, onJump) {
  return el("button", {
    type: "button", className: "where", "aria-label": `Go to line ${f.line}, column ${f.column} in the editor`,
    onclick: () => onJump?.(f),
  }, `line ${f.line}:${f.column}`);
}

/**
 * fixChoice is a finding's fix with a checkbox that chooses it, or its
 * label alone when o.choose is not given: o.chosen(finding) says whether
 * it is chosen, o.choose(finding, checked) is called when the person
 * ticks or clears it.
 */
function fixChoice(f, o) {
  const chosen = o.chosen?.(f);
  const label = el("span", { className: `fix-summary${f.fix.applied === false ? " skipped" : ""}` }, fixLabel(f.fix, chosen));
  if (!o.choose) return el("p", {}, label);
  const box = el("input", { type: "checkbox", checked: chosen, "data-fix": f.id, onchange: (e) => o.choose(f, e.target.checked) });
  return el("label", { className: "check fix-choice" }, box, label);
}

/**
 * findingHead renders a finding's severity, rule, location (a button that
 * jumps to it: o.onJump) and document (o.doc), then its title.
 */
export function findingHead(f, o) {
  return [
    el("div", { className: "finding-head" },
      el("span", { className: "badge" }, f.severity),
      el("span", { className: "rule-id" }, f.rule),
      locationButton(f, o.onJump),
      o.doc ? el("span", { className: "in-doc" }, `in ${o.doc.title || o.doc.kind}`) : null),
    el("strong", { className: "finding-title" }, f.title || f.rule),
  ];
}

/**
 * findingBody renders a finding's fix (with a checkbox when o.choose is
 * given) and the rule's explanation (o.rules).
 */
export function findingBody(f, o) {
  return [f.fix?.summary ? fixChoice(f, o) : null, explanation(o.rules.get(f.rule))];
}

/**
 * findingItem renders one finding: the sentence tying it to the pasted
 * error (o.because) or its message's first sentence, the rest folded,
 * then findingBody. o: {rules, onJump, chosen, choose, because, doc}.
 */
export function findingItem(f, o) {
  const [first, more] = messageView(f, o.because, o.because ? "because" : "message");
  return el("li", { className: `finding sev-${f.severity}`, "data-rule": f.rule, "data-line": f.line, "data-id": f.id || "" },
    ...findingHead(f, o), first, more, ...findingBody(f, o));
}

/**
 * messageView renders what a finding says: the sentence tying it to the
 * pasted error (because) or its message's first sentence, in a paragraph
 * of className, and the rest folded under "More" (null when nothing is
 * left).
 */
export function messageView(f, because, className) {
  const [first, rest] = because ? [because, f.message] : splitMessage(f.message);
  return [el("p", { className }, first),
    rest ? el("details", { className: "more" }, el("summary", {}, "More"), el("p", { className: "message" }, rest)) : null];
}

/**
 * findingsView groups the findings by document: documents with findings
 * first, each with its list, then one line naming the documents without.
 * onJump(finding) is called when a finding's location is activated.
 */
export function findingsView(report, rules, onJump) {
  const out = [];
  const docs = report.documents || [];
  const findings = report.findings || [];
  const byDoc = new Map();
  for (const f of findings) {
    const key = docs.some((d) => d.index === f.document) ? f.document : -1;
    if (!byDoc.has(key)) byDoc.set(key, []);
    byDoc.get(key).push(f);
  }
  const group = (head, list) =>
    el("section", { className: "doc-group" }, head,
      el("ol", { className: "findings" }, ...list.map((f) => findingItem(f, { rules, onJump }))));
  for (const doc of docs) {
    if (byDoc.has(doc.index)) out.push(group(documentHead(doc), byDoc.get(doc.index)));
  }
  if (byDoc.has(-1)) out.push(group(el("h3", { className: "doc-head" }, "Across documents"), byDoc.get(-1)));
  const quiet = docs.filter((d) => !byDoc.has(d.index));
  if (quiet.length) {
    out.push(el("section", { className: "doc-group quiet" },
      el("h3", { className: "doc-head" }, findings.length ? "No problems found in" : "Read and found nothing wrong in"),
      documentsList(quiet)));
  }
  return out;
}

/** documentsList lists documents: kind, title and lines. */
export function documentsList(docs) {
  return el("ul", { className: "quiet-docs" }, ...docs.map((d) => documentHead(d, "li", "doc-head quiet-doc")));
}

/** diffLines renders a unified diff, one span per line, classed by kind. */
export function diffLines(diff) {
  let header = true; // the ---/+++ lines before the first hunk
  return diff.replace(/\n$/, "").split("\n").map((line) => {
    if (line.startsWith("@@")) header = false;
    const kind = header ? "meta" : line.startsWith("@@") ? "hunk" : line.startsWith("+") ? "add" : line.startsWith("-") ? "del" : "";
    return el("span", { className: kind }, line || " ");
  });
}

/** stepsView renders next steps; commands get a copy button. */
export function stepsView(steps, onCopy) {
  return steps.map((s) => el("li", {},
    el("span", { className: "step-title" }, s.title),
    s.detail ? el("span", { className: "step-detail" }, s.detail) : null,
    s.command ? el("div", { className: "command" },
      el("code", {}, s.command),
      el("button", { type: "button", className: "btn small", "aria-label": `Copy the command: ${s.title}`, onclick: () => onCopy(s.command) }, "Copy"))
      : null));
}

/** artifactsView renders generated files with copy and download buttons. */
export function artifactsView(artifacts, onCopy, onDownload) {
  return artifacts.map((a) => el("li", { className: "artifact" },
    el("div", { className: "artifact-head" },
      el("span", {}, el("span", { className: "step-title" }, a.title), el("span", { className: "artifact-name" }, a.filename)),
      el("span", { className: "actions" },
        el("button", { type: "button", className: "btn small", "aria-label": `Copy ${a.filename}`, onclick: () => onCopy(a) }, "Copy"),
        el("button", { type: "button", className: "btn small", "aria-label": `Download ${a.filename}`, onclick: () => onDownload(a) }, "Download"))),
    el("details", {}, el("summary", {}, "Preview"), el("pre", { tabIndex: 0 }, a.content))));
}

const kindNames = {
  "aws-account-id": "AWS account ids",
  "aws-access-key-id": "AWS access key ids",
};

/** redactionsTable counts the stand-ins per kind: distinct values and occurrences. */
export function redactionsTable(redactions) {
  if (!redactions.length) return el("p", { className: "empty" }, "Nothing needed replacing.");
  const kinds = new Map();
  for (const r of redactions) {
    const k = kinds.get(r.kind) || { values: 0, count: 0 };
    k.values++;
    k.count += r.count;
    kinds.set(r.kind, k);
  }
  return el("table", { className: "redactions" },
    el("caption", { className: "visually-hidden" }, "Values replaced before analysis, per kind"),
    el("thead", {}, el("tr", {}, el("th", { scope: "col" }, "Replaced"), el("th", { scope: "col" }, "Values"), el("th", { scope: "col" }, "Occurrences"))),
    el("tbody", {}, ...[...kinds].map(([kind, k]) => el("tr", {},
      el("td", {}, kindNames[kind] || kind),
      el("td", { className: "num" }, String(k.values)),
      el("td", { className: "num" }, String(k.count))))));
}
