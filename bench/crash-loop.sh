#!/bin/sh
# Crash safety of the progress store, at length (not in CI): a saver (`pykata debug-save-loop`)
# is killed with SIGKILL at a random moment, over and over; after every kill the store must read
# back whole (no warning, no corrupt file moved aside) and hold at least the count the saver
# printed after its last completed save.
#
#   bench/crash-loop.sh [KILLS]   (default 1000; PYKATA_BIN=path skips the build)
set -eu
kills=${1:-1000}
cd "$(dirname "$0")/.."
# PYKATA_BIN picks a binary already built; by default a release build.
if [ -z "${PYKATA_BIN:-}" ]; then
    cargo build --release --quiet
fi
bin=${PYKATA_BIN:-${CARGO_TARGET_DIR:-target}/release/pykata}
home=$(mktemp -d)
trap 'rm -rf "$home"' EXIT
export PYKATA_HOME="$home"
start=$(date +%s)
i=0
while [ "$i" -lt "$kills" ]; do
    i=$((i + 1))
    out="$home/out.txt"
    "$bin" debug-save-loop > "$out" 2> "$home/err.txt" &
    pid=$!
    # Sleep 0 to 20 ms, then kill.
    sleep "0.0$(( $(od -An -N1 -tu1 /dev/urandom) % 20 / 10 ))$(( $(od -An -N1 -tu1 /dev/urandom) % 10 ))"
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    printed=$(tail -n 1 "$out" 2>/dev/null || true)
    printed=${printed:-0}
    held=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(len(d["katas"]["save-loop"]["attempts"]))' "$home/progress.json" 2>/dev/null || echo 0)
    if [ "$held" -lt "$printed" ]; then
        echo "kill $i: the store holds $held, the saver had completed $printed" >&2
        exit 1
    fi
    if ls "$home" | grep -q corrupt; then
        echo "kill $i: the store was corrupt" >&2
        exit 1
    fi
    # Keep the file small: start afresh now and then.
    if [ $((i % 100)) -eq 0 ]; then
        rm -f "$home/progress.json"
    fi
done
echo "$kills kills in $(( $(date +%s) - start )) s: no completed save lost, no corrupt file"
