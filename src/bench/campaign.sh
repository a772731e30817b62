#!/bin/sh
# The fault campaign on real processes in network namespaces (issue 8; docs/reliability.md §1b).
# Root only. Usage: src/bench/campaign.sh [FAULTS] [SEED] [compare]
#   FAULTS  faults per VRRP cluster (heartbeat pairs get FAULTS - 1); CI runs 4
#   SEED    the campaign seed (each cluster kind adds its own offset; the summary prints both)
#   compare also run keepalived-only, the mixed heartbeat pair and the real heartbeat pair
# The summary lines start with CAMPAIGN in target/surefire-reports/dev.vigil.interop.NamespaceCampaignTest-output.txt.
set -e
cd "$(dirname "$0")/../.."
FAULTS=${1:-200}
SEED=${2:-20261125}
COMPARE=false
[ "${3:-}" = compare ] && COMPARE=true
mvn -o -B test -Dtest=NamespaceCampaignTest -Dsurefire.failIfNoSpecifiedTests=false \
    -Dvigil.campaign.faults="$FAULTS" -Dvigil.campaign.seed="$SEED" -Dvigil.campaign.compare="$COMPARE" || status=$?
grep -h '^CAMPAIGN' target/surefire-reports/dev.vigil.interop.NamespaceCampaignTest-output.txt
exit ${status:-0}
