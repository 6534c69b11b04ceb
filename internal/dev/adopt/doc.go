// Package adopt tests what teams adopt eksdoctor by: the library's module
// graph as a program that imports it sees it, the GitHub Action, the
// pre-commit hook, the release configuration and the container image.
package adopt
