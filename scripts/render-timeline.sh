#!/bin/sh
# Renders the example timeline offscreen (by default to docs/images/timeline-example.png, 1600×900).
# Usage: scripts/render-timeline.sh [build-dir] [out.png|.svg|.pdf|.jpg] [width height [scale]] [--range FROM_MS TO_MS]
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-"$here/build/ci"}
out=${2:-"$here/docs/images/timeline-example.png"}
[ $# -ge 2 ] && shift 2 || shift $#
[ $# -eq 0 ] && set -- 1600 900
cmake --build "$build" --target timeline_render_example
mkdir -p "$(dirname "$out")"
QT_QPA_PLATFORM=offscreen "$build/bench/timeline/timeline_render_example" "$out" "$@"
