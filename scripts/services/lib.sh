# shellcheck shell=bash
# Shared helpers for scripts/services/*: paths, logging, timing, the service user,
# apt installs, readiness polling. Sourced by `services`, never run on its own.

SERVICES_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

# True when every directory from / down to $1 lets other users through (mode o+x).
world_traversable() {
  local dir="$1"
  while [ -n "$dir" ] && [ "$dir" != / ]; do
    if [ -d "$dir" ]; then
      case "$(stat -c %A "$dir")" in ?????????[xt]) ;; *) return 1 ;; esac
    fi
    dir="$(dirname "$dir")"
  done
}

# The servers run as an unprivileged user, which must reach their binaries and data. A checkout
# under a private directory (e.g. /root) cannot host them, so the cache moves to /var/cache.
if [ -n "${LISTINGS_SERVICES_CACHE:-}" ]; then
  SERVICES_CACHE="$LISTINGS_SERVICES_CACHE"
elif world_traversable "$SERVICES_ROOT"; then
  SERVICES_CACHE="$SERVICES_ROOT/.cache/services"
else
  SERVICES_CACHE="/var/cache/listings-services/$(printf '%s' "$SERVICES_ROOT" | sha1sum | cut -c1-12)"
fi
# Everything fetched or built (packages from Maven, Go modules and builds, the assembled
# OpenSearch, the MinIO binary): reproducible, so it may be shared between checkouts and CI runs.
SERVICES_DOWNLOADS="${LISTINGS_SERVICES_DOWNLOADS:-$SERVICES_CACHE/downloads}"
# Always in the checkout: test/support/servers.ts reads it from there.
SERVICES_ENV_FILE="$SERVICES_ROOT/.cache/services/env"
# PostgreSQL and OpenSearch refuse to run as root; every server runs as this system user.
SERVICES_USER="${LISTINGS_SERVICES_USER:-listings-svc}"
# Seconds each server gets to become ready before `up` gives up.
SERVICES_TIMEOUT="${LISTINGS_SERVICES_TIMEOUT:-120}"

# shellcheck disable=SC2034 # the ports are read by the per-server files
{
  POSTGRES_PORT="${LISTINGS_POSTGRES_PORT:-35433}"
  REDIS_PORT="${LISTINGS_REDIS_PORT:-36380}"
  OPENSEARCH_PORT="${LISTINGS_OPENSEARCH_PORT:-39200}"
  MINIO_PORT="${LISTINGS_MINIO_PORT:-39000}"
}

log() { printf '[services] %s\n' "$*" >&2; }
die() {
  printf '[services] ERROR: %s\n' "$*" >&2
  exit 1
}

# Seconds since the epoch with milliseconds, for the per-server timings.
now() { date +%s.%3N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

# Directory of one server's state: <cache>/<name>/{data,log,...}.
svc_dir() { printf '%s/%s' "$SERVICES_CACHE" "$1"; }

# Prints the last 30 lines of each log file that exists (the server's own words on why it
# failed); takes one path or several joined by ':'.
show_log_tail() {
  local file files shown=0
  IFS=: read -r -a files <<<"$1"
  for file in "${files[@]}"; do
    [ -s "$file" ] || continue
    printf '[services] --- last 30 lines of %s ---\n' "$file" >&2
    tail -n 30 "$file" >&2
    printf '[services] --- end of log ---\n' >&2
    shown=1
  done
  [ "$shown" -eq 1 ] || log "no log at $1"
}

# Creates the unprivileged system user if missing and checks it can reach the cache.
ensure_service_user() {
  if ! id -u "$SERVICES_USER" >/dev/null 2>&1; then
    log "creating system user $SERVICES_USER"
    useradd --system --user-group --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$SERVICES_USER" ||
      die "could not create user $SERVICES_USER"
  fi
  mkdir -p "$SERVICES_CACHE" "$SERVICES_DOWNLOADS"
  local dir
  for dir in "$SERVICES_CACHE" "$SERVICES_DOWNLOADS"; do
    as_service_user test -x "$dir" ||
      die "user $SERVICES_USER cannot enter $dir: point LISTINGS_SERVICES_CACHE/LISTINGS_SERVICES_DOWNLOADS at a directory it can reach"
  done
}

# Runs a command as the service user, exec'ing it directly (no extra process in between),
# so a PID we record is the server's own.
# fd 9 (the cache lock taken by `up`/`down`) is closed so servers started here never hold it.
as_service_user() {
  setpriv --reuid="$SERVICES_USER" --regid="$SERVICES_USER" --init-groups -- "$@" 9>&-
}

# Starts a long-running server in the background as the service user and records its PID.
# setsid gives it its own session, so it outlives this shell and the CI step that ran it;
# setsid and setpriv exec in place, so $! is the server's own PID.
spawn_as_service_user() {
  local pidfile="$1" logfile="$2"
  shift 2
  # A fresh log per start (the previous one kept as .prev), so a failure shows its own lines.
  [ -f "$logfile" ] && mv -f "$logfile" "$logfile.prev"
  service_files "$logfile"
  setsid setpriv --reuid="$SERVICES_USER" --regid="$SERVICES_USER" --init-groups -- "$@" >>"$logfile" 2>&1 </dev/null 9>&- &
  echo $! >"$pidfile"
}

# Makes directories owned by the service user.
service_dirs() {
  mkdir -p "$@"
  chown "$SERVICES_USER:$SERVICES_USER" "$@"
}

APT_UPDATED=0
# Creates (if missing) files the service user appends to, such as logs.
service_files() {
  touch "$@"
  chown "$SERVICES_USER:$SERVICES_USER" "$@"
}

# Installs Debian packages that are missing; runs `apt-get update` once per invocation.
apt_install() {
  local missing=() pkg
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  [ "${#missing[@]}" -eq 0 ] && return 0
  local apt_log="$SERVICES_CACHE/apt.log"
  mkdir -p "$SERVICES_CACHE"
  if [ "$APT_UPDATED" -eq 0 ]; then
    log "apt-get update"
    apt-get update -o DPkg::Lock::Timeout=300 >>"$apt_log" 2>&1 || {
      show_log_tail "$apt_log"
      die "apt-get update failed"
    }
    APT_UPDATED=1
  fi
  log "apt-get install ${missing[*]}"
  # Keep the packages' maintainer scripts from starting their own system-wide servers
  # (policy-rc.d exit 101 = "not allowed"); ours run under .cache/services instead.
  local policy=/usr/sbin/policy-rc.d made_policy=0
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy" && made_policy=1
  fi
  local rc=0
  DEBIAN_FRONTEND=noninteractive apt-get install -y -o DPkg::Lock::Timeout=300 --no-install-recommends "${missing[@]}" >>"$apt_log" 2>&1 || rc=$?
  [ "$made_policy" -eq 1 ] && rm -f "$policy"
  if [ "$rc" -ne 0 ]; then
    show_log_tail "$apt_log"
    die "apt-get install ${missing[*]} failed"
  fi
}

# Polls `check` (a command) until it succeeds or the timeout runs out.
# On timeout prints a clear error and the server's last log lines, and exits non-zero.
wait_ready() {
  local name="$1" logfile="$2" check="$3" pidfile="${4:-}"
  local deadline=$((SECONDS + SERVICES_TIMEOUT))
  while [ "$SECONDS" -lt "$deadline" ]; do
    if $check >/dev/null 2>&1; then return 0; fi
    if [ -n "$pidfile" ] && ! pid_alive "$pidfile"; then
      log "$name exited during startup"
      show_log_tail "$logfile"
      die "$name did not start"
    fi
    sleep 0.5
  done
  log "$name was not ready after ${SERVICES_TIMEOUT}s"
  show_log_tail "$logfile"
  die "$name did not become ready within ${SERVICES_TIMEOUT}s (raise LISTINGS_SERVICES_TIMEOUT if the machine is slow)"
}

# True when the PID on the first line of the file is a live process.
pid_alive() {
  local pid
  [ -f "$1" ] || return 1
  pid="$(head -n 1 "$1" 2>/dev/null)"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null
}

# Sends SIGTERM to the process in the pid file and waits for it to exit (SIGKILL after 30 s).
stop_pidfile() {
  local name="$1" pidfile="$2" pid
  if ! pid_alive "$pidfile"; then
    rm -f "$pidfile"
    return 0
  fi
  pid="$(head -n 1 "$pidfile")"
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 60); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.5
  done
  if kill -0 "$pid" 2>/dev/null; then
    log "$name (pid $pid) ignored SIGTERM for 30s: killing it"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$pidfile"
}

# True when something accepts TCP connections on 127.0.0.1:<port>.
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Fails when a foreign process holds the port we are about to start on.
require_free_port() {
  local name="$1" port="$2" var="$3"
  if port_in_use "$port"; then
    die "$name: port $port on 127.0.0.1 is taken by another process (set $var to use another port)"
  fi
}

# Writes the KEY=value file that test/support/servers.ts reads.
write_env_file() {
  mkdir -p "$(dirname "$SERVICES_ENV_FILE")"
  services_env >"$SERVICES_ENV_FILE.tmp" && mv "$SERVICES_ENV_FILE.tmp" "$SERVICES_ENV_FILE"
}

services_env() {
  postgres_env
  redis_env
  opensearch_env
  minio_env
}
