#!/usr/bin/env bash
# Style and types, as CI checks them: ruff's lint rules, ruff's formatting and mypy, all configured in
# pyproject.toml. Each runs even if one before it fails, so one run lists every finding.
# To fix the mechanical findings (import order, pyupgrade rewrites, formatting): ruff check --fix && ruff format.
set -uo pipefail
cd "$(dirname "$0")/.."
bin=${VENV:-.venv}/bin
status=0
"$bin/ruff" check . || status=1
"$bin/ruff" format --check . || status=1
"$bin/mypy" || status=1
exit $status
