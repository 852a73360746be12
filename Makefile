# crmroi — the whole set-up is `make run` (default scenario) and `make test`.
GO      ?= go
BIN     := bin/crmroi
# The build's revision, commit time and state, for `crmroi version` and the output files: the
# toolchain records them itself (debug.ReadBuildInfo) unless built with -buildvcs=false; these
# say the same in that case (internal/buildinfo; empty outside a Git checkout, then unused).
BUILDINFO := github.com/crmroi/crmroi/internal/buildinfo
REVISION  := $(shell git rev-parse HEAD 2>/dev/null)
COMMITTIME := $(shell TZ=UTC git log -1 --format=%cd --date=format-local:%Y-%m-%dT%H:%M:%SZ 2>/dev/null)
MODIFIED  := $(shell git status --porcelain --untracked-files=no 2>/dev/null | grep -q . && echo true || echo false)
LDFLAGS   := -X $(BUILDINFO).revision=$(REVISION) -X $(BUILDINFO).commitTime=$(COMMITTIME) -X $(BUILDINFO).modified=$(MODIFIED)
ARGS    ?=
FUZZTIME ?= 60s
# staticcheck, pinned: 2026.2.2 (v0.8.2) reads go1.26 code. `make test` and `make lint` install it
# with `go install` (into $(go env GOBIN), else $(go env GOPATH)/bin) when that version is missing.
STATICCHECK_VERSION := v0.8.2
GOBIN_DIR   := $(or $(shell $(GO) env GOBIN),$(shell $(GO) env GOPATH)/bin)
STATICCHECK ?= $(GOBIN_DIR)/staticcheck

.PHONY: all build run test race bench lint fuzz clean e2e ldflags staticcheck image

all: build

## build: a static binary (CGO_ENABLED=0: no libc needed), so that the same file runs on any
## Linux of its architecture, in a scratch or busybox container, on every node of a cluster
build:
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags "$(LDFLAGS)" -o $(BIN) ./cmd/crmroi

## image: the container image of deploy/Dockerfile (IMAGE=registry/crmroi:tag)
IMAGE ?= crmroi:latest
image:
	docker build -f deploy/Dockerfile --build-arg LDFLAGS="$(LDFLAGS)" -t $(IMAGE) .

## ldflags: the -ldflags that stamp the build (go build -ldflags "$$(make -s ldflags)" ./cmd/crmroi)
ldflags:
	@echo '$(LDFLAGS)'

## run: simulate the built-in default scenario (pass more with ARGS="...")
run: build
	./$(BIN) run $(ARGS)

## test: formatting, vet, staticcheck, unit/statistical/golden tests, the fuzz seed corpora,
## the kernels and the model again on the Go twins (purego) and built for GOAMD64=v3, vet for
## 386 and arm64, and the engine, batch and sensitivity under the race detector (small sizes).
## GOAMD64=v3 lets the compiler fuse multiply-adds: the kernels and their Go twins still agree
## bit for bit, but a built-in line and the same line written as a custom expression agree only
## to 1e-12 of the month's magnitude there (the interpreter rounds each product): the tests say so.
test: lint
	$(GO) test -count=1 -timeout 20m ./...
	$(GO) test -count=1 -tags purego ./internal/kernels/ ./model/
	GOAMD64=v3 $(GO) test -count=1 ./internal/kernels/ ./model/
	GOARCH=386 $(GO) vet ./internal/kernels/ ./distributions/ ./model/ ./sim/
	GOARCH=arm64 $(GO) vet ./internal/kernels/ ./model/
	$(GO) test -count=1 -timeout 20m -race -short -run 'Workers|Determinism|Sink|Shard|Sketch|Sensitivity|Batch|Sweep' ./sim/ ./cmd/crmroi/

## race: every package under the race detector, with small sizes
race:
	$(GO) test -race -count=1 -short ./...

## bench: benchmarks of the hot paths (compare runs with benchstat)
bench:
	$(GO) test -run '^$$' -bench . -benchmem -count 5 ./distributions/ ./model/ ./sim/ | tee bench.txt

## lint: gofmt, go vet and staticcheck; each finding fails
lint: staticcheck
	@test -z "$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))" || { echo "gofmt needed:"; gofmt -l .; exit 1; }
	$(GO) vet ./...
	$(STATICCHECK) ./...

## staticcheck: install the pinned staticcheck unless that version is there
staticcheck:
	@$(STATICCHECK) -version 2>/dev/null | grep -qF '($(STATICCHECK_VERSION:v%=%))' || \
		{ echo "installing staticcheck $(STATICCHECK_VERSION) into $(GOBIN_DIR)"; \
		  $(GO) install honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION); }

## fuzz: every fuzz target for FUZZTIME each (make fuzz FUZZTIME=10m)
fuzz:
	FUZZTIME=$(FUZZTIME) bash scripts/fuzz.sh

clean:
	rm -rf bin crmroi-out bench.txt

## e2e: render report.html in headless Chromium (installed if missing) and check it; not part of `make test`
e2e:
	bash scripts/e2e.sh
