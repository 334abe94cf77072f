#!/usr/bin/env bash
# README's "Tested versions" table says what was really run, never what someone typed. A test run
# never edits a tracked file, so it happens in two steps:
#   tested-versions.sh record terraform|tofu WHAT [BINARY]   after a green run (make test, make
#       testacc-tofu): one row into target/tested-versions/, which git ignores
#   tested-versions.sh write   (make tested-versions): README's table from the recorded rows
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
rows_dir="$root/target/tested-versions"

record() {
  local kind="$1" what="$2" binary label version
  case "$kind" in
    terraform) binary="${3:-${TF_ACC_TERRAFORM_PATH:-$(command -v terraform || echo "$root/.venv/bin/terraform")}}"; label=Terraform ;;
    tofu) binary="${3:?tofu binary}"; label=OpenTofu ;;
    *) echo "tested-versions.sh: unknown kind $kind" >&2; exit 2 ;;
  esac
  # An empty CLI config: a TF_CLI_CONFIG_FILE naming a missing file makes OpenTofu print a warning first.
  version="$(TF_CLI_CONFIG_FILE=/dev/null CHECKPOINT_DISABLE=1 "$binary" version -json | python3 -c 'import json,sys; print(json.load(sys.stdin)["terraform_version"])')"
  mkdir -p "$rows_dir"
  # One row per tool and scenario group (the text before any ':'): a run replaces only its own row.
  local group; group="$(printf '%s' "${what%%:*}" | cksum | cut -d' ' -f1)"
  echo "| $label | $version | $what | $(date -u +%Y-%m-%d) |" >"$rows_dir/$label-$group.row"
  echo "recorded $label $version ($what) for \`make tested-versions\`"
}

write() {
  shopt -s nullglob
  local rows=("$rows_dir"/*.row)
  if [ "${#rows[@]}" = 0 ]; then
    echo "tested-versions.sh: no green run recorded in $rows_dir: run make test (and make testacc-tofu) first" >&2
    exit 1
  fi
  python3 - "$root/README.md" "${rows[@]}" <<'PY'
import sys
path, files = sys.argv[1], sys.argv[2:]
recorded = [open(f).read().strip() for f in files]
def group(row):
    cells = [c.strip() for c in row.split("|")]
    return cells[1], cells[3].split(":")[0]
groups = {group(r) for r in recorded}
text = open(path).read()
begin, end = "<!-- tested-versions:begin -->", "<!-- tested-versions:end -->"
head, rest = text.split(begin)
table, tail = rest.split(end)
# A tool and scenario group without a new run keeps its row.
kept = [l for l in table.strip().splitlines()[2:] if group(l) not in groups]
rows = sorted(kept + recorded)
header = "| Tool | Version | Scenarios | Date (UTC) |\n|---|---|---|---|"
open(path, "w").write(head + begin + "\n" + header + "\n" + "\n".join(rows) + "\n" + end + tail)
print("README.md: tested versions\n" + "\n".join(rows))
PY
}

case "${1:-}" in
  record) shift; record "$@" ;;
  write) write ;;
  *) echo "usage: tested-versions.sh record terraform|tofu WHAT [BINARY] | write" >&2; exit 2 ;;
esac
