#!/usr/bin/env bash
# The whole acceptance suite again with a real OpenTofu instead of Terraform (the harness runs the
# CLI named by TF_ACC_TERRAFORM_PATH). A scenario that needs a Terraform-only feature skips itself
# and says why (testsupport/src/skip.rs); the reasons are printed at the end. OpenTofu is built
# once from the Go module proxy (scripts/go-tool.sh). A green run is recorded under target/ for
# `make tested-versions`.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
tofu="$(bash scripts/go-tool.sh tofu)"
mkdir -p target
skips="$root/target/acceptance-skipped-tofu.txt"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
rm -f "$skips"
TF_ACC_TERRAFORM_PATH="$tofu" I2F_SKIP_LOG="$skips" ${CARGO:-cargo} test --test acceptance "$@" 2>&1 | tee "$log"
result="$(grep -E '^test result: ' "$log" | tail -1)"
passed="$(awk '{ print $4 }' <<<"$result")"
failed="$(awk '{ print $6 }' <<<"$result")"
if [ -z "$passed" ] || [ "$failed" != 0 ]; then
  echo "testacc-tofu: the acceptance suite did not pass with OpenTofu (${result:-no result line})" >&2
  exit 1
fi
skipped=0
if [ -s "$skips" ]; then
  skipped="$(wc -l <"$skips")"
  echo "Skipped on OpenTofu (counted as passed above):"
  sed 's/^/  /' "$skips"
fi
ran=$((passed - skipped))
echo "testacc-tofu: $ran acceptance tests ran and passed with $(TF_CLI_CONFIG_FILE=/dev/null "$tofu" version | head -1), $skipped skipped"
# Only a run of the whole suite is recorded (a filter given as arguments is a partial run).
if [ "$#" = 0 ]; then
  bash scripts/tested-versions.sh record tofu "full acceptance suite: $ran passed, $skipped skipped" "$tofu"
fi
