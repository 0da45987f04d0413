"""Time `workbench publish` and load the static site with 200 concurrent clients (wrk, on loopback).

Prints, measured in one run:
* `workbench publish` of the example regions with their documents already built — target < 10 s;
* for each of the index, a region's page (with its 1 MB partner map) and a roadmap PDF: requests
  per second and latency p50/p95/p99 with 200 concurrent connections — target p95 < 100 ms —
  served by nginx (one worker, sendfile on, as a web server would serve the site) when it is
  installed (keeping connections alive, as browsers use them), again by nginx with the pages
  compressed beforehand (``gzip_static``, to a client that accepts gzip), and by Python's threading static
  server (``python -m http.server``, what anyone has; it speaks HTTP/1.0 and closes the
  connection after each answer: kept alive, its 200 threads fare worse). The server is
  pinned to core 0 and wrk (one thread, keep-alive) to core 1 (``taskset``), so the load
  generator does not starve it; the share of its core each used is printed beside each figure
  (near 100 %: that side is the limit), with the machine's load average before the run.

    .venv/bin/python benchmarks/bench_site.py [--build out] [--seconds 10] [--connections 200]

Needs ``wrk`` (Debian: ``apt-get install wrk``; ``make test`` installs it when root) and, for the
nginx figures, Debian's ``nginx-light`` (or ``nginx``).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent

#: wrk prints these after the run (its own --latency lists no p95).
REPORT = """
done = function(summary, latency, requests)
  io.write(string.format("RESULT %d %d %d %.1f %.1f %.1f %d\\n", summary.requests, summary.duration,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.status
    + summary.errors.timeout, latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, summary.bytes))
end
"""

#: A static server: Python's threading HTTP server with a listen queue long enough for the burst.
SERVER = """
import functools, http.server, sys
class Server(http.server.ThreadingHTTPServer):
    request_queue_size = 1024
class Handler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args): pass
handler = functools.partial(Handler, directory=sys.argv[2])
Server(("127.0.0.1", int(sys.argv[1])), handler).serve_forever()
"""


#: nginx serving the site folder, in the foreground, with every file it writes in a temporary folder.
NGINX = """
daemon off; worker_processes 1; pid {tmp}/nginx.pid; error_log {tmp}/error.log;{user}
events {{ worker_connections 4096; }}
http {{
  include /etc/nginx/mime.types; sendfile on; tcp_nopush on; access_log off;
  client_body_temp_path {tmp}/body; proxy_temp_path {tmp}/proxy; fastcgi_temp_path {tmp}/fcgi;
  uwsgi_temp_path {tmp}/uwsgi; scgi_temp_path {tmp}/scgi;
  server {{ listen 127.0.0.1:{port} backlog=4096; root {site};{gzip} }}
}}
"""


def servers(site: Path, tmp: Path, port: int) -> dict[str, tuple[list[str], list[str]]]:
    """The static servers to measure, by name: the command, and wrk's extra arguments (request headers).

    ``nginx, gzip`` serves the ``.gz`` copies of the pages (``gzip_static``, no compressing per request)
    to a client that accepts them, as browsers do.
    """
    found = {}
    nginx = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if nginx:
        for name, gz in (("nginx", ""), ("nginx, gzip", " gzip_static on;")):
            conf = tmp / f"nginx{len(found)}.conf"
            conf.write_text(NGINX.format(tmp=tmp, port=port, site=site, gzip=gz,
                                         user=" user root;" if os.geteuid() == 0 else ""), encoding="utf-8")
            found[name] = ([nginx, "-c", str(conf), "-p", str(tmp)],
                           ["-H", "Accept-Encoding: gzip"] if gz else [])
    found["python http.server"] = ([sys.executable, "-c", SERVER, str(port), str(site)], [])
    return found


def compress_pages(site: Path) -> None:
    """A ``.gz`` copy beside every page (``gzip -k``), for a web server's ``gzip_static``."""
    for page in site.rglob("*.html"):
        page.with_name(page.name + ".gz").write_bytes(gzip.compress(page.read_bytes(), 6))


def free_port() -> int:
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pinned(cores: str) -> list[str]:
    """``taskset -c cores`` when there are cores to pin to, else nothing."""
    return ["taskset", "-c", cores] if shutil.which("taskset") and (os.cpu_count() or 1) > 1 else []


def cpu_seconds(pid: int) -> float:
    """User and system CPU seconds of ``pid`` and of its living children (nginx's worker), from ``/proc``."""
    total = 0.0
    for p in [pid, *(int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split())]:
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def wrk(url: str, seconds: int, connections: int, script: Path, server_pid: int,
        extra: list[str]) -> dict[str, float]:
    cpu0, client0 = cpu_seconds(server_pid), resource.getrusage(resource.RUSAGE_CHILDREN)
    out = subprocess.run([*pinned("1"), "wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--timeout", "5s",
                          "-s", str(script), *extra, url], capture_output=True, text=True, check=True).stdout
    server_cpu = cpu_seconds(server_pid) - cpu0
    client1 = resource.getrusage(resource.RUSAGE_CHILDREN)  # wrk, now waited for
    client_cpu = client1.ru_utime + client1.ru_stime - client0.ru_utime - client0.ru_stime
    n, micros, errors, p50, p95, p99, nbytes = re.search(r"RESULT (.*)", out).group(1).split()
    duration = int(micros) / 1e6
    return {"requests": int(n), "requests_per_s": int(n) / duration, "errors": int(errors), "p50_ms": float(p50),
            "p95_ms": float(p95), "p99_ms": float(p99), "MiB_per_s": int(nbytes) / duration / 2**20,
            "server_core_busy": server_cpu / duration, "wrk_core_busy": client_cpu / duration}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build", type=Path, default=None, help="Documents already built (default: build them now).")
    ap.add_argument("--seconds", type=int, default=10)
    ap.add_argument("--connections", type=int, default=200)
    args = ap.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install wrk")
    with tempfile.TemporaryDirectory(prefix="workbench-bench-site-") as tmp:
        build = args.build
        if build is None:
            build = Path(tmp) / "out"
            subprocess.run([str(BIN / "workbench"), "build", "--out", str(build)], cwd=ROOT, check=True,
                           capture_output=True)
        site = Path(tmp) / "site"
        t0 = time.perf_counter()
        subprocess.run([str(BIN / "workbench"), "publish", "--build", str(build), "--out", str(site)], cwd=ROOT,
                       check=True, capture_output=True)
        publish_s = time.perf_counter() - t0
        print(f"workbench publish, example regions, documents built: {publish_s:.1f} s (target < 10 s)")
        compress_pages(site)
        script = Path(tmp) / "report.lua"
        script.write_text(REPORT, encoding="utf-8")
        region = sorted(p.parent.name for p in site.glob("*/index.html"))[0]
        load = os.getloadavg()
        print(f"load average before the runs (1, 5, 15 min): {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} "
              f"on {os.cpu_count()} cores")
        results: dict[str, object] = {"publish_s": publish_s, "connections": args.connections,
                                      "load_average": load, "servers": {}}
        os.chmod(tmp, 0o755)  # nginx's worker reads the site
        port = free_port()
        for name, (cmd, extra) in servers(site, Path(tmp), port).items():
            server = subprocess.Popen([*pinned("0"), *cmd], stderr=subprocess.DEVNULL)
            base = f"http://127.0.0.1:{port}/"
            pages: dict[str, dict[str, float]] = {}
            try:
                for _ in range(100):
                    try:
                        urllib.request.urlopen(base, timeout=1).close()
                        break
                    except OSError:
                        time.sleep(0.1)
                for page in ("index.html", f"{region}/index.html", f"{region}/roadmap-{region}.pdf"):
                    r = pages[page] = wrk(base + page, args.seconds, args.connections, script, server.pid, extra)
                    print(f"{name:<18} {page:<32} {r['requests_per_s']:7.0f} req/s  p50 {r['p50_ms']:6.1f} ms  "
                          f"p95 {r['p95_ms']:6.1f} ms  p99 {r['p99_ms']:6.1f} ms  {r['MiB_per_s']:5.0f} MiB/s  "
                          f"errors {r['errors']}  busy: server {r['server_core_busy']:.0%} "
                          f"wrk {r['wrk_core_busy']:.0%}  ({args.connections} connections, target p95 < 100 ms)")
            finally:
                server.terminate()
                server.wait(timeout=10)
            results["servers"][name] = pages  # type: ignore[index]
    out = ROOT / "build" / "site-load.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
