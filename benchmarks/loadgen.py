"""A small open-loop HTTP load generator (standard library only), for servers on this machine.

Requests are started on a fixed schedule (``rate`` per second) whatever the server's speed, so
queueing shows up in the latency figures (no coordinated omission). Loopback only.
"""

from __future__ import annotations

import http.client
import json
import statistics
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

Request = tuple[str, str, dict[str, Any] | None]  # method, path, JSON body


@dataclass
class LoadResult:
    rate: float
    seconds: float
    sent: int = 0
    ok: int = 0
    errors: int = 0
    latencies_ms: list[float] = field(default_factory=list)
    error_samples: list[str] = field(default_factory=list)

    def percentile(self, p: float) -> float:
        if not self.latencies_ms:
            return float("nan")
        data = sorted(self.latencies_ms)
        k = max(0, min(len(data) - 1, round(p / 100 * (len(data) - 1))))
        return data[k]

    @property
    def achieved_rps(self) -> float:
        return self.ok / self.seconds if self.seconds else 0.0

    def summary(self) -> str:
        mean = statistics.fmean(self.latencies_ms) if self.latencies_ms else float("nan")
        return (
            f"target {self.rate:.0f} req/s for {self.seconds:.0f}s: sent {self.sent}, ok {self.ok}, "
            f"errors {self.errors}, achieved {self.achieved_rps:.1f} req/s; latency ms "
            f"p50 {self.percentile(50):.1f} p95 {self.percentile(95):.1f} "
            f"p99 {self.percentile(99):.1f} max {max(self.latencies_ms, default=float('nan')):.1f} "
            f"mean {mean:.1f}"
        )


def run(
    base_url: str,
    make_request: Callable[[int], Request],
    rate: float,
    seconds: float,
    workers: int = 64,
    timeout: float = 10.0,
) -> LoadResult:
    """Send ``rate`` requests per second for ``seconds`` seconds to ``base_url`` (loopback)."""
    parts = urlsplit(base_url)
    host = parts.hostname or "127.0.0.1"
    if host not in ("127.0.0.1", "localhost", "::1"):
        raise ValueError(f"load tests only target this machine's loopback, not {host}")
    port = parts.port or 80
    result = LoadResult(rate=rate, seconds=seconds)
    lock = threading.Lock()
    total = int(rate * seconds)
    start = time.perf_counter() + 0.2
    next_index = iter(range(total))

    def worker() -> None:
        conn = http.client.HTTPConnection(host, port, timeout=timeout)
        while True:
            with lock:
                i = next(next_index, None)
            if i is None:
                break
            due = start + i / rate
            delay = due - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            method, path, body = make_request(i)
            payload = None if body is None else json.dumps(body).encode()
            headers = {"Content-Type": "application/json"} if payload else {}
            error = None
            try:
                conn.request(method, path, body=payload, headers=headers)
                response = conn.getresponse()
                response.read()
                if response.status >= 400:
                    error = f"HTTP {response.status} for {method} {path}"
            except (OSError, http.client.HTTPException) as exc:
                error = f"{type(exc).__name__}: {exc}"
                conn.close()
                conn = http.client.HTTPConnection(host, port, timeout=timeout)
            # latency from when the request was due, so a late start counts against the server
            elapsed = (time.perf_counter() - due) * 1000
            with lock:
                result.sent += 1
                if error is None:
                    result.ok += 1
                    result.latencies_ms.append(elapsed)
                else:
                    result.errors += 1
                    if len(result.error_samples) < 5:
                        result.error_samples.append(error)
        conn.close()

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return result
