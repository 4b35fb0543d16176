#!/usr/bin/env bash
# npm run main: the embedded default end to end, through vsh on test:///default —
# define a domain, start it, grow a snapshot tree, and list what exists.
set -euo pipefail
cd "$(dirname "$0")/.."
xml=test/fixtures/main/demo.xml
exec bin/vsh -c test:///default "
  define $xml;
  start demo;
  snapshot-create-as demo base --description 'before changes';
  snapshot-create-as demo left;
  snapshot-revert demo base;
  snapshot-create-as demo right;
  snapshot-list demo --tree;
  list --all"
