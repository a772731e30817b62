#!/usr/bin/env bash
# VRRP-mode benchmark (issue 4): Vigil against keepalived 2.2.7 in network namespaces, in one run.
# Needs root (namespaces, raw frames) and keepalived installed (src/tools/test.sh installs it).
#
#   sudo bash src/bench/vrrp.sh                      # 10 runs per case, 60 s CPU windows (~40 min)
#   RUNS=3 WINDOW=20 bash src/bench/vrrp.sh          # a quicker look
#   CASES=failover SIZES=1,100 bash src/bench/vrrp.sh
#   SMALL_FLAGS='-XX:+UseSerialGC -Xmx48m' bash src/bench/vrrp.sh
#
# Raw rows go to target/bench/vrrp-{env,failover,resources,start}.tsv; the markdown tables to
# target/bench/vrrp.md and standard output (docs/benchmarks.md "VRRP mode" quotes one run).
set -euo pipefail
cd "$(dirname "$0")/../.."

RUNS=${RUNS:-10}
WINDOW=${WINDOW:-60}
CASES=${CASES:-failover,resources,start}
SIZES=${SIZES:-1,100,255}
SETTLE=${SETTLE:-60}  # seconds from convergence to the CPU window (resources case)

[ "$(id -u)" = 0 ] || { echo "vrrp.sh: run as root (network namespaces, raw frames)" >&2; exit 2; }
command -v keepalived >/dev/null || [ -x /usr/sbin/keepalived ] || { echo "vrrp.sh: keepalived is not installed" >&2; exit 2; }

echo "building target/vigil.jar ..." >&2
mvn -o -q -B package -DskipTests
mkdir -p target/bench
props=(-Dbench.runs="$RUNS" -Dbench.window="$WINDOW" -Dbench.cases="$CASES" -Dbench.sizes="$SIZES" -Dbench.settle="$SETTLE"
       -Dbench.jar=target/vigil.jar -Dbench.out=target/bench)
[ -n "${SMALL_FLAGS:-}" ] && props+=(-Dbench.smallFlags="$SMALL_FLAGS")
echo "running dev.vigil.interop.VrrpBench (progress: target/surefire-reports/dev.vigil.interop.VrrpBench-output.txt) ..." >&2
mvn -o -B -q test -Dtest=VrrpBench -Dsurefire.failIfNoSpecifiedTests=false -Dvigil.excludedGroups=none "${props[@]}" >&2
cat target/bench/vrrp.md
