// size.mjs: the first-visit weight of the built site, as `make size`
// prints it: every file a first visit to index.html loads (build.mjs lists
// them in its --meta file), raw and brotli, against the budget. It exits 1
// when the brotli total is over the budget.
// Usage: node site/size.mjs DIST_DIR META_JSON
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { brotliCompressSync, constants } from "node:zlib";

/** budget is the first-visit weight allowed, in bytes, brotli-compressed. */
export const budget = 2_000_000;

const [dist, metaPath] = process.argv.slice(2);
if (!dist || !metaPath) {
  console.error("usage: node site/size.mjs DIST_DIR META_JSON");
  process.exit(2);
}
const { firstVisit } = JSON.parse(readFileSync(metaPath, "utf8"));

// brotli is the size of the file's .br sibling, or of compressing it now.
function brotli(file) {
  if (existsSync(file + ".br")) return statSync(file + ".br").size;
  return brotliCompressSync(readFileSync(file), { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
}

let raw = 0;
let br = 0;
const rows = firstVisit.map((name) => {
  const file = join(dist, name);
  const r = statSync(file).size;
  const b = brotli(file);
  raw += r;
  br += b;
  return [name, r, b];
});
const kb = (n) => `${(n / 1000).toFixed(1)} kB`.padStart(10);
console.log(`${"first visit to index.html".padEnd(34)} ${"raw".padStart(10)} ${"brotli".padStart(10)}`);
for (const [name, r, b] of rows) console.log(`${name.padEnd(34)} ${kb(r)} ${kb(b)}`);
console.log(`${"total".padEnd(34)} ${kb(raw)} ${kb(br)}   (budget ${kb(budget).trim()} brotli, ${((100 * br) / budget).toFixed(0)}% used)`);
if (br > budget) {
  console.error(`size: the first visit weighs ${br} bytes brotli, over the budget of ${budget}`);
  process.exit(1);
}
