// app.js: the page. It starts eksdoctor (in a worker, via eksdoctor.js) and
// the editor at once, wires the gallery, share links, the theme menu and
// the result panels, and renders each report with DOM calls only.
import { load } from "./eksdoctor.js";
import { Doctor, fixedFilename } from "./lib/doctor.js";
import { el, copyText, downloadText, plural } from "./lib/dom.js";
import { findingsView, diffLines, stepsView, artifactsView, redactionsTable, summaryText } from "./lib/render.js";
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

async function renderDiff(report) {
  const diff = report.diff || "";
  const real = $("real-values").checked;
  const text = real ? await doctor.real(diff) : diff;
  if (doctor.report !== report) return;
  $("diff").replaceChildren(...diffLines(text));
  $("fix-note").textContent = real
    ? "The diff shows your real values. Mind them before sharing a screenshot."
    : "The diff shows stand-ins for account ids and keys. Copy and download give you your real values.";
}

async function renderNext(report) {
  const real = $("real-values").checked;
  const steps = await Promise.all((report.next || []).map(async (s) =>
    real && s.command ? { ...s, command: await doctor.real(s.command) } : s));
  if (doctor.report !== report) return;
  $("next").replaceChildren(...stepsView(steps, (command) => copy(doctor.real(command), "Copied the command.")));
  show("next-section", steps.length > 0);
}

function render({ text, report, error }) {
  const ok = report && !report.error;
  $("results").dataset.renders = Number($("results").dataset.renders || 0) + 1;
  show("welcome", !report && !error);
  for (const id of ["findings-section", "fix-section", "next-section", "artifacts-section", "redacted-section"]) show(id, false);
  $("share").disabled = !ok;
  if (error || report?.error) {
    setStatus(error || report.error, true);
    return;
  }
  if (!report) {
    setStatus("Ready. Paste something or pick an example.");
    return;
  }
  setStatus(summaryText(report));
  $("summary").textContent = summaryText(report);
  $("findings").replaceChildren(...findingsView(report, doctor.rules, (f) => doctor.jump(f)));
  show("findings-section", true);

  const fixable = (report.findings || []).some((f) => f.fixable);
  show("fix-section", fixable);
  show("harden-note", fixable && !report.fixed);
  for (const id of ["copy-fixed", "download-fixed"]) $(id).disabled = !report.fixed;
  if (fixable) renderDiff(report);
  renderNext(report);

  const artifacts = report.artifacts || [];
  $("artifacts").replaceChildren(...artifactsView(artifacts,
    (a) => copy(doctor.real(a.content), `Copied ${a.filename}.`),
    (a) => doctor.downloadReal(a.content, a.filename)));
  show("artifacts-section", artifacts.length > 0);

  $("redactions").replaceChildren(redactionsTable(report.redactions || []));
  $("redacted").replaceChildren(...diffLines(report.redacted || ""));
  show("redacted-section", true);
  updateTools(text);
}

async function copy(textPromise, done) {
  try {
    await copyText(await textPromise);
    setStatus(done);
  } catch (err) {
    setStatus(`Could not copy: ${err.message}`, true);
  }
}

$("copy-fixed").addEventListener("click", () =>
  copy(doctor.real(doctor.report?.fixed || ""), "Copied the fixed config, with your real values."));
$("download-fixed").addEventListener("click", async () => {
  const report = doctor.report;
  if (!report?.fixed) return;
  await doctor.downloadReal(report.fixed, fixedFilename(report));
  setStatus("Downloaded the fixed config, with your real values.");
});
$("copy-redacted").addEventListener("click", () =>
  copy(doctor.report?.redacted || "", "Copied the redacted input: stand-ins only, safe to share."));
$("real-values").addEventListener("change", () => {
  if (doctor.report?.fixed) renderDiff(doctor.report);
  if (doctor.report) renderNext(doctor.report);
});
$("hide-names").addEventListener("change", (e) => doctor.setOptions({ redactIdentifiers: e.target.checked }));
$("harden").addEventListener("change", (e) => doctor.setOptions({ harden: e.target.checked }));
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
