# shellcheck shell=bash
# Runs inside the development environment: an MQTT broker and the simulators in the background, Home
# Assistant in front. The HeishaMon simulator publishes its MQTT topics to the broker as well as serving HTTP;
# the Daikin simulator is a mini-split behind a BRP069 wifi adapter for Home Assistant's own daikin integration.
# Arguments: CONFIG SIM_PORT [MQTT_PORT [DAIKIN_PORT]] [-- hass arguments]; a port of 0 leaves that part out.
set -euo pipefail
config="$1"; sim_port="$2"; shift 2
mqtt_port=0; daikin_port=0
if [ $# -gt 0 ] && [ "$1" != -- ]; then mqtt_port="$1"; shift; fi
if [ $# -gt 0 ] && [ "$1" != -- ]; then daikin_port="$1"; shift; fi
[ $# -gt 0 ] && [ "$1" = -- ] && shift
pids=()
mqtt_args=()
broker="$(command -v mosquitto || { [ -x /usr/sbin/mosquitto ] && echo /usr/sbin/mosquitto; } || true)"
if [ "$mqtt_port" != 0 ] && [ -n "$broker" ]; then
  printf 'listener %s 127.0.0.1\nallow_anonymous true\npersistence false\n' "$mqtt_port" >"$config/mosquitto.conf"
  "$broker" -c "$config/mosquitto.conf" >"$config/mosquitto.log" 2>&1 &
  pids+=($!)
  mqtt_args=(--mqtt-port "$mqtt_port")
  printf '==> MQTT broker: 127.0.0.1:%s (add the MQTT integration with this broker, then HeishaMon over MQTT, topic panasonic_heat_pump)\n' "$mqtt_port" >&2
fi
if [ -f simulator/__main__.py ]; then
  # shellcheck disable=SC2086  # SIM_ARGS / DAIKIN_ARGS are word lists on purpose
  python -m simulator --port "$sim_port" "${mqtt_args[@]}" ${SIM_ARGS:-} &
  pids+=($!)
  printf '==> Simulated HeishaMon heat pump: http://127.0.0.1:%s (host 127.0.0.1, port %s)\n' "$sim_port" "$sim_port" >&2
  if [ "$daikin_port" != 0 ]; then
    # shellcheck disable=SC2086
    python -m simulator --unit daikin --port "$daikin_port" ${DAIKIN_ARGS:-} &
    pids+=($!)
    printf '==> Simulated Daikin mini-split: add the Daikin AC integration with host 127.0.0.1:%s\n' "$daikin_port" >&2
  fi
fi
cleanup() {
  local pid
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT INT TERM
hass --config "$config" "$@"
