#!/usr/bin/env bash
# Single-validator local network on loopback ports, driven by config.yml.
#   scripts/localnet.sh init    fresh home, keys, genesis (gentx flow), config
#   scripts/localnet.sh start   start the node in the background and wait for blocks
#   scripts/localnet.sh stop    stop it
#   scripts/localnet.sh status  latest height, or "not running"
# The node setup itself is in scripts/lib.sh (shared with scripts/xchain.sh).
set -euo pipefail
source "$(dirname "$0")/lib.sh"

case "${1:-}" in
  init) node_init ;;
  start) node_start ;;
  stop) node_stop ;;
  status) node_status ;;
  *) echo "usage: $0 init|start|stop|status" >&2; exit 2 ;;
esac
