#!/usr/bin/env bash
# Installs everything Vigil's tests need on a fresh Debian 12 machine, then runs every test.
# CI (.ci/run) calls exactly this. Run it as root: the interop tests build network namespaces and
# run real keepalived and heartbeat; without root they are skipped with a printed reason.
set -euo pipefail
cd "$(dirname "$0")/../.."

PACKAGES=(
  openjdk-17-jdk-headless maven          # build
  iproute2 nftables procps psmisc         # namespaces, loss/partition rules, process checks
  libpcap0.8 socat                        # raw VRRP/ARP frames; serial cables as pty pairs
  keepalived heartbeat                    # the real peers for interop tests
  chromium chromium-driver                # console browser tests
)

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else return 1; fi; }

install_packages() {
  export DEBIAN_FRONTEND=noninteractive
  as_root apt-get update
  # keepalived's and heartbeat's maintainer scripts would start the daemons on this host; the tests
  # start their own instances inside namespaces, so forbid service starts during the install.
  local policy=/usr/sbin/policy-rc.d created=0
  if [ ! -e "$policy" ]; then
    as_root sh -c "printf '#!/bin/sh\nexit 101\n' > $policy && chmod 755 $policy" && created=1
  fi
  as_root apt-get install -y --no-install-recommends "${PACKAGES[@]}" || { [ $created = 1 ] && as_root rm -f "$policy"; exit 1; }
  [ $created = 1 ] && as_root rm -f "$policy"
  # Debian enables both units; a host-level daemon would fight the tests' own instances.
  for svc in keepalived heartbeat; do
    if command -v systemctl >/dev/null && [ -d /run/systemd/system ]; then as_root systemctl disable --now "$svc" 2>/dev/null || true; fi
  done
}

if [ "${VIGIL_SKIP_APT:-0}" != 1 ]; then
  if [ "$(id -u)" = 0 ] || command -v sudo >/dev/null; then
    install_packages
  else
    echo "test.sh: not root and no sudo: packages not installed; namespace and browser tests will be skipped" >&2
  fi
fi

exec mvn -B -ntp verify "$@"
