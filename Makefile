# medexchain — see README.md. Every target works on a machine with only Go.
export GOPROXY ?= https://proxy.golang.org
BUILD_DIR ?= $(CURDIR)/build
BINARY := $(BUILD_DIR)/medexchaind
TOOLS_DIR := $(CURDIR)/.tools
GOLANGCI_LINT_VERSION := v2.15.0
GOLANGCI_LINT := $(TOOLS_DIR)/golangci-lint-$(GOLANGCI_LINT_VERSION)
RLY := $(TOOLS_DIR)/rly-v2.6.0

.PHONY: all build install test test-unit fuzz-short vet lint demo demo-local demo-faults localnet-start localnet-stop xchain-start xchain-stop net4-start net4-stop net4-fault-one-down net4-faults net4-faults-short byzproxy net4-load net4-crash-burst net4-share rly proto-gen bench bench-crypto bench-chain bench-state bench-scale bench-xchain hostile clean

all: build

build:
	@mkdir -p $(BUILD_DIR)
	go build -o $(BINARY) ./cmd/medexchaind

install:
	go install ./cmd/medexchaind

## test: unit, keeper, app, ibctesting tests, go vet, and a short fuzz run of every decoder
test: vet test-unit fuzz-short

test-unit:
	go test -count=1 ./...

vet:
	go vet ./...

## lint: golangci-lint (pinned, installed into .tools/ with go install) with .golangci.yml
lint: $(GOLANGCI_LINT)
	$(GOLANGCI_LINT) run ./...

$(GOLANGCI_LINT):
	@mkdir -p $(TOOLS_DIR)
	GOBIN=$(TOOLS_DIR) go install github.com/golangci/golangci-lint/v2/cmd/golangci-lint@$(GOLANGCI_LINT_VERSION)
	mv $(TOOLS_DIR)/golangci-lint $@

fuzz-short:
	bash scripts/fuzz.sh

## demo: the cross-chain story on two chains with a real relayer (scripts/demo-xchain.sh): patient on A, hospital on B
demo: build $(RLY)
	bash scripts/demo-xchain.sh

## demo-local: the single-chain story with three proxy processes (scripts/demo.sh)
demo-local: build
	bash scripts/demo.sh

## demo-faults: the two-chain story, then its faults (relayer stopped: the Share times out; chain B's node killed)
demo-faults: build $(RLY)
	bash scripts/demo-xchain.sh --faults

## rly: the relayer (cosmos/relayer v2.6.0) built into .tools/ once
rly: $(RLY)

$(RLY):
	bash scripts/rly.sh build

localnet-start: build
	bash scripts/localnet.sh start

localnet-stop:
	bash scripts/localnet.sh stop

## xchain-start / xchain-stop: both chains of config.yml (scripts/xchain.sh) without the story
xchain-start: build
	bash scripts/xchain.sh start

xchain-stop:
	bash scripts/rly.sh stop
	bash scripts/xchain.sh stop

## net4-start / net4-stop: one chain of four equal validators on their own ports (scripts/net4.sh)
net4-start: build
	bash scripts/net4.sh start

net4-stop:
	bash scripts/net4.sh stop

## net4-fault-one-down: four validators, one killed (blocks go on, a share completes), restarted (catches up), app hashes compared
net4-fault-one-down: build
	bash scripts/net4-faults.sh one-down

## byzproxy: the byzantine proxy daemon of the fault cases (tests/faults/byzproxy)
byzproxy:
	@mkdir -p $(BUILD_DIR)
	go build -o $(BUILD_DIR)/byzproxy ./tests/faults/byzproxy

## net4-faults: every fault case on the four-validator net with its proxies (scripts/net4-faults.sh all)
net4-faults: build byzproxy
	bash scripts/net4-faults.sh all

## net4-faults-short: the CI form: one validator killed with a share completing, and a byzantine proxy
net4-faults-short: build byzproxy
	bash scripts/net4-faults.sh short

## net4-load: 10,000 firewalled uploads on the four validators (throughput, p95 inclusion latency), then a flood of malformed txs (own ports; docs/BENCHMARKS.md)
net4-load: build
	bash scripts/net4-load.sh load

## net4-crash-burst: gateways upload a burst, a validator is killed with kill -9 and restarted; every upload on chain exactly once (docs/BENCHMARKS.md)
net4-crash-burst: build
	bash scripts/net4-load.sh crash-burst

## net4-share: chainbench on the four validators, one tx in flight per signer: sends, uploads and shares per second, share_vs_send (docs/BENCHMARKS.md)
net4-share: build
	bash scripts/net4-load.sh share

## proto-gen: regenerate the committed *.pb.go (needs protoc; installs the Go plugins)
proto-gen:
	bash scripts/protocgen.sh

bench: bench-crypto bench-state bench-chain bench-scale

bench-crypto:
	bash scripts/bench-crypto.sh

## bench-state: a proxy's poll (PendingTasks, GrantsByProxy) with 10,000 historical grants against 10, ratios printed (docs/BENCHMARKS.md)
bench-state:
	bash scripts/bench-state.sh

## bench-chain: bank sends, uploads and completed shares per second on a fresh local chain (own ports; docs/BENCHMARKS.md)
bench-chain: build
	bash scripts/bench-chain.sh

## bench-scale: state bytes per record, RecordsByPatient and the proxy's poll over gRPC, and `q audit verify`, at 10^5 and 10^6 records written straight into a stopped node's store (SCALE_STEPS; docs/BENCHMARKS.md)
bench-scale: build
	bash scripts/bench-scale.sh

## bench-xchain: cross-chain share latency (fetch on B to a decryptable share on B), median and p95 in blocks and seconds (docs/BENCHMARKS.md)
bench-xchain: build $(RLY)
	bash scripts/bench-xchain.sh

## hostile: malformed txs against a fresh local chain (own ports): registered refusals, state unchanged, node alive (scripts/hostile.sh)
hostile: build
	bash scripts/hostile.sh

clean:
	rm -rf $(BUILD_DIR) .localnet .xchain .net4 .net4-load .tools
