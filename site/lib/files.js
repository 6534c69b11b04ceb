// files.js: opening text files into the editor, from a file picker or by
// dropping them onto it. One file goes in as it is; several are joined
// under "==> NAME <==" headers, as head and tail print them, which the
// analysis reads as documents titled with the files' names.

/** maxInputBytes is the most eksdoctor analyses (core.MaxInputBytes). */
const maxInputBytes = 5 << 20;

const mib = (bytes) => (bytes / (1 << 20)).toFixed(1);
const tooLarge = (what, bytes) =>
  new Error(`${what} ${mib(bytes)} MiB; eksdoctor analyses at most ${maxInputBytes >> 20} MiB.`);

/**
 * readText reads a file as UTF-8 text. It throws an Error naming the file
 * when the file is too large, cannot be read (a folder) or is not text
 * (NUL bytes, invalid UTF-8).
 * @param {File} file
 */
async function readText(file) {
  if (file.size > maxInputBytes) throw tooLarge(`${file.name} is`, file.size);
  const bytes = new Uint8Array(await file.arrayBuffer().catch((err) => {
    throw new Error(`${file.name} could not be read: ${err.message}`);
  }));
  if (bytes.includes(0)) throw new Error(`${file.name} holds binary data, not text.`);
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new Error(`${file.name} is not UTF-8 text; save it as UTF-8 and open it again.`);
  }
}

/**
 * joinFiles puts one file's text in as it is and several one after the
 * other, each under a "==> NAME <==" header line.
 * @param {{name: string, text: string}[]} files
 */
function joinFiles(files) {
  if (files.length === 1) return files[0].text;
  return files.map(({ name, text }) =>
    `==> ${name.replace(/[\r\n]+/g, " ")} <==\n${text}${text.endsWith("\n") ? "" : "\n"}`).join("\n");
}

/**
 * readFiles reads files and joins them into one paste, or throws an Error
 * saying which file cannot be opened or that together they are too large.
 * @param {Iterable<File>} files
 */
async function readFiles(files) {
  const read = [];
  for (const file of files) read.push({ name: file.name, text: await readText(file) });
  const text = joinFiles(read);
  const size = new Blob([text]).size;
  if (size > maxInputBytes) throw tooLarge("Together the files are", size);
  return text;
}

/**
 * mountFiles lets people open files with button (which clicks the hidden
 * file input) or by dropping them onto target, which carries the class
 * "drop-target" while files are dragged over it. Dragged text is left to
 * the editor. onText gets the text of the files, onError the message of
 * what could not be opened.
 * @param {{button: HTMLElement, input: HTMLInputElement, target: HTMLElement,
 *   onText: (text: string) => void, onError: (message: string) => void}} o
 */
export function mountFiles({ button, input, target, onText, onError }) {
  const open = async (files) => {
    if (!files.length) return;
    try {
      onText(await readFiles(files));
    } catch (err) {
      onError(err.message);
    }
  };
  button.addEventListener("click", () => input.click());
  input.addEventListener("change", () => {
    const files = [...input.files];
    input.value = ""; // opening the same file again is a change too
    open(files);
  });

  const carriesFiles = (e) => e.dataTransfer?.types.includes("Files");
  const highlight = (on) => target.classList.toggle("drop-target", on);
  // Listening while the event goes down to the editor (capture) keeps a
  // dropped file from CodeMirror, which would insert it unchecked.
  target.addEventListener("dragover", (e) => {
    if (!carriesFiles(e)) return;
    e.preventDefault();
    e.stopPropagation();
    e.dataTransfer.dropEffect = "copy";
    highlight(true);
  }, true);
  target.addEventListener("dragleave", (e) => {
    if (!target.contains(e.relatedTarget)) highlight(false);
  }, true);
  target.addEventListener("drop", (e) => {
    highlight(false);
    if (!carriesFiles(e)) return;
    e.preventDefault();
    e.stopPropagation();
    open([...e.dataTransfer.files]);
  }, true);
}
