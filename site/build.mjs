// build.mjs: writes the deployable site. `make dist` runs it as
//
//   node site/build.mjs --out dist --wasm bin/eksdoctor.wasm \
//     --wasm-light bin/eksdoctor-light.wasm --wasm-exec "$(go env GOROOT)/lib/wasm/wasm_exec.js" --meta bin/site.json
//
// Every asset gets a content-hashed name (cache it forever); the HTML
// pages, the two stable entry points (embed.js, eksdoctor.js: one-line
// modules importing their hashed builds) and the examples keep their
// names (revalidate them). It also writes the Content-Security-Policy into
// each page, a _headers file for Netlify and Cloudflare Pages, .nojekyll
// for GitHub Pages, and, outside dist, the list of files a first visit
// loads (--meta), which `make size` and the end-to-end test read. --wasm
// is the module with every rule, the one *.wasm at the top of the site;
// --wasm-light, in light/, is the one a first visit loads, which leaves
// Terraform to the full one (worker.js). Each wasm's .br and .gz must sit
// beside it; `make dist` compresses the rest.
import { createHash } from "node:crypto";
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { basename, dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import * as esbuild from "esbuild";

const site = dirname(fileURLToPath(import.meta.url));

/** csp is the site's policy: its own files only, wasm compilation allowed, nothing inline. */
export const csp = [
  "default-src 'none'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "connect-src 'self'",
  "worker-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");
// A <meta> policy cannot carry frame-ancestors; browsers ignore it there.
const metaCSP = csp.replace(/; frame-ancestors [^;]*/, "");

const immutable = "public, max-age=31536000, immutable";
const browsers = ["chrome123", "firefox120", "safari17.5", "edge123"]; // light-dark() and CSS nesting

const { values: args } = parseArgs({
  options: {
    out: { type: "string", default: "dist" },
    wasm: { type: "string" },
    "wasm-light": { type: "string" },
    "wasm-exec": { type: "string" },
    meta: { type: "string" },
  },
});
if (!args.wasm || !args["wasm-light"] || !args["wasm-exec"]) {
  console.error("usage: node site/build.mjs --out DIR --wasm FULL.wasm --wasm-light LIGHT.wasm --wasm-exec wasm_exec.js [--meta FILE.json]");
  process.exit(2);
}
const out = args.out;

const hash = (data) => createHash("sha256").update(data).digest("hex").slice(0, 12);
const write = (name, data) => {
  mkdirSync(dirname(join(out, name)), { recursive: true });
  writeFileSync(join(out, name), data);
  return name;
};
/** hashed writes data as stem.HASH.ext and returns that name. */
const hashed = (stem, ext, data) => write(`${stem}.${hash(data)}${ext}`, data);
const minify = async (file) =>
  (await esbuild.transform(readFileSync(join(site, file), "utf8"), { minify: true, loader: "js", target: browsers })).code;

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

// The two wasm modules and their precompressed siblings, and the
// toolchain's wasm_exec.js.
function wasmModule(stem, file) {
  const name = hashed(stem, ".wasm", readFileSync(file));
  for (const ext of [".br", ".gz"]) {
    if (!existsSync(file + ext)) throw new Error(`${file}${ext} is missing: run go run ./internal/dev/precompress ${file}`);
    cpSync(file + ext, join(out, name + ext));
  }
  return name;
}
const wasm = wasmModule("eksdoctor", args.wasm);
const wasmLight = wasmModule("light/eksdoctor", args["wasm-light"]);
const wasmExec = hashed("wasm_exec", ".js", readFileSync(args["wasm-exec"]));
const worker = hashed("worker", ".js", await minify("worker.js"));
const theme = hashed("theme", ".js", await minify("theme.js"));

// CSS: the page's and the demo's stylesheets as files, the component's as text.
const cssBuild = await esbuild.build({
  entryPoints: { style: join(site, "style.css"), docs: join(site, "docs.css"), embed: join(site, "css/embed-bundle.css") },
  bundle: true, minify: true, write: false, outdir: out, target: browsers, logLevel: "warning",
});
const cssOut = Object.fromEntries(cssBuild.outputFiles.map((f) => [basename(f.path, ".css"), f.text]));
const style = hashed("style", ".css", cssOut.style);
const docsStyle = hashed("docs", ".css", cssOut.docs);

// JS: the page, the component and the client module, sharing chunks. The
// component's CSS comes in as a module exporting the text.
const embedCSS = {
  name: "embed-css",
  setup(b) {
    b.onResolve({ filter: /^eksdoctor:embed\.css$/ }, (a) => ({ path: a.path, namespace: "embed-css" }));
    b.onLoad({ filter: /.*/, namespace: "embed-css" }, () => ({ contents: cssOut.embed, loader: "text" }));
  },
};
const jsBuild = await esbuild.build({
  entryPoints: { app: join(site, "app.js"), embed: join(site, "embed.js"), eksdoctor: join(site, "eksdoctor.js") },
  bundle: true, splitting: true, format: "esm", minify: true, target: browsers, charset: "utf8",
  outdir: out, entryNames: "[name].[hash]", chunkNames: "[name].[hash]", metafile: true, logLevel: "warning",
  define: { EKSDOCTOR_ASSETS: JSON.stringify({ worker, wasm, wasmLight, wasmExec }) },
  plugins: [embedCSS],
});
const outputs = jsBuild.metafile.outputs;
const rel = (p) => relative(out, p).split("\\").join("/");
const entry = Object.fromEntries(Object.entries(outputs)
  .filter(([, o]) => o.entryPoint)
  .map(([p, o]) => [basename(o.entryPoint, ".js"), rel(p)]));

// reach lists the JS files a module loads, statically or dynamically.
function reach(name, seen = new Set()) {
  if (seen.has(name)) return seen;
  seen.add(name);
  for (const imp of outputs[join(out, name)]?.imports || []) if (!imp.external) reach(rel(imp.path), seen);
  return seen;
}
const staticImports = (name) => (outputs[join(out, name)]?.imports || [])
  .filter((i) => i.kind === "import-statement").map((i) => rel(i.path));

// The stable entry points other pages import.
write("embed.js", `// <eks-doctor>; see README.md, "Embedding".\nimport "./${entry.embed}";\n`);
write("eksdoctor.js", `// eksdoctor's JavaScript API; see README.md.\nexport * from "./${entry.eksdoctor}";\n`);

// Pages: hashed names in, the policy in the meta tag, preloads for the page's chunks.
function page(file, names, preload = []) {
  let html = readFileSync(join(site, file), "utf8");
  html = html.replace(/(<meta http-equiv="Content-Security-Policy" content=")[^"]*(")/, `$1${metaCSP}$2`);
  for (const [from, to] of Object.entries(names)) {
    const before = html;
    html = html.replace(new RegExp(`(src|href)="${from.replace(".", "\\.")}"`, "g"), `$1="${to}"`);
    if (html === before) throw new Error(`${file} does not refer to ${from}`);
  }
  const links = preload.map((p) => `<link rel="modulepreload" href="${p}">`).join("\n");
  if (links) html = html.replace("</head>", `${links}\n</head>`);
  if (/<script(?![^>]*\bsrc=)[^>]*>|<style|\sstyle=|\son[a-z]+=/i.test(html)) throw new Error(`${file} has inline script or style`);
  write(file, html);
}
page("index.html", { "theme.js": theme, "style.css": style, "app.js": entry.app }, staticImports(entry.app));
page("docs.html", { "docs.css": docsStyle });

cpSync(join(site, "examples"), join(out, "examples"), { recursive: true });
write(".nojekyll", "");

// _headers: the policy everywhere; each file's caching on its own rule, so
// no two rules that match one file set the same header (Cloudflare Pages
// joins such values, Netlify picks one).
const revalidated = ["/", "/index.html", "/docs", "/docs.html", "/embed.js", "/eksdoctor.js", "/examples/*"];
const jsFiles = Object.keys(outputs).map(rel);
const forever = [wasm, `${wasm}.br`, `${wasm}.gz`, wasmLight, `${wasmLight}.br`, `${wasmLight}.gz`, wasmExec, worker, theme, style, docsStyle, ...jsFiles].map((f) => `/${f}`);
const block = (path, headers) => `${path}\n${Object.entries(headers).map(([k, v]) => `  ${k}: ${v}`).join("\n")}\n`;
write("_headers", [
  "# Response headers for Netlify and Cloudflare Pages, written by site/build.mjs.",
  "# Other hosts: see README.md, \"Hosting\".",
  block("/*", {
    "Content-Security-Policy": csp,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    // Pages on other origins may embed <eks-doctor> from here.
    "Access-Control-Allow-Origin": "*",
  }),
  ...revalidated.map((p) => block(p, { "Cache-Control": "no-cache" })),
  ...forever.map((p) => block(p, { "Cache-Control": immutable })),
].join("\n"));

// What a first visit to index.html loads, for `make size` and the e2e test.
const firstVisit = ["index.html", theme, style, ...reach(entry.app), worker, wasmExec, wasmLight, "examples/manifest.json"];
if (args.meta) {
  mkdirSync(dirname(args.meta), { recursive: true });
  writeFileSync(args.meta, JSON.stringify({ firstVisit, wasmFull: wasm, immutable: forever, entries: entry }, null, 2) + "\n");
}
console.log(`site: ${out}/ with ${wasm}, ${entry.app}, ${style} (${firstVisit.length} files on a first visit)`);
