"""A private PostgreSQL server for the tests: Debian's server binaries, a throwaway cluster on tmpfs
on a free loopback port, run as the `postgres` user when the tests run as root (initdb refuses
root), stopped and removed at the end of the session.

Each test gets a database of its own, cloned from a template migrated once (about 40 ms a clone
on tmpfs), and dropped afterwards. `make test` installs the server (Debian's `postgresql`) when
it is missing; only a developer machine without the binaries and without root skips the
PostgreSQL half of the suite, with the reason shown. In CI (`CI` set) nothing is skipped.
"""

from __future__ import annotations

import glob
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

from sqlalchemy import Engine, create_engine, make_url
from sqlalchemy.pool import NullPool

START_ATTEMPTS = 5  # a free port found by binding can be taken before the server binds it
COMMAND_SECONDS = 60


class Unavailable(RuntimeError):
    """No PostgreSQL server binaries here (and no way for the tests to install them)."""


def find_bindir() -> Path:
    """The newest /usr/lib/postgresql/<major>/bin (Debian), else `initdb` on the PATH."""
    if configured := os.environ.get("PG_BINDIR"):
        if not (Path(configured) / "initdb").exists():
            raise Unavailable(f"PG_BINDIR={configured} holds no initdb")
        return Path(configured)
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda path: int(path.split("/")[4]) if path.split("/")[4].isdigit() else 0,
    )
    if found:
        return Path(found[-1]).parent
    if on_path := shutil.which("initdb"):
        return Path(on_path).resolve().parent
    raise Unavailable(
        "PostgreSQL server binaries not found (no /usr/lib/postgresql/*/bin/initdb, no initdb "
        "on PATH); `make test` installs Debian's `postgresql` package when run as root, or set "
        "PG_BINDIR"
    )


def _scratch_parent() -> str | None:
    """tmpfs when it has room (CREATE DATABASE is several times faster there); never pytest's
    tmp_path, which the postgres user cannot enter."""
    shm = "/dev/shm"
    if os.access(shm, os.W_OK) and shutil.disk_usage(shm).free > 2 * 2**30:
        return shm
    return None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class PostgresCluster:
    """initdb + pg_ctl in a temporary folder; `url(name)` for a database in it."""

    def __init__(self) -> None:
        self.bindir = find_bindir()
        self.as_root = os.geteuid() == 0
        self.base = Path(tempfile.mkdtemp(prefix="notifier-pg-", dir=_scratch_parent()))
        self.data = self.base / "data"
        self.port = 0
        if self.as_root:
            try:
                account = pwd.getpwnam("postgres")
            except KeyError:
                shutil.rmtree(self.base, ignore_errors=True)
                raise Unavailable("running as root, but there is no `postgres` user") from None
            os.chown(self.base, account.pw_uid, account.pw_gid)

    def _run(self, *argv: str) -> None:
        options: dict[str, object] = {}
        if self.as_root:  # the server refuses to run as root
            options = {"user": "postgres", "group": "postgres", "extra_groups": []}
        subprocess.run(
            [str(self.bindir / argv[0]), *argv[1:]],
            cwd=self.base,
            check=True,
            timeout=COMMAND_SECONDS,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            env={**os.environ, "LC_ALL": "C.UTF-8", "PGTZ": "UTC"},
            **options,  # type: ignore[call-overload]
        )

    def start(self) -> PostgresCluster:
        self._run(
            "initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust", "-E", "UTF8",
            "--locale=C", "--no-sync", "--no-instructions",
        )  # fmt: skip
        options = (
            "-c listen_addresses=127.0.0.1 -p {port} -c unix_socket_directories={socket} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
            "-c max_connections=300 -c shared_buffers=64MB"
        )
        for attempt in range(1, START_ATTEMPTS + 1):
            self.port = _free_port()
            try:
                self._run(
                    "pg_ctl", "-D", str(self.data), "-l", str(self.base / "log"),
                    "-o", options.format(port=self.port, socket=self.base), "-w", "-t", "30",
                    "start",
                )  # fmt: skip
                return self
            except subprocess.CalledProcessError:
                if attempt == START_ATTEMPTS:
                    log = self.base / "log"
                    raise RuntimeError(
                        "PostgreSQL did not start: "
                        + (log.read_text(errors="replace") if log.exists() else "no log")
                    ) from None
        return self

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def stop(self) -> None:
        try:
            if (self.data / "postmaster.pid").exists():
                self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.base, ignore_errors=True)


class Databases:
    """Databases in one cluster: a template migrated once, and a fresh clone (or an empty one)
    for each test, dropped when the test ends (with its connections, if any were left)."""

    TEMPLATE = "notifier_template"

    def __init__(self, cluster: PostgresCluster) -> None:
        self.cluster = cluster
        self.admin: Engine = create_engine(
            cluster.url(), isolation_level="AUTOCOMMIT", poolclass=NullPool
        )
        self._names = (f"test_{n}" for n in itertools.count(1))
        self._template_ready = False

    def _execute(self, sql: str) -> None:
        with self.admin.connect() as connection:
            connection.exec_driver_sql(sql)

    def prepare_template(self, migrate: object) -> None:
        """Create the template and bring it to the current schema with `migrate(url)`."""
        self._execute(f"CREATE DATABASE {self.TEMPLATE}")
        assert callable(migrate)
        migrate(self.cluster.url(self.TEMPLATE))
        self._template_ready = True

    def create(self, *, migrated: bool = True) -> str:
        """A new database: a clone of the migrated template, or empty (for upgrade tests)."""
        name = next(self._names)
        if migrated:
            assert self._template_ready, "prepare_template first"
            self._execute(f"CREATE DATABASE {name} TEMPLATE {self.TEMPLATE} STRATEGY FILE_COPY")
        else:
            self._execute(f"CREATE DATABASE {name} TEMPLATE template0 STRATEGY FILE_COPY")
        return self.cluster.url(name)

    def drop(self, url: str) -> None:
        self._execute(f"DROP DATABASE IF EXISTS {make_url(url).database} WITH (FORCE)")

    def close(self) -> None:
        self.admin.dispose()
