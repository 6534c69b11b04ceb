// Package e2e holds the end-to-end tests of the built site: they serve
// dist/ (run `make dist` first; `make test` does) and drive the real page
// and the embedding demo in headless Chromium. Set EKSDOCTOR_SCREENSHOTS
// to a folder to keep the screenshots; otherwise they go to the test's
// artifact folder, which the test prints.
package e2e
