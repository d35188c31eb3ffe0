"""One feed served by `notifier serve` and by nginx, side by side in one run, loaded with wrk.

Used by benchmarks/run.py. nginx (Debian's package; one worker, sendfile, gzip_static, a private
config on a loopback port) serves the same bytes from a copy under the same path. If granian is
installed, the app `notifier serve` builds is also served by granian's server embedded in the
process's event loop, for comparison (the project does not ship it: see the README). The servers
are loaded in turns (each kind of request once per round), so that the machine's other work
weighs on all of them alike; the median of the rounds is reported.
"""

from __future__ import annotations

import gzip
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from common import free_port, median, running, settings_file

NGINX_CONF = """\
worker_processes 1;
daemon off;
pid {root}/nginx.pid;
error_log {root}/error.log;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  client_body_temp_path {root}/tmp; proxy_temp_path {root}/tmp;
  fastcgi_temp_path {root}/tmp; uwsgi_temp_path {root}/tmp; scgi_temp_path {root}/tmp;
  types {{ text/calendar ics; }}
  charset utf-8; charset_types text/calendar;
  sendfile on; tcp_nopush on;
  server {{
    listen 127.0.0.1:{port};
    root {root}/www;
    gzip_static on; gzip_vary on;
    add_header Cache-Control private;
  }}
}}
"""

GRANIAN = """\
import sys
from pathlib import Path

import uvloop
from granian.constants import Interfaces
from granian.server.embed import Server

from notifier import clock
from notifier.cli.feeds_cmd import serve_config
from notifier.context import load_context

config, port = Path(sys.argv[1]), int(sys.argv[2])
app = serve_config(load_context(config, None, clock.system_now()), "127.0.0.1", port).app
server = Server(app, address="127.0.0.1", port=port, interface=Interfaces.ASGI,
                websockets=False, log_enabled=False)
uvloop.run(server.serve())
"""

KINDS = ("200", "304", "gzip")


@dataclass
class Served:
    name: str
    port: int
    rates: dict[str, list[float]] = field(default_factory=lambda: {k: [] for k in KINDS})

    def median(self, kind: str) -> float:
        return median(self.rates[kind])


def header_of(port: int, path: str, name: str, *extra: str) -> str:
    with socket.create_connection(("127.0.0.1", port), timeout=5) as connection:
        lines = [f"HEAD {path} HTTP/1.1", "Host: 127.0.0.1", "Connection: close", *extra]
        connection.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        reply = b""
        while chunk := connection.recv(65536):
            reply += chunk
    found = re.search(rf"^{name}: *(.+?)\r$", reply.decode("latin-1"), re.I | re.M)
    if found is None:
        raise RuntimeError(f"no {name} header from 127.0.0.1:{port}{path}")
    return found.group(1)


def wrk(port: int, path: str, header: str | None, seconds: int) -> float:
    command = ["wrk", f"-d{seconds}s", "-c32", "-t2", f"http://127.0.0.1:{port}{path}"]
    if header:
        command[1:1] = ["-H", header]
    output = subprocess.run(
        command, capture_output=True, text=True, check=True, timeout=seconds + 30
    ).stdout
    found = re.search(r"Requests/sec:\s+([\d.]+)", output)
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if found is None or non_2xx is not None:
        raise RuntimeError(f"wrk failed or saw errors:\n{output}")
    return float(found.group(1))


def has_module(name: str) -> bool:
    probe = subprocess.run([sys.executable, "-c", f"import {name}"], capture_output=True)
    return probe.returncode == 0


@contextmanager
def servers(root: Path, register: Path, feed_file: Path, url: str) -> Iterator[list[Served]]:
    """notifier serve, granian (if installed) and nginx, all listening until the block ends."""
    found: list[Served] = []
    with ExitStack() as stack:
        port = free_port()
        # token_cache_seconds: the default (1 s); the feeds' tokens are re-read as in production.
        config = settings_file(root, register, port)
        serve = [sys.executable, "-c", "from notifier.cli import run; run()", "serve"]
        stack.enter_context(running([*serve, "--config", str(config)], port, root))
        found.append(Served("notifier serve (uvicorn, httptools)", port))
        if has_module("granian"):
            port = free_port()
            script = root / "granian_serve.py"
            script.write_text(GRANIAN, encoding="utf-8")
            command = [sys.executable, str(script), str(config), str(port)]
            stack.enter_context(running(command, port, root, root / "granian.log"))
            found.append(Served("same app on granian (embedded; comparison)", port))
        port = free_port()
        www = root / "www" / url.lstrip("/")
        www.parent.mkdir(parents=True)
        www.write_bytes(feed_file.read_bytes())
        www.with_name(www.name + ".gz").write_bytes(gzip.compress(www.read_bytes(), 9, mtime=0))
        (root / "tmp").mkdir()
        for folder in (root, *www.parents):
            if folder == root.parent:
                break
            folder.chmod(0o755)  # nginx's worker (user nobody) reads from here
        conf = root / "nginx.conf"
        conf.write_text(NGINX_CONF.format(root=root, port=port), encoding="utf-8")
        nginx = [shutil.which("nginx") or "nginx", "-p", str(root), "-c", str(conf)]
        stack.enter_context(running(nginx, port, root))
        found.append(Served("nginx (1 worker, sendfile, gzip_static)", port))
        yield found


def load(found: list[Served], url: str, seconds: int, rounds: int) -> None:
    """Each server, each kind of request, once per round, in turns."""
    etags = {s.port: header_of(s.port, url, "etag") for s in found}
    for served in found:
        wrk(served.port, url, None, 1)  # warm-up: the feed's version is read and known
        wrk(served.port, url, "Accept-Encoding: gzip", 1)
    for _ in range(rounds):
        for served in found:
            served.rates["200"].append(wrk(served.port, url, None, seconds))
            etag = f"If-None-Match: {etags[served.port]}"
            served.rates["304"].append(wrk(served.port, url, etag, seconds))
            served.rates["gzip"].append(wrk(served.port, url, "Accept-Encoding: gzip", seconds))
        time.sleep(0.2)
