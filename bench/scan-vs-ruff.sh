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
lines=$("$bin" scan --parse-only "$target" 2>/dev/null | sed -n 's/^scanned \([0-9]*\) files (\([0-9]*\) lines).*/\2/p')
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
