# shellcheck shell=bash
# Runs inside the development environment: the simulator in the background, Home Assistant in front.
set -euo pipefail
config="$1"; sim_port="$2"; shift 2
sim_pid=""
if [ -f simulator/__main__.py ]; then
  python -m simulator --port "$sim_port" ${SIM_ARGS:-} &
  sim_pid=$!
  printf '==> Simulated HeishaMon heat pump: http://127.0.0.1:%s (host 127.0.0.1, port %s)\n' "$sim_port" "$sim_port" >&2
fi
cleanup() { [ -n "$sim_pid" ] && kill "$sim_pid" 2>/dev/null || true; }
trap cleanup EXIT INT TERM
hass --config "$config" "$@"
