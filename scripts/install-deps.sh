#!/usr/bin/env bash
# Installs the Debian 12 packages PoolScope builds with, if any is missing. Runs apt only when needed.
set -euo pipefail

packages=(
    build-essential cmake ninja-build pkg-config
    qt6-base-dev qt6-svg-dev libqcustomplot-dev libgl-dev fonts-dejavu-core
    libgtest-dev libgmock-dev libbenchmark-dev libboost-dev python3 nlohmann-json3-dev
    clang-14 libclang-rt-14-dev llvm-14 # the fuzz preset: clang, libFuzzer and llvm-symbolizer
)

missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "Installing: ${missing[*]}"
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
$sudo apt-get update
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends "${missing[@]}"
