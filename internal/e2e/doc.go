// Package e2e holds the end-to-end test of the built site: it serves dist/
// (run `make dist` first) and drives the real page in headless Chromium.
package e2e
