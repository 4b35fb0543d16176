#!/usr/bin/env bash
# Lint and type-check the Python bindings and the Python tests:
#   ruff    (its WebAssembly build from npm: PyPI is not reachable) with pyproject.toml's [tool.ruff]
#   pyright (npm) in basic mode with pyproject.toml's [tool.pyright], on the virtkit package
# Generated files are skipped by the linter (they are checked by `generate --check`).
set -uo pipefail
cd "$(dirname "$0")/.."
project=packages/bindings-python
status=0
node scripts/ruff-check.cjs "$project" "$project" test/python || status=1
node_modules/.bin/pyright --project "$project" || status=1
exit $status
