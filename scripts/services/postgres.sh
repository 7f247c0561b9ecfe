# shellcheck shell=bash
# PostgreSQL 15 from Debian's packages, one cluster under .cache/services/postgres,
# started with pg_ctl (no service manager) as the service user.

POSTGRES_BIN=/usr/lib/postgresql/15/bin
POSTGRES_DIR="$(svc_dir postgres)"
POSTGRES_DATA="$POSTGRES_DIR/data"
POSTGRES_LOG="$POSTGRES_DIR/log/postgres.log"
# A unix socket path may hold at most 107 bytes; fall back to /tmp for deep checkouts.
POSTGRES_SOCKET_DIR="$POSTGRES_DIR/run"
[ "${#POSTGRES_SOCKET_DIR}" -gt 90 ] && POSTGRES_SOCKET_DIR="/tmp/listings-postgres-$POSTGRES_PORT"
POSTGRES_EXTENSIONS="'uuid-ossp','cube','earthdistance','pg_trgm'"

postgres_env() {
  echo "LISTINGS_TEST_POSTGRES_URL=postgres://listings:listings@127.0.0.1:$POSTGRES_PORT/listings"
}

# psql as the bootstrap superuser over the unix socket (trusted locally).
postgres_psql() {
  "$POSTGRES_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$POSTGRES_SOCKET_DIR" -p "$POSTGRES_PORT" -U postgres -d postgres -At "$@"
}

# Ready means the application role answers a query over TCP with its password.
postgres_ready() {
  PGCONNECT_TIMEOUT=3 "$POSTGRES_BIN/psql" -X -At "postgres://listings:listings@127.0.0.1:$POSTGRES_PORT/listings" \
    -c 'SELECT 1' 2>/dev/null | grep -qx 1
}

postgres_running() { pid_alive "$POSTGRES_DATA/postmaster.pid"; }

# PostGIS is for the monolith source fixture only (its unified_geo table is a PostGIS table); our own
# schema never needs it.
postgres_install() {
  [ -x "$POSTGRES_BIN/initdb" ] && [ -f /usr/share/postgresql/15/extension/cube.control ] \
    && [ -f /usr/share/postgresql/15/extension/postgis.control ] && return 0
  apt_install postgresql-15 postgresql-contrib postgresql-15-postgis-3
  [ -x "$POSTGRES_BIN/initdb" ] || die "postgresql-15 installed but $POSTGRES_BIN/initdb is missing"
}

postgres_init() {
  [ -f "$POSTGRES_DATA/PG_VERSION" ] && return 0
  log "postgres: initdb $POSTGRES_DATA"
  rm -rf "$POSTGRES_DATA"
  service_dirs "$POSTGRES_DATA"
  chmod 700 "$POSTGRES_DATA"
  # Local socket is trusted (only root and the service user reach it); TCP needs the password.
  as_service_user "$POSTGRES_BIN/initdb" -D "$POSTGRES_DATA" -U postgres --encoding=UTF8 --locale=C.UTF-8 \
    --auth-local=trust --auth-host=scram-sha-256 >>"$POSTGRES_LOG" 2>&1 || {
    show_log_tail "$POSTGRES_LOG"
    die "postgres: initdb failed"
  }
}

postgres_up() {
  if postgres_running && postgres_ready; then
    log "postgres: already running on 127.0.0.1:$POSTGRES_PORT"
    return 0
  fi
  postgres_install
  service_dirs "$POSTGRES_DIR" "$POSTGRES_DIR/log" "$POSTGRES_SOCKET_DIR"
  service_files "$POSTGRES_LOG"
  postgres_init
  if ! postgres_running; then
    require_free_port postgres "$POSTGRES_PORT" LISTINGS_POSTGRES_PORT
    # Throwaway test data: durability settings off for speed.
    local opts="-c port=$POSTGRES_PORT -c listen_addresses=127.0.0.1 -c unix_socket_directories=$POSTGRES_SOCKET_DIR"
    opts+=" -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
    as_service_user "$POSTGRES_BIN/pg_ctl" start -D "$POSTGRES_DATA" -l "$POSTGRES_LOG" -w -t "$SERVICES_TIMEOUT" \
      -o "$opts" >/dev/null 2>&1 || {
      show_log_tail "$POSTGRES_LOG"
      die "postgres: pg_ctl start failed"
    }
  fi
  postgres_bootstrap
  wait_ready postgres "$POSTGRES_LOG" postgres_ready "$POSTGRES_DATA/postmaster.pid"
}

# Creates the `listings` role and database once, and checks the contrib extensions are there.
postgres_bootstrap() {
  postgres_psql -c "DO \$\$ BEGIN
      IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'listings') THEN
        CREATE ROLE listings LOGIN SUPERUSER PASSWORD 'listings';
      END IF;
    END \$\$;" >/dev/null || die "postgres: could not create role listings"
  if [ "$(postgres_psql -c "SELECT 1 FROM pg_database WHERE datname = 'listings'")" != 1 ]; then
    postgres_psql -c 'CREATE DATABASE listings OWNER listings' >/dev/null || die "postgres: could not create database"
  fi
  local found
  found="$(postgres_psql -c "SELECT count(*) FROM pg_available_extensions WHERE name IN ($POSTGRES_EXTENSIONS)")"
  [ "$found" = 4 ] || die "postgres: contrib extensions missing (found $found of $POSTGRES_EXTENSIONS)"
}

postgres_down() {
  if postgres_running; then
    as_service_user "$POSTGRES_BIN/pg_ctl" stop -D "$POSTGRES_DATA" -m fast -w -t 60 >/dev/null 2>&1 ||
      stop_pidfile postgres "$POSTGRES_DATA/postmaster.pid"
  fi
}

postgres_status() {
  if postgres_running && postgres_ready; then
    local version
    version="$(postgres_psql -c 'SHOW server_version' 2>/dev/null)"
    echo "postgres    running  127.0.0.1:$POSTGRES_PORT  PostgreSQL $version"
  else
    echo "postgres    stopped  127.0.0.1:$POSTGRES_PORT"
  fi
}
