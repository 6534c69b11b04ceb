// answer.js: the page's answer to a paste, most useful first: a headline
// card (the most likely cause of the pasted error, else the most serious
// finding, else why nothing was found), then the other findings grouped
// into the error's causes, risks by severity, and context.
import { el, plural } from "./dom.js";
import { documentsList, findingBody, findingHead, findingItem, messageView } from "./render.js";

const severities = ["critical", "high", "medium", "low", "info"];
const rank = (f) => severities.length - severities.indexOf(f.severity);

/**
 * headline picks what the page leads with: {finding, because, label},
 * the first cause when the paste holds an error, else the first of the
 * most serious findings; null without findings.
 */
export function headline(report) {
  const findings = report.findings || [];
  const cause = (report.causes || [])[0];
  if (cause && findings[cause.finding]) {
    return { finding: findings[cause.finding], because: cause.because, label: "Most likely cause" };
  }
  let top = null;
  for (const f of findings) if (!top || rank(f) > rank(top)) top = f;
  return top && { finding: top, because: "", label: "Most serious finding" };
}

/**
 * headlineView renders the headline card: the finding, the sentence that
 * ties it to the error, the line to change as the paste has it, its fix
 * with a button that copies the fixed document, the rest folded. o is
 * findingItem's options plus line(n) (the text of line n of the paste),
 * docOf(finding) and onCopyDoc(document).
 */
export function headlineView(report, o) {
  const head = headline(report);
  if (!head) return emptyView(report);
  const f = head.finding;
  const doc = o.docOf(f);
  const [first, more] = messageView(f, head.because, "headline-because");
  const copy = f.fix?.applied && doc?.fixed
    ? el("button", { type: "button", className: "btn primary", id: "copy-headline", onclick: () => o.onCopyDoc(doc) }, `Copy the fixed ${doc.filename}`)
    : null;
  return el("div", { className: `headline finding sev-${f.severity}`, "data-rule": f.rule, "data-line": f.line, "data-id": f.id },
    el("h2", { className: "headline-label", id: "headline-title" }, head.label),
    ...findingHead(f, { ...o, doc }),
    first,
    el("div", { className: "headline-where" },
      el("span", { className: "headline-label" }, f.fixable ? "Line to change" : "Where"),
      el("code", { className: "headline-line" }, o.line(f.line).trim() || " ")),
    ...findingBody(f, o),
    copy ? el("div", { className: "actions headline-copy" }, copy) : null,
    more);
}

// emptyView says why there is no finding: nothing was recognised, or
// what was read has no problem.
function emptyView(report) {
  if (!report.recognised) {
    const step = (report.next || []).find((s) => s.title === "Nothing recognised");
    return el("div", { className: "headline empty-state", "data-state": "unrecognised" },
      el("h2", { className: "headline-label", id: "headline-title" }, "Nothing recognised"),
      el("p", {}, step?.detail || "Nothing in this paste is EKS access material, so nothing was checked."));
  }
  const docs = report.documents || [];
  return el("div", { className: "headline empty-state", "data-state": "clean" },
    el("h2", { className: "headline-label", id: "headline-title" }, "No problems found"),
    el("p", {}, `Read ${plural(docs.length, "document")} (${[...new Set(docs.map((d) => d.kind))].join(", ")}) and found nothing wrong.`));
}

/**
 * groupedView renders the findings but the headline's in groups: the
 * other causes of the pasted error (most likely first), risks (most
 * serious first) and context; then what each document of the paste is.
 * o is findingItem's options plus docOf(finding).
 */
export function groupedView(report, o) {
  const findings = report.findings || [];
  const top = headline(report)?.finding;
  const because = new Map((report.causes || []).map((c) => [findings[c.finding], c.because]));
  const causes = (report.causes || []).map((c) => findings[c.finding]).filter((f) => f && f !== top);
  const rest = findings.filter((f) => f !== top && !because.has(f));
  const risks = rest.filter((f) => f.severity !== "info").sort((a, b) => rank(b) - rank(a));
  const context = rest.filter((f) => f.severity === "info");
  const group = (title, list, withBecause) => list.length === 0 ? null :
    el("section", { className: "finding-group" },
      el("h3", { className: "group-head" }, `${title} (${list.length})`),
      el("ol", { className: "findings" }, ...list.map((f) => findingItem(f, { ...o, doc: o.docOf(f), because: withBecause ? because.get(f) : "" }))));
  const docs = report.documents || [];
  return [
    group("Also explains the error", causes, true),
    group("Risks", risks, false),
    group("Context", context, false),
    docs.length ? el("section", { className: "finding-group" },
      el("h3", { className: "group-head" }, `What you pasted (${plural(docs.length, "document")})`), documentsList(docs)) : null,
  ].filter(Boolean);
}
