#!/usr/bin/env bash
# Builds a Go command once and caches it outside the repo; prints its path.
#   scripts/go-tool.sh tfplugindocs | tofu | actionlint
#   scripts/go-tool.sh --available tfplugindocs | tofu | actionlint   exit 0 when it is cached or Go can build it
# Each is built from a throwaway module of our own that requires the tool's module: OpenTofu's
# go.mod carries a `replace` for hcl/v2, so plain `go install ...@version` refuses it, and a module
# pins the whole dependency graph the same way for every tool.
set -euo pipefail
TFPLUGINDOCS_VERSION=v0.25.0
OPENTOFU_VERSION=v1.12.6
ACTIONLINT_VERSION=v1.7.12

available_only=false
if [ "${1:-}" = --available ]; then available_only=true; shift; fi
tool="${1:?usage: go-tool.sh [--available] tfplugindocs|tofu|actionlint}"
case "$tool" in
  tfplugindocs) module=github.com/hashicorp/terraform-plugin-docs; version=$TFPLUGINDOCS_VERSION
                package=$module/cmd/tfplugindocs ;;
  tofu) module=github.com/opentofu/opentofu; version=$OPENTOFU_VERSION; package=$module/cmd/tofu ;;
  actionlint) module=github.com/rhysd/actionlint; version=$ACTIONLINT_VERSION; package=$module/cmd/actionlint ;;
  *) echo "go-tool.sh: unknown tool $tool" >&2; exit 2 ;;
esac

cache="${I2F_TOOL_CACHE:-$HOME/.cache/inspector2fix}"
bin="$cache/bin/$tool-$version-release"
if [ -x "$bin" ]; then $available_only || echo "$bin"; exit 0; fi

go=$(command -v go || echo /usr/local/go/bin/go)
[ -x "$go" ] || { echo "go-tool.sh: no Go toolchain (needed to build $tool)" >&2; exit 1; }
$available_only && exit 0

work="$cache/build/$tool-$version"
mkdir -p "$work" "$cache/bin"
cd "$work"
[ -f go.mod ] || "$go" mod init "inspector2fix.local/build-$tool" >/dev/null 2>&1
if [ "$tool" = tofu ]; then
  # Repeat OpenTofu's own replace (its go.mod at this version) so the build matches its release.
  "$go" mod download -json "$module@$version" >/dev/null
  modfile="$("$go" env GOMODCACHE)/cache/download/$module/@v/$version.mod"
  grep -E '^replace ' "$modfile" | while read -r _ line; do
    "$go" mod edit -replace "$(echo "$line" | sed -E 's/ *=> */=/; s/ +/@/g')"
  done
fi
"$go" get "$package@$version" >&2
echo "building $tool $version (slow the first time; cached in $cache)" >&2
ldflags="-s -w"
# As OpenTofu's release build does: without it the binary calls itself 1.x.y-dev.
[ "$tool" = tofu ] && ldflags="$ldflags -X $module/version.dev=no"
CGO_ENABLED=0 "$go" build -trimpath -ldflags "$ldflags" -o "$bin.tmp" "$package" >&2
mv "$bin.tmp" "$bin"
echo "$bin"
