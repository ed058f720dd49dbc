#!/usr/bin/env bash
# Regenerates the committed *.pb.go from proto/ with include paths taken from the
# Go module cache (buf's remote registry is not reachable from our build hosts).
set -euo pipefail
cd "$(dirname "$0")/.."

need() { command -v "$1" >/dev/null 2>&1; }
if ! need protoc; then
  echo "protoc not found: installing protobuf-compiler (needs root)" >&2
  apt-get install -y protobuf-compiler >/dev/null
fi
export PATH="$(go env GOPATH)/bin:$PATH"
need protoc-gen-gocosmos || go install github.com/cosmos/gogoproto/protoc-gen-gocosmos@v1.7.2
need protoc-gen-grpc-gateway || go install github.com/grpc-ecosystem/grpc-gateway/protoc-gen-grpc-gateway@v1.16.0

go mod download github.com/cosmos/cosmos-sdk github.com/cosmos/gogoproto github.com/cosmos/cosmos-proto github.com/grpc-ecosystem/grpc-gateway
modpath() { go list -m -f '{{.Dir}}' "$1"; }
SDK=$(modpath github.com/cosmos/cosmos-sdk)
GOGO=$(modpath github.com/cosmos/gogoproto)
CPROTO=$(modpath github.com/cosmos/cosmos-proto)
GW=$(modpath github.com/grpc-ecosystem/grpc-gateway)

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for dir in $(find proto -name '*.proto' -exec dirname {} \; | sort -u); do
  echo "protoc $dir"
  protoc -I proto -I "$SDK/proto" -I "$GOGO" -I "$CPROTO/proto" -I "$GW/third_party/googleapis" -I /usr/include \
    --gocosmos_out=plugins=grpc,Mgoogle/protobuf/any.proto=github.com/cosmos/gogoproto/types/any:"$out" \
    --grpc-gateway_out=logtostderr=true,allow_colon_final_segments=true:"$out" \
    "$dir"/*.proto
done
cp -r "$out"/github.com/medexchain/medexchain/* .
