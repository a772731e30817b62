#!/usr/bin/env bash
# What one VRRP master costs, two Vigil builds or launches against each other and against keepalived
# 2.2.7, all in the same windows. Each master has its own pair of namespaces (a veth whose far end
# only listens) and N instances at v3 ADVERT seconds, so nothing but its own adverts runs in its
# context. Every ROUND measures WINDOW seconds of each daemon's CPU (schedstat nanoseconds of every
# thread: keepalived's parent and VRRP child, every thread of each JVM) after SETTLE seconds, and
# prints a row per round and the medians. The host's noise (the cost of a wake-up varied 2x within
# an hour on the benchmark machine) tilts all three alike, so the ratios compare; single figures
# compare only within a run.
#
#   sudo bash src/bench/vrrp-master-ab.sh                                   # target/vigil.jar twice
#   JAR_B=/tmp/old/vigil.jar bash src/bench/vrrp-master-ab.sh               # this build against another
#   FLAGS_B="$(unit flags) -Dvigil.x=y" ROUNDS=5 bash src/bench/vrrp-master-ab.sh
#
# Traffic stays inside the namespaces it creates; all are deleted on exit, also on failure.
set -euo pipefail
cd "$(dirname "$0")/../.."

N=${N:-1}
ADVERT=${ADVERT:-0.1}
SETTLE=${SETTLE:-60}
WINDOW=${WINDOW:-30}
ROUNDS=${ROUNDS:-3}
unit_flags() { sed -e ':a' -e '/\\$/N; s/\\\n//; ta' conf/systemd/vigil-vrrp.service | sed -n 's/^ExecStart=[^ ]*java \(.*\) -jar .*/\1/p' | tr -s ' '; }
JAR_A=${JAR_A:-target/vigil.jar}
JAR_B=${JAR_B:-$JAR_A}
FLAGS_A=${FLAGS_A:-$(unit_flags)}
FLAGS_B=${FLAGS_B:-$FLAGS_A}

[ "$(id -u)" = 0 ] || { echo "vrrp-master-ab.sh: run as root (namespaces, raw frames)" >&2; exit 2; }
[ -x /usr/sbin/keepalived ] || { echo "vrrp-master-ab.sh: keepalived is not installed (src/tools/test.sh installs it)" >&2; exit 2; }
for j in "$JAR_A" "$JAR_B"; do [ -f "$j" ] || { echo "vrrp-master-ab.sh: $j missing: mvn -o -q package -DskipTests" >&2; exit 2; }; done

tag=vma$$
work=$(mktemp -d /tmp/vrrp-master-ab.XXXXXX)
names=(a b k)
cleanup() {
  for f in "$work"/*.pid; do [ -f "$f" ] && kill -9 $(cat "$f") 2>/dev/null || true; done
  for n in "${names[@]}"; do ip netns del "${tag}${n}1" 2>/dev/null || true; ip netns del "${tag}${n}2" 2>/dev/null || true; done
}
trap cleanup EXIT

conf() {
  for ((v = 1; v <= N; v++)); do
    printf 'vrrp_instance VI_%d {\n    state BACKUP\n    interface vg0\n    virtual_router_id %d\n    priority 150\n    advert_int %s\n    version 3\n    virtual_ipaddress {\n        10.250.%d.%d/32 dev vg0\n    }\n}\n' \
      "$v" "$v" "$ADVERT" $((v / 256)) $((v % 256))
  done
}
for n in "${names[@]}"; do
  ip netns add "${tag}${n}1"; ip netns add "${tag}${n}2"
  ip link add vg0 netns "${tag}${n}1" type veth peer name vg0 netns "${tag}${n}2"
  ip -n "${tag}${n}1" addr add 192.0.2.1/24 dev vg0
  for s in 1 2; do ip -n "${tag}${n}$s" link set lo up; ip -n "${tag}${n}$s" link set vg0 up; done
  conf > "$work/$n.conf"
done
vigil_in() { # name jar flags
  # shellcheck disable=SC2086
  ip netns exec "${tag}${1}1" java $3 -jar "$2" run --keepalived "$work/$1.conf" --state-dir "$work/$1.state" \
    --console 127.0.0.1:0 > "$work/$1.log" 2>&1 &
  echo $! > "$work/$1.pid"
}
vigil_in a "$JAR_A" "$FLAGS_A"
vigil_in b "$JAR_B" "$FLAGS_B"
ip netns exec "${tag}k1" /usr/sbin/keepalived -n -P -l -D -G -f "$work/k.conf" -p "$work/k.parent.pid" -r "$work/k.vrrp.pid" \
  -c "$work/k.checker.pid" -b "$work/k.bfd.pid" > "$work/k.log" 2>&1 &
echo $! > "$work/k.launch.pid"

runns() { cat "$1"/schedstat 2>/dev/null | awk '{ t += $1 } END { printf "%d\n", t }'; }
pns() { local d; for d in /proc/"$1"/task/*; do runns "$d"; done | awk '{ t += $1 } END { printf "%d\n", t }'; }
procs() { if [ "$1" = k ]; then echo "$(cat "$work/k.parent.pid") $(cat "$work/k.vrrp.pid")"; else cat "$work/$1.pid"; fi; }
total() { local t=0 p; for p in $(procs "$1"); do t=$((t + $(pns "$p"))); done; echo $t; }

echo "N=$N at v3 ${ADVERT}s; A: $JAR_A $FLAGS_A" >&2
echo "B: $JAR_B $FLAGS_B; settling ${SETTLE}s, then $ROUNDS windows of ${WINDOW}s (logs in $work)" >&2
sleep "$SETTLE"
for n in a b; do grep -q 'Entering MASTER STATE' "$work/$n.log" || { echo "vrrp-master-ab.sh: Vigil $n never became master (see $work/$n.log)" >&2; exit 1; }; done
echo "| round | A CPU % | B CPU % | keepalived CPU % | A / keepalived | B / keepalived | B / A |"
echo "|---|---|---|---|---|---|---|"
rows=()
for ((r = 1; r <= ROUNDS; r++)); do
  a0=$(total a); b0=$(total b); k0=$(total k)
  sleep "$WINDOW"
  a1=$(total a); b1=$(total b); k1=$(total k)
  row=$(awk -v a=$((a1 - a0)) -v b=$((b1 - b0)) -v k=$((k1 - k0)) -v w="$WINDOW" 'BEGIN {
    pa = 100 * a / 1e9 / w; pb = 100 * b / 1e9 / w; pk = 100 * k / 1e9 / w
    printf "%.3f %.3f %.3f %.2f %.2f %.2f", pa, pb, pk, pa / pk, pb / pk, pb / pa }')
  rows+=("$row")
  echo "| $r | $(echo "$row" | tr ' ' '|' | sed 's/|/ | /g') |"
done
printf '%s\n' "${rows[@]}" | awk '{ for (i = 1; i <= NF; i++) v[i][NR] = $i } END {
  printf "| median |"; for (i = 1; i <= 6; i++) { n = asort(v[i], s); m = (n % 2) ? s[(n + 1) / 2] : (s[n / 2] + s[n / 2 + 1]) / 2; printf (i <= 3 ? " %.3f |" : " %.2f |"), m } print "" }'
for n in a b; do
  rss=$(awk '/VmRSS/ { print int($2 / 1024) }' /proc/"$(cat "$work/$n.pid")"/status)
  echo "Vigil $n: RSS $rss MB, $(grep -c 'Entering MASTER STATE' "$work/$n.log") entries into MASTER"
done
