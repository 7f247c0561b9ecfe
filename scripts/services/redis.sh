# shellcheck shell=bash
# Redis 7 from Debian's redis-server package, daemonized with its own config under
# .cache/services/redis (the package's system-wide instance is never started).

REDIS_DIR="$(svc_dir redis)"
REDIS_LOG="$REDIS_DIR/log/redis.log"
REDIS_PID="$REDIS_DIR/redis.pid"
REDIS_CONF="$REDIS_DIR/redis.conf"

redis_env() { echo "LISTINGS_TEST_REDIS_URL=redis://127.0.0.1:$REDIS_PORT"; }

redis_ready() { [ "$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null)" = PONG ]; }

redis_install() {
  command -v redis-server >/dev/null && command -v redis-cli >/dev/null && return 0
  apt_install redis-server redis-tools
}

redis_up() {
  if pid_alive "$REDIS_PID" && redis_ready; then
    log "redis: already running on 127.0.0.1:$REDIS_PORT"
    return 0
  fi
  redis_install
  local major
  major="$(redis-server --version | sed -n 's/.*v=\([0-9]*\)\..*/\1/p')"
  [ "$major" = 7 ] || die "redis: need Redis 7, found $(redis-server --version)"
  stop_pidfile redis "$REDIS_PID"
  require_free_port redis "$REDIS_PORT" LISTINGS_REDIS_PORT
  service_dirs "$REDIS_DIR" "$REDIS_DIR/data" "$REDIS_DIR/log"
  # Snapshots on; they live in the cache like every other server's data.
  cat >"$REDIS_CONF" <<EOF
bind 127.0.0.1
port $REDIS_PORT
daemonize yes
pidfile $REDIS_PID
logfile $REDIS_LOG
dir $REDIS_DIR/data
save 300 10
appendonly no
EOF
  as_service_user redis-server "$REDIS_CONF" || {
    show_log_tail "$REDIS_LOG"
    die "redis: redis-server failed to start"
  }
  wait_ready redis "$REDIS_LOG" redis_ready
}

redis_down() {
  if pid_alive "$REDIS_PID"; then
    redis-cli -h 127.0.0.1 -p "$REDIS_PORT" shutdown >/dev/null 2>&1 || true
    stop_pidfile redis "$REDIS_PID"
  fi
}

redis_status() {
  if pid_alive "$REDIS_PID" && redis_ready; then
    local version
    version="$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" info server | sed -n 's/^redis_version:\([^\r]*\).*/\1/p')"
    echo "redis       running  127.0.0.1:$REDIS_PORT  Redis $version"
  else
    echo "redis       stopped  127.0.0.1:$REDIS_PORT"
  fi
}
