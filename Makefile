# LLM Observatory Collector. `make run` builds and starts the collector; `make test` runs every test.
# Every tool this file needs is installed at a pinned version into .tools/ (nothing by hand).

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := build

ROOT       := $(abspath .)
TOOLS      := $(ROOT)/.tools
TOOLS_BIN  := $(TOOLS)/bin
export PATH := $(TOOLS_BIN):$(PATH)

OCB_VERSION      := v0.159.0
MDATAGEN_VERSION := v0.159.0
CBINDGEN_VERSION := 0.29.4

CBINDGEN := $(TOOLS_BIN)/cbindgen
OCB      := $(TOOLS_BIN)/builder
MDATAGEN := $(TOOLS_BIN)/mdatagen

RUST_LIB   := target/release/libllmo.a
BRIDGE_LIB := go/internal/bridge/lib/libllmo.a
HEADER     := rust/ffi/include/llmo.h
DIST_DIR   := _build/otelcol-llm
BINARY     := $(DIST_DIR)/otelcol-llm
CONFIG     ?= configs/default.yaml
CARGO_TEST_FLAGS ?=

.PHONY: build run test test-rust test-go test-e2e generate bench bench-rust bench-w1 lint fmt clean tools header header-check rust-lib

## ---- tools (pinned) -------------------------------------------------------------------
tools: $(CBINDGEN) $(OCB) $(MDATAGEN)

$(CBINDGEN):
	cargo install cbindgen --version $(CBINDGEN_VERSION) --locked --root $(TOOLS) --quiet

$(OCB):
	GOBIN=$(TOOLS_BIN) go install go.opentelemetry.io/collector/cmd/builder@$(OCB_VERSION)

# The module proxy these machines reach has no version list for mdatagen, so `go install
# ...@version` fails; resolving it inside a throwaway module works.
$(MDATAGEN):
	tmp=$$(mktemp -d) && cd $$tmp && go mod init tools >/dev/null 2>&1 \
	  && go get go.opentelemetry.io/collector/cmd/mdatagen@$(MDATAGEN_VERSION) \
	  && GOBIN=$(TOOLS_BIN) go install go.opentelemetry.io/collector/cmd/mdatagen; \
	rc=$$?; rm -rf $$tmp; exit $$rc

## ---- Rust ---------------------------------------------------------------------------
rust-lib: $(BRIDGE_LIB)

$(RUST_LIB): Cargo.toml $(shell find rust -name '*.rs' -o -name Cargo.toml)
	cargo build --release -p llmo-ffi

$(BRIDGE_LIB): $(RUST_LIB)
	mkdir -p $(dir $@)
	cp $(RUST_LIB) $@

header: $(CBINDGEN)
	$(CBINDGEN) --quiet --config rust/ffi/cbindgen.toml --crate llmo-ffi --output $(HEADER) rust/ffi

# CI: the committed header must be what cbindgen makes of the current code.
header-check: $(CBINDGEN)
	@tmp=$$(mktemp); \
	$(CBINDGEN) --quiet --config rust/ffi/cbindgen.toml --crate llmo-ffi --output $$tmp rust/ffi; \
	if ! diff -u $(HEADER) $$tmp; then echo "$(HEADER) has drifted: run 'make header' and commit it" >&2; rm -f $$tmp; exit 1; fi; \
	rm -f $$tmp; echo "header-check: $(HEADER) is up to date"

test-rust: header-check
	cargo test --workspace $(CARGO_TEST_FLAGS)

## ---- Go ---------------------------------------------------------------------------
GO_PKGS := ./...

# The processor packages' generated metadata must match metadata.yaml.
generate: $(MDATAGEN)
	cd go && for d in */metadata.yaml; do (cd $$(dirname $$d) && $(MDATAGEN) metadata.yaml); done

test-go: $(BRIDGE_LIB)
	cd go && go vet $(GO_PKGS)
	cd go && go test -race -count=1 $(GO_PKGS)
	# ownership bugs at the cgo boundary: strict pointer checks, a GC at every allocation step
	cd go && GOEXPERIMENT=cgocheck2 GOGC=1 go test -count=1 -run 'Golden|Concurrent|Malformed|Panic' ./llmenrichmentprocessor/

## ---- the distribution -------------------------------------------------------------
GO_SOURCES := $(shell find go -name '*.go' -o -name go.mod -o -name go.sum)

$(BINARY): otelcol-builder.yaml $(BRIDGE_LIB) $(GO_SOURCES) | $(OCB)
	mkdir -p $(DIST_DIR)
	$(OCB) --config otelcol-builder.yaml

build: $(BINARY)

run: $(BINARY)
	mkdir -p data
	$(BINARY) --config $(CONFIG)

test-e2e: $(BINARY)
	cd tests && go test -count=1 -timeout 20m ./...

## ---- all ----------------------------------------------------------------------------
test: test-rust test-go test-e2e

bench: bench-rust bench-w1

bench-rust:
	cargo bench --workspace

# W1 end to end: the same binary without and with our processors, alternated in one run.
bench-w1: $(BINARY)
	tests/bench/w1.sh $(BINARY) tests/bench/configs/baseline.yaml tests/bench/configs/enrichment.yaml

fmt:
	cargo fmt --all

lint: $(BRIDGE_LIB)
	cargo fmt --all -- --check
	cargo clippy --workspace --all-targets -- -D warnings
	test -z "$$(gofmt -l go tests)" || { gofmt -l go tests; exit 1; }
	cd go && go vet ./...
	cd tests && go vet ./...

clean:
	cargo clean
	rm -rf _build go/internal/bridge/lib data
