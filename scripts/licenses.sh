#!/usr/bin/env bash
# Licences of the bundled crates.
#   licenses.sh check    cargo deny check licenses (deny.toml): fails on a licence not allowed,
#                        then regenerates THIRD-PARTY-NOTICES.md
#   licenses.sh notice   only regenerate THIRD-PARTY-NOTICES.md with cargo about (about.toml, about.hbs)
# Both tools are built once with `cargo install --locked` and cached outside the repo.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cache="${I2F_TOOL_CACHE:-$HOME/.cache/inspector2fix}/cargo"
CARGO_DENY_VERSION=0.20.2
CARGO_ABOUT_VERSION=0.9.3

tool() {
  local crate="$1" version="$2" features="$3"
  if [ ! -x "$cache/bin/$crate" ] || ! "$cache/bin/$crate" --version | grep -qF "$version"; then
    echo "building $crate $version once (cached in $cache)" >&2
    cargo install --locked --quiet --root "$cache" --version "$version" --no-default-features $features "$crate" >&2
  fi
  echo "$cache/bin/$crate"
}

cd "$root"
case "${1:-check}" in
  check)
    "$(tool cargo-deny "$CARGO_DENY_VERSION" "")" --offline check licenses
    "$0" notice ;;
  notice)
    "$(tool cargo-about "$CARGO_ABOUT_VERSION" "--features cli")" generate --offline about.hbs -o THIRD-PARTY-NOTICES.md ;;
  *) echo "usage: licenses.sh check|notice" >&2; exit 2 ;;
esac
