#!/usr/bin/env bash
# The acceptance suite's core scenarios with a real OpenTofu instead of Terraform: create, clean
# plan, drift and repair, destroy; import by CLI and by block; the Security Hub data source; the
# suppression resource; then resource identity and `import { identity = ... }` (OpenTofu 1.12 and
# later), recorded as a row of their own.
# OpenTofu is built once from the Go module proxy (scripts/go-tool.sh).
# A green run records OpenTofu's version in README's table of tested versions.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
tofu="$(bash scripts/go-tool.sh tofu)"
tests=(
  ecr_scanning::lifecycle_create_clean_plan_drift_repair_and_destroy_keeps_other_scan_types
  ecr_scanning::import_by_cli_and_by_import_block
  security_hub::compliance_status_is_derived_as_security_hub_does
  security_hub::suppression_lifecycle_create_drift_reason_update_import_destroy
)
# Resource identity (protocol 6.9): OpenTofu 1.12 stands in for the Terraform 1.15 of these scenarios.
identity_tests=(
  identity::administrator_resources_have_identities_and_import_by_them
  identity::an_identity_naming_another_account_is_refused_as_its_id_would_be
  identity::a_suppression_has_an_identity_and_imports_by_it
)
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
TF_ACC_TERRAFORM_PATH="$tofu" ${CARGO:-cargo} test --test acceptance -- --exact "${tests[@]}" 2>&1 | tee "$log"
# A renamed scenario would silently drop out of the filter: insist that every one ran and passed.
passed="$(awk '/^test result: ok\./ { print $4 }' "$log")"
if [ "$passed" != "${#tests[@]}" ]; then
  echo "testacc-tofu: expected ${#tests[@]} scenarios to pass with OpenTofu, got '${passed:-none}'" >&2
  exit 1
fi
bash scripts/tested-versions.sh tofu "core lifecycle, import by CLI and block, data source, suppression" "$tofu"

TF_ACC_TERRAFORM_PATH="$tofu" TF_ACC_TERRAFORM_1_15_PATH="$tofu" ${CARGO:-cargo} test --test acceptance -- --exact \
  "${identity_tests[@]}" 2>&1 | tee "$log"
passed="$(awk '/^test result: ok\./ { print $4 }' "$log")"
if [ "$passed" != "${#identity_tests[@]}" ]; then
  echo "testacc-tofu: expected ${#identity_tests[@]} identity scenarios to pass with OpenTofu, got '${passed:-none}'" >&2
  exit 1
fi
bash scripts/tested-versions.sh tofu "resource identity, import by identity" "$tofu"
