#!/usr/bin/env bash
# A test run must not edit the checkout. `make test` takes a snapshot of the working tree first
# and compares at the end; .ci/run, on a clean clone, also asks for no change against HEAD.
#   tree-check.sh snapshot        the tree as it is now, into target/tree-before
#   tree-check.sh unchanged       fails, naming the files, when the tree differs from the snapshot
#   tree-check.sh clean           fails when the tree differs from HEAD (tracked or new files)
# The tree is what `git add -A` would record (ignored files such as target/ and .venv/ are not in
# it), hashed through a scratch index, so the real index is left alone.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
if ! git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  echo "tree-check.sh: not a git checkout, so the tree is not checked"
  exit 0
fi
snapshot_file="$root/target/tree-before"

tree_now() {
  local index
  index="$(mktemp)"
  cp "$(git rev-parse --git-path index)" "$index"
  GIT_INDEX_FILE="$index" git add -A
  GIT_INDEX_FILE="$index" git write-tree
  rm -f "$index"
}

differs() { # $1: the expected tree, $2: what it is
  local now
  now="$(tree_now)"
  [ "$now" = "$1" ] && return 0
  echo "tree-check.sh: the run changed the checkout ($2):" >&2
  git diff --stat "$1" "$now" >&2
  exit 1
}

case "${1:-}" in
  snapshot) mkdir -p "$(dirname "$snapshot_file")"; tree_now >"$snapshot_file" ;;
  unchanged)
    [ -f "$snapshot_file" ] || { echo "tree-check.sh: no snapshot (run tree-check.sh snapshot first)" >&2; exit 2; }
    differs "$(cat "$snapshot_file")" "against the snapshot taken before it"
    echo "tree-check: no file of the checkout changed" ;;
  clean) differs "$(git rev-parse 'HEAD^{tree}')" "against HEAD"; echo "tree-check: the checkout is clean" ;;
  *) echo "usage: tree-check.sh snapshot|unchanged|clean" >&2; exit 2 ;;
esac
