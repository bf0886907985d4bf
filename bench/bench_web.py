"""Load benchmark of the web UI as `netkit serve` runs it (gunicorn, several workers) on the bundled library.

Starts `netkit --library <bundled library> --home <tmp> serve --port <free port>` in a subprocess, then a
bounded load generator in this process: N concurrent clients (threads, one http.client connection each,
reused while the server keeps it open) send requests back to back for a fixed time per target after a short
warm-up. Prints requests/s, p50/p95 latency in ms and the ratio to the static file for: the static file
/static/netkit.css (the reference, measured in the same run), a material page, the home page, the browse page
(all, and filtered), the project overview, the search page (one fixed query, ten varying Danish queries, and
queries never asked before — each a new spelling, so nothing kept answers them), and document generation
(POST of the CE-marking checklist's example answers with each client's own session and CSRF token). Every
response must be 200; failures are counted and shown. Then checks the targets: the material page, the home
page and the browse pages serve at least a third of the static file's requests/s (they are kept per library
version, webui/pagecache.py), the search page at least 200 requests/s, and search p95 is under 100 ms (the
uncached search is shown, not checked).
Exits 1 if a check fails or a request failed. (Issue 21 measures at 8 clients: `--clients 8`.)

Run: .venv/bin/python bench/bench_web.py [--clients 10 --seconds 8 --workers 2] [--only home,search]
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlencode

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.timing import Timing
from toolkit.config import BUNDLED_LIBRARY, BUNDLED_TEMPLATES

HOST = "127.0.0.1"
WARM_UP_SECONDS = 1.0
CE_TEMPLATE = "ce-maerkning-tjekliste"
# Words from the library's domain, so the varying search hits different postings and snippets.
QUERIES = ["samtykke", "persondata", "anonymisering", "journal", "algoritme", "forskning", "kvalitetsudvikling",
           "risiko", "etik", "dataadgang"]
CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')
REFERENCE = "static file /static/netkit.css (reference)"
MATERIAL = "material page /m/adgang-til-data/"
HOME = "home page /"
BROWSE = "browse /gennemse"
BROWSE_FILTERED = "browse, filtered ?kind=guide&topic=data-access"
SEARCH = "search /sog?q=adgang+til+data"
UNCACHED = "search, never the same query (uncached)"
SEARCH_RATE = 200  # requests/s (issue 21: 8 clients, 2 workers)


@dataclass
class Request:
    method: str
    path: str
    body: bytes | None = None
    headers: dict[str, str] = field(default_factory=dict)
    body_starts: bytes = b""  # what a right answer begins with (a 200 error page must not count)


class Client:
    """One simulated user: a connection kept open while the server allows it, and its own cookies."""

    def __init__(self, port: int):
        self.connection = http.client.HTTPConnection(HOST, port, timeout=30)
        self.cookies: dict[str, str] = {}

    def send(self, request: Request) -> tuple[int, bytes]:
        headers = dict(request.headers)
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        try:
            self.connection.request(request.method, request.path, body=request.body, headers=headers)
            response = self.connection.getresponse()
            data = response.read()  # read it all: latency includes the whole body
        except (OSError, http.client.HTTPException):
            self.connection.close()  # the next request opens a fresh connection
            raise
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        if response.will_close:
            self.connection.close()  # gunicorn's sync workers close after each response; reconnect next time
        return response.status, data

    def close(self) -> None:
        self.connection.close()


@dataclass
class Target:
    name: str
    # Per client: a fresh request stream (called once per client, after its own setup such as a CSRF token).
    requests: Callable[[Client], Iterator[Request]]


@dataclass
class Outcome:
    name: str
    timing: Timing
    seconds: float
    failures: Counter[str]

    @property
    def per_second(self) -> float:
        return len(self.timing.samples_ms) / self.seconds


def fixed(path: str) -> Callable[[Client], Iterator[Request]]:
    return lambda _client: itertools.repeat(Request("GET", path))


_offsets = itertools.count()


def varying_search(_client: Client) -> Iterator[Request]:
    # Each client starts at a different word so the server sees a mix at any moment.
    start = next(_offsets) % len(QUERIES)
    for word in itertools.cycle(QUERIES[start:] + QUERIES[:start]):
        yield Request("GET", f"/sog?q={quote(word)}")


def new_spellings(_client: Client) -> Iterator[Request]:
    # The same words in a letter case never sent before (2^len spellings each): the search ignores case, the
    # kept pages and results do not, so every request takes the whole uncached path.
    for n in itertools.count(next(_offsets) * 7919):
        word = QUERIES[n % len(QUERIES)]
        upper = n // len(QUERIES)
        spelled = "".join(c.upper() if upper >> i & 1 else c for i, c in enumerate(word))
        yield Request("GET", f"/sog?q={quote(spelled)}")


def ce_example_fields() -> list[tuple[str, str]]:
    """The CE example answers as the web form posts them: `q.<id>`; a true boolean is "ja", false is left out."""
    answers = yaml.safe_load((BUNDLED_TEMPLATES / CE_TEMPLATE / "example.yaml").read_text(encoding="utf-8"))
    fields: list[tuple[str, str]] = []
    for key, value in answers.items():
        if value is True:
            fields.append((f"q.{key}", "ja"))
        elif value is not False:  # an unticked checkbox is simply not sent
            fields.append((f"q.{key}", str(value)))
    return fields


def document_generation(client: Client) -> Iterator[Request]:
    # Like a browser: open the form first to get the session cookie and the CSRF token in its hidden field.
    status, page = client.send(Request("GET", f"/skabeloner/{CE_TEMPLATE}/udfyld"))
    match = CSRF_FIELD.search(page.decode("utf-8", "replace"))
    if status != 200 or match is None:
        raise RuntimeError(f"form page answered {status} without a csrf_token field")
    body = urlencode([("csrf_token", match.group(1)), *ce_example_fields()]).encode()
    return itertools.repeat(Request("POST", f"/skabeloner/{CE_TEMPLATE}/hent", body,
                                    {"Content-Type": "application/x-www-form-urlencoded"},
                                    body_starts=b"PK"))  # a .docx is a zip file


def run_target(target: Target, port: int, clients: int, seconds: float) -> Outcome:
    """Warm up, then let every client send back to back until the deadline; keep only the timed window."""
    samples: list[list[float]] = [[] for _ in range(clients)]
    failures: Counter[str] = Counter()
    lock = threading.Lock()
    window: dict[str, float] = {}

    def open_window() -> None:
        # Fixed only once every client has done its setup (a slow CSRF fetch must not eat the warm-up).
        start = time.perf_counter() + WARM_UP_SECONDS
        window.update(start=start, end=start + seconds)

    ready = threading.Barrier(clients + 1, action=open_window)

    def fail(reason: str) -> None:
        with lock:
            failures[reason] += 1

    def work(index: int) -> None:
        client = Client(port)
        try:
            try:
                stream = target.requests(client)
            except Exception as exc:
                fail(f"setup: {exc}")
                stream = None
            ready.wait()  # everyone starts together, so the window really has `clients` in flight
            if stream is None:
                return
            while (now := time.perf_counter()) < window["end"]:
                request = next(stream)
                try:
                    status, data = client.send(request)
                except (OSError, http.client.HTTPException) as exc:
                    if now >= window["start"]:
                        fail(f"{type(exc).__name__}: {exc}")
                    continue
                elapsed = (time.perf_counter() - now) * 1000
                if now < window["start"]:
                    continue  # warm-up: connections, caches and workers settle; not counted
                if status != 200:
                    fail(f"HTTP {status} {request.method} {request.path.split('?')[0]}: "
                         f"{data[:120].decode('utf-8', 'replace')!r}")
                elif not data.startswith(request.body_starts):
                    fail(f"200 but not the expected body {request.method} {request.path}: {data[:40]!r}")
                else:
                    samples[index].append(elapsed)
        finally:
            client.close()

    threads = [threading.Thread(target=work, args=(i,), daemon=True) for i in range(clients)]
    for thread in threads:
        thread.start()
    ready.wait()
    for thread in threads:
        thread.join()
    return Outcome(target.name, Timing(target.name, [s for part in samples for s in part]), seconds, failures)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def server_command(home: Path, port: int, workers: int) -> list[str]:
    script = Path(sys.executable).with_name("netkit")
    netkit = [str(script)] if script.exists() else [sys.executable, "-c", "from toolkit.cli import main; main()"]
    return [*netkit, "--library", str(BUNDLED_LIBRARY), "--home", str(home), "serve", "--host", HOST,
            "--port", str(port), "--workers", str(workers)]


def wait_until_up(process: subprocess.Popen[bytes], port: int, log: Path, limit: float = 60.0) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}:\n{tail(log)}")
        try:
            connection = http.client.HTTPConnection(HOST, port, timeout=2)
            connection.request("GET", "/static/netkit.css")
            if connection.getresponse().status == 200:
                connection.close()
                return
            connection.close()
        except OSError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"server did not answer within {limit:.0f} s:\n{tail(log)}")


def stop(process: subprocess.Popen[bytes]) -> None:
    """Gunicorn stops its workers on SIGTERM; if it hangs, kill its whole process group (only ours)."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def tail(log: Path, lines: int = 20) -> str:
    try:
        return "\n".join(log.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def first_traceback(log: Path, lines: int = 40) -> str:
    """The server's first logged traceback: why requests failed, without the access log around it."""
    text = log.read_text(encoding="utf-8", errors="replace").splitlines()
    start = next((i for i, line in enumerate(text) if line.startswith("Traceback")), None)
    if start is None:
        return ""
    end = next((i for i in range(start + 1, len(text)) if text[i] and not text[i].startswith((" ", "Traceback"))
                and ":" in text[i] and text[i - 1].startswith(" ")), start + lines)
    return "\n".join(text[max(0, start - 1):min(end + 1, start + lines)])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=8.0, help="timed seconds per target (after 1 s warm-up)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--only", default="", help="comma-separated words: only targets whose name has one "
                                                   "(the static file is always measured)")
    args = parser.parse_args()

    targets = [
        Target(REFERENCE, fixed("/static/netkit.css")),
        Target(MATERIAL, fixed("/m/adgang-til-data/")),
        Target(HOME, fixed("/")),
        Target(BROWSE, fixed("/gennemse")),
        Target(BROWSE_FILTERED, fixed("/gennemse?kind=guide&topic=data-access")),
        Target("projects /projekter/", fixed("/projekter/")),
        Target(SEARCH, fixed("/sog?q=adgang+til+data")),
        Target("search /sog?q=samtykke", fixed("/sog?q=samtykke")),
        Target(f"search, {len(QUERIES)} varying queries", varying_search),
        Target(UNCACHED, new_spellings),
        Target(f"document generation POST {CE_TEMPLATE}/hent", document_generation),
    ]
    wanted = [word.strip() for word in args.only.split(",") if word.strip()]
    targets = [t for t in targets if t.name == REFERENCE or not wanted or any(w in t.name for w in wanted)]

    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "home"
        log = Path(tmp) / "server.log"
        port = free_port()
        # Explicit settings, so a NETKIT_* variable in the caller's shell cannot change what is measured.
        env = {**os.environ, "NETKIT_WORKERS": str(args.workers), "NETKIT_SECURE_COOKIES": "false",
               "NETKIT_HOST": HOST, "NETKIT_PORT": str(port)}
        with open(log, "wb") as log_file:
            process = subprocess.Popen(server_command(home, port, args.workers), stdout=log_file,
                                       stderr=subprocess.STDOUT, env=env, cwd=tmp, start_new_session=True)
            try:
                started = time.perf_counter()
                wait_until_up(process, port, log)
                print(f"server: netkit serve, {args.workers} workers, port {port}, up in "
                      f"{time.perf_counter() - started:.1f} s; {args.clients} clients, {WARM_UP_SECONDS:.0f} s "
                      f"warm-up + {args.seconds:g} s per target")
                outcomes = [run_target(target, port, args.clients, args.seconds) for target in targets]
            finally:
                stop(process)
        server_error = first_traceback(log)  # read before the temporary folder goes

    reference = outcomes[0]
    print(f"\n{'':52} {'req/s':>9} {'p50 ms':>9} {'p95 ms':>9} {'vs ref':>8} {'failed':>7}")
    for outcome in outcomes:
        timing = outcome.timing
        ratio = outcome.per_second / reference.per_second if reference.per_second else 0.0
        p50, p95 = (timing.median, timing.p95) if timing.samples_ms else (float("nan"), float("nan"))
        print(f"{outcome.name:52} {outcome.per_second:9.1f} {p50:9.2f} {p95:9.2f} {ratio:7.2f}× "
              f"{sum(outcome.failures.values()):7}")

    failed = [o for o in outcomes if o.failures]
    for outcome in failed:
        print(f"\nfailures in {outcome.name}:")
        for reason, count in outcome.failures.most_common(5):
            print(f"  {count:6} × {reason}")
    if server_error:
        print(f"\nfirst traceback in the server's log:\n{server_error}")

    by_name = {o.name: o for o in outcomes}
    # (the uncached search is shown, not checked: how fast a query nobody asked before is, on this machine)
    searches = [o for o in outcomes if o.name.startswith("search") and o.name != UNCACHED]
    checks = []
    for name in (MATERIAL, HOME, BROWSE, BROWSE_FILTERED):
        if name in by_name:
            rate = by_name[name].per_second
            checks.append((f"{name}: ≥ 1/3 of the static file's requests/s ({rate:.1f} vs "
                           f"{reference.per_second / 3:.1f})", rate >= reference.per_second / 3))
    if SEARCH in by_name:
        rate = by_name[SEARCH].per_second
        checks.append((f"{SEARCH}: ≥ {SEARCH_RATE} requests/s at {args.clients} clients, {args.workers} workers "
                       f"({rate:.1f})", rate >= SEARCH_RATE))
    for outcome in searches:
        p95 = outcome.timing.p95 if outcome.timing.samples_ms else float("inf")
        checks.append((f"{outcome.name}: p95 < 100 ms at {args.clients} clients ({p95:.1f} ms)", p95 < 100))
    checks.append(("every response 200", not failed))
    print("\nTargets")
    for label, ok in checks:
        print(f"  {'PASS' if ok else 'FAIL'}  {label}")
    if not all(ok for _, ok in checks):
        sys.exit(1)


if __name__ == "__main__":
    main()
