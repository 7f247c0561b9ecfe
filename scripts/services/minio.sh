# shellcheck shell=bash
# MinIO built from source with `go install` (Go module proxy), data under
# .cache/services/minio, fixed development credentials, console off.

# MinIO tags are RELEASE.*, not semver, so the module proxy serves only pseudo-versions.
# This one is the module's @latest on the proxy (commit 7aac2a2c5b7c, 2026-02-12).
MINIO_MODULE_VERSION="${LISTINGS_MINIO_VERSION:-v0.0.0-20260212201848-7aac2a2c5b7c}"
MINIO_ACCESS_KEY="${LISTINGS_MINIO_ACCESS_KEY:-listings}"
MINIO_SECRET_KEY="${LISTINGS_MINIO_SECRET_KEY:-listings-secret}"
GO_BIN="${LISTINGS_GO:-$(command -v go || echo /usr/local/go/bin/go)}"
MINIO_GO_DIR="$SERVICES_DOWNLOADS/go"
MINIO_BIN_DIR="$MINIO_GO_DIR/bin/minio-$MINIO_MODULE_VERSION"
MINIO_BIN="$MINIO_BIN_DIR/minio"
MINIO_DIR="$(svc_dir minio)"
MINIO_LOG="$MINIO_DIR/log/minio.log"
MINIO_PID="$MINIO_DIR/minio.pid"

minio_env() {
  echo "LISTINGS_TEST_S3_ENDPOINT=http://127.0.0.1:$MINIO_PORT"
  echo "LISTINGS_TEST_S3_ACCESS_KEY=$MINIO_ACCESS_KEY"
  echo "LISTINGS_TEST_S3_SECRET_KEY=$MINIO_SECRET_KEY"
}

# Ready = the server says it can serve requests (cluster read quorum reached).
minio_ready() { curl -fsS -o /dev/null --max-time 3 "http://127.0.0.1:$MINIO_PORT/minio/health/ready"; }

minio_install() {
  [ -x "$MINIO_BIN" ] && return 0
  [ -x "$GO_BIN" ] || die "minio: go not found (set LISTINGS_GO to the go binary)"
  log "minio: go install github.com/minio/minio@$MINIO_MODULE_VERSION (first time takes a few minutes)"
  mkdir -p "$MINIO_BIN_DIR" "$MINIO_DIR/log"
  # Everything Go touches stays in the cache; -modcacherw lets `rm -rf .cache` work.
  GOPATH="$MINIO_GO_DIR/path" GOMODCACHE="$MINIO_GO_DIR/mod" GOCACHE="$MINIO_GO_DIR/build" \
    GOBIN="$MINIO_BIN_DIR" GOFLAGS="-modcacherw -buildvcs=false" GOTOOLCHAIN=local CGO_ENABLED=0 \
    "$GO_BIN" install "github.com/minio/minio@$MINIO_MODULE_VERSION" >"$MINIO_DIR/log/build.log" 2>&1 || {
    show_log_tail "$MINIO_DIR/log/build.log"
    die "minio: go install failed (see $MINIO_DIR/log/build.log)"
  }
}

minio_up() {
  if pid_alive "$MINIO_PID" && minio_ready; then
    log "minio: already running on 127.0.0.1:$MINIO_PORT"
    return 0
  fi
  minio_install
  stop_pidfile minio "$MINIO_PID"
  require_free_port minio "$MINIO_PORT" LISTINGS_MINIO_PORT
  service_dirs "$MINIO_DIR" "$MINIO_DIR/data" "$MINIO_DIR/log" "$MINIO_DIR/home"
  HOME="$MINIO_DIR/home" MINIO_ROOT_USER="$MINIO_ACCESS_KEY" MINIO_ROOT_PASSWORD="$MINIO_SECRET_KEY" \
    MINIO_BROWSER=off MINIO_UPDATE=off spawn_as_service_user "$MINIO_PID" "$MINIO_LOG" \
    "$MINIO_BIN" server --quiet --address "127.0.0.1:$MINIO_PORT" --certs-dir "$MINIO_DIR/home/certs" "$MINIO_DIR/data"
  wait_ready minio "$MINIO_LOG" minio_ready "$MINIO_PID"
}

minio_down() { stop_pidfile minio "$MINIO_PID"; }

minio_status() {
  if pid_alive "$MINIO_PID" && minio_ready; then
    echo "minio       running  127.0.0.1:$MINIO_PORT  MinIO github.com/minio/minio@$MINIO_MODULE_VERSION"
  else
    echo "minio       stopped  127.0.0.1:$MINIO_PORT"
  fi
}
