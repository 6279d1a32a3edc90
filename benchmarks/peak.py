"""A process's own peak memory, for the benchmarks' RSS figures.

``getrusage(RUSAGE_SELF).ru_maxrss`` is not that on Linux: the kernel carries the
high-water mark of the memory image a process had before ``execve`` into the new
program, so a child started (forked or spawned) from a parent holding 800 MiB
reports at least 800 MiB whatever it did. ``VmHWM`` in /proc/self/status is the peak
resident set of the current image alone; elsewhere ru_maxrss is what there is.
"""

from __future__ import annotations

import resource
import sys
from pathlib import Path


def peak_rss_kib() -> int:
    """The peak resident set size of this process's current program, in KiB."""
    status = Path("/proc/self/status")
    if status.is_file():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])  # "VmHWM:  123456 kB"
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak // 1024 if sys.platform == "darwin" else peak  # bytes on macOS
