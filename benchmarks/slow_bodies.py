"""600 slow POST bodies against a real `notifier serve` (issue 16): each is answered 408 and
closed within the body time-out, the pages keep answering meanwhile, and the log holds no
traceback.

    .venv/bin/python benchmarks/slow_bodies.py [--connections 600] [--timeout 10]
"""

from __future__ import annotations

import argparse
import selectors
import socket
import sys
import tempfile
import time
from pathlib import Path

from common import REPO, free_port, machine, running, settings_file

HEAD = (
    b"POST /sign-in HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
    b"Content-Length: 100\r\n\r\nemail=a"
)


def page_seconds(port: int) -> float:
    """How long one GET /healthz takes while the slow bodies are held."""
    started = time.monotonic()
    with socket.create_connection(("127.0.0.1", port), timeout=30) as client:
        client.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        reply = b""
        while chunk := client.recv(65536):
            reply += chunk
    assert reply.startswith(b"HTTP/1.1 200"), reply[:100]
    return time.monotonic() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--connections", type=int, default=600)
    parser.add_argument("--timeout", type=float, default=10.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        port = free_port()
        register = REPO / "config" / "register.toml"
        config = settings_file(root, register, port)
        with config.open("a", encoding="utf-8") as more:
            more.write(
                f"body_timeout_seconds = {args.timeout}\n"
                f"max_connections = {args.connections + 100}\n"
            )
        log = root / "serve.log"
        command = [sys.executable, "-m", "notifier", "serve", "--config", str(config)]
        with running(command, port, root, log):
            selector = selectors.DefaultSelector()
            opened: dict[socket.socket, float] = {}
            for _ in range(args.connections):
                client = socket.create_connection(("127.0.0.1", port), timeout=30)
                client.sendall(HEAD)
                client.setblocking(False)
                opened[client] = time.monotonic()
                selector.register(client, selectors.EVENT_READ)
            pages = [page_seconds(port) for _ in range(5)]
            held: dict[socket.socket, float] = {}
            answers: dict[socket.socket, bytes] = dict.fromkeys(opened, b"")
            deadline = time.monotonic() + args.timeout * 3 + 30
            while len(held) < len(opened) and time.monotonic() < deadline:
                for key, _ in selector.select(timeout=1):
                    sock = key.fileobj
                    assert isinstance(sock, socket.socket)
                    chunk = sock.recv(65536)
                    answers[sock] += chunk
                    if not chunk:
                        held[sock] = time.monotonic() - opened[sock]
                        selector.unregister(sock)
                        sock.close()
            text = log.read_text(errors="replace")
        closed_408 = sum(a.startswith(b"HTTP/1.1 408") for a in answers.values())
        longest = max(held.values(), default=float("nan"))
        print(machine())
        print(
            f"{args.connections} slow bodies (time-out {args.timeout:g} s): "
            f"{len(held)} closed, {closed_408} answered 408, longest held {longest:.1f} s; "
            f"GET /healthz meanwhile: slowest {max(pages) * 1000:.0f} ms; "
            f"tracebacks in the log: {text.count('Traceback')}"
        )
        ok = len(held) == args.connections == closed_408 and "Traceback" not in text
        return 0 if ok and longest <= args.timeout + 2 else 1


if __name__ == "__main__":
    raise SystemExit(main())
