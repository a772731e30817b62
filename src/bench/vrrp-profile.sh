#!/usr/bin/env bash
# Where a Vigil VRRP daemon spends its CPU, per thread: the rig behind "What costs Vigil time and CPU"
# in docs/benchmarks.md. Three hosts on one bridge, N instances at v3 0.1 s (VRID 1..N, one /32 VIP
# each): a master (keepalived 2.2.7, or Vigil with MASTER=vigil) and two backups, one keepalived and
# one Vigil, that receive the very same frames (a backup's cost depends on how its master bunches
# its adverts). After SETTLE seconds it measures WINDOW seconds of utime+stime of every daemon and
# of each thread of the Vigil JVM (CPU time in nanoseconds from /proc/PID/task/*/schedstat: the
# 10 ms ticks of /proc/PID/stat are 0.03 % of a core over 30 s, keepalived's whole figure at N = 1;
# the kernel share still comes from the ticks); STRACE=1 then counts system calls and
# PERF=1 samples stacks for STRACE_S seconds (of Vigil, or TRACE=keepalived: keepalived's backup).
#
#   sudo bash src/bench/vrrp-profile.sh                     # 255 instances, keepalived master
#   MASTER=vigil N=100 bash src/bench/vrrp-profile.sh       # Vigil master
#   N=1 WINDOW=60 JAVA_FLAGS='-XX:+UseSerialGC -Xmx64m' bash src/bench/vrrp-profile.sh
#   N=1 B_FLAGS="$(...) -Dvigil.vrrp.kernelAdvertWatch=false" bash src/bench/vrrp-profile.sh
#
# B_FLAGS adds a second Vigil backup (host "vbackupB") launched with those JVM flags instead, on the
# same bridge and in the same window: an A/B of two launches that the host's noise (the cost of a
# wake-up varied 2x within an hour on the benchmark machine) cannot tilt.
#
# Traffic stays inside the namespaces it creates; all are deleted on exit, also on failure.
set -euo pipefail
cd "$(dirname "$0")/../.."

N=${N:-255}
MASTER=${MASTER:-keepalived}  # the master of every instance: keepalived or vigil
SETTLE=${SETTLE:-15}
WINDOW=${WINDOW:-30}
STRACE=${STRACE:-0}
STRACE_S=${STRACE_S:-10}
# the JVM flags the VRRP unit ships (its ExecStart between java and -jar), unless JAVA_FLAGS says otherwise
unit_flags() { sed -e ':a' -e '/\\$/N; s/\\\n//; ta' conf/systemd/vigil-vrrp.service | sed -n 's/^ExecStart=[^ ]*java \(.*\) -jar .*/\1/p' | tr -s ' '; }
JAVA_FLAGS=${JAVA_FLAGS:-$(unit_flags)}
JAR=${JAR:-target/vigil.jar}
B_FLAGS=${B_FLAGS:-}

[ "$(id -u)" = 0 ] || { echo "vrrp-profile.sh: run as root (namespaces, raw frames)" >&2; exit 2; }
[ -x /usr/sbin/keepalived ] || { echo "vrrp-profile.sh: keepalived is not installed (src/tools/test.sh installs it)" >&2; exit 2; }
[ -f "$JAR" ] || { echo "vrrp-profile.sh: $JAR missing: mvn -o -q package -DskipTests" >&2; exit 2; }

tag=vgp$$
nsw=${tag}s; nm=${tag}m; nk=${tag}k; nv=${tag}v; nb=${tag}b
hosts=("$nm" "$nk" "$nv"); [ -n "$B_FLAGS" ] && hosts+=("$nb")
work=$(mktemp -d /tmp/vrrp-profile.XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done
  for f in "$work"/*.pid; do [ -f "$f" ] && kill -9 "$(cat "$f")" 2>/dev/null || true; done
  for n in "$nm" "$nk" "$nv" "$nb" "$nsw"; do ip netns del "$n" 2>/dev/null || true; done
}
trap cleanup EXIT

# a bridge in its own namespace, one port per host: both backups receive the very same frames
ip netns add "$nsw"
ip -n "$nsw" link add br0 type bridge
ip -n "$nsw" link set br0 up
i=1
for n in "${hosts[@]}"; do
  ip netns add "$n"
  ip link add "${tag}p$i" netns "$nsw" type veth peer name vg0 netns "$n"
  ip -n "$nsw" link set "${tag}p$i" master br0 up
  ip -n "$n" addr add "192.0.2.$i/24" dev vg0
  ip -n "$n" link set lo up; ip -n "$n" link set vg0 up
  i=$((i + 1))
done

conf() { # router-id priority
  printf 'global_defs {\n    router_id %s\n    vrrp_garp_master_delay 1\n    vrrp_garp_master_repeat 1\n}\n' "$1"
  for ((v = 1; v <= N; v++)); do
    printf 'vrrp_instance VI_%d {\n    state BACKUP\n    interface vg0\n    virtual_router_id %d\n    priority %d\n    advert_int 0.1\n    version 3\n    virtual_ipaddress {\n        10.250.%d.%d/32 dev vg0\n    }\n}\n' \
      "$v" "$v" "$2" $((v / 256)) $((v % 256))
  done
}
keepalived_in() { # namespace name
  ip netns exec "$1" /usr/sbin/keepalived -n -P -l -D -G -f "$work/$2.conf" -p "$work/$2.parent.pid" \
    -r "$work/$2.vrrp.pid" -c "$work/$2.checker.pid" -b "$work/$2.bfd.pid" > "$work/$2.log" 2>&1 &
  pids+=($!)
}
vigil_in() { # namespace name [JVM flags]
  # shellcheck disable=SC2086
  ip netns exec "$1" java ${3:-$JAVA_FLAGS} -jar "$JAR" run --keepalived "$work/$2.conf" --state-dir "$work/$2.state" \
    --console 127.0.0.1:0 > "$work/$2.log" 2>&1 &
  pids+=($!)
  echo $! > "$work/$2.jvm"
}

conf master 150 > "$work/master.conf"
conf kbackup 100 > "$work/kbackup.conf"
conf vbackup 100 > "$work/vbackup.conf"
daemons=(master kbackup vbackup)
if [ -n "$B_FLAGS" ]; then conf vbackupB 100 > "$work/vbackupB.conf"; daemons+=(vbackupB); fi
if [ "$MASTER" = vigil ]; then vigil_in "$nm" master; else keepalived_in "$nm" master; fi
sleep 3 # the master first, so that it alone takes every instance
keepalived_in "$nk" kbackup
vigil_in "$nv" vbackup
[ -n "$B_FLAGS" ] && vigil_in "$nb" vbackupB "$B_FLAGS"

echo "N=$N, master: $MASTER; backups: Vigil and keepalived on one bridge; settling ${SETTLE}s (logs in $work)" >&2
sleep "$SETTLE"
hz=$(getconf CLK_TCK)
# nanoseconds on a CPU of one thread (its task directory) or of every thread of a process
runns() { cat "$1"/schedstat 2>/dev/null | awk '{ t += $1 } END { printf "%d\n", t }'; }
pns() { local d; for d in /proc/"$1"/task/*; do runns "$d"; done | awk '{ t += $1 } END { printf "%d\n", t }'; }
sticks() { awk '{ n = split($0, f, ") "); split(f[n], g, " "); print g[13] }' "$1" 2>/dev/null || echo 0; }
# voluntary context switches: each is the thread going to sleep, so one wake-up later
switches() { awk '/^voluntary_ctxt_switches/ { print $2 }' "$1" 2>/dev/null || echo 0; }
# every process of each daemon: keepalived's parent and VRRP child, Vigil's JVM
procs() { if [ -f "$work/$1.jvm" ]; then cat "$work/$1.jvm"; else echo "$(cat "$work/$1.parent.pid") $(cat "$work/$1.vrrp.pid")"; fi; }
total() { local t=0 p; for p in $(procs "$1"); do t=$((t + $(pns "$p"))); done; echo $t; }
declare -A before sbefore wbefore dbefore
for d in "${daemons[@]}"; do dbefore[$d]=$(total $d); done
kvrrp=$(cat "$work/kbackup.vrrp.pid"); kwbefore=$(switches /proc/"$kvrrp"/status)
jvm=$(cat "$work/vbackup.jvm"); [ "$MASTER" = vigil ] && jvm=$(cat "$work/master.jvm")
for t in /proc/"$jvm"/task/*; do before[$t]=$(runns "$t"); sbefore[$t]=$(sticks "$t/stat"); wbefore[$t]=$(switches "$t/status"); done
sleep "$WINDOW"
echo "Threads of Vigil's $( [ "$MASTER" = vigil ] && echo master || echo backup ) JVM over ${WINDOW}s:"
echo
echo "| thread | CPU % of one core | of which kernel (ticks) | wake-ups/s | µs per wake-up |"
echo "|---|---|---|---|---|"
for t in /proc/"$jvm"/task/*; do
  b=${before[$t]:-0}
  d=$(( $(runns "$t") - b ))
  sd=$(( $(sticks "$t/stat") - ${sbefore[$t]:-0} ))
  wd=$(( $(switches "$t/status") - ${wbefore[$t]:-0} ))
  if [ "$d" -gt 0 ] || [ "$wd" -gt 0 ]; then
    printf '| %s | %s |\n' "$(cat "$t/comm")" "$(awk -v d="$d" -v s="$sd" -v x="$wd" -v hz="$hz" -v w="$WINDOW" 'BEGIN { printf "%.3f | %.2f | %.1f | %.0f", 100 * d / 1e9 / w, 100 * s / hz / w, x / w, (x > 0 ? d / 1e3 / x : 0) }')"
  fi
done | sort -t'|' -k3 -rn
awk -v x=$(( $(switches /proc/"$kvrrp"/status) - kwbefore )) -v w="$WINDOW" 'BEGIN { printf "\nkeepalived backup VRRP child: %.1f wake-ups/s\n", x / w }'
echo
echo "| daemon | role | CPU % of one core | RSS MB |"
echo "|---|---|---|---|"
for d in "${daemons[@]}"; do
  rss=0; for p in $(procs $d); do rss=$((rss + $(awk '/VmRSS/ { print $2 }' /proc/"$p"/status))); done
  impl=keepalived; { [ $d = vbackup ] || { [ $d = master ] && [ "$MASTER" = vigil ]; }; } && impl=vigil
  [ $d = vbackupB ] && impl="vigil (B_FLAGS)"
  awk -v t=$(( $(total $d) - ${dbefore[$d]} )) -v hz="$hz" -v w="$WINDOW" -v i="$impl" -v r="$( [ $d = master ] && echo master || echo backup )" -v m=$((rss / 1024)) \
    'BEGIN { printf "| %s | %s | %.3f | %d |\n", i, r, 100 * t / 1e9 / w, m }'
done
echo
for d in "${daemons[@]:1}"; do echo "$d: $(grep -c 'Entering MASTER STATE' "$work/$d.log" || true) entries into MASTER"; done
# TRACE=keepalived traces the keepalived backup's VRRP child instead of Vigil's JVM
traced=$jvm; [ "${TRACE:-vigil}" = keepalived ] && traced=$(cat "$work/kbackup.vrrp.pid")
if [ "$STRACE" = 1 ]; then
  timeout "$STRACE_S" strace -c -f -p "$traced" -o "$work/strace.txt" 2>/dev/null || true
  echo; echo "system calls over ${STRACE_S}s (strace -c -f):"; head -25 "$work/strace.txt"
fi
if [ "${PERF:-0}" = 1 ]; then
  # JIT-compiled frames are named through the JVM's perf map (jcmd Compiler.perfmap, JDK 17)
  perf record -F "${PERF_F:-997}" -g -p "$traced" -o "$work/perf.data" -- sleep "$STRACE_S" 2>/dev/null >/dev/null || true
  jcmd "$jvm" Compiler.perfmap >/dev/null 2>&1 || true
  echo; echo "perf samples by library (${STRACE_S}s):"
  perf report -i "$work/perf.data" --no-children --sort dso --stdio -g none 2>/dev/null | grep -v '^#' | grep -v '^$' | head -15
  echo; echo "hottest symbols:"
  perf report -i "$work/perf.data" --no-children --sort dso,sym --stdio -g none 2>/dev/null | grep -v '^#' | grep -v '^$' | head -45
fi
