#!/usr/bin/env bash
# `pykata scan` beside `ruff check` over the standard library of the machine's python3, and the
# tree-sitter parse floor (`scan --parse-only`: read + parse on all cores, no rules).
# Ruff comes from PyPI into a throwaway venv (never installed by CI). Needs hyperfine
# (apt-get install hyperfine) for the timings; peak memory comes from GNU time.
#
#   bash bench/scan-vs-ruff.sh [PATH]      (default: python3's stdlib folder)
set -euo pipefail
cd "$(dirname "$0")/.."
target=${1:-$(python3 -c "import sysconfig; print(sysconfig.get_paths()['stdlib'])")}
runs=${RUNS:-5}
codes=B006,E722,E721,E711,B023,B019,RUF006,SIM115,UP006,UP007,UP045,UP040,RUF008

. bench/setup.sh

# The files a scan reads (hidden folders and installed code, like site-packages, are skipped,
# as Ruff's default excludes skip them).
lines=$("$bin" scan --parse-only "$target" 2>/dev/null | sed -n 's/^scanned \([0-9]*\) files\? (\([0-9]*\) lines\?).*/\2/p')
echo "target: $target ($lines lines of Python scanned); cores: $(nproc); $("$ruff" --version)"

scan="$bin scan $target"
floor="$bin scan --parse-only $target"
ruff_cmd="$ruff check --isolated --no-cache --exit-zero --quiet --select $codes $target"
if command -v hyperfine >/dev/null; then
  hyperfine --warmup 1 --runs "$runs" -N -i --export-markdown "$work/table.md" \
    "$floor" "$scan" "$ruff_cmd" >/dev/null
  cat "$work/table.md"
fi
for cmd in "$floor" "$scan" "$ruff_cmd"; do
  /usr/bin/time -f "%e s wall, %M KB peak: ${cmd%% /*}... ${cmd##*/pykata }" $cmd >/dev/null 2>"$work/err" || true
  tail -1 "$work/err"
done
echo "lines per second = $lines / wall time"

# The ratio the target is about, robust to a machine that other work slows down by turns: the
# floor and the scan run alternately, and the medians of their wall and CPU times are compared.
pairs=${PAIRS:-8}
for _ in $(seq "$pairs"); do
  /usr/bin/time -f "floor %e %U" $floor >/dev/null 2>>"$work/pairs" || true
  /usr/bin/time -f "scan %e %U" $scan >/dev/null 2>>"$work/pairs" || true
done
grep -E '^(floor|scan) ' "$work/pairs" | python3 -c '
import statistics, sys
runs = {}
for line in sys.stdin:
    name, wall, cpu = line.split()
    runs.setdefault(name, []).append((float(wall), float(cpu)))
floor = [statistics.median(r[i] for r in runs["floor"]) for i in (0, 1)]
scan = [statistics.median(r[i] for r in runs["scan"]) for i in (0, 1)]
print("alternating runs ({} pairs), medians: floor {:.2f} s ({:.2f} s CPU), scan {:.2f} s "
      "({:.2f} s CPU): scan = {:.3f}x the floor ({:.3f}x in CPU time)".format(
          len(runs["scan"]), floor[0], floor[1], scan[0], scan[1],
          scan[0] / floor[0], scan[1] / floor[1]))'
