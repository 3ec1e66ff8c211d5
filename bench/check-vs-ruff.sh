#!/usr/bin/env bash
# Times `pykata check` as a whole process beside `ruff check` on the same kata-sized file.
# Ruff comes from PyPI into a throwaway venv (never installed by CI). Uses hyperfine when it is
# installed (apt-get install hyperfine), else the median of repeated runs.
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

if command -v hyperfine >/dev/null; then
  hyperfine --warmup 20 --runs "$runs" -N -i \
    "$bin check $kata $work/starter.py" \
    "$ruff check --isolated --no-cache --select $code $work/starter.py"
else
  python3 - "$runs" "$bin check $kata $work/starter.py" "$ruff check --isolated --no-cache --select $code $work/starter.py" <<'PY'
import shlex, statistics, subprocess, sys, time
runs = int(sys.argv[1])
for cmd in sys.argv[2:]:
    args = shlex.split(cmd)
    for _ in range(10):
        subprocess.run(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    print(f"{cmd.split()[0].rsplit('/', 1)[-1]:>8}: median {statistics.median(times):.2f} ms, p90 {times[int(runs * 0.9)]:.2f} ms ({runs} runs)")
PY
fi
