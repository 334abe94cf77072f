#!/usr/bin/env bash
# Lays out release artefacts from dist/ as a provider mirror that Terraform and OpenTofu install from.
#   scripts/mirror.sh filesystem|network DIST_DIR OUT_DIR [SOURCE]
#   filesystem: OUT_DIR/SOURCE/<release zips>  (the "packed" layout; for provider_installation
#               { filesystem_mirror { path = "OUT_DIR" } } or `terraform providers lock -fs-mirror`)
#   network:    OUT_DIR/SOURCE/{index.json,<version>.json,<zips>}, the provider network mirror
#               protocol as static files, with zh: (zip SHA-256) hashes taken from SHA256SUMS.
#               Serve OUT_DIR over https as-is; point network_mirror { url } at it.
# SOURCE defaults to registry.terraform.io/inspector2fix/inspector2fix; a private registry or
# another namespace is just another SOURCE (README "Installing from a mirror").
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
kind="${1:?usage: mirror.sh filesystem|network DIST_DIR OUT_DIR [SOURCE]}"
dist="${2:?DIST_DIR}"
out="${3:?OUT_DIR}"
source="${4:-registry.terraform.io/inspector2fix/inspector2fix}"
name=terraform-provider-inspector2fix
version="$("$root/scripts/version.sh")"
sums="$dist/${name}_${version}_SHA256SUMS"
[ -f "$sums" ] || { echo "mirror.sh: $sums not found; run make dist first" >&2; exit 1; }

dir="$out/$source"
mkdir -p "$dir"
cp "$dist/${name}_${version}"_*.zip "$dir/"
[ "$kind" = filesystem ] && exit 0
[ "$kind" = network ] || { echo "mirror.sh: unknown layout $kind" >&2; exit 2; }

python3 - "$sums" "$dir" "$version" "$name" <<'PY'
import json, os, re, sys
sums, out, version, name = sys.argv[1:]
archives = {}
for line in open(sums):
    digest, file = line.split()
    m = re.fullmatch(re.escape(f"{name}_{version}_") + r"([a-z0-9]+_[a-z0-9]+)\.zip", file)
    if m:
        archives[m.group(1)] = {"url": file, "hashes": [f"zh:{digest}"]}
if not archives:
    sys.exit(f"mirror.sh: no zips listed in {sums}")
json.dump({"archives": archives}, open(os.path.join(out, f"{version}.json"), "w"), indent=2, sort_keys=True)
json.dump({"versions": {version: {}}}, open(os.path.join(out, "index.json"), "w"), indent=2)
PY
