"""A real ClickHouse server for tests, without Docker: the engine embedded in PyPI chdb-core.

    python server.py --data DIR --http-port N --tcp-port M [--work DIR]

Serves the HTTP interface and the native protocol on 127.0.0.1 from the database directory
DIR (kept across restarts: start it again on the same DIR and the tables and rows are there).
Prints "READY http=N tcp=M" once `SELECT 1` answers over HTTP, then runs until one of:
  - a line is written to the FIFO WORK/stop.fifo (a clean stop; also `--stop`),
  - its parent process exits (a killed test run leaves no server behind),
  - SIGTERM / SIGINT.

How (DESIGN.md, "Test peers that are real"): only the module-level `_chdb.query(...,
path=DATA)` starts listeners; it reads config.xml (listen_host, ports) from the current
directory, which must be changed AFTER `import chdb` (the import changes it); the listeners
live as long as a query runs, so `SYSTEM START LISTEN` is followed by a query that blocks
reading the FIFO. TabSeparated output (CSV breaks the HTTP interface's defaults).
"""

import argparse
import os
import signal
import sys
import threading
import time
import urllib.request

CONFIG = """<clickhouse>
    <listen_host>127.0.0.1</listen_host>
    <http_port>{http}</http_port>
    <tcp_port>{tcp}</tcp_port>
    <!-- a test peer on a shared 2-core machine: small pools -->
    <background_pool_size>2</background_pool_size>
    <background_schedule_pool_size>4</background_schedule_pool_size>
    <max_concurrent_queries>50</max_concurrent_queries>
</clickhouse>
"""


def stop(work: str) -> bool:
    """Writes to the server's FIFO; False when no server reads it."""
    fifo = os.path.join(work, "stop.fifo")
    try:
        fd = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
    except OSError:  # ENXIO: no reader, ENOENT: never started
        return False
    try:
        os.write(fd, b"stop\n")
    finally:
        os.close(fd)
    return True


def watch(http_port: int, parent: int) -> None:
    """Prints the ready line once HTTP answers; exits the process when the parent is gone."""
    url = f"http://127.0.0.1:{http_port}/?query=SELECT%201"
    ready = False
    deadline = time.monotonic() + 60
    while True:
        if os.getppid() != parent:
            os._exit(3)
        if not ready:
            try:
                with urllib.request.urlopen(url, timeout=2) as r:
                    if r.read().strip() == b"1":
                        ready = True
                        print(f"READY http={http_port} tcp={ARGS.tcp_port}", flush=True)
            except OSError:
                if time.monotonic() > deadline:
                    print("ClickHouse did not answer on HTTP within 60s", file=sys.stderr, flush=True)
                    os._exit(2)
        time.sleep(0.1 if not ready else 0.5)


def main() -> int:
    data = os.path.abspath(ARGS.data)
    work = os.path.abspath(ARGS.work or os.path.join(data, "..", os.path.basename(data) + "-server"))
    if ARGS.stop:
        return 0 if stop(work) else 1
    os.makedirs(data, exist_ok=True)
    os.makedirs(work, exist_ok=True)
    with open(os.path.join(work, "config.xml"), "w") as f:
        f.write(CONFIG.format(http=ARGS.http_port, tcp=ARGS.tcp_port))
    fifo = os.path.join(work, "stop.fifo")
    if not os.path.exists(fifo):
        os.mkfifo(fifo)

    from chdb import _chdb  # noqa: E402  (the import changes the working directory)

    os.chdir(work)
    # SIGTERM / SIGINT end the blocking query the same way the FIFO does. Python runs signal
    # handlers in the main thread only, which sits in the engine, so a thread reads the
    # wake-up fd the interpreter's C handler writes to.
    r, w = os.pipe()
    os.set_blocking(w, False)
    signal.set_wakeup_fd(w)
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: None)

    def on_signal() -> None:
        os.read(r, 1)
        stop(work)

    threading.Thread(target=on_signal, daemon=True).start()
    threading.Thread(target=watch, args=(ARGS.http_port, os.getppid()), daemon=True).start()
    sql = (
        "SYSTEM START LISTEN HTTP; SYSTEM START LISTEN TCP; "
        f"SELECT * FROM file('{fifo}', 'LineAsString')"
    )
    try:
        _chdb.query(sql, "TabSeparated", path=data)
    except Exception as e:  # noqa: BLE001 - report and fail
        print(f"ClickHouse stopped with an error: {e}", file=sys.stderr, flush=True)
        return 1
    print("STOPPED", flush=True)
    return 0


if __name__ == "__main__":
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data", required=True, help="database directory (kept across restarts)")
    p.add_argument("--http-port", type=int, default=int(os.environ.get("CLICKHOUSE_HTTP_PORT", "8123")))
    p.add_argument("--tcp-port", type=int, default=int(os.environ.get("CLICKHOUSE_TCP_PORT", "9000")))
    p.add_argument("--work", help="config.xml and stop.fifo (default: DATA-server beside DATA)")
    p.add_argument("--stop", action="store_true", help="stop the server running on --work/--data")
    ARGS = p.parse_args()
    sys.exit(main())
