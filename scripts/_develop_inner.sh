# shellcheck shell=bash
# Runs inside the development environment: an MQTT broker and the simulator in the background, Home
# Assistant in front. The simulator publishes HeishaMon's MQTT topics to the broker as well as serving HTTP.
set -euo pipefail
config="$1"; sim_port="$2"; mqtt_port="$3"; shift 3
sim_pid=""
broker_pid=""
mqtt_args=()
broker="$(command -v mosquitto || { [ -x /usr/sbin/mosquitto ] && echo /usr/sbin/mosquitto; } || true)"
if [ -n "$broker" ]; then
  printf 'listener %s 127.0.0.1\nallow_anonymous true\npersistence false\n' "$mqtt_port" >"$config/mosquitto.conf"
  "$broker" -c "$config/mosquitto.conf" >"$config/mosquitto.log" 2>&1 &
  broker_pid=$!
  mqtt_args=(--mqtt-port "$mqtt_port")
  printf '==> MQTT broker: 127.0.0.1:%s (add the MQTT integration with this broker, then HeishaMon over MQTT, topic panasonic_heat_pump)\n' "$mqtt_port" >&2
fi
if [ -f simulator/__main__.py ]; then
  python -m simulator --port "$sim_port" "${mqtt_args[@]}" ${SIM_ARGS:-} &
  sim_pid=$!
  printf '==> Simulated HeishaMon heat pump: http://127.0.0.1:%s (host 127.0.0.1, port %s)\n' "$sim_port" "$sim_port" >&2
fi
cleanup() {
  [ -n "$sim_pid" ] && kill "$sim_pid" 2>/dev/null
  [ -n "$broker_pid" ] && kill "$broker_pid" 2>/dev/null
  true
}
trap cleanup EXIT INT TERM
hass --config "$config" "$@"
