// gallery.js: the examples listed in examples/manifest.json, which sits
// beside the built modules: {"examples": [{id, group, title, file,
// description}]}. Files are fetched from the site's own folder when chosen.

const base = new URL("examples/", import.meta.url);

/** loadExamples reads the manifest. */
export async function loadExamples() {
  const res = await fetch(new URL("manifest.json", base));
  if (!res.ok) throw new Error(`could not load the examples: HTTP ${res.status}`);
  const { examples } = await res.json();
  return examples.filter((e) => e && e.id && e.file);
}

/** exampleText fetches one example's text. */
export async function exampleText(example) {
  const res = await fetch(new URL(example.file, base));
  if (!res.ok) throw new Error(`could not load the example ${example.id}: HTTP ${res.status}`);
  return res.text();
}

/** groups orders examples by group, in the order groups first appear. */
export function groups(examples) {
  const out = new Map();
  for (const e of examples) {
    const g = e.group || "Examples";
    if (!out.has(g)) out.set(g, []);
    out.get(g).push(e);
  }
  return out;
}
