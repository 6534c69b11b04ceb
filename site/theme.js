// theme.js: a classic script in <head>, so the saved theme applies before
// the first paint. "light" or "dark" pins the theme; anything else follows
// the system. The page's theme menu (app.js) changes and saves it.
"use strict";
(() => {
  let theme = "";
  try {
    theme = localStorage.getItem("eksdoctor.theme") || "";
  } catch {
    // storage may be off; follow the system
  }
  if (theme === "light" || theme === "dark") document.documentElement.dataset.theme = theme;
})();
