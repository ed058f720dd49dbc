#!/usr/bin/env bash
# Single-validator local network on loopback ports, driven by config.yml.
#   scripts/localnet.sh init    fresh home, keys, genesis (gentx flow), config
#   scripts/localnet.sh start   start the node in the background and wait for blocks
#   scripts/localnet.sh stop    stop it
#   scripts/localnet.sh status  latest height, or "not running"
set -euo pipefail
source "$(dirname "$0")/lib.sh"

PIDFILE=$HOME_DIR/node.pid
LOG=$HOME_DIR/node.log

init() {
  [ -x "$BIN" ] || die "$BIN not found: run 'make build' first"
  step "Creating a fresh home for $CHAIN_ID in $HOME_DIR"
  rm -rf "$HOME_DIR"
  medex init "$(cfg validator_moniker)" --chain-id "$CHAIN_ID" --default-denom "$DENOM" >/dev/null 2>&1

  local balance name
  balance=$(cfg account_balance)
  for name in $(cfg validator_key) $(cfg accounts); do
    medex keys add "$name" --keyring-backend "$KEYRING" --output json >/dev/null 2>&1
    medex genesis add-genesis-account "$name" "$balance" --keyring-backend "$KEYRING"
    info "account $name $(addr "$name")"
  done

  # The local admission authority (docs/design.md §7); production keeps governance.
  local admin
  admin=$(addr "$(cfg admin_key)")
  sed -i "s/\"admission_authority\": \"\"/\"admission_authority\": \"$admin\"/" "$HOME_DIR/config/genesis.json"
  grep -q "\"admission_authority\": \"$admin\"" "$HOME_DIR/config/genesis.json" || die "could not set the admission authority in genesis"
  info "admission authority $admin ($(cfg admin_key))"

  medex genesis gentx "$(cfg validator_key)" "$(cfg validator_stake)" --chain-id "$CHAIN_ID" --keyring-backend "$KEYRING" >/dev/null 2>&1
  medex genesis collect-gentxs >/dev/null 2>&1
  medex genesis validate >/dev/null
  info "genesis validated: 1 validator from a gentx"

  local comet=$HOME_DIR/config/config.toml app=$HOME_DIR/config/app.toml client=$HOME_DIR/config/client.toml
  # The CLI's defaults for this home: plain `medexchaind --home … tx …` needs no
  # --chain-id, --keyring-backend or --node.
  toml_set "$client" "" chain-id "\"$CHAIN_ID\""
  toml_set "$client" "" keyring-backend "\"$KEYRING\""
  toml_set "$client" "" node "\"$RPC\""
  toml_set "$comet" consensus timeout_commit "\"$(cfg timeout_commit)\""
  toml_set "$app" "" minimum-gas-prices "\"0.001$DENOM\""
  # REST gateway (the documented /medexchain/... routes) and metrics: CometBFT's
  # Prometheus exporter on its own port, the app's telemetry on the REST
  # server at /metrics?format=prometheus.
  toml_set "$app" api enable true
  toml_set "$app" api address "\"tcp://127.0.0.1:$(cfg api_port)\""
  toml_set "$app" telemetry enabled true
  toml_set "$app" telemetry prometheus-retention-time "$(cfg telemetry_retention)"
  toml_set "$comet" instrumentation prometheus true
  toml_set "$comet" instrumentation prometheus_listen_addr "\"127.0.0.1:$(cfg metrics_port)\""
  info "REST on http://127.0.0.1:$(cfg api_port), CometBFT metrics on http://127.0.0.1:$(cfg metrics_port)/metrics"
}

running() { [ -f "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; }

height() { medex status --node "$RPC" 2>/dev/null | grep -o '"latest_block_height":"[0-9]*"' | grep -o '[0-9]*'; }

start() {
  [ -d "$HOME_DIR/config" ] || init
  running && die "node already running (pid $(cat "$PIDFILE"))"
  height >/dev/null && die "another node already answers on $RPC; stop it or change the ports in config.yml"
  step "Starting medexchaind (rpc $RPC, log $LOG)"
  # $BIN directly, not the medex function: $! must be the node's own pid.
  "$BIN" --home "$HOME_DIR" start \
    --rpc.laddr "$RPC" \
    --p2p.laddr "tcp://127.0.0.1:$(cfg p2p_port)" \
    --grpc.address "127.0.0.1:$(cfg grpc_port)" \
    --api.address "tcp://127.0.0.1:$(cfg api_port)" \
    --rpc.pprof_laddr "127.0.0.1:$(cfg pprof_port)" \
    >"$LOG" 2>&1 &
  echo $! >"$PIDFILE"
  local h
  for _ in $(seq 1 60); do
    running || { tail -n 20 "$LOG" >&2; die "node exited; last log lines above"; }
    h=$(height || true)
    if [ -n "$h" ] && [ "$h" -ge 2 ]; then info "making blocks: height $h"; return 0; fi
    sleep 1
  done
  tail -n 20 "$LOG" >&2
  die "no blocks after 60 s"
}

stop() {
  if running; then
    local pid
    pid=$(cat "$PIDFILE")
    kill "$pid"
    for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
    step "Node stopped"
  fi
  rm -f "$PIDFILE"
}

status() { if running; then echo "running, height $(height)"; else echo "not running"; fi; }

case "${1:-}" in
  init) init ;;
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 init|start|stop|status" >&2; exit 2 ;;
esac
