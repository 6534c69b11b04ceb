// app.js: the page. It wires the textarea to eksdoctor (in a worker, via
// eksdoctor.js) and renders reports. User text is only ever set as
// textContent, never parsed as HTML.
import { load } from "./eksdoctor.js";

const debounceMs = 250;
const $ = (id) => document.getElementById(id);
const input = $("input");
const gutter = $("gutter");
const status = $("status");

let eksdoctor = null;
let latest = 0; // sequence number of the newest analysis requested
let current = { text: "", report: null }; // what the page shows

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function setStatus(text, isError = false) {
  status.textContent = text;
  status.classList.toggle("error", isError);
}

function updateGutter() {
  const lines = input.value.split("\n").length;
  if (gutter.dataset.lines !== String(lines)) {
    gutter.dataset.lines = lines;
    gutter.textContent = Array.from({ length: lines }, (_, i) => i + 1).join("\n");
  }
  gutter.scrollTop = input.scrollTop;
}

// selectLine selects line n (1-based) of the input and scrolls to it.
function selectLine(n) {
  const lines = input.value.split("\n");
  const start = lines.slice(0, n - 1).reduce((sum, l) => sum + l.length + 1, 0);
  input.focus();
  input.setSelectionRange(start, start + (lines[n - 1] || "").length);
  const lineHeight = input.scrollHeight / Math.max(lines.length, 1);
  input.scrollTop = Math.max(0, (n - 3) * lineHeight);
}

function renderFindings(findings) {
  const list = $("findings");
  list.replaceChildren();
  for (const f of findings) {
    const item = el("li", `finding sev-${f.severity}`);
    const head = el("div", "finding-head");
    const where = el("button", "where", `line ${f.line}, column ${f.column}`);
    where.type = "button";
    where.title = "Select this line in the input";
    where.addEventListener("click", () => selectLine(f.line));
    head.append(el("span", "severity", f.severity), el("span", "rule", f.rule), where);
    item.append(head, el("strong", "title", f.title), el("p", "message", f.message));
    if (f.fixable) item.append(el("p", "fix", `Fix: ${f.fix.summary}`));
    list.append(item);
  }
  $("findings-section").hidden = false;
  if (findings.length === 0) list.append(el("li", "none", "No problems found in what eksdoctor understands so far."));
}

function renderDiff(diff) {
  const pre = $("diff");
  pre.replaceChildren();
  let header = true; // the ---/+++ lines before the first hunk
  for (const line of diff.replace(/\n$/, "").split("\n")) {
    if (line.startsWith("@@")) header = false;
    const kind = header || line.startsWith("@@") ? "meta" : line.startsWith("+") ? "add" : line.startsWith("-") ? "del" : "";
    pre.append(el("span", kind, line || " "));
  }
  $("fix-section").hidden = !diff;
}

function renderList(id, items, toNode) {
  const list = $(id);
  list.replaceChildren(...items.map(toNode));
  $(`${id}-section`).hidden = items.length === 0;
}

function render(text, report) {
  current = { text, report };
  const findings = report.findings || [];
  if (!text.trim()) {
    setStatus("Ready. Paste something to analyse.");
  } else if (report.error) {
    setStatus(report.error, true);
  } else {
    setStatus(`${findings.length} finding${findings.length === 1 ? "" : "s"} in ${report.documents.length} document${report.documents.length === 1 ? "" : "s"}`);
  }
  if (report.error) $("findings-section").hidden = true;
  else renderFindings(findings);
  renderDiff(report.diff || "");
  renderList("next", report.next || [], (s) => {
    const item = el("li", "", "");
    item.append(el("strong", "", s.title));
    if (s.command) item.append(el("code", "", s.command));
    if (s.detail) item.append(el("span", "", s.detail));
    return item;
  });
  renderList("documents", report.documents || [], (d) =>
    el("li", "", `lines ${d.startLine}–${d.endLine} · ${d.kind} · ${d.title}`));
  const redactions = report.redactions || [];
  $("redactions").textContent = redactions.length === 0 ? "" :
    "Replaced before analysis: " + redactions.map((r) => `${r.kind} → ${r.placeholder} (${r.count}×)`).join(", ");
}

async function analyze() {
  const text = input.value;
  const seq = ++latest;
  try {
    const report = await eksdoctor.analyze(text);
    if (seq === latest) render(text, report);
  } catch (err) {
    if (seq === latest) setStatus(err.message, true);
  }
}

async function copyFixed() {
  const { text, report } = current;
  if (!report?.fixed) return;
  try {
    await navigator.clipboard.writeText(await eksdoctor.restore(text, report.fixed));
    setStatus("Copied the fixed config, with your real values, to the clipboard.");
  } catch (err) {
    setStatus(`Could not copy: ${err.message}`, true);
  }
}

let timer = 0;
input.addEventListener("input", () => {
  updateGutter();
  clearTimeout(timer);
  timer = setTimeout(analyze, debounceMs);
});
input.addEventListener("scroll", () => { gutter.scrollTop = input.scrollTop; });
$("copy").addEventListener("click", copyFixed);

try {
  eksdoctor = await load();
  $("version").textContent = eksdoctor.version;
  input.disabled = false;
  setStatus("Ready. Paste something to analyse.");
  updateGutter();
  if (input.value) analyze();
  input.focus();
} catch (err) {
  setStatus(err.message, true);
}
