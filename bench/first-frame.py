#!/usr/bin/env python3
"""Whole-process first frame: start `pykata` in a pseudo-terminal with a fresh PYKATA_HOME and
time until the list screen has been drawn. Usage: bench/first-frame.py [BINARY] [RUNS]."""
import fcntl
import os
import pty
import select
import statistics
import struct
import sys
import tempfile
import termios
import time

binary = sys.argv[1] if len(sys.argv) > 1 else "target/release/pykata"
runs = int(sys.argv[2]) if len(sys.argv) > 2 else 30
times = []
for _ in range(runs):
    home = tempfile.mkdtemp()
    started = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:
        env = dict(os.environ, PYKATA_HOME=home, TERM="xterm-256color", COLUMNS="120", LINES="40")
        os.execve(binary, [binary], env)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    seen = b""
    while b"katas" not in seen:
        ready, _, _ = select.select([fd], [], [], 5)
        if not ready:
            break
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
        # A bare pty does not answer cursor-position queries; answer them as a terminal would.
        if b"\x1b[6n" in chunk:
            os.write(fd, b"\x1b[1;1R")
    times.append(time.perf_counter() - started)
    os.write(fd, b"\x11")  # Ctrl+Q
    os.waitpid(pid, 0)
    os.close(fd)
times.sort()
print(f"first frame, whole process ({runs} runs): median {statistics.median(times)*1e3:.1f} ms, "
      f"max {times[-1]*1e3:.1f} ms")
