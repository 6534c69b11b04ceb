// tools.js: the forms for the wasm functions the rule families add beside
// analyze. Each takes (text, requestJSON) and returns a JSON string. A
// tool's form shows only when the loaded wasm has its function, so the
// page works with older and newer builds alike.
//
// To wire a tool: describe its request in `example` (shown in the empty
// form), return a request built from the report in `prefill`, and, if
// plain JSON is not the best answer, render the result in `render`.
import { el } from "./dom.js";

export const tools = [
  {
    fn: "canI",
    title: "Can I…? (offline kubectl auth can-i)",
    help: "Asks whether an identity may do something, using only the RBAC and mappings you pasted.",
    example: {},
    prefill: (/* report, text */) => null,
  },
  {
    fn: "simulateTrust",
    title: "Would this pod be allowed to assume this role?",
    help: "Evaluates the pasted trust policy for a pod's ServiceAccount, the way STS would.",
    example: {},
    prefill: (/* report, text */) => null,
  },
];

function pretty(json) {
  try {
    return JSON.stringify(JSON.parse(json), null, 2);
  } catch {
    return String(json);
  }
}

/**
 * mountTools adds a form to container for each tool the client has, shows
 * section when there is at least one, and returns update(report, text),
 * which prefills the forms nobody has typed in.
 */
export function mountTools(section, container, client, getText) {
  const mounted = [];
  for (const tool of tools) {
    if (!client.has(tool.fn)) continue;
    const id = `tool-${tool.fn}`;
    const request = el("textarea", {
      id: `${id}-request`, className: "plain", spellcheck: false, rows: 5,
      value: JSON.stringify(tool.example, null, 2),
      oninput: () => { request.dataset.edited = "1"; },
    });
    const result = el("pre", { id: `${id}-result`, role: "status", "aria-live": "polite", tabIndex: 0 });
    result.hidden = true;
    const form = el("form", {
      onsubmit: async (e) => {
        e.preventDefault();
        result.hidden = false;
        try {
          JSON.parse(request.value);
        } catch (err) {
          result.textContent = `The request is not valid JSON: ${err.message}`;
          return;
        }
        result.textContent = "…";
        try {
          const answer = await client.call(tool.fn, getText(), request.value);
          if (tool.render) result.replaceChildren(tool.render(JSON.parse(answer)));
          else result.textContent = pretty(answer);
        } catch (err) {
          result.textContent = `${tool.fn} failed: ${err.message}`;
        }
      },
    },
    el("label", { htmlFor: request.id }, "Request (JSON)"),
    request,
    el("div", { className: "actions" }, el("button", { type: "submit", className: "btn primary" }, "Ask")));
    container.append(el("section", { className: "tool", id, "aria-labelledby": `${id}-title` },
      el("h3", { id: `${id}-title` }, tool.title),
      el("p", { className: "note" }, tool.help),
      form, result));
    mounted.push({ tool, request });
  }
  section.hidden = mounted.length === 0;
  return (report, text) => {
    for (const { tool, request } of mounted) {
      if (request.dataset.edited) continue;
      const req = report && !report.error ? tool.prefill(report, text) : null;
      if (req) request.value = JSON.stringify(req, null, 2);
    }
  };
}
