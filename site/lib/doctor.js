// doctor.js: what the page and the <eks-doctor> component share. A Doctor
// connects an editor to an eksdoctor client: it analyses the text shortly
// after each change (in the worker, so typing never waits for it), one
// analysis at a time and only the newest, marks the findings in the
// editor and hands each report to the caller to render.
import { copyText } from "./dom.js";

/** debounceMs is how long typing must pause before an analysis starts. */
export const debounceMs = 250;

export class Doctor {
  /**
   * @param {object} o
   * @param {Promise<object>} o.client from eksdoctor.js load()
   * @param {(state: {text: string, report: object|null, error: string}) => void|Promise<void>} o.render
   *   called with each new result, and awaited; report is null for an empty editor
   * @param {(pending: boolean) => void} [o.pending] called with true when the text
   *   changed and its analysis is due or running, with false once its result is rendered
   */
  constructor({ client, render, pending }) {
    this.client = client;
    this.renderState = render;
    this.pending = pending || (() => {});
    this.editor = null;
    this.text = "";
    this.report = null;
    this.rules = new Map();
    this.options = {};
    this.shared = null; // the text a share link opened, whose report stays in stand-ins
    this.chosen = null; // {text, ids}: the findings whose fixes the person chose for text
    this.timer = 0;
    this.running = false;
    this.queued = false;
    // The rules' docs explain findings; a report waits for them.
    this.rulesLoaded = client.then((c) => c.rules()).then(
      (rules) => { this.rules = new Map(rules.map((r) => [r.id, r])); },
      () => {}, // the status shows why the client failed
    );
  }

  /** mountEditor loads CodeMirror into host and keeps it in step with the analysis. */
  async mountEditor(host, { label, placeholder, doc = "" }) {
    const { createEditor, guessLanguage } = await import("./editor.js");
    this.guessLanguage = guessLanguage;
    this.editor = createEditor(host, {
      doc, label, placeholder,
      onChange: (text) => this.changed(text),
      onSubmit: () => this.analyzeNow(),
    });
    this.text = doc;
    this.revealFirst = Boolean(doc);
    if (doc) this.analyzeNow();
    return this.editor;
  }

  changed(text) {
    this.text = text;
    this.pending(true);
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.run(), debounceMs);
  }

  /** setText replaces the editor's text and analyses it at once; shared marks text from a share link. */
  setText(text, { shared = false } = {}) {
    this.shared = shared ? text : null;
    this.revealFirst = true;
    this.editor.setText(text); // calls changed()
    this.analyzeNow();
  }

  /** setOptions changes the analysis options (e.g. {redactIdentifiers: true}) and analyses again. */
  setOptions(options) {
    this.options = { ...this.options, ...options };
    this.analyzeNow();
  }

  /**
   * choose applies the fixes of the findings with these IDs, and no
   * other, to the current text; null goes back to the default (repairs,
   * and hardening with {harden: true}). A new text drops the choice.
   */
  choose(ids) {
    this.chosen = ids && { text: this.text, ids };
    this.analyzeNow();
  }

  analyzeNow() {
    clearTimeout(this.timer);
    this.pending(true);
    this.run();
  }

  async run() {
    if (this.running) {
      this.queued = true;
      return;
    }
    const text = this.text;
    this.running = true;
    let result;
    try {
      if (!text.trim()) result = { text, report: null, error: "" };
      else {
        const client = await this.client;
        // A share link's text is redacted again like any other: its
        // stand-ins stay as they are, and whatever real value a hand-made
        // link holds is replaced.
        const options = { ...this.options };
        if (this.chosen?.text === text) options.apply = this.chosen.ids;
        result = { text, report: await client.analyze(text, options), error: "" };
        await this.rulesLoaded;
      }
    } catch (err) {
      result = { text, report: null, error: err.message || String(err) };
    }
    this.running = false;
    if (this.queued) {
      this.queued = false;
      this.run();
      return;
    }
    if (text !== this.text) return; // typing went on: its analysis is scheduled
    this.report = result.report;
    const findings = result.report?.error ? [] : result.report?.findings || [];
    this.editor?.showFindings(findings);
    if (result.report && !result.report.error) this.editor?.setLanguage(this.guessLanguage(text, result.report.documents));
    await this.renderState(result);
    // Text put in whole (an example, a share link) opens at its first finding.
    if (this.revealFirst && findings.length) this.editor?.reveal(findings[0]);
    this.revealFirst = false;
    this.pending(false);
  }

  /** jump selects a finding's range in the editor. */
  jump(finding) {
    this.editor?.jump(finding);
  }

  /** real puts the person's real values back into s (a diff, a fix, a command). */
  async real(s) {
    if (!s || this.text === this.shared) return s;
    return (await this.client).restore(this.text, s);
  }

  /**
   * localized returns a copy of report whose words (titles, messages,
   * fixes, causes, next steps, the diff and the fixed documents) carry the
   * person's own account ids, names and hosts instead of the stand-ins,
   * restored here in one call; secrets stay masked, so that the screen
   * shows no credential (real() gives them back for a copy or a
   * download), and redacted stays as it is.
   */
  async localized(report) {
    if (!report || report.error || this.text === this.shared) return report;
    const copy = structuredClone(report);
    const slots = [];
    const slot = (o, key) => { if (typeof o?.[key] === "string" && o[key]) slots.push([o, key]); };
    for (const f of copy.findings) { slot(f, "title"); slot(f, "message"); slot(f.fix, "summary"); }
    for (const c of copy.causes) slot(c, "because");
    for (const s of copy.next) { slot(s, "title"); slot(s, "detail"); slot(s, "command"); }
    for (const d of copy.documents) { slot(d, "title"); slot(d, "fixed"); }
    for (const a of copy.artifacts) { slot(a, "title"); slot(a, "content"); }
    slot(copy, "diff");
    slot(copy, "fixed");
    // Pseudonyms never hold a NUL, and a paste with one is refused.
    const restored = (await this.realIdentifiers(slots.map(([o, k]) => o[k]).join("\0"))).split("\0");
    if (restored.length !== slots.length) return report;
    slots.forEach(([o, k], i) => { o[k] = restored[i]; });
    return copy;
  }

  /** realIdentifiers is real() for text to show: secrets stay masked. */
  async realIdentifiers(s) {
    if (!s || this.text === this.shared) return s;
    const client = await this.client;
    // A module built before restoreIdentifiers existed shows stand-ins.
    return client.has("restoreIdentifiers") ? client.call("restoreIdentifiers", this.text, s) : s;
  }

  /** copyReal copies s with the real values. */
  async copyReal(s) {
    return copyText(await this.real(s));
  }
}

/** fixedFilename suggests a file name for the fixed config from the documents it holds. */
export function fixedFilename(report) {
  const docs = report?.documents || [];
  const kinds = new Set(docs.map((d) => d.kind));
  if (kinds.size === 1 && kinds.has("terraform")) return "eksdoctor-fixed.tf";
  const jsonish = docs.length > 0 && docs.every((d) => /^\s*[[{]/.test(String(report.redacted).split("\n", d.startLine)[d.startLine - 1] || ""));
  return jsonish ? "eksdoctor-fixed.json" : "eksdoctor-fixed.yaml";
}
