#!/usr/bin/env bash
# Prints the provider's version: the one source is [package] version in Cargo.toml.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
sed -n '/^\[package\]/,/^\[/s/^version = "\([^"]*\)"/\1/p' "$root/Cargo.toml" | head -n 1
