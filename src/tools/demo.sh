#!/usr/bin/env bash
# One command for a fresh Debian 12 machine: installs the build tools if missing, builds
# target/vigil.jar and runs the demo. Needs no root beyond the package install.
set -euo pipefail
cd "$(dirname "$0")/../.."

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else return 1; fi; }
if ! command -v mvn >/dev/null || ! command -v javac >/dev/null; then
  export DEBIAN_FRONTEND=noninteractive
  as_root apt-get update
  as_root apt-get install -y --no-install-recommends openjdk-17-jdk-headless maven
fi
[ -f target/vigil.jar ] && [ -z "$(find src pom.xml -newer target/vigil.jar -print -quit)" ] \
  || mvn -B -ntp -q package -DskipTests

# heartbeat refuses an authkeys file that others can read; git does not keep file modes.
chmod 600 conf/heartbeat/authkeys conf/demo/authkeys
echo "== vigil check: the sample heartbeat pair (/etc/ha.d as one unit)"
java -jar target/vigil.jar check --heartbeat conf/heartbeat
echo "== vigil check: the sample keepalived pair, both nodes together (weight trap analysis)"
java -jar target/vigil.jar check conf/keepalived/node-a/keepalived.conf conf/keepalived/node-b/keepalived.conf
echo "== vigil demo: a two-node cluster and its console (Ctrl-C stops it)"
exec java -jar target/vigil.jar demo "$@"
