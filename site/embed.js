// embed.js: the <eks-doctor> web component. A documentation page adds
//
//   <script type="module" src="https://…/eksdoctor/embed.js"></script>
//   <eks-doctor example="kubectl-logs-403" height="18rem" theme="auto"></eks-doctor>
//
// and gets an editor with live analysis, findings with their explanations,
// and the fix. Attributes: example (an id from examples/manifest.json),
// height (a CSS length for the editor), theme (light, dark or auto). With
// no example, the text of a <template> child is the initial input.
// Everything lives in a shadow root; the wasm is loaded from the folder this
// module came from, and all instances on a page share one worker.
import css from "eksdoctor:embed.css";
import { load } from "./eksdoctor.js";
import { Doctor } from "./lib/doctor.js";
import { el } from "./lib/dom.js";
import { findingsView, diffLines, summaryText } from "./lib/render.js";
import { loadExamples, exampleText } from "./lib/gallery.js";
import { encodeFragment, maxFragment } from "./lib/share.js";

let sheet = null;
let client = null;
const pageURL = new URL("index.html", import.meta.url);

class EksDoctor extends HTMLElement {
  static observedAttributes = ["height"];

  connectedCallback() {
    if (this.shadowRoot) return;
    const root = this.attachShadow({ mode: "open" });
    if (!sheet) {
      sheet = new CSSStyleSheet();
      sheet.replaceSync(css);
    }
    root.adoptedStyleSheets = [sheet];
    const part = (tag, className, props = {}, ...children) => el(tag, { className, ...props }, ...children);
    this.ui = {
      status: part("span", "status", { role: "status", "aria-live": "polite" }, "Loading eksdoctor…"),
      loading: part("div", "loading", { "aria-hidden": "true" }),
      open: part("a", "open", { href: pageURL.href, target: "_blank", rel: "noopener" }, "Open in eksdoctor"),
      editor: part("div", "editor"),
      summary: part("p", "summary"),
      findings: part("div", "findings"),
      diff: part("pre", "diff", { tabIndex: 0, "aria-label": "Unified diff of the fix" }),
      copy: part("button", "btn primary", { type: "button" }, "Copy fixed config"),
    };
    this.ui.fix = part("div", "fix", {}, part("div", "fix-head", {}, el("h3", {}, "Fix"), this.ui.copy), this.ui.diff);
    this.ui.results = part("section", "results", { "aria-label": "eksdoctor results" }, this.ui.summary, this.ui.findings, this.ui.fix);
    this.ui.results.hidden = true;
    this.ui.fix.hidden = true;
    root.append(part("div", "eks", {},
      part("div", "bar", {}, part("span", "name", {}, "eksdoctor"), this.ui.status, this.ui.open),
      this.ui.loading, this.ui.editor, this.ui.results,
      part("p", "privacy", {}, "Runs in your browser: nothing you type here leaves this page.")));
    this.applyHeight();
    this.ui.copy.addEventListener("click", async () => {
      try {
        await this.doctor.copyReal(this.doctor.report?.fixed || "");
        this.setStatus("Copied the fixed config.");
      } catch (err) {
        this.setStatus(`Could not copy: ${err.message}`, true);
      }
    });
    this.start();
  }

  attributeChangedCallback() {
    this.applyHeight();
  }

  applyHeight() {
    const h = this.getAttribute("height");
    if (this.ui && h && CSS.supports("height", h)) this.ui.editor.style.height = h;
  }

  setStatus(text, isError = false) {
    this.ui.status.textContent = text;
    this.ui.status.classList.toggle("error", isError);
  }

  async initialText() {
    const id = this.getAttribute("example");
    if (id) {
      const ex = (await loadExamples()).find((e) => e.id === id);
      if (!ex) throw new Error(`eksdoctor has no example "${id}"`);
      return exampleText(ex);
    }
    const template = this.querySelector("template");
    return (template ? template.content.textContent : "").replace(/^\n/, "");
  }

  async start() {
    client ??= load();
    this.doctor = new Doctor({ client, render: (s) => this.render(s) });
    let text = "";
    try {
      text = await this.initialText();
    } catch (err) {
      this.setStatus(err.message, true);
    }
    await this.doctor.mountEditor(this.ui.editor, { label: "eksdoctor input", placeholder: "Paste a kubectl error, aws-auth, RBAC…", doc: text });
    try {
      await client;
      if (!text) this.setStatus("Ready. Paste something.");
    } catch (err) {
      this.setStatus(err.message, true);
    }
    this.ui.loading.hidden = true;
  }

  async render({ report, error }) {
    const ok = report && !report.error;
    this.ui.results.dataset.renders = Number(this.ui.results.dataset.renders || 0) + 1;
    this.ui.results.hidden = !ok;
    if (error || report?.error) return this.setStatus(error || report.error, true);
    if (!report) return this.setStatus("Ready. Paste something.");
    this.setStatus(summaryText(report));
    this.ui.summary.textContent = summaryText(report);
    this.ui.findings.replaceChildren(...findingsView(report, this.doctor.rules, (f) => this.doctor.jump(f)));
    this.ui.fix.hidden = !report.fixed;
    this.ui.diff.replaceChildren(...diffLines(report.diff || ""));
    const fragment = await encodeFragment(report.redacted);
    if (this.doctor.report === report) this.ui.open.href = fragment.length <= maxFragment ? `${pageURL.href}#${fragment}` : pageURL.href;
  }
}

if (!customElements.get("eks-doctor")) customElements.define("eks-doctor", EksDoctor);
