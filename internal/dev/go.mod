// The development module: the browser tests, the precompressor, the
// benchmark table and the checks of the adoption files, with the tools
// they run. Kept apart so that importers of the library do not inherit
// chromedp, brotli or wasmbrowsertest; go.work at the repository root joins
// it to the library for development.
module github.com/eksdoctor/eksdoctor/internal/dev

go 1.26.0

require (
	github.com/andybalholm/brotli v1.2.8
	github.com/chromedp/cdproto v0.0.0-20260714215040-dc233986426f
	github.com/chromedp/chromedp v0.16.0 // keep: wasmbrowsertest v0.11.0 does not compile with v0.17+
	github.com/eksdoctor/eksdoctor v0.0.0
	go.yaml.in/yaml/v3 v3.0.4
)

require github.com/santhosh-tekuri/jsonschema/v6 v6.0.3

require (
	github.com/agnivade/wasmbrowsertest v0.11.0 // indirect
	github.com/chromedp/sysutil v1.1.0 // indirect
	github.com/go-interpreter/wagon v0.6.0 // indirect
	github.com/go-json-experiment/json v0.0.0-20260623181947-01eb4420fa68 // indirect
	github.com/gobwas/httphead v0.1.0 // indirect
	github.com/gobwas/pool v0.2.1 // indirect
	github.com/gobwas/ws v1.4.0 // indirect
	github.com/google/pprof v0.0.0-20240727154555-813a5fbdbec8 // indirect
	github.com/kr/pretty v0.1.0 // indirect
	golang.org/x/sys v0.49.0 // indirect
	golang.org/x/text v0.31.0 // indirect
	gopkg.in/check.v1 v1.0.0-20190902080502-41f04d3bba15 // indirect
)

// Outside the workspace (go mod tidy here), the library is this checkout.
replace github.com/eksdoctor/eksdoctor => ../..

tool github.com/agnivade/wasmbrowsertest
