# medexchain — see README.md. Every target works on a machine with only Go.
export GOPROXY ?= https://proxy.golang.org
BUILD_DIR ?= $(CURDIR)/build
BINARY := $(BUILD_DIR)/medexchaind

.PHONY: all build install test test-unit fuzz-short vet demo localnet-start localnet-stop proto-gen bench bench-crypto bench-chain clean

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

fuzz-short:
	bash scripts/fuzz.sh

## demo: build, start a local chain, register a patient from the CLI, read it and its audit entry back
demo: build
	bash scripts/demo.sh

localnet-start: build
	bash scripts/localnet.sh start

localnet-stop:
	bash scripts/localnet.sh stop

## proto-gen: regenerate the committed *.pb.go (needs protoc; installs the Go plugins)
proto-gen:
	bash scripts/protocgen.sh

bench: bench-crypto bench-chain

bench-crypto:
	bash scripts/bench-crypto.sh

## bench-chain: bank sends, uploads and completed shares per second on a fresh local chain (own ports; docs/BENCHMARKS.md)
bench-chain: build
	bash scripts/bench-chain.sh

clean:
	rm -rf $(BUILD_DIR) .localnet
