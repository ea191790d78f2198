"""A small load generator for machines without wrk: N threads GET one URL for S seconds, JSON figures on stdout.

python bench/pyload.py URL SECONDS CONNECTIONS [HEADERS_JSON]
"""

from __future__ import annotations

import http.client
import json
import statistics
import sys
import threading
import time
from urllib.parse import urlsplit


def _worker(url: str, until: float, headers: dict[str, str], latencies: list[float], errors: list[int]) -> None:
    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    while time.monotonic() < until:
        started = time.perf_counter()
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
        try:
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            response.read()
            if response.status >= 400:
                errors.append(response.status)
        except OSError:
            errors.append(0)
        finally:
            connection.close()
        latencies.append((time.perf_counter() - started) * 1000)


def main() -> None:
    url, seconds, connections = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
    headers = json.loads(sys.argv[4]) if len(sys.argv) > 4 else {}
    latencies: list[float] = []
    errors: list[int] = []
    started = time.monotonic()
    threads = [
        threading.Thread(target=_worker, args=(url, started + seconds, headers, latencies, errors))
        for _ in range(connections)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    cuts = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else latencies * 99
    figures = dict(
        rps=len(latencies) / elapsed, p50=cuts[49], p99=cuts[98], requests=len(latencies), errors=len(errors)
    )
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
