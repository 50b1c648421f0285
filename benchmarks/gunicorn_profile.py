"""gunicorn hooks for ``benchmarks/load_portal.py --profile``: each worker runs under pyinstrument
from fork to exit and saves its session to ``EXCHANGE_BENCH_PROFILE_DIR``. Use with sync workers
(one request at a time on the worker's main thread, which is the thread pyinstrument samples)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from pyinstrument import Profiler

_profiler: list[Profiler] = []


def post_fork(server: Any, worker: Any) -> None:
    profiler = Profiler(interval=0.001, async_mode="disabled")
    profiler.start()
    _profiler.append(profiler)


def worker_exit(server: Any, worker: Any) -> None:
    if not _profiler:
        return
    session = _profiler.pop().stop()
    directory = Path(os.environ["EXCHANGE_BENCH_PROFILE_DIR"])
    directory.mkdir(parents=True, exist_ok=True)
    session.save(str(directory / f"worker-{os.getpid()}.pyisession"))
