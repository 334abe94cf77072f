#!/usr/bin/env bash
# Release artefacts in the Terraform Registry's shape (what goreleaser makes for HashiCorp's provider
# scaffolding):
#   terraform-provider-inspector2fix_<version>_<os>_<arch>.zip  holding terraform-provider-inspector2fix_v<version>[.exe]
#   terraform-provider-inspector2fix_<version>_manifest.json    (terraform-registry-manifest.json)
#   terraform-provider-inspector2fix_<version>_SHA256SUMS       (every zip and the manifest)
#   terraform-provider-inspector2fix_<version>_SHA256SUMS.sig   (detached binary GPG signature)
# Modes:
#   dist.sh                    `make dist`: check the signing key, build this machine's platform(s),
#                              then merge and sign into $DIST_DIR (default dist/).
#   dist.sh build OUT_DIR      one release runner: build DIST_TARGETS and write only their zips to
#                              OUT_DIR; no key needed (the signing key never reaches a build runner).
#   dist.sh merge IN_DIR...    the release job: check the key, gather the zips of every IN_DIR, add
#                              the manifest, write one SHA256SUMS over them all and sign it, into $DIST_DIR.
#   dist.sh check-tag TAG      fail unless TAG is v<Cargo.toml version> and CHANGELOG.md has its entry.
#   dist.sh changelog          print this version's CHANGELOG.md entry (the release notes).
# Every output directory is written whole or not at all: it is built in a sibling temporary
# directory and renamed into place, so a failure leaves the previous one (or none), never half of one.
# Environment:
#   DIST_TARGETS   Rust target triples to build (default: this machine's). Each needs its Rust
#                  standard library and a linker installed; see README "Releasing".
#   DIST_BINARY    package this already-built binary for the host platform instead of building
#                  (the tests use the debug build; `make dist` always builds release).
#   DIST_EXPECT_PLATFORMS  merge: the exact set of platforms to find, e.g. "linux_amd64 darwin_arm64".
#   GPG_PRIVATE_KEY  ASCII-armoured signing key (GPG_PASSPHRASE if it has one), imported into a
#                  throwaway keyring; or GPG_FINGERPRINT naming a key in the keyring (GNUPGHOME).
#   DIST_THROWAWAY_KEY=1  sign with a key made for this run only (try-outs; not for publishing).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
name=terraform-provider-inspector2fix
version="$("$root/scripts/version.sh")"
out="${DIST_DIR:-$root/dist}"

die() { echo "dist.sh: $*" >&2; exit 1; }

os_arch() {
  case "$1" in
    x86_64-unknown-linux-*) echo linux_amd64 ;;  aarch64-unknown-linux-*) echo linux_arm64 ;;
    x86_64-apple-darwin) echo darwin_amd64 ;;     aarch64-apple-darwin) echo darwin_arm64 ;;
    x86_64-pc-windows-*) echo windows_amd64 ;;   aarch64-pc-windows-*) echo windows_arm64 ;;
    *) echo "dist.sh: no Terraform platform name for target $1" >&2; exit 2 ;;
  esac
}

# The zip and its check need only Python's standard library. Windows runners may have only `python`,
# and a `python3` there may be the Microsoft Store's stub, so the first one that really runs is used.
python_cmd=""
py() {
  if [ -z "$python_cmd" ]; then
    local p
    for p in python3 python; do
      if "$p" -c 'import zipfile' >/dev/null 2>&1; then python_cmd="$p"; break; fi
    done
    [ -n "$python_cmd" ] || die "python3 is needed"
  fi
  "$python_cmd" "$@"
}

sha256() { if command -v sha256sum >/dev/null; then sha256sum -- "$@"; else shasum -a 256 -- "$@"; fi; }

# --- Output directories written whole or not at all -------------------------------------------------

# Sets $stage to a new temporary directory beside $1 (same filesystem, so the final rename is one
# step); removed on exit unless published.
staging_dir() {
  mkdir -p "$(dirname "$1")"
  stage="$(mktemp -d "$(dirname "$1")/.$(basename "$1").partial.XXXXXX")"
  cleanup+=("$stage")
}

# Replaces directory $2 by the finished $1: the old one is moved aside first, then removed.
publish() {
  local stage="$1" dest="$2" old=""
  if [ -e "$dest" ]; then old="$(mktemp -d "$(dirname "$dest")/.$(basename "$dest").old.XXXXXX")"; mv "$dest" "$old/"; fi
  mv "$stage" "$dest"
  [ -z "$old" ] || rm -rf "$old"
}

cleanup=()
gnupg_tmp=""
on_exit() {
  if [ -n "$gnupg_tmp" ]; then GNUPGHOME="$gnupg_tmp" gpgconf --kill gpg-agent 2>/dev/null || true; fi
  # (The odd expansion keeps an empty array legal under set -u in macOS's bash 3.2.)
  rm -rf ${cleanup[@]+"${cleanup[@]}"} ${gnupg_tmp:+"$gnupg_tmp"}
}
trap on_exit EXIT

# --- Signing key ----------------------------------------------------------------------------------

# Finds the key and proves it can sign (a wrong passphrase or an expired key fails here), so a missing
# key stops the run before the release build, not after it. Sets $fpr and, for an imported or
# throwaway key, GNUPGHOME to a keyring of our own, so the user's is never touched.
check_signing_key() {
  command -v gpg >/dev/null || die "gpg is needed (Debian package gnupg)"
  if [ -n "${GPG_PRIVATE_KEY:-}" ]; then
    gnupg_tmp="$(mktemp -d)"; export GNUPGHOME="$gnupg_tmp"
    printf '%s\n' "$GPG_PRIVATE_KEY" | gpg --batch --quiet --import || die "GPG_PRIVATE_KEY could not be imported"
    fpr="$(gpg --batch --list-secret-keys --with-colons | awk -F: '/^fpr/ {print $10; exit}')"
    [ -n "$fpr" ] || die "GPG_PRIVATE_KEY holds no secret key"
  elif [ -n "${GPG_FINGERPRINT:-}" ]; then
    fpr="$GPG_FINGERPRINT"
    gpg --batch --list-secret-keys -- "$fpr" >/dev/null 2>&1 || die "no secret key $fpr in the keyring (GNUPGHOME)"
  elif [ "${DIST_THROWAWAY_KEY:-}" = 1 ]; then
    gnupg_tmp="$(mktemp -d)"; export GNUPGHOME="$gnupg_tmp"
    gpg --batch --quiet --passphrase '' --quick-generate-key "inspector2fix throwaway <throwaway@invalid>" ed25519 sign 1d
    fpr="$(gpg --batch --list-secret-keys --with-colons | awk -F: '/^fpr/ {print $10; exit}')"
    echo "dist.sh: signing with a throwaway key ($fpr); do not publish these artefacts" >&2
  else
    die "no signing key: set GPG_PRIVATE_KEY or GPG_FINGERPRINT (or DIST_THROWAWAY_KEY=1 to try)"
  fi
  echo "signing key check" | gpg_sign --clearsign >/dev/null || die "key $fpr cannot sign (passphrase? expired?)"
}

gpg_sign() {
  gpg --batch --quiet --yes --pinentry-mode loopback --passphrase "${GPG_PASSPHRASE:-}" --local-user "$fpr" "$@"
}

# --- Per-platform build ---------------------------------------------------------------------------

exe_suffix() { case "$1" in *windows*) echo .exe ;; esac; }

binary_for() {
  local target="$1" host
  host="$(rustc -vV | sed -n 's/^host: //p')"
  if [ -n "${DIST_BINARY:-}" ] && [ "$target" = "$host" ]; then echo "$DIST_BINARY"; return; fi
  if [ "$target" = "$host" ]; then
    cargo build --release --locked --bin "$name" --manifest-path "$root/Cargo.toml" >&2
    echo "$root/target/release/$name$(exe_suffix "$target")"
  else
    cargo build --release --locked --bin "$name" --target "$target" --manifest-path "$root/Cargo.toml" >&2
    echo "$root/target/$target/release/$name$(exe_suffix "$target")"
  fi
}

# A zip with fixed timestamps and modes, so the same binary always gives the same zip and hash.
zip_one() {
  py - "$1" "$2" "$3" <<'PY'
import sys, zipfile
src, member, dest = sys.argv[1:]
info = zipfile.ZipInfo(member, date_time=(1980, 1, 1, 0, 0, 0))
info.external_attr = 0o100755 << 16
info.compress_type = zipfile.ZIP_DEFLATED
with open(src, "rb") as f, zipfile.ZipFile(dest, "w") as z:
    z.writestr(info, f.read())
PY
}

# Writes the zip of every DIST_TARGETS target into directory $1.
build_zips() {
  local dir="$1" target bin
  for target in ${DIST_TARGETS:-$(rustc -vV | sed -n 's/^host: //p')}; do
    bin="$(binary_for "$target")"
    [ -f "$bin" ] || die "no binary at $bin after building $target"
    zip_one "$bin" "${name}_v${version}$(exe_suffix "$target")" "$dir/${name}_${version}_$(os_arch "$target").zip"
  done
}

# --- Merge ----------------------------------------------------------------------------------------

# Checks one per-platform zip before it is listed: this version's name, a known platform, inside
# exactly the binary Terraform looks for (with .exe on Windows), and that binary built for the
# platform its name says (ELF, Mach-O or PE header: format and CPU), so a runner that built for
# the wrong machine cannot slip a mislabelled zip into a release.
check_zip() {
  py - "$1" "$name" "$version" <<'PY'
import os, re, struct, sys, zipfile
path, name, version = sys.argv[1:]

def platform_of(head):
    if head[:4] == b"\x7fELF" and len(head) >= 20:
        little = head[5] == 1
        machine = struct.unpack("<H" if little else ">H", head[18:20])[0]
        return "linux", {0x3E: "amd64", 0xB7: "arm64"}.get(machine)
    if head[:4] == b"\xcf\xfa\xed\xfe" and len(head) >= 8:
        cpu = struct.unpack("<I", head[4:8])[0]
        return "darwin", {0x01000007: "amd64", 0x0100000C: "arm64"}.get(cpu)
    if head[:2] == b"MZ" and len(head) >= 0x40:
        pe = struct.unpack("<I", head[0x3C:0x40])[0]
        if head[pe:pe + 4] == b"PE\0\0":
            machine = struct.unpack("<H", head[pe + 4:pe + 6])[0]
            return "windows", {0x8664: "amd64", 0xAA64: "arm64"}.get(machine)
    return None, None

base = os.path.basename(path)
m = re.fullmatch(re.escape(name) + r"_(.+)_(linux|darwin|windows)_(amd64|arm64)\.zip", base)
if not m:
    sys.exit(f"dist.sh: {base}: not named {name}_<version>_<os>_<arch>.zip for a known platform")
if m.group(1) != version:
    sys.exit(f"dist.sh: {base} is version {m.group(1)}, Cargo.toml says {version}")
want = f"{name}_v{version}" + (".exe" if m.group(2) == "windows" else "")
try:
    members = zipfile.ZipFile(path).namelist()
except zipfile.BadZipFile as e:
    sys.exit(f"dist.sh: {base}: not a zip ({e})")
if members != [want]:
    sys.exit(f"dist.sh: {base} holds {members}, expected exactly [{want!r}]")
with zipfile.ZipFile(path) as z, z.open(want) as f:
    head = f.read(4096)
found = platform_of(head)
if found != (m.group(2), m.group(3)):
    what = "_".join(p or "?" for p in found) if found[0] else "not an executable this checks"
    sys.exit(f"dist.sh: {base}: the binary inside is {what}, not {m.group(2)}_{m.group(3)}")
PY
}

# Gathers the zips of the per-platform directories "$@" into directory $1 with the manifest, then
# writes SHA256SUMS over all of them and signs it. Needs check_signing_key first.
merge_into() {
  local dest="$1" zip base platform found=" "; shift
  for dir in "$@"; do
    [ -d "$dir" ] || die "$dir is not a directory"
    local n=0
    for zip in "$dir"/*.zip; do
      [ -e "$zip" ] || continue
      check_zip "$zip"
      base="$(basename "$zip")"
      platform="${base#"${name}_${version}_"}"; platform="${platform%.zip}"
      case "$found" in *" $platform "*) die "two zips for $platform (the second in $dir)" ;; esac
      found="$found$platform "
      cp "$zip" "$dest/"
      n=$((n + 1))
    done
    [ "$n" -gt 0 ] || die "no zip in $dir"
  done
  if [ -n "${DIST_EXPECT_PLATFORMS:-}" ]; then
    local want have
    want="$(printf '%s\n' $DIST_EXPECT_PLATFORMS | sort | tr '\n' ' ')"
    have="$(printf '%s\n' $found | sort | tr '\n' ' ')"
    [ "$want" = "$have" ] || die "platforms found: ${have}expected: $want"
  fi
  cp "$root/terraform-registry-manifest.json" "$dest/${name}_${version}_manifest.json"
  (cd "$dest" && sha256 *.zip "${name}_${version}_manifest.json" > "${name}_${version}_SHA256SUMS")
  gpg_sign --output "$dest/${name}_${version}_SHA256SUMS.sig" --detach-sign "$dest/${name}_${version}_SHA256SUMS"
  gpg --batch --quiet --verify "$dest/${name}_${version}_SHA256SUMS.sig" "$dest/${name}_${version}_SHA256SUMS" 2>/dev/null \
    || die "the signature just made does not verify"
}

# --- Release checks -------------------------------------------------------------------------------

changelog_entry() {
  awk -v v="$version" '
    /^## / { if (on) exit; split($0, w, " "); on = (w[2] == v); next }
    on { print }' "$root/CHANGELOG.md"
}

check_tag() {
  local tag="$1"
  [ "$tag" = "v$version" ] || die "tag $tag does not match Cargo.toml's version $version (expected v$version)"
  [ -n "$(changelog_entry | tr -d '[:space:]')" ] || die "CHANGELOG.md has no entry \"## $version\" (or it is empty)"
  echo "tag $tag matches Cargo.toml $version and CHANGELOG.md has its entry"
}

mode="${1:-all}"
case "$mode" in
  all)
    check_signing_key
    staging_dir "$out"
    platforms="$(mktemp -d)"; cleanup+=("$platforms")
    build_zips "$platforms"
    merge_into "$stage" "$platforms"
    publish "$stage" "$out"
    ls -l "$out" >&2 ;;
  build)
    dest="${2:?usage: dist.sh build OUT_DIR}"
    staging_dir "$dest"
    build_zips "$stage"
    publish "$stage" "$dest"
    ls -l "$dest" >&2 ;;
  merge)
    shift
    [ "$#" -gt 0 ] || die "usage: dist.sh merge IN_DIR..."
    check_signing_key
    staging_dir "$out"
    merge_into "$stage" "$@"
    publish "$stage" "$out"
    ls -l "$out" >&2 ;;
  check-tag) check_tag "${2:?usage: dist.sh check-tag TAG}" ;;
  changelog) changelog_entry ;;
  *) die "unknown mode $mode (all, build, merge, check-tag, changelog)" ;;
esac
