// app.js: the page. It starts eksdoctor (in a worker, via eksdoctor.js) and
// the editor at once, wires the gallery, share links, the theme menu and
// the result panels, and renders each report with DOM calls only.
import { load } from "./eksdoctor.js";
import { Doctor, fixedFilename } from "./lib/doctor.js";
import { el, copyText, downloadText, plural } from "./lib/dom.js";
import { diffLines, stepsView, artifactsView, redactionsTable, summaryText } from "./lib/render.js";
import { headline, headlineView, groupedView } from "./lib/answer.js";
import { loadExamples, exampleText, groups } from "./lib/gallery.js";
import { encodeFragment, decodeFragment, exampleOf, maxFragment } from "./lib/share.js";
import { mountTools } from "./lib/tools.js";
import { mountFiles } from "./lib/files.js";

const $ = (id) => document.getElementById(id);
const client = load();
const examples = loadExamples();
let updateTools = () => {};

function setStatus(text, isError = false) {
  $("status").textContent = text;
  $("status").classList.toggle("error", isError);
}

// Theme: the menu shows and saves what theme.js applied at load.
const themeMenu = $("theme");
themeMenu.value = document.documentElement.dataset.theme || "system";
themeMenu.addEventListener("change", () => {
  const v = themeMenu.value;
  if (v === "light" || v === "dark") document.documentElement.dataset.theme = v;
  else delete document.documentElement.dataset.theme;
  try {
    localStorage.setItem("eksdoctor.theme", v);
  } catch {
    // not remembered, still applied
  }
});

const doctor = new Doctor({
  client,
  render,
  pending: (pending) => $("results").setAttribute("aria-busy", String(pending)),
});

function show(id, visible) {
  $(id).hidden = !visible;
}

// The report as the page shows it: with the person's real values, or,
// with "Show stand-ins", as the analysis and a share link see it.
async function shown(report) {
  return $("share-preview").checked ? report : doctor.localized(report);
}

// chosen says whether a finding's fix is applied or asked for.
function chosen(f) {
  if (doctor.chosen?.text === doctor.text) return doctor.chosen.ids.includes(f.id);
  return f.fix.kind !== "harden" || $("harden").checked;
}

// choose ticks or clears one finding's fix and applies the choice.
function choose(f, on) {
  const report = doctor.report;
  const ids = report.findings.filter((g) => g.fixable && (g.id === f.id ? on : chosen(g))).map((g) => g.id);
  doctor.choose(ids);
}

// fixedDocuments are the documents the applied fixes change, each alone.
function fixedDocuments(report) {
  return (report.documents || []).filter((d) => d.fixed);
}

// fixedConfig is what "Copy fixed config" gives: the changed documents,
// each alone (YAML ones joined as one stream), and a file name for it.
function fixedConfig(report) {
  const docs = fixedDocuments(report);
  if (docs.length === 1) return { text: docs[0].fixed, filename: docs[0].filename };
  const yaml = docs.every((d) => d.format === "yaml");
  const text = docs.map((d) => d.fixed.replace(/\n*$/, "\n")).join(yaml ? "---\n" : "\n");
  return { text, filename: yaml ? "eksdoctor-fixed.yaml" : fixedFilename(report) };
}

// lineOf returns line n of the paste as the page shows it: the person's
// text, or the redacted one while "Show stand-ins" is ticked.
function lineOf(n) {
  const text = $("share-preview").checked ? doctor.report?.redacted || "" : doctor.text;
  return text.split("\n", n)[n - 1] || "";
}

// view is the report on show, as shown(): the fix section's buttons copy
// and save what the page shows.
let view = null;

async function render({ text, report, error }) {
  const ok = report && !report.error;
  view = null;
  for (const id of ["headline-section", "findings-section", "fix-section", "next-section", "artifacts-section", "redacted-section"]) show(id, false);
  show("welcome", !report && !error);
  show("view-bar", Boolean(ok) && text !== doctor.shared);
  $("share").disabled = !ok;
  if (error || report?.error) {
    setStatus(error || report.error, true);
    bumpRenders();
    return;
  }
  if (!report) {
    setStatus("Ready. Paste something or pick an example.");
    bumpRenders();
    return;
  }
  const localized = await shown(report);
  if (doctor.report !== report) return; // a newer result is on its way
  view = localized;
  const docOf = (f) => (view.documents || []).find((d) => d.index === f.document);
  const items = { rules: doctor.rules, onJump: (f) => doctor.jump(f), chosen, choose, docOf };
  // The status sits by the editor, in view where the results are not (a phone).
  const head = headline(view);
  setStatus(head ? `${head.label}: ${head.finding.title} (line ${head.finding.line}). ${summaryText(view)}` : summaryText(view));
  $("headline").replaceChildren(headlineView(view, {
    ...items, line: lineOf,
    onCopyDoc: (d) => copy(exported(d.fixed), `Copied the fixed ${d.filename}, with ${realNote()}.`),
  }));
  show("headline-section", true);
  const rest = groupedView(view, items);
  $("summary").textContent = summaryText(view);
  $("findings").replaceChildren(...rest);
  show("findings-section", rest.length > 0);

  const fixable = view.findings.some((f) => f.fixable);
  show("fix-section", fixable);
  show("harden-note", fixable && !view.fixed && view.findings.every((f) => !f.fixable || f.fix.kind === "harden"));
  for (const id of ["copy-fixed", "download-fixed", "copy-whole"]) $(id).disabled = !view.fixed;
  $("fixed-docs").replaceChildren(...artifactsView(fixedDocuments(view).map((d) => ({ title: `Fixed ${d.title || d.kind}`, filename: d.filename, content: d.fixed })),
    (a) => copy(exported(a.content), `Copied ${a.filename}, with ${realNote()}.`),
    (a) => download(a.content, a.filename, `Downloaded ${a.filename}, with ${realNote()}.`)));
  $("diff").replaceChildren(...(view.diff ? diffLines(view.diff) : []));
  show("diff", Boolean(view.diff));
  $("fix-note").textContent = $("share-preview").checked
    ? "Showing stand-ins for account ids and keys, as a share link would. Copy and download give the same."
    : "Each finding's box chooses its fix: repairs are ticked, hardening is not. The page shows your account ids and names, with secrets masked; copy and download give your real values, secrets included.";

  $("next").replaceChildren(...stepsView(view.next || [], (command) => copy(exported(command), "Copied the command.")));
  show("next-section", (view.next || []).length > 0);

  const artifacts = view.artifacts || [];
  $("artifacts").replaceChildren(...artifactsView(artifacts,
    (a) => copy(exported(a.content), `Copied ${a.filename}, with ${realNote()}.`),
    (a) => download(a.content, a.filename, `Downloaded ${a.filename}, with ${realNote()}.`)));
  show("artifacts-section", artifacts.length > 0);

  $("redactions").replaceChildren(redactionsTable(report.redactions || []));
  $("redacted").replaceChildren(...diffLines(report.redacted || ""));
  show("redacted-section", true);
  updateTools(text);
  bumpRenders();
}

// bumpRenders counts the results shown, for tests to wait on.
function bumpRenders() {
  $("results").dataset.renders = Number($("results").dataset.renders || 0) + 1;
}

// exported is what a copy or download of text shown on the page gives:
// the person's real values, secrets included (they are their files), or
// the stand-ins while "Show stand-ins" is ticked.
function exported(text) {
  return $("share-preview").checked ? text : doctor.real(text);
}

async function download(text, filename, done) {
  downloadText(await exported(text), filename);
  setStatus(done);
}

function realNote() {
  return $("share-preview").checked ? "stand-ins only" : "your real values";
}

async function copy(textPromise, done) {
  try {
    await copyText(await textPromise);
    setStatus(done);
  } catch (err) {
    setStatus(`Could not copy: ${err.message}`, true);
  }
}

$("copy-fixed").addEventListener("click", () => {
  if (view?.fixed) copy(exported(fixedConfig(view).text), `Copied the fixed config, with ${realNote()}.`);
});
$("download-fixed").addEventListener("click", () => {
  if (!view?.fixed) return;
  const { text, filename } = fixedConfig(view);
  download(text, filename, `Downloaded ${filename}, with ${realNote()}.`);
});
$("copy-whole").addEventListener("click", () => {
  if (view?.fixed) copy(exported(view.fixed), `Copied the whole paste with its fixes, with ${realNote()}.`);
});
$("copy-redacted").addEventListener("click", () =>
  copy(doctor.report?.redacted || "", "Copied the redacted input: stand-ins only, safe to share."));
$("share-preview").addEventListener("change", () => {
  if (doctor.report) render({ text: doctor.text, report: doctor.report, error: "" });
});
$("hide-names").addEventListener("change", (e) => doctor.setOptions({ redactIdentifiers: e.target.checked }));
$("harden").addEventListener("change", (e) => {
  doctor.chosen = null;
  doctor.setOptions({ harden: e.target.checked });
});
$("clear").addEventListener("click", () => {
  doctor.setText("");
  doctor.editor?.focus();
});
$("share").addEventListener("click", async () => {
  const report = doctor.report;
  if (!report || report.error) return;
  const fragment = await encodeFragment(report.redacted);
  if (fragment.length > maxFragment) {
    $("share-note").textContent = `This paste is too long for a link (${Math.round(fragment.length / 1024)} KB packed). Use "Copy redacted" instead.`;
    return;
  }
  const url = new URL(location.href);
  url.hash = fragment;
  await copy(url.href, "Copied a share link.");
  $("share-note").textContent = `The link holds the redacted text only (${plural(report.redactions.length, "value")} replaced), after the #: it is never sent to a server.`;
});

// The gallery: one button per example, grouped.
async function showGallery() {
  const list = await examples;
  const buttons = [];
  for (const [title, items] of groups(list)) {
    $("gallery").append(el("div", { className: "gallery-group", role: "group", "aria-label": title },
      el("h3", {}, title),
      ...items.map((ex) => {
        const b = el("button", {
          type: "button", className: "btn", title: ex.description || "", "data-example": ex.id, "aria-pressed": "false",
          onclick: () => openExample(ex, b),
        }, ex.title);
        buttons.push(b);
        return b;
      })));
  }
  return buttons;
}

async function openExample(ex, button) {
  try {
    const text = await exampleText(ex);
    for (const b of $("gallery").querySelectorAll("button")) b.setAttribute("aria-pressed", String(b === button));
    doctor.setText(text);
  } catch (err) {
    setStatus(err.message, true);
  }
}

// A fragment opens a shared paste (#z=…) or an example (#example=id).
async function openFragment() {
  const hash = location.hash;
  if (!hash) return false;
  try {
    const shared = await decodeFragment(hash);
    if (shared !== null) {
      doctor.setText(shared, { shared: true });
      $("share-note").textContent = "Opened from a share link: this text was redacted by whoever shared it.";
      return true;
    }
  } catch {
    setStatus("This share link is damaged: its text could not be read.", true);
    return true;
  }
  const id = exampleOf(hash);
  const ex = id && (await examples).find((e) => e.id === id);
  if (ex) await openExample(ex, $("gallery").querySelector(`[data-example="${CSS.escape(id)}"]`));
  return Boolean(ex);
}

async function main() {
  const gallery = showGallery().catch((err) => setStatus(err.message, true));
  await doctor.mountEditor($("editor"), {
    label: "Paste or type here",
    placeholder: "Paste a kubectl or AWS CLI error, an aws-auth ConfigMap, RBAC, a kubeconfig, IAM policies or Terraform…",
  });
  mountFiles({
    button: $("open-files"), input: $("file-input"), target: $("editor"),
    onText: (text) => doctor.setText(text), onError: (message) => setStatus(message, true),
  });
  await gallery;
  window.addEventListener("hashchange", openFragment);
  const opened = await openFragment();
  try {
    const c = await client;
    $("version").textContent = c.version;
    $("loading").hidden = true;
    updateTools = mountTools($("tools-section"), $("tools"), c, () => doctor.text,
      (command) => copy(command, "Copied the command."),
      (line) => doctor.jump({ line, column: 1 }));
    if (doctor.report && !doctor.report.error) updateTools(doctor.text);
    if (!opened && !doctor.text) setStatus("Ready. Paste something or pick an example.");
    // On a phone, focusing would pop the keyboard over the examples.
    if (!opened && matchMedia("(pointer: fine)").matches) doctor.editor.focus();
  } catch (err) {
    $("loading").hidden = true;
    setStatus(err.message, true);
  }
}

main();
