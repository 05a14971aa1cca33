#!/usr/bin/env bash
# Installs whiptail if missing, builds the floor example, and runs the pty benchmark.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v whiptail >/dev/null; then
  apt-get update -qq && apt-get install -y -qq whiptail
fi
cargo build --release --example floor
cargo bench --bench pty
