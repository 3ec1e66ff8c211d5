#!/usr/bin/env bash
# Times `pykata check` as a whole process beside `ruff check` on the same kata-sized file.
# Ruff comes from PyPI into a throwaway venv (never installed by CI).
#
#   bash bench/check-vs-ruff.sh [KATA-ID] [RUFF-CODE]
set -euo pipefail
cd "$(dirname "$0")/.."
kata=${1:-late-binding-closure}
code=${2:-B023}
runs=${RUNS:-200}

. bench/setup.sh

"$bin" show "$kata" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["starter"], end="")' > "$work/starter.py"
echo "file: $(wc -l < "$work/starter.py") lines; cores: $(nproc); $("$ruff" --version)"

# The two commands run alternately, so that a busy neighbour on a shared machine slows both alike;
# medians of the runs are printed.
python3 - "$runs" "$bin check $kata $work/starter.py" "$ruff check --isolated --no-cache --select $code $work/starter.py" <<'PY'
import shlex, statistics, subprocess, sys, time
runs = int(sys.argv[1])
commands = [shlex.split(c) for c in sys.argv[2:]]
times = [[] for _ in commands]
for _ in range(10):
    for args in commands:
        subprocess.run(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
for _ in range(runs):
    for args, out in zip(commands, times):
        t = time.perf_counter()
        subprocess.run(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        out.append((time.perf_counter() - t) * 1000)
for args, out in zip(commands, times):
    out.sort()
    name = args[0].rsplit("/", 1)[-1]
    print(f"{name:>8}: median {statistics.median(out):.1f} ms, p10 {out[runs // 10]:.1f} ms, p90 {out[runs * 9 // 10]:.1f} ms ({runs} runs, interleaved)")
PY
