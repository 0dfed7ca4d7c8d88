#!/usr/bin/env bash
# sfsync quickstart: the whole two-way Salesforce <-> Postgres loop on this machine, in one JVM, with nothing to
# install and no Salesforce account: the Salesforce emulator, an embedded PostgreSQL, a Kafka broker (KRaft) and a
# Kafka Connect worker running our connectors and Debezium's. Ctrl-C stops everything.
#
#   ./quickstart.sh                          # build (mvn package, tests skipped), then start
#   ./quickstart.sh --no-build               # start from the last build
#   ./quickstart.sh --config my.properties   # settings (ports, a real org, your Postgres): see README.md
#
# Settings also come from SFSYNC_* environment variables; secrets never go on the command line.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
build=1
args=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --no-build) build=0; shift ;;
    --config)
      [[ $# -ge 2 ]] || { echo "--config needs a file" >&2; exit 2; }
      # The Java side runs in examples/: make the path absolute first.
      args+=(--config "$(cd "$(dirname "$2")" && pwd)/$(basename "$2")"); shift 2 ;;
    -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option: $1 (try --help)" >&2; exit 2 ;;
  esac
done
if [[ -n "${SFSYNC_QUICKSTART_CONFIG:-}" ]]; then
  export SFSYNC_QUICKSTART_CONFIG="$(cd "$(dirname "$SFSYNC_QUICKSTART_CONFIG")" && pwd)/$(basename "$SFSYNC_QUICKSTART_CONFIG")"
fi

command -v java >/dev/null || { echo "Java 17+ is needed (java not found)" >&2; exit 1; }

if [[ $build -eq 1 ]]; then
  command -v mvn >/dev/null || { echo "Maven 3.8+ is needed to build (mvn not found); or use --no-build" >&2; exit 1; }
  echo "==> Building (mvn -q -B -DskipTests package; a first build downloads the dependencies into ~/.m2)"
  (cd "$root" && mvn -q -B -Dstyle.color=never -DskipTests package)
fi

cd "$root/examples"
if [[ ! -f target/quickstart.classpath || ! -d target/classes ]]; then
  echo "No build found in examples/target: run ./quickstart.sh without --no-build" >&2
  exit 1
fi
# exec: the JVM gets Ctrl-C and SIGTERM directly and stops everything from its shutdown hook.
exec java -Xmx768m ${SFSYNC_QUICKSTART_JAVA_OPTS:-} \
  -cp "target/classes:$(cat target/quickstart.classpath)" \
  io.sfsync.examples.quickstart.Quickstart "${args[@]+"${args[@]}"}"
