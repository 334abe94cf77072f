#!/usr/bin/env bash
# Writes one row of README's "Tested versions" table after a green test run (make test, make
# testacc-tofu, make testacc-protocol), so the table says what was really run, never what someone
# typed. A row is per tool and scenario group.
#   tested-versions.sh terraform|tofu WHAT [BINARY]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
kind="$1"; what="$2"
case "$kind" in
  terraform) binary="${3:-${TF_ACC_TERRAFORM_PATH:-$(command -v terraform || echo "$root/.venv/bin/terraform")}}"; label=Terraform ;;
  tofu) binary="${3:?tofu binary}"; label=OpenTofu ;;
  *) echo "tested-versions.sh: unknown kind $kind" >&2; exit 2 ;;
esac
# An empty CLI config: a TF_CLI_CONFIG_FILE naming a missing file makes OpenTofu print a warning first.
version="$(TF_CLI_CONFIG_FILE=/dev/null CHECKPOINT_DISABLE=1 "$binary" version -json | python3 -c 'import json,sys; print(json.load(sys.stdin)["terraform_version"])')"
row="| $label | $version | $what | $(date -u +%Y-%m-%d) |"
python3 - "$root/README.md" "$label" "$row" <<'PY'
import sys
path, label, row = sys.argv[1:]
text = open(path).read()
begin, end = "<!-- tested-versions:begin -->", "<!-- tested-versions:end -->"
head, rest = text.split(begin)
table, tail = rest.split(end)
# One row per tool and scenario group: a run replaces only its own row.
scenarios = row.split(" | ")[2]
rows = [l for l in table.strip().splitlines()[2:] if not (l.startswith(f"| {label} |") and l.split(" | ")[2] == scenarios)]
rows = sorted(rows + [row])
header = "| Tool | Version | Scenarios | Date (UTC) |\n|---|---|---|---|"
open(path, "w").write(head + begin + "\n" + header + "\n" + "\n".join(rows) + "\n" + end + tail)
PY
