"""Runs a benchmark's contender and measures that process alone.

On Linux a child's ru_maxrss starts at the RSS of the process that exec'd it, so each
contender is forked from this small fresh interpreter (`python3 -S -I -c LAUNCHER RESULT
CMD...`), which reaps it with os.wait4 and writes the child's exit code, wall seconds, peak
RSS (KiB) and user and system CPU seconds to RESULT, one line (floor: about 5 MB, the
launcher's own footprint at fork).
"""

LAUNCHER = r"""
import os, sys, time
result, argv = sys.argv[1], sys.argv[2:]
start = time.perf_counter()
pid = os.fork()
if pid == 0:
    try:
        os.execv(argv[0], argv)
    finally:
        os._exit(127)
_, status, ru = os.wait4(pid, 0)
wall = time.perf_counter() - start
with open(result, "w") as f:
    f.write("%d %r %d %r %r" % (os.waitstatus_to_exitcode(status), wall,
                                ru.ru_maxrss, ru.ru_utime, ru.ru_stime))
"""
