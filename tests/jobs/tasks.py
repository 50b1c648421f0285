"""Jobs used by the tests of the queue (module-level, so that a worker can import them)."""

from __future__ import annotations

from pathlib import Path

from apps.jobs.retry import PermanentJobError, durable_task

#: Calls of :func:`flaky` by key (the worker runs in the test's process).
CALLS: list[str] = []


@durable_task()
def flaky(key: str, failures: int) -> str:
    """Fails ``failures`` times for ``key``, then succeeds."""
    CALLS.append(key)
    if CALLS.count(key) <= failures:
        raise ConnectionError(f"the mail server hung up ({key}, call {CALLS.count(key)})")
    return f"done after {CALLS.count(key)} calls"


@durable_task()
def broken(key: str) -> None:
    CALLS.append(key)
    raise ValueError(f"the printer is on fire ({key})")


@durable_task()
def refused(key: str) -> None:
    CALLS.append(key)
    raise PermanentJobError(f"nothing to do for {key}")


@durable_task()
def append_line(path: str, text: str) -> str:
    """Appends ``text`` to the file at ``path`` (an effect a test in another process can see)."""
    with Path(path).open("a", encoding="utf-8") as f:
        f.write(text + "\n")
    return text
