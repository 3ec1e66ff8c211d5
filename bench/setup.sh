# Sourced by the bench scripts: builds pykata (release) and installs Ruff from PyPI into a
# throwaway venv. Sets $bin, $ruff and $work (removed on exit).
cargo build --release --quiet
bin=$PWD/target/release/pykata
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 -m venv "$work/venv" >/dev/null
"$work/venv/bin/pip" install --quiet ruff
ruff=$work/venv/bin/ruff
