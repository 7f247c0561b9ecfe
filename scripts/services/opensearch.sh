# shellcheck shell=bash
# OpenSearch 2.19 without Docker: the minimal integ-test distribution from Maven Central,
# plus the modules this project needs (fetched as plain jars) laid out as the full
# distribution lays them out: modules/<name>/{*.jar,plugin-descriptor.properties}.

OPENSEARCH_VERSION="${LISTINGS_OPENSEARCH_VERSION:-2.19.6}"
OPENSEARCH_TRANSPORT_PORT="${LISTINGS_OPENSEARCH_TRANSPORT_PORT:-39300}"
# JDK 17: the 2.19 line runs on it and it is the machine's default.
OPENSEARCH_JAVA_HOME="${LISTINGS_OPENSEARCH_JAVA_HOME:-/usr/lib/jvm/java-17-openjdk-amd64}"
OPENSEARCH_DIR="$(svc_dir opensearch)"
OPENSEARCH_HOME="$SERVICES_DOWNLOADS/opensearch-home/opensearch-$OPENSEARCH_VERSION"
OPENSEARCH_CONF="$OPENSEARCH_DIR/config"
OPENSEARCH_LOG="$OPENSEARCH_DIR/log/listings-dev.log"
OPENSEARCH_PID="$OPENSEARCH_DIR/opensearch.pid"
OPENSEARCH_M2="$SERVICES_DOWNLOADS/m2"
OPENSEARCH_ARTIFACTS="$SERVICES_DOWNLOADS/opensearch-$OPENSEARCH_VERSION"
# Versions lang-painless $OPENSEARCH_VERSION declares in its POM.
OPENSEARCH_ANTLR_VERSION=4.13.1
OPENSEARCH_ASM_VERSION=9.7

opensearch_env() { echo "LISTINGS_TEST_OPENSEARCH_URL=http://127.0.0.1:$OPENSEARCH_PORT"; }

opensearch_ready() {
  curl -fsS --max-time 5 "http://127.0.0.1:$OPENSEARCH_PORT/_cluster/health?wait_for_status=yellow&timeout=2s" |
    grep -Eq '"status":"(yellow|green)"'
}

# Fetches the distribution zip and the module jars into the downloads cache with one mvn run.
opensearch_download() {
  [ -f "$OPENSEARCH_ARTIFACTS/.complete" ] && return 0
  command -v mvn >/dev/null || apt_install maven
  local work dep deps=""
  work="$(mktemp -d)"
  for dep in \
    "org.opensearch.distribution.integ-test-zip:opensearch:$OPENSEARCH_VERSION:zip" \
    "org.opensearch.plugin:lang-painless:$OPENSEARCH_VERSION:jar" \
    "org.opensearch.plugin:opensearch-scripting-painless-spi:$OPENSEARCH_VERSION:jar" \
    "org.opensearch.plugin:analysis-common:$OPENSEARCH_VERSION:jar" \
    "org.opensearch.plugin:mapper-extras-client:$OPENSEARCH_VERSION:jar" \
    "org.antlr:antlr4-runtime:$OPENSEARCH_ANTLR_VERSION:jar" \
    org.ow2.asm:{asm,asm-util,asm-tree,asm-commons,asm-analysis}:"$OPENSEARCH_ASM_VERSION:jar"; do
    IFS=: read -r g a v t <<<"$dep"
    deps+="<dependency><groupId>$g</groupId><artifactId>$a</artifactId><version>$v</version><type>$t</type>"
    deps+="<exclusions><exclusion><groupId>*</groupId><artifactId>*</artifactId></exclusion></exclusions></dependency>"
  done
  cat >"$work/pom.xml" <<EOF
<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
<groupId>listings.services</groupId><artifactId>opensearch-fetch</artifactId><version>1</version>
<packaging>pom</packaging><dependencies>$deps</dependencies></project>
EOF
  log "opensearch: fetching OpenSearch $OPENSEARCH_VERSION and modules from Maven Central"
  rm -rf "$OPENSEARCH_ARTIFACTS"
  mkdir -p "$OPENSEARCH_ARTIFACTS" "$OPENSEARCH_DIR/log"
  JAVA_HOME="$OPENSEARCH_JAVA_HOME" mvn -B -q -f "$work/pom.xml" -Dmaven.repo.local="$OPENSEARCH_M2" \
    org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies \
    -DoutputDirectory="$OPENSEARCH_ARTIFACTS" >"$OPENSEARCH_DIR/log/download.log" 2>&1 || {
    show_log_tail "$OPENSEARCH_DIR/log/download.log"
    die "opensearch: mvn could not fetch the artifacts"
  }
  rm -rf "$work"
  touch "$OPENSEARCH_ARTIFACTS/.complete"
}

# Writes a module descriptor like the one the Gradle build puts in the full distribution.
opensearch_descriptor() {
  local dir="$1" name="$2" classname="$3" description="$4" extended="${5:-}"
  cat >"$dir/plugin-descriptor.properties" <<EOF
description=$description
version=$OPENSEARCH_VERSION
name=$name
classname=$classname
java.version=11
opensearch.version=$OPENSEARCH_VERSION
custom.foldername=
extended.plugins=$extended
has.native.controller=false
EOF
}

# Unpacks the distribution and adds the modules; assembled in a temp dir, then renamed, so a
# half-built home is never mistaken for a good one.
opensearch_install() {
  [ -f "$OPENSEARCH_HOME/.assembled" ] && return 0
  command -v unzip >/dev/null || apt_install unzip
  [ -x "$OPENSEARCH_JAVA_HOME/bin/java" ] || apt_install openjdk-17-jdk-headless
  opensearch_download
  local tmp="$SERVICES_DOWNLOADS/opensearch-home/assemble.tmp" a="$OPENSEARCH_ARTIFACTS" v="$OPENSEARCH_VERSION" m
  rm -rf "$tmp"
  mkdir -p "$tmp"
  unzip -q "$a/opensearch-$v.zip" -d "$tmp" || die "opensearch: could not unzip the distribution"
  m="$tmp/opensearch-$v/modules"
  mkdir -p "$m/lang-painless" "$m/analysis-common" "$m/mapper-extras"
  cp "$a/lang-painless-$v.jar" "$a/opensearch-scripting-painless-spi-$v.jar" \
    "$a/antlr4-runtime-$OPENSEARCH_ANTLR_VERSION.jar" "$a"/asm*-"$OPENSEARCH_ASM_VERSION.jar" "$m/lang-painless/"
  opensearch_descriptor "$m/lang-painless" lang-painless org.opensearch.painless.PainlessPlugin \
    'An easy, safe and fast scripting language for OpenSearch'
  # Painless compiles scripts into classes at run time.
  cat >"$m/lang-painless/plugin-security.policy" <<'EOF'
grant {
  permission java.lang.RuntimePermission "createClassLoader";
  permission java.lang.RuntimePermission "getClassLoader";
};
EOF
  cp "$a/analysis-common-$v.jar" "$m/analysis-common/"
  opensearch_descriptor "$m/analysis-common" analysis-common org.opensearch.analysis.common.CommonAnalysisPlugin \
    'Adds "built in" analyzers to OpenSearch.' lang-painless
  cp "$a/mapper-extras-client-$v.jar" "$m/mapper-extras/"
  opensearch_descriptor "$m/mapper-extras" mapper-extras org.opensearch.index.mapper.MapperExtrasPlugin \
    'Adds advanced field mappers'
  touch "$tmp/opensearch-$v/.assembled"
  rm -rf "$OPENSEARCH_HOME"
  mv "$tmp/opensearch-$v" "$OPENSEARCH_HOME"
  rm -rf "$tmp"
}

# Config dir owned by the service user (OpenSearch writes its keystore there).
opensearch_configure() {
  service_dirs "$OPENSEARCH_DIR" "$OPENSEARCH_CONF" "$OPENSEARCH_DIR/data" "$OPENSEARCH_DIR/log" "$OPENSEARCH_DIR/tmp"
  cp "$OPENSEARCH_HOME/config/log4j2.properties" "$OPENSEARCH_CONF/"
  mkdir -p "$OPENSEARCH_CONF/jvm.options.d"
  # The stock jvm.options with a 512 MiB heap and paths that point into the cache, not the install.
  sed -e 's/^-Xms1g$/-Xms512m/' -e 's/^-Xmx1g$/-Xmx512m/' \
    -e "s#HeapDumpPath=data#HeapDumpPath=$OPENSEARCH_DIR/data#" \
    -e "s#logs/#$OPENSEARCH_DIR/log/#g" "$OPENSEARCH_HOME/config/jvm.options" >"$OPENSEARCH_CONF/jvm.options"
  cat >"$OPENSEARCH_CONF/opensearch.yml" <<EOF
cluster.name: listings-dev
node.name: listings-dev-1
path.data: $OPENSEARCH_DIR/data
path.logs: $OPENSEARCH_DIR/log
network.host: 127.0.0.1
http.port: $OPENSEARCH_PORT
transport.port: $OPENSEARCH_TRANSPORT_PORT
discovery.type: single-node
# A developer's or CI's disk may be fuller than the default 85/90/95 % watermarks allow.
cluster.routing.allocation.disk.threshold_enabled: false
EOF
  chown -R "$SERVICES_USER:$SERVICES_USER" "$OPENSEARCH_CONF"
}

opensearch_up() {
  if pid_alive "$OPENSEARCH_PID" && opensearch_ready; then
    log "opensearch: already running on 127.0.0.1:$OPENSEARCH_PORT"
    return 0
  fi
  opensearch_install
  stop_pidfile opensearch "$OPENSEARCH_PID"
  require_free_port opensearch "$OPENSEARCH_PORT" LISTINGS_OPENSEARCH_PORT
  opensearch_configure
  # In the foreground bin/opensearch execs the JVM, so the recorded PID is the JVM's;
  # -q keeps the console quiet (the log file under log/ has everything).
  OPENSEARCH_PATH_CONF="$OPENSEARCH_CONF" OPENSEARCH_JAVA_HOME="$OPENSEARCH_JAVA_HOME" \
    OPENSEARCH_TMPDIR="$OPENSEARCH_DIR/tmp" OPENSEARCH_JAVA_OPTS="-Xms512m -Xmx512m" \
    spawn_as_service_user "$OPENSEARCH_PID" "$OPENSEARCH_DIR/log/startup.log" "$OPENSEARCH_HOME/bin/opensearch" -q
  wait_ready opensearch "$OPENSEARCH_DIR/log/startup.log:$OPENSEARCH_LOG" opensearch_ready "$OPENSEARCH_PID"
}

opensearch_down() { stop_pidfile opensearch "$OPENSEARCH_PID"; }

opensearch_status() {
  if pid_alive "$OPENSEARCH_PID" && opensearch_ready; then
    local version
    version="$(curl -fsS --max-time 5 "http://127.0.0.1:$OPENSEARCH_PORT/" |
      sed -n 's/.*"number" *: *"\([^"]*\)".*/\1/p')"
    echo "opensearch  running  127.0.0.1:$OPENSEARCH_PORT  OpenSearch $version"
  else
    echo "opensearch  stopped  127.0.0.1:$OPENSEARCH_PORT"
  fi
}
