"""N Streamlit replicas of the dashboard behind nginx, on loopback ports, on one shared data directory.

`make cluster N=3` runs it in the foreground until Ctrl-C; tests and benchmarks use ``Cluster``
as a context manager. nginx runs without root in a private prefix (`nginx -p DIR -c nginx.conf`,
not daemonised), so nothing of the system's nginx is touched. The site file for a server comes
from the same template: ``python deploy/cluster.py --render-site --replicas 4 --port 8500``.
Uses only the standard library, so it also runs from a bare checkout.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "deploy" / "nginx" / "aqb.conf.in"
SITE_FILE = ROOT / "deploy" / "nginx" / "aqb-site.conf"
HOST = "127.0.0.1"  # replicas and proxy listen on loopback only
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
MIME_TYPES = Path("/etc/nginx/mime.types")
ROUTE_COOKIE = "aqb_route"

MAIN_CONF = """\
# Rendered by deploy/cluster.py for a private prefix; regenerated on every start.
worker_processes {workers};
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 4096; }}
http {{
    {mime}
    default_type application/octet-stream;
    log_format aqb '$remote_addr [$time_local] "$request" $status $body_bytes_sent '
                   'upstream=$upstream_addr rt=$request_time';
    access_log {prefix}/access.log aqb buffer=16k flush=1s;
    client_body_temp_path {prefix}/tmp/body;
    proxy_temp_path {prefix}/tmp/proxy;
    fastcgi_temp_path {prefix}/tmp/fastcgi;
    uwsgi_temp_path {prefix}/tmp/uwsgi;
    scgi_temp_path {prefix}/tmp/scgi;
    sendfile on;
{site}
}}
"""


class ClusterError(RuntimeError):
    """A replica or nginx did not come up; the message names which and where its log is."""


def render_site(replica_ports: list[int], listen: str, cache_dir: str | Path) -> str:
    """The http-level nginx block (upstream, cache, server) for replicas on these loopback ports."""
    servers = "\n".join(f"    server {HOST}:{p} max_fails=3 fail_timeout=10s;" for p in replica_ports)
    values = {"servers": servers, "listen": listen, "cache_dir": str(cache_dir)}
    text = TEMPLATE.read_text(encoding="utf-8")
    missing = set(re.findall(r"\{\{(\w+)\}\}", text)) - values.keys()
    if missing:
        raise ClusterError(f"{TEMPLATE}: unbekannte Platzhalter {sorted(missing)}")
    return re.sub(r"\{\{(\w+)\}\}", lambda m: values[m.group(1)], text)


def render_main(site: str, prefix: Path, workers: int = 2) -> str:
    mime = f"include {MIME_TYPES};" if MIME_TYPES.exists() else "types { text/html html; application/javascript js; text/css css; }"
    indented = "\n".join(("    " + line) if line else line for line in site.splitlines())
    return MAIN_CONF.format(workers=workers, prefix=prefix, mime=mime, site=indented)


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def rss_kib(pid: int) -> int:
    """Resident memory of a process in KiB (VmRSS from /proc)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise ClusterError(f"Prozess {pid}: kein VmRSS in /proc")


@dataclass
class Replica:
    port: int
    process: subprocess.Popen
    log: Path

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"


@dataclass
class Cluster:
    """Replicas of the dashboard (serve.py) on one data directory plus nginx in front; ``with Cluster(3) as c: c.url``.

    ``port`` is nginx's port (0 picks a free one); the replicas take replica_base+1 … replica_base+N,
    or free ports when replica_base is 0. ``env`` is the replicas' environment (AQB_DATA_DIR, AQB_STORE, …).
    ``session_ttl`` is Streamlit's grace time for closed tabs (server.disconnectedSessionTTL).
    """

    replicas: int = 3
    port: int = 0
    replica_base: int = 0
    env: dict[str, str] | None = None
    workdir: Path | None = None
    session_ttl: int = 120
    nginx_workers: int = 2
    started: list[Replica] = field(default_factory=list, init=False)
    nginx: subprocess.Popen | None = field(default=None, init=False)
    prefix: Path | None = field(default=None, init=False)

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    @property
    def replica_urls(self) -> list[str]:
        return [r.url for r in self.started]

    def __enter__(self) -> "Cluster":
        try:
            return self.start()
        except BaseException:
            self.stop()
            raise

    def __exit__(self, *exc) -> None:
        self.stop()

    def start(self, timeout: float = 90) -> "Cluster":
        if self.replicas < 1:
            raise ClusterError("Mindestens ein Replikat.")
        if not Path(NGINX).exists():
            raise ClusterError("nginx fehlt (Debian: apt-get install -y nginx).")
        owned = self.workdir is None
        self.prefix = Path(tempfile.mkdtemp(prefix="aqb-cluster-")) if owned else Path(self.workdir)
        self.prefix.mkdir(parents=True, exist_ok=True)
        # nginx started as root drops its workers to an unprivileged user, which must reach the prefix.
        self.prefix.chmod(0o755)
        (self.prefix / "tmp").mkdir(exist_ok=True)
        if self.port == 0:
            self.port = free_port()
        if self.replica_base:
            ports = [self.replica_base + i for i in range(1, self.replicas + 1)]
        else:
            ports = [free_port() for _ in range(self.replicas)]
        for port in ports:
            self.started.append(self._start_replica(port))
        deadline = time.monotonic() + timeout
        for replica in self.started:
            self._wait(replica.url, replica.process, replica.log, deadline)
        self._start_nginx(ports, deadline)
        return self

    def _start_replica(self, port: int) -> Replica:
        log = self.prefix / f"replica-{port}.log"
        env = {**os.environ, **(self.env or {})}
        command = [
            sys.executable, "-m", "streamlit", "run", str(ROOT / "serve.py"),
            "--server.headless", "true", "--server.address", HOST, "--server.port", str(port),
            "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none",
            "--server.disconnectedSessionTTL", str(self.session_ttl),
        ]
        with open(log, "wb") as out:
            process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                                       start_new_session=True)
        return Replica(port, process, log)

    def _start_nginx(self, ports: list[int], deadline: float) -> None:
        site = render_site(ports, f"{HOST}:{self.port}", self.prefix / "cache")
        conf = self.prefix / "nginx.conf"
        conf.write_text(render_main(site, self.prefix, self.nginx_workers), encoding="utf-8")
        base = [NGINX, "-p", str(self.prefix), "-c", str(conf), "-e", str(self.prefix / "error.log")]
        check = subprocess.run([*base, "-t", "-q"], capture_output=True, text=True)
        if check.returncode:
            raise ClusterError(f"nginx-Konfiguration {conf} ungültig: {check.stderr.strip()}")
        log = self.prefix / "nginx.out"
        with open(log, "wb") as out:
            self.nginx = subprocess.Popen([*base, "-g", "daemon off;"], stdout=out, stderr=subprocess.STDOUT,
                                          start_new_session=True)
        self._wait(self.url, self.nginx, self.prefix / "error.log", deadline)

    @staticmethod
    def _wait(url: str, process: subprocess.Popen, log: Path, deadline: float) -> None:
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise ClusterError(f"{url}: Prozess beendet mit Code {process.returncode}, siehe {log}")
            if _healthy(url):
                return
            time.sleep(0.3)
        raise ClusterError(f"{url} antwortet nicht, siehe {log}")

    def replica_rss_kib(self) -> list[int]:
        return [rss_kib(r.process.pid) for r in self.started]

    def logs(self) -> str:
        return "\n".join(r.log.read_text(encoding="utf-8", errors="replace") for r in self.started if r.log.exists())

    def stop(self) -> None:
        """nginx first (no new requests), then the replicas; each gets 10 s before it is killed."""
        processes = ([self.nginx] if self.nginx else []) + [r.process for r in self.started]
        for process in processes:
            if process.poll() is None:
                process.send_signal(signal.SIGQUIT if process is self.nginx else signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)
        self.nginx = None
        if self.workdir is None and self.prefix is not None and not os.environ.get("AQB_KEEP_CLUSTER_DIR"):
            shutil.rmtree(self.prefix, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replicas", type=int, default=3, help="Anzahl der Streamlit-Prozesse (Standard 3)")
    parser.add_argument("--port", type=int, default=8500, help="Port von nginx (Standard 8500)")
    parser.add_argument("--replica-base", type=int, default=8510,
                        help="Replikate auf Basis+1 … Basis+N (Standard 8511 …; make run nutzt 8501)")
    parser.add_argument("--render-site", action="store_true",
                        help="nur die nginx-Site-Datei für einen Server ausgeben (Cache unter /var/cache/nginx/aqb)")
    args = parser.parse_args(argv)
    if args.render_site:
        ports = [args.replica_base + i for i in range(1, args.replicas + 1)]
        header = (f"# Rendered by `python deploy/cluster.py --render-site --replicas {args.replicas} --port {args.port}"
                  f" --replica-base {args.replica_base}`;"
                  " replicas: systemd units aqb@PORT.service (deploy/systemd).\n")
        print(header + render_site(ports, f"{HOST}:{args.port}", "/var/cache/nginx/aqb"), end="")
        return 0
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(True))
    try:
        with Cluster(args.replicas, args.port, args.replica_base) as cluster:
            print(f"AQB-Cluster: {cluster.url}  ({args.replicas} Replikate: {', '.join(cluster.replica_urls)})")
            print(f"Konfiguration und Logs: {cluster.prefix}  – beenden mit Strg+C")
            while not stop:
                for r in cluster.started:
                    if r.process.poll() is not None:
                        raise ClusterError(f"Replikat {r.url} beendet (Code {r.process.returncode}), siehe {r.log}")
                if cluster.nginx.poll() is not None:
                    raise ClusterError(f"nginx beendet (Code {cluster.nginx.returncode})")
                time.sleep(1)
    except KeyboardInterrupt:
        pass
    except ClusterError as exc:
        print(f"Fehler: {exc}", file=sys.stderr)
        return 2
    print("AQB-Cluster beendet.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
