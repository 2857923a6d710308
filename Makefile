# Everything CI does is `make ci`; each step also runs on its own.
# Tools are pinned: oapi-codegen through tools.go and go.mod; ogen, staticcheck
# and benchstat through tools/go.mod; Spectral through tools/package-lock.json.

GO          ?= go
SPEC        := api/openapi.yaml
BIN         := $(CURDIR)/bin
CONFORMANCE ?= ../shared/tools/spec-conformance
BENCHCOUNT  ?= 10

.PHONY: all generate check-generated drill test test-tmux ci-checks lint spec spec-conformance spec-kin \
        spec-lint spec-redocly spec-ogen bench bench-instructions bench-smoke bench-decoders interop cross ci tools clean

all: generate lint test

## generate: regenerate gen/ from the spec (never edit gen/ by hand)
generate:
	$(GO) run github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen -config codegen.yaml $(SPEC)

## check-generated: fail if gen/ is not exactly what the spec generates
check-generated: generate
	@git diff --exit-code --stat -- gen/ || { echo "gen/ is stale: run 'make generate' and commit"; exit 1; }
	@test -z "$$(git status --porcelain -- gen/)" || { git status --porcelain -- gen/; echo "gen/ has untracked files"; exit 1; }

## drill: on a scratch copy, add a query parameter, a body field, an enum
## value and an operation to the spec, regenerate, and prove that each one
## reaches users or is named by a failing test (internal/drill)
drill:
	$(GO) run ./internal/drill

## test: the test suite, with the race detector (README's test command)
test:
	$(GO) test -race -count=1 ./...

## lint: gofmt, go vet, staticcheck
lint: $(BIN)/staticcheck
	@unformatted=$$(gofmt -l $$(git ls-files '*.go') ); \
	  test -z "$$unformatted" || { echo "not gofmt'ed:"; echo "$$unformatted"; exit 1; }
	$(GO) vet ./...
	$(BIN)/staticcheck ./...

## spec: every check of api/openapi.yaml
spec: spec-conformance spec-kin spec-lint spec-redocly spec-ogen

# Field-for-field agreement with the real API (the tool lives beside the
# project, in ../shared; a checkout without it skips this one check).
spec-conformance:
	@if [ -x "$(CONFORMANCE)" ]; then $(CONFORMANCE) $(SPEC); \
	 else echo "spec-conformance: $(CONFORMANCE) not found, skipped"; fi

# kin-openapi loads and validates the document, examples included; and the
# spec is held to api/testdata's copy of the wire facts (runs everywhere).
spec-kin:
	$(GO) test -count=1 -run 'TestSpec' ./api/

# Spectral with every rule of its OpenAPI ruleset; any warning fails.
spec-lint: tools/node_modules/.package-lock.json
	cd tools && npx --no-install spectral lint --ruleset ../.spectral.yaml --fail-severity warn ../$(SPEC)

# Redocly with its recommended rules, warnings promoted to errors
# (redocly.yaml). Telemetry and the update check stay off: CI has no network.
spec-redocly: tools/node_modules/.package-lock.json
	cd tools && REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true \
	  npx --no-install redocly lint --config ../redocly.yaml ../$(SPEC)

tools/node_modules/.package-lock.json: tools/package.json tools/package-lock.json
	cd tools && npm ci --no-audit --no-fund

# ogen, a second generator, builds a client from the spec; it must compile,
# pass vet, and decode real responses (tools/ogencheck).
spec-ogen:
	cd tools && $(GO) run github.com/ogen-go/ogen/cmd/ogen --target ogenclient --package ogenclient --clean ../$(SPEC)
	cd tools && $(GO) vet ./... && $(GO) test -count=1 ./...

## bench: the benchmarks, BENCHCOUNT interleaved runs, then benchstat's
## statistics, a table of medians with each implementation's ratio to raw,
## and the facade's ratio to the floor (the cheapest hand-written loop on
## json v2) and to floor+bound (that loop with each call under a timeout)
BENCH     ?= .
BENCHTIME ?= 1s
bench: $(BIN)/benchstat
	$(GO) test -c -o $(BIN)/bench.test ./bench
	@: > $(BIN)/bench.txt
	@for i in $$(seq $(BENCHCOUNT)); do \
	  echo "run $$i of $(BENCHCOUNT)" >&2; \
	  $(BIN)/bench.test -test.run '^$$' -test.bench '$(BENCH)' -test.benchtime $(BENCHTIME) -test.benchmem -test.count 1 >> $(BIN)/bench.txt || exit 1; \
	done
	$(BIN)/benchstat $(BIN)/bench.txt
	$(GO) run ./bench/benchratio < $(BIN)/bench.txt

## bench-instructions: instructions per call under callgrind (deterministic)
bench-instructions:
	$(GO) test -c -o $(BIN)/bench.test ./bench
	bench/instructions.sh $(BIN)/bench.test

## bench-decoders: JSON decoders compared on pages of invitations
## (tools/decoders, a module of its own): BENCHCOUNT interleaved runs of a
## build as it is and of one with GOEXPERIMENT=jsonv2, then the medians
bench-decoders:
	cd tools/decoders && $(GO) test -c -o $(BIN)/decoders.test . && GOEXPERIMENT=jsonv2 $(GO) test -c -o $(BIN)/decoders-jsonv2.test .
	@: > $(BIN)/decoders.txt
	@for i in $$(seq $(BENCHCOUNT)); do \
	  echo "run $$i of $(BENCHCOUNT)" >&2; \
	  for t in decoders decoders-jsonv2; do \
	    (cd tools/decoders && $(BIN)/$$t.test -test.run '^$$' -test.bench '$(BENCH)' -test.benchtime $(BENCHTIME) -test.benchmem -test.count 1 >> $(BIN)/decoders.txt) || exit 1; \
	  done; \
	done
	$(GO) run ./bench/benchratio < $(BIN)/decoders.txt

## bench-smoke: every benchmark once, so none can rot (no timing and no
## threshold), the exact allocation test, which needs a build without
## -race, and the invite runs' pacing test in simulated time, which prints
## its share of the limits' ceiling (the same on every run)
bench-smoke:
	$(GO) test -count=1 -run 'Allocations' -bench . -benchtime 1x ./bench ./bulkinvite
	$(GO) test -count=1 -run '^TestPacing$$' -v ./bulkinvite

## interop: clients nobody on this project wrote, against the fake:
## Clerk's JS SDK and Go SDK through every invitation method, and this
## client through Prism validating each request and response against the
## spec (interop/; packages pinned in interop/js/package-lock.json, the Go
## SDK in interop/gosdk/go.mod). A missing tool fails instead of skipping.
interop: interop/js/node_modules/.package-lock.json
	cd interop/gosdk && $(GO) vet ./...
	CLERK_INTEROP_REQUIRE=1 $(GO) test -count=1 -v -run 'TestClerk|TestPrism' ./interop/

interop/js/node_modules/.package-lock.json: interop/js/package.json interop/js/package-lock.json
	cd interop/js && npm ci --no-audit --no-fund

## cross: both commands built for each system people run them on (Linux,
## macOS, Windows), and bulkinvite, the journal's lock with it, vetted
## for each: a build tag that breaks one system breaks CI, not a user
CROSS ?= linux/amd64 darwin/arm64 windows/amd64
cross:
	@for target in $(CROSS); do \
	  echo "cross: $$target"; \
	  GOOS=$${target%/*} GOARCH=$${target#*/} $(GO) build ./cmd/clerk-invite ./cmd/clerk-fake || exit 1; \
	  GOOS=$${target%/*} GOARCH=$${target#*/} $(GO) vet ./bulkinvite/ ./internal/version/ || exit 1; \
	done

## ci: every check: the checks of ci-checks, and the test suite
ci: ci-checks test

## ci-checks: all of ci but the suite itself. .ci/run runs these after its
## first step has run the suite (README's `make test`) on empty caches, and
## runs the tests that need tmux again with tmux installed and required
CI_CHECKS := lint check-generated spec drill cross bench-smoke interop
ci-checks: $(CI_CHECKS)

## test-tmux: the tests that read clerk-invite's screen through tmux, which
## fail instead of skipping when tmux is missing
test-tmux:
	CLERK_INVITE_REQUIRE_TMUX=1 $(GO) test -race -count=1 -run 'Tmux' ./cmd/clerk-invite

$(BIN)/staticcheck $(BIN)/benchstat: tools/go.mod tools/go.sum
	cd tools && $(GO) build -o $(BIN)/ honnef.co/go/tools/cmd/staticcheck golang.org/x/perf/cmd/benchstat

tools: $(BIN)/staticcheck

clean:
	rm -rf $(BIN) tools/ogenclient tools/node_modules interop/js/node_modules
