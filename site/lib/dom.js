// dom.js: small DOM helpers. Text only ever goes in as textContent or
// attribute values set through the DOM, never as HTML.

/**
 * el creates an element. props sets properties (className, type, …) or,
 * for keys with a dash and for aria/data/role, attributes; children are
 * nodes or strings (as text).
 */
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key.includes("-") || key === "role") node.setAttribute(key, value === true ? "" : String(value));
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node[key] = value;
  }
  node.append(...children.filter((c) => c !== undefined && c !== null && c !== false));
  return node;
}

/** plural gives "1 finding" or "2 findings". */
export function plural(n, word, words = word + "s") {
  return `${n} ${n === 1 ? word : words}`;
}

/** copyText puts text on the clipboard. */
export async function copyText(text) {
  if (navigator.clipboard?.writeText) return navigator.clipboard.writeText(text);
  // Pages served over plain http (not localhost) have no clipboard API.
  const area = el("textarea", { value: text, readOnly: true, className: "visually-hidden" });
  document.body.append(area);
  area.select();
  const ok = document.execCommand("copy");
  area.remove();
  if (!ok) throw new Error("this browser does not allow copying here");
}

/** safeFilename keeps a suggested file name to letters, digits, dot, dash and underscore. */
export function safeFilename(name, fallback = "eksdoctor.txt") {
  const clean = String(name || "").replace(/[^A-Za-z0-9._-]+/g, "-").replace(/^[.-]+/, "");
  return clean || fallback;
}

/** downloadText saves text as a file named filename, without leaving the page. */
export function downloadText(text, filename) {
  const url = URL.createObjectURL(new Blob([text], { type: "text/plain;charset=utf-8" }));
  const link = el("a", { href: url, download: safeFilename(filename) });
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
}

/** safeURL returns url when it is an http(s) URL, else "". */
export function safeURL(url) {
  try {
    const u = new URL(url);
    return u.protocol === "https:" || u.protocol === "http:" ? u.href : "";
  } catch {
    return "";
  }
}
