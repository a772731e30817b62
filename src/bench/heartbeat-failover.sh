#!/usr/bin/env bash
# Benchmark (issue 3): kill -9 of the active node of a heartbeat-mode pair -> the virtual address
# answering on the survivor, real heartbeat 3.0.6 pairs against Vigil pairs with the same ha.cf, at
# keepalive 1 s / deadtime 5 s and at 100ms / 400ms, in network namespaces.
#
#   src/bench/heartbeat-failover.sh [RUNS] [--impl heartbeat,vigil,vigil-rr] [--profile 1s/5s,100ms/400ms] [--keep]
#   RUNS=3 src/bench/heartbeat-failover.sh
#   src/bench/heartbeat-failover.sh --report target/bench/heartbeat-failover.tsv   # table again from a TSV
#
# Installs nothing. Needs: root (network namespaces, pcap), iproute2 (ip netns, ip monitor),
# util-linux (unshare, nsenter), libpcap, JDK 17 + Maven with the project's dependencies, and the
# Debian package `heartbeat` (3.0.6, /usr/libexec/heartbeat/heartbeat) for the real pairs;
# src/tools/test.sh installs all of them. Each run starts a fresh pair and waits until it is steady:
# about 25 s per run, longer on a loaded machine (a Vigil pair at 100ms/400ms whose JVMs starve at
# start-up is started again): ~30 min for the default 10 runs, ~45 min with --impl heartbeat,vigil,vigil-rr
# (vigil-rr: Vigil's JVM under chrt --rr 1, the scheduling heartbeat gives itself).
# Raw rows: target/bench/heartbeat-failover.tsv (one per run, epoch microseconds + derived ms);
# docs/benchmarks.md explains every column.
set -euo pipefail
cd "$(dirname "$0")/../.."

runs=${RUNS:-10}
if [[ $# -gt 0 && $1 =~ ^[0-9]+$ ]]; then runs=$1; shift; fi

missing=()
[ "$(id -u)" = 0 ] || missing+=("root (network namespaces and pcap)")
command -v ip >/dev/null || missing+=("iproute2")
command -v unshare >/dev/null && command -v nsenter >/dev/null || missing+=("util-linux (unshare, nsenter)")
command -v mvn >/dev/null && command -v java >/dev/null || missing+=("JDK 17 and Maven")
[ -n "$(ldconfig -p 2>/dev/null | grep libpcap)" ] || missing+=("libpcap (libpcap0.8)")
[ -x /usr/libexec/heartbeat/heartbeat ] || missing+=("heartbeat 3.0.6 (apt-get install heartbeat; src/tools/test.sh installs it)")
if [ ${#missing[@]} -gt 0 ] && [[ " $* " != *" --report "* ]]; then
  printf 'heartbeat-failover.sh: missing: %s\n' "${missing[@]}" >&2
  exit 2
fi

mkdir -p target/bench
# Offline by default (MVN_FLAGS= to let Maven download); dependency plugin 2.8: the one whose own
# dependencies the project's local repository holds.
mvn ${MVN_FLAGS--o} -q -B test-compile org.apache.maven.plugins:maven-dependency-plugin:2.8:build-classpath \
  -Dmdep.outputFile=target/bench/classpath.txt -Dmdep.includeScope=test >&2
cp="target/test-classes:target/classes:$(cat target/bench/classpath.txt)"

if [[ " $* " == *" --report "* ]]; then
  exec java -cp "$cp" dev.vigil.bench.HeartbeatFailoverBench "$@"
fi
echo "machine: $(nproc) cores, kernel $(uname -r), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "loadavg before: $(cat /proc/loadavg)"
java --add-opens java.base/java.io=ALL-UNNAMED -XX:+UseSerialGC -cp "$cp" dev.vigil.bench.HeartbeatFailoverBench \
  --runs "$runs" --out target/bench/heartbeat-failover.tsv "$@"
echo "loadavg after: $(cat /proc/loadavg)"
