#!/usr/bin/env bash
# npm run main: the README's main job end to end through vsh — the commands of
# scripts/main-job.vsh (shared with the test that replays them through real virsh).
# MAIN_JOB_URI picks the connection (default: the embedded test driver), MAIN_JOB_XML the
# domain definition to start from.
set -euo pipefail
cd "$(dirname "$0")/.."
uri="${MAIN_JOB_URI:-test:///default}"
xml="${MAIN_JOB_XML:-test/fixtures/main/demo.xml}"
script="$(<scripts/main-job.vsh)"
exec bin/vsh -c "$uri" "${script//@DOMAIN_XML@/$xml}"
