#!/usr/bin/env bash
# Renders the main window offscreen for three scenarios, each after a real run, for the two
# traced CPython programs in examples/, a replay, presenter mode and a small window, into docs/images/
# (the README shows them). Uses an existing build of the app:
#   scripts/render-screenshots.sh [path/to/poolscope]      (default: build/ci/app/poolscope)
set -euo pipefail
cd "$(dirname "$0")/.."
app="${1:-build/ci/app/poolscope}"
[ -x "$app" ] || { echo "no app at $app: build first (cmake --preset ci && cmake --build --preset ci)" >&2; exit 2; }
mkdir -p docs/images
# A private settings folder, so the shots do not depend on (or change) the user's settings.
config="$(mktemp -d)"
trap 'rm -rf "$config"' EXIT
for scenario in as-completed cpu-bound retry; do
    QT_QPA_PLATFORM=offscreen XDG_CONFIG_HOME="$config" \
        "$app" --scenario "$scenario" --run --size 1400x900 --screenshot "docs/images/window-$scenario.png"
    echo "docs/images/window-$scenario.png"
done
for program in thread_pool_as_completed spawn_process_pool; do
    QT_QPA_PLATFORM=offscreen XDG_CONFIG_HOME="$config" \
        "$app" --size 1400x900 --screenshot "docs/images/traced-$program.png" "examples/$program.py"
    echo "docs/images/traced-$program.png"
done
# A replay stopped 0.15 s into the run, with the event table up to that moment.
QT_QPA_PLATFORM=offscreen XDG_CONFIG_HOME="$config" \
    "$app" --scenario first-completed --run --at 0.15 --tab events --size 1400x900 \
    --screenshot docs/images/replay-first-completed.png
echo docs/images/replay-first-completed.png
# Presenter mode (full screen on the offscreen platform's screen), and a small window where the
# lanes scroll instead of overlapping.
# The offscreen platform's screen takes the projector's size from a config file.
for size in 1600x900 1024x768; do
    printf '{ "screens": [ { "name": "projector", "x": 0, "y": 0, "width": %s, "height": %s, "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1 } ] }\n' \
        "${size%x*}" "${size#*x}" > "$config/screen.json"
    QT_QPA_PLATFORM="offscreen:configfile=$config/screen.json" XDG_CONFIG_HOME="$config" \
        "$app" --scenario retry --run --presenter --screenshot "docs/images/presenter-retry-$size.png"
    echo "docs/images/presenter-retry-$size.png"
done
# The dark theme (View > Theme > Dark; "system" follows the desktop's).
QT_QPA_PLATFORM=offscreen XDG_CONFIG_HOME="$config" \
    "$app" --scenario map-timeout --run --theme dark --size 1200x760 --screenshot docs/images/dark-map-timeout.png
echo docs/images/dark-map-timeout.png
QT_QPA_PLATFORM=offscreen XDG_CONFIG_HOME="$config" \
    "$app" --scenario as-completed --run --size 778x662 --screenshot docs/images/small-window-as-completed.png
echo docs/images/small-window-as-completed.png
# Exercise 7's comparison, exported headless from three recorded runs at a workload where the
# interpreter lock shows (scale 1000), and C++ beside CPython in the comparison window.
runs="$(mktemp -d)"
trap 'rm -rf "$config" "$runs"' EXIT
"$app" run cpu-bound --quiet --set pool=thread --set gil=true --set scale=1000 --trace "$runs/gil.json" >/dev/null
"$app" run cpu-bound --quiet --set pool=thread --set gil=false --set scale=1000 --trace "$runs/free.json" >/dev/null
"$app" run cpu-bound --quiet --set pool=process --set scale=1000 --trace "$runs/process.json" >/dev/null
QT_QPA_PLATFORM=offscreen "$app" compare "$runs/gil.json" "$runs/free.json" "$runs/process.json" \
    --title "Exercise 7 at workload scale 1000: thread pool with the GIL (A), free-threaded (B), process pool (C)" \
    --export docs/images/compare-pools.png >/dev/null
echo docs/images/compare-pools.png
QT_QPA_PLATFORM=offscreen XDG_CONFIG_HOME="$config" \
    "$app" --scenario submit --run --compare cpython --size 1280x800 --screenshot docs/images/compare-cpython.png
echo docs/images/compare-cpython.png
