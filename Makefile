# Heard's tasks. `make help` lists them.

GO       ?= go
BIN      := bin/heard
PKGS     := ./...
# The browser tests' tools (playwright-core, axe-core) live here.
BROWSER  := testdata/browser

.DEFAULT_GOAL := help

.PHONY: help
help: ## List the tasks
	@awk 'BEGIN {FS = ":.*## "} /^[a-z-]+:.*## / {printf "  make %-10s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

.PHONY: build
build: ## Build bin/heard
	@test -x $(BIN) || echo "Building heard. The first build compiles the embedded database and takes about two minutes..."
	@$(GO) build -o $(BIN) ./cmd/heard
	@echo "Built $(BIN)"

.PHONY: run
run: build ## Build and serve Heard at http://127.0.0.1:8080 with the embedded database and demo data
	@echo "Starting Heard with demo data at http://127.0.0.1:8080 (Ctrl-C to stop)"
	HEARD_DEMO=true HEARD_LOG_FORMAT=text ./$(BIN) serve

.PHONY: test
test: test-deps lint gotest browser-test ## Run the whole suite: lint, Go tests with the race detector, browser tests

.PHONY: gotest
gotest: ## Go tests with the race detector, against the embedded database (report PDFs and their pages kept in artifacts/reports)
	HEARD_ARTIFACTS=$(CURDIR)/artifacts/reports $(GO) test -race -count=1 -timeout 20m $(PKGS)

.PHONY: lint
lint: ## gofmt, go vet and staticcheck
	@unformatted=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go' -not -path './testdata/*')); \
	  if [ -n "$$unformatted" ]; then echo "gofmt would change:"; echo "$$unformatted"; exit 1; fi
	$(GO) vet $(PKGS)
	$(GO) tool staticcheck $(PKGS)

.PHONY: test-deps
test-deps: ## Install what the tests need beyond Go (Debian packages when root, npm packages)
	@./.ci/test-deps

.PHONY: browser-test
browser-test: build test-deps ## Browser tests: real pages in headless Chromium, checked with axe-core
	cd $(BROWSER) && PATH="$(CURDIR)/$(BROWSER)/.node/node_modules/.bin:$$PATH" HEARD_BIN=$(CURDIR)/$(BIN) node --test --test-concurrency=1 tests/

.PHONY: bench
bench: ## Benchmarks: answer submission over HTTP with 1 and 32 clients; results, the theme summary and the board report over 100,000 responses; a MADE session of 200 phones on 1 and 2 instances; backup and restore of 100,000 responses; the coder on one core; the school councils' areas page over 1 and 10 years
	$(GO) test -run='^$$' -bench=. -benchtime=1x -count=5 -timeout 90m ./cmd/heard/
	$(GO) test -run='^$$' -bench=. -benchmem -cpu=1 -count=5 ./surveys/coder/ ./surveys/redact/ ./surveys/cluster/
	$(GO) test -run='^$$' -bench=AreasPage -benchtime=20x -count=5 ./surveys/mongo/

.PHONY: fuzz
fuzz: ## Run each fuzz test for FUZZTIME (default 30s)
	$(GO) test -run='^$$' -fuzz=FuzzParseDefinition -fuzztime=$(or $(FUZZTIME),30s) ./surveys/
	$(GO) test -run='^$$' -fuzz=FuzzParseAnswers -fuzztime=$(or $(FUZZTIME),30s) ./surveys/
	$(GO) test -run='^$$' -fuzz=FuzzCleanLogo -fuzztime=$(or $(FUZZTIME),30s) ./surveys/
	$(GO) test -run='^$$' -fuzz=FuzzApplyLive -fuzztime=$(or $(FUZZTIME),30s) ./surveys/
	$(GO) test -run='^$$' -fuzz=FuzzDecodeLiveForm -fuzztime=$(or $(FUZZTIME),30s) ./frontend/
	$(GO) test -run='^$$' -fuzz=FuzzDecodeActionForm -fuzztime=$(or $(FUZZTIME),30s) ./frontend/staff/
	$(GO) test -run='^$$' -fuzz=FuzzParseEditForm -fuzztime=$(or $(FUZZTIME),30s) ./frontend/staff/
	$(GO) test -run='^$$' -fuzz=FuzzDecodeSessionForm -fuzztime=$(or $(FUZZTIME),30s) ./frontend/staff/
	$(GO) test -run='^$$' -fuzz=FuzzRedact -fuzztime=$(or $(FUZZTIME),30s) ./surveys/redact/
	$(GO) test -run='^$$' -fuzz=FuzzCode -fuzztime=$(or $(FUZZTIME),30s) ./surveys/coder/
	$(GO) test -run='^$$' -fuzz=FuzzResolve -fuzztime=$(or $(FUZZTIME),30s) ./forwarded/
	$(GO) test -run='^$$' -fuzz=FuzzGroup -fuzztime=$(or $(FUZZTIME),30s) ./surveys/cluster/
	$(GO) test -run='^$$' -fuzz=FuzzCheck -fuzztime=$(or $(FUZZTIME),30s) ./surveys/profanity/
	$(GO) test -run='^$$' -fuzz=FuzzParseCouncilCSV -fuzzminimizetime=2s -fuzztime=$(or $(FUZZTIME),30s) ./surveys/
	$(GO) test -run='^$$' -fuzz=FuzzVerify -fuzztime=$(or $(FUZZTIME),30s) ./surveys/mongo/backup/

.PHONY: clean
clean: ## Remove the binary (not the data directory)
	rm -rf bin
