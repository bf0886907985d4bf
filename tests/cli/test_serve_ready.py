"""The first search after `netkit serve` starts never waits for the index (issue 21, item 2): the library and its
search index are loaded before gunicorn opens its port and forks its workers, so the very first answer of
/readyz is already 200 and the first search finds what the library holds."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

NETKIT = [sys.executable, "-m", "toolkit.cli"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_the_index_is_ready_before_the_server_answers_at_all(tmp_path: Path):
    home, port, log = tmp_path / "instance", free_port(), tmp_path / "serve.log"
    with open(log, "wb") as output:
        server = subprocess.Popen([*NETKIT, "--home", str(home), "serve", "--port", str(port), "--workers", "2"],
                                  stdout=output, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 90
        while True:  # wait only for the port: whatever answers first must already be ready
            assert server.poll() is None and time.monotonic() < deadline, log.read_text(errors="replace")[-2000:]
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.05)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=30) as response:
            assert response.status == 200 and json.load(response) == {"status": "ready"}
        assert (home / "index").is_dir()  # built by `serve` itself, before the first visitor
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/sog?q=samtykke", timeout=30) as response:
            assert "/m/samtykkemodeller/" in response.read().decode("utf-8")
    finally:
        server.terminate()
        server.wait(timeout=30)
