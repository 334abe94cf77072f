#!/usr/bin/env bash
# Writes release artefacts in the Terraform Registry's shape (what goreleaser makes for HashiCorp's
# provider scaffolding) under $DIST_DIR (default dist/):
#   terraform-provider-inspector2fix_<version>_<os>_<arch>.zip  holding terraform-provider-inspector2fix_v<version>
#   terraform-provider-inspector2fix_<version>_manifest.json    (terraform-registry-manifest.json)
#   terraform-provider-inspector2fix_<version>_SHA256SUMS       (zips and manifest)
#   terraform-provider-inspector2fix_<version>_SHA256SUMS.sig   (detached binary GPG signature)
# Environment:
#   DIST_TARGETS   Rust target triples to build (default: this machine's). Each needs its Rust
#                  standard library and a linker installed; see README "Releasing".
#   DIST_BINARY    package this already-built binary for the host platform instead of building
#                  (the tests use the debug build; `make dist` always builds release).
#   GPG_PRIVATE_KEY  ASCII-armoured signing key (GPG_PASSPHRASE if it has one), imported into a
#                  throwaway keyring; or GPG_FINGERPRINT naming a key in the keyring (GNUPGHOME).
#   DIST_THROWAWAY_KEY=1  sign with a key made for this run only (try-outs; not for publishing).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
name=terraform-provider-inspector2fix
version="$("$root/scripts/version.sh")"
out="${DIST_DIR:-$root/dist}"
host="$(rustc -vV | sed -n 's/^host: //p')"
targets="${DIST_TARGETS:-$host}"
prefix="$out/${name}_${version}"

os_arch() {
  case "$1" in
    x86_64-unknown-linux-*) echo linux_amd64 ;;  aarch64-unknown-linux-*) echo linux_arm64 ;;
    x86_64-apple-darwin) echo darwin_amd64 ;;     aarch64-apple-darwin) echo darwin_arm64 ;;
    x86_64-pc-windows-*) echo windows_amd64 ;;   aarch64-pc-windows-*) echo windows_arm64 ;;
    *) echo "dist.sh: no Terraform platform name for target $1" >&2; exit 2 ;;
  esac
}

binary_for() {
  local target="$1"
  if [ -n "${DIST_BINARY:-}" ] && [ "$target" = "$host" ]; then echo "$DIST_BINARY"; return; fi
  if [ "$target" = "$host" ]; then
    cargo build --release --locked --bin "$name" --manifest-path "$root/Cargo.toml" >&2
    echo "$root/target/release/$name"
  else
    cargo build --release --locked --bin "$name" --target "$target" --manifest-path "$root/Cargo.toml" >&2
    echo "$root/target/$target/release/$name$(case $target in *windows*) echo .exe ;; esac)"
  fi
}

# A zip with fixed timestamps and modes, so the same binary always gives the same zip and hash.
zip_one() {
  python3 - "$1" "$2" "$3" <<'PY'
import sys, zipfile
src, member, dest = sys.argv[1:]
info = zipfile.ZipInfo(member, date_time=(1980, 1, 1, 0, 0, 0))
info.external_attr = 0o100755 << 16
info.compress_type = zipfile.ZIP_DEFLATED
with open(src, "rb") as f, zipfile.ZipFile(dest, "w") as z:
    z.writestr(info, f.read())
PY
}

sign() {
  local fpr
  if [ -n "${GPG_PRIVATE_KEY:-}" ]; then
    export GNUPGHOME="$gnupg_tmp"
    printf '%s\n' "$GPG_PRIVATE_KEY" | gpg --batch --quiet --import
    fpr="$(gpg --batch --list-secret-keys --with-colons | awk -F: '/^fpr/ {print $10; exit}')"
  elif [ -n "${GPG_FINGERPRINT:-}" ]; then
    fpr="$GPG_FINGERPRINT"
  elif [ "${DIST_THROWAWAY_KEY:-}" = 1 ]; then
    export GNUPGHOME="$gnupg_tmp"
    gpg --batch --quiet --passphrase '' --quick-generate-key "inspector2fix throwaway <throwaway@invalid>" ed25519 sign 1d
    fpr="$(gpg --batch --list-secret-keys --with-colons | awk -F: '/^fpr/ {print $10; exit}')"
    echo "dist.sh: signed with a throwaway key ($fpr); do not publish these artefacts" >&2
  else
    echo "dist.sh: no signing key: set GPG_PRIVATE_KEY or GPG_FINGERPRINT (or DIST_THROWAWAY_KEY=1 to try)" >&2
    exit 1
  fi
  gpg --batch --quiet --yes --pinentry-mode loopback --passphrase "${GPG_PASSPHRASE:-}" --local-user "$fpr" \
    --output "${prefix}_SHA256SUMS.sig" --detach-sign "${prefix}_SHA256SUMS"
}

# A keyring of our own for an imported or throwaway key, so the user's is never touched.
gnupg_tmp="$(mktemp -d)"
trap 'GNUPGHOME="$gnupg_tmp" gpgconf --kill gpg-agent 2>/dev/null || true; rm -rf "$gnupg_tmp"' EXIT
command -v gpg >/dev/null || { echo "dist.sh: gpg is needed (Debian package gnupg)" >&2; exit 1; }
rm -rf "$out"
mkdir -p "$out"
for target in $targets; do
  bin="$(binary_for "$target")"
  exe=""; case "$target" in *windows*) exe=.exe ;; esac
  zip_one "$bin" "${name}_v${version}${exe}" "${prefix}_$(os_arch "$target").zip"
done
cp "$root/terraform-registry-manifest.json" "${prefix}_manifest.json"
(cd "$out" && sha256sum -- *.zip "${name}_${version}_manifest.json" > "${name}_${version}_SHA256SUMS")
sign
ls -l "$out" >&2
