# shellcheck shell=bash
# Shared helpers for scripts/setup, scripts/test and scripts/develop.
# Finds a Python that current Home Assistant accepts (>= 3.14.2) or provides one through a cached
# Debian-unstable rootfs, and runs commands inside the matching virtual environment.

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE_ROOT="${HPE_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/heatpump_efficiency}"
ROOTFS="${HPE_ROOTFS:-$CACHE_ROOT/rootfs-sid}"
MIN_PY_VERSION="3.13"

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# Select the environment: "current" (latest Home Assistant, Python >= 3.14.2) or "min" (oldest supported).
select_env() {
  case "$1" in
    current) VENV="$REPO_ROOT/.venv"; REQUIREMENTS="$REPO_ROOT/requirements_test.txt" ;;
    min) VENV="$REPO_ROOT/.venv-min"; REQUIREMENTS="$REPO_ROOT/requirements_test_min.txt" ;;
    *) die "unknown environment '$1'" ;;
  esac
  ENV_NAME="$1"
  MODE_FILE="$VENV/.hpe-mode"
}

# Print the first python on PATH (or the given candidates) whose version is >= the given one.
find_python() {
  local wanted="$1"; shift
  local candidate path
  for candidate in "$@"; do
    path="$(command -v "$candidate" 2>/dev/null)" || continue
    if "$path" -c "import sys; sys.exit(0 if sys.version_info >= tuple(int(p) for p in '$wanted'.split('.')) else 1)" 2>/dev/null; then
      printf '%s\n' "$path"
      return 0
    fi
  done
  return 1
}

# The Debian mirror this host already uses (deb822 sources or classic sources.list), never a hard-coded host.
host_debian_mirror() {
  local uri
  uri="$(grep -hsE '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{print $2}' | grep -v security | head -n1 || true)"
  if [ -z "$uri" ]; then
    uri="$(grep -hsE '^deb +(\[[^]]*\] +)?(https?|file)://' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null \
      | sed -E 's/^deb +(\[[^]]*\] +)?//' | awk '{print $1}' | grep -v security | head -n1 || true)"
  fi
  [ -n "$uri" ] || return 1
  printf '%s\n' "${uri%/}"
}

# Build (once) a minimal Debian-unstable rootfs with python3.14, cached outside the repository.
ensure_rootfs() {
  if [ -x "$ROOTFS/usr/bin/python3.14" ] && [ -f "$ROOTFS/.hpe-ready" ]; then
    refresh_rootfs_network
    return 0
  fi
  [ "$(id -u)" = 0 ] || die "Python >= 3.14.2 is not on PATH, and building a Debian rootfs that provides it needs root. Install Python 3.14.2 or newer (for example from python.org, pyenv or your distribution) and run scripts/setup again."
  [ -f /etc/debian_version ] || die "Python >= 3.14.2 is not on PATH and this is not a Debian-family host. Install Python 3.14.2 or newer and run scripts/setup again."
  command -v unshare >/dev/null && command -v chroot >/dev/null || die "unshare and chroot are needed to use the Python 3.14 rootfs (util-linux, coreutils)."
  if ! command -v debootstrap >/dev/null; then
    log "Installing debootstrap"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null || true
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null \
      || die "could not install debootstrap; install it (or Python >= 3.14.2) and run scripts/setup again."
  fi
  local mirror
  mirror="$(host_debian_mirror)" || die "could not find a Debian mirror in this host's apt sources."
  log "Building a Debian unstable rootfs with Python 3.14 in $ROOTFS (mirror $mirror, about a minute)"
  local tmp="$ROOTFS.tmp"
  rm -rf "$tmp"
  mkdir -p "$(dirname "$ROOTFS")"
  if ! debootstrap --variant=minbase --include=python3.14,python3.14-venv,ca-certificates,git \
      sid "$tmp" "$mirror" >"$CACHE_ROOT/debootstrap.log" 2>&1; then
    tail -n 20 "$CACHE_ROOT/debootstrap.log" >&2
    die "debootstrap failed (log: $CACHE_ROOT/debootstrap.log)"
  fi
  rm -rf "$ROOTFS"
  mv "$tmp" "$ROOTFS"
  refresh_rootfs_network
  touch "$ROOTFS/.hpe-ready"
}

# Home Assistant installs some integrations' packages at start-up, and a few of them (the voice pipeline's)
# are compiled: give the rootfs a compiler for scripts/develop (the tests do not need one).
ensure_rootfs_build_tools() {
  [ -x "$ROOTFS/usr/bin/gcc" ] && [ -f "$ROOTFS/usr/include/python3.14/Python.h" ] && return 0
  log "Adding a compiler to the rootfs for Home Assistant's compiled packages (once)"
  in_rootfs /bin/bash -c 'export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends gcc g++ python3.14-dev >/dev/null' \
    || die "could not install a compiler into the rootfs ($ROOTFS)"
}

# What the rootfs needs from the host to fetch anything: name resolution, CA certificates and apt's settings.
refresh_rootfs_network() {
  cp -L /etc/resolv.conf "$ROOTFS/etc/resolv.conf" 2>/dev/null || true
  if [ -f /etc/ssl/certs/ca-certificates.crt ]; then
    mkdir -p "$ROOTFS/etc/ssl/certs"
    cp -L /etc/ssl/certs/ca-certificates.crt "$ROOTFS/etc/ssl/certs/ca-certificates.crt"
  fi
  copy_host_apt_acquire
}

# The host's apt "Acquire" settings (a proxy, or Check-Valid-Until "false" for a frozen snapshot mirror whose
# Release file has expired): the rootfs fetches from the host's mirror, so apt inside it must fetch the same way.
# Only files of nothing but Acquire settings are copied: others may run host commands (DPkg::Post-Invoke ...).
copy_host_apt_acquire() {
  local host_dir="${HPE_HOST_APT_DIR:-/etc/apt}"
  local target="$ROOTFS/etc/apt/apt.conf.d"
  local file statements
  mkdir -p "$target"
  rm -f "$target"/90host-*
  for file in "$host_dir/apt.conf" "$host_dir"/apt.conf.d/*; do
    [ -f "$file" ] || continue
    # Top-level statements: lines that start at column 0 and are neither comments nor a closing brace.
    statements="$(sed -E 's://.*$::; s:^#.*$::' "$file" | grep -E '^[^[:space:]}]' || true)"
    [ -n "$statements" ] || continue
    grep -qvE '^Acquire([[:space:]:{]|$)' <<<"$statements" && continue
    cp -L "$file" "$target/90host-$(basename "$file")"
  done
}

# Load the integration and the blueprints of the work tree into a Home Assistant config directory, with
# relative links that stay valid inside the rootfs. Blueprints are linked file by file: Home Assistant finds
# them with a recursive glob, which does not descend into a linked directory.
link_work_tree() {
  local config="$1"
  local blueprints="$config/blueprints/automation/heatpump_efficiency"
  local file link
  mkdir -p "$config/custom_components" "$blueprints"
  ln -sfn "$(realpath -m --relative-to="$config/custom_components" "$REPO_ROOT/custom_components/heatpump_efficiency")" \
    "$config/custom_components/heatpump_efficiency"
  for link in "$blueprints"/*.yaml; do
    if [ -L "$link" ] && [ ! -e "$link" ]; then rm -f "$link"; fi  # removed from the work tree
  done
  for file in "$REPO_ROOT"/blueprints/automation/heatpump_efficiency/*.yaml; do
    [ -f "$file" ] || continue
    ln -sfn "$(realpath -m --relative-to="$blueprints" "$file")" "$blueprints/$(basename "$file")"
  done
}

# Run a command inside the rootfs with the repository (and ../shared) bind-mounted at the same paths.
# The private mount namespace dies with the command, so nothing stays mounted afterwards.
in_rootfs() {
  local shared
  shared="$(cd "$REPO_ROOT/.." && pwd)/shared"
  local binds="$REPO_ROOT"
  [ -d "$shared" ] && binds="$binds $shared"
  local cwd
  cwd="$(pwd)"
  HPE_BINDS="$binds" HPE_ROOTFS_DIR="$ROOTFS" HPE_CWD="$cwd" \
  unshare -m --propagation private /bin/bash -c '
    set -e
    # System mounts first: a repository under /tmp is bind-mounted over the fresh tmpfs, not hidden by it.
    mount -t proc proc "$HPE_ROOTFS_DIR/proc"
    mount --rbind /dev "$HPE_ROOTFS_DIR/dev"
    mkdir -p "$HPE_ROOTFS_DIR/dev/shm"
    mount -t tmpfs tmpfs "$HPE_ROOTFS_DIR/dev/shm" 2>/dev/null || true
    mount -t tmpfs tmpfs "$HPE_ROOTFS_DIR/tmp"
    for dir in $HPE_BINDS; do
      mkdir -p "$HPE_ROOTFS_DIR$dir"
      mount --bind "$dir" "$HPE_ROOTFS_DIR$dir"
    done
    exec chroot "$HPE_ROOTFS_DIR" /usr/bin/env -i \
      PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
      HOME=/root LANG=C.UTF-8 TERM="${TERM:-dumb}" CI="${CI:-}" \
      PIP_CERT=/etc/ssl/certs/ca-certificates.crt SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt \
      PIP_DISABLE_PIP_VERSION_CHECK=1 PYTHONDONTWRITEBYTECODE="${PYTHONDONTWRITEBYTECODE:-}" \
      /bin/bash -c "cd \"\$0\" && exec \"\$@\"" "$HPE_CWD" "$@"
  ' bash "$@"
}

# Run a command with the selected virtual environment's bin directory first on PATH.
in_env() {
  local flag=""
  [ "$ENV_NAME" = min ] && flag=" --min"
  [ -f "$MODE_FILE" ] || die "the $ENV_NAME environment is missing: run scripts/setup$flag first."
  local mode
  mode="$(cat "$MODE_FILE")"
  if [ "$mode" = rootfs ]; then
    ensure_rootfs
    in_rootfs /usr/bin/env PATH="$VENV/bin:/usr/local/bin:/usr/bin:/bin" VIRTUAL_ENV="$VENV" "$@"
  else
    PATH="$VENV/bin:$PATH" VIRTUAL_ENV="$VENV" "$@"
  fi
}

# HeishaMon's MQTT transport is tested against a real broker (Debian's mosquitto), and scripts/develop runs
# one: in the rootfs for a rootfs environment, on the host otherwise. Installed once; fast when present.
# Without root on a host that lacks it, the real-broker test is skipped and scripts/develop runs without it.
ensure_mosquitto() {
  local mode="$1"
  if [ "$mode" = rootfs ]; then
    [ -x "$ROOTFS/usr/sbin/mosquitto" ] && return 0
    log "Installing the mosquitto MQTT broker into the rootfs (once)"
    in_rootfs /bin/bash -c 'export DEBIAN_FRONTEND=noninteractive
      apt-get install -y -qq --no-install-recommends mosquitto >/dev/null 2>&1 \
        || { apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends mosquitto >/dev/null; }' \
      || die "could not install mosquitto into the rootfs ($ROOTFS)"
    return 0
  fi
  { command -v mosquitto >/dev/null || [ -x /usr/sbin/mosquitto ]; } && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    log "Installing the mosquitto MQTT broker (once)"
    # (as root only, e.g. in CI; where systemd runs, Debian also starts its broker service on port 1883)
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends mosquitto >/dev/null 2>&1 \
      || { DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null \
        && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends mosquitto >/dev/null; } \
      || die "could not install mosquitto (apt-get install mosquitto)"
  else
    log "mosquitto is not installed (install it to run the real-broker test): skipping"
  fi
}
