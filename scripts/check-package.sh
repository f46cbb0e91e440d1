#!/usr/bin/env bash
# Packs the package once and runs publint and are-the-types-wrong on the tarball.
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
tarball=$(npm pack --silent --pack-destination "$out" | tail -n 1)
publint run "$out/$tarball" --strict
attw "$out/$tarball" --profile node16
