"""One-value reads on the event loop (``db.AsyncReads``) in process: N sequential reads
of the kept pages' probes on one loop, per way of reading them.

    .venv/bin/python bench/probe_reads.py [--reads 3000] [--rounds 5] [--loop uvloop]

Migrates a new PostgreSQL database ``jl_bench_probes`` (``JL_BENCH_ADMIN_URL``'s
server, dropped at the end) with the demo catalogue and one booking, then times, round
by round (the ways interleaved, so load from elsewhere hits each alike), the median of
per-read wall time for:

* ``AsyncReads.value`` as the service runs it (timeout, semaphore, pool of the loop:
  asyncpg since 2026-12-06; psycopg before, ~100-180 us a read here);
* a bare psycopg ``execute`` + ``fetchone`` on one ``AsyncConnection`` (autocommit),
  text and binary, with and without ``prepare=True``;
* asyncpg ``fetchval`` (its statement cache: prepared on first use), bare and under
  ``asyncio.timeout``;
* a trivial round trip: one small write and read on a loopback socket to an echo
  server in another process (what any request/response over loopback costs), and
  ``asyncio.sleep(0)`` (one turn of the loop).
"""

import argparse
import asyncio
import socket
import statistics
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchkit import create_pg_database, drop_pg_database, load_demo  # noqa: E402

DATABASE = "jl_bench_probes"

ECHO = """
import socket, sys
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", 0)); s.listen(1); print(s.getsockname()[1], flush=True)
c, _ = s.accept(); c.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
while (b := c.recv(256)):
    c.sendall(b)
"""


def probes(url: str) -> dict:
    from service.bookings.repository import change_seq_probe
    from service.catalog.availability import availability_probe, units_probe
    from service.catalog.responses import VERSION_PROBE, with_version

    engine = sa.create_engine(url)
    with engine.connect() as conn:
        product = conn.execute(
            sa.text("SELECT product_id, min(night) FROM inventory_night GROUP BY 1 LIMIT 1")
        ).one()
        reference = conn.execute(sa.text("SELECT reference FROM booking LIMIT 1")).scalar()
    engine.dispose()
    start = max(product[1], date.today())
    return {
        "version": VERSION_PROBE,
        "manage": change_seq_probe(reference or "JL-NONE"),
        "product": with_version(
            units_probe("postgresql", product[0], start, start + timedelta(days=43))
        ),
        "quote": availability_probe(
            "postgresql", [(product[0], start + timedelta(days=3), start + timedelta(days=5))]
        ),
    }


async def timed(n: int, read) -> float:
    """Median microseconds of ``n`` sequential ``await read()``."""
    took = []
    for _ in range(n):
        t = time.perf_counter()
        await read()
        took.append(time.perf_counter() - t)
    return statistics.median(took) * 1e6


async def run(url: str, reads: int, rounds: int, which: list[str]) -> dict[str, list[float]]:
    import asyncpg
    import psycopg
    from sqlalchemy.dialects.postgresql import asyncpg as pg_asyncpg
    from sqlalchemy.dialects.postgresql import psycopg as pg_psycopg

    from service.db import AsyncReads, read_only_connect_args

    engine = sa.create_engine(url)
    found = probes(url)
    service = AsyncReads(engine, timeout=5)
    # psycopg as ``AsyncReads`` used it before (main at 25cdff2): the same settings
    conninfo = psycopg.conninfo.make_conninfo(
        engine.url.set(drivername="postgresql").render_as_string(hide_password=False),
        options="-c default_transaction_read_only=on",
        application_name="jl-bench-probes",
    )
    text = await psycopg.AsyncConnection.connect(conninfo, autocommit=True)
    binary = await psycopg.AsyncConnection.connect(conninfo, autocommit=True)
    prepared = await psycopg.AsyncConnection.connect(conninfo, autocommit=True, prepare_threshold=0)
    apg = await asyncpg.connect(**read_only_connect_args(engine.url))
    dialect = pg_asyncpg.dialect()

    echo = subprocess.Popen([sys.executable, "-c", ECHO], stdout=subprocess.PIPE, text=True)
    port = int(echo.stdout.readline())
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.get_extra_info("socket").setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    async def echo_once():
        writer.write(b"x" * 40)
        await reader.read(256)

    sem = asyncio.Semaphore(4)
    loop = asyncio.get_running_loop()
    ways = {
        "loop turn (asyncio.sleep(0))": lambda: asyncio.sleep(0),
        "loopback echo round trip": echo_once,
    }
    for name, probe in found.items():
        sql = str(sa.text(probe.sql).compile(dialect=pg_psycopg.dialect()))
        compiled = sa.text(probe.sql).compile(dialect=dialect)
        dollar = str(compiled)
        names = compiled.positiontup or []
        args = [probe.params[k] for k in names]

        async def ps_text(sql=sql, probe=probe):
            cur = await text.execute(sql, dict(probe.params))
            return await cur.fetchone()

        async def ps_binary(sql=sql, probe=probe):
            cur = await binary.execute(sql, dict(probe.params), binary=True)
            return await cur.fetchone()

        async def ps_prepared(sql=sql, probe=probe):
            cur = await prepared.execute(sql, dict(probe.params), prepare=True, binary=True)
            return await cur.fetchone()

        async def apg_bare(dollar=dollar, args=args):
            return await apg.fetchval(dollar, *args)

        async def apg_timeout(dollar=dollar, args=args):
            async with asyncio.timeout(5):
                return await apg.fetchval(dollar, *args)

        async def apg_own_timeout(dollar=dollar, args=args):
            return await apg.fetchval(dollar, *args, timeout=5)

        async def apg_semaphore(dollar=dollar, args=args):
            async with sem:
                return await apg.fetchval(dollar, *args)

        async def apg_call_later(dollar=dollar, args=args):
            task = asyncio.current_task()
            timer = loop.call_later(5, task.cancel)
            try:
                return await apg.fetchval(dollar, *args)
            finally:
                timer.cancel()

        async def service_read(probe=probe):
            return await service.value(probe)

        ways |= {
            f"{name}: AsyncReads.value (now)": service_read,
            f"{name}: psycopg text": ps_text,
            f"{name}: psycopg binary": ps_binary,
            f"{name}: psycopg prepared binary": ps_prepared,
            f"{name}: asyncpg fetchval": apg_bare,
            f"{name}: asyncpg + asyncio.timeout": apg_timeout,
            f"{name}: asyncpg + fetchval(timeout=)": apg_own_timeout,
            f"{name}: asyncpg + semaphore": apg_semaphore,
            f"{name}: asyncpg + call_later(cancel)": apg_call_later,
        }
        # Same answers every way.
        rows = [await ps_text(), await ps_binary(), await ps_prepared()]
        answers = {None if r is None else r[0] for r in rows}
        answers |= {await apg_bare(), await service_read()}
        assert len({str(a) for a in answers}) == 1, (name, answers)
    ways = {k: v for k, v in ways.items() if not which or any(w in k for w in which)}
    out: dict[str, list[float]] = {k: [] for k in ways}
    for _ in range(rounds):
        for name, read in ways.items():
            out[name].append(await timed(reads, read))
    await service.close_here()
    for conn in (text, binary, prepared):
        await conn.close()
    await apg.close()
    writer.close()
    echo.kill()
    engine.dispose()
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reads", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--loop", choices=["asyncio", "uvloop"], default="uvloop")
    parser.add_argument("--only", nargs="*", default=[], help="ways whose name has one of these")
    args = parser.parse_args()
    url = create_pg_database(DATABASE)
    try:
        load_demo(url)
        if args.loop == "uvloop":
            import uvloop

            result = uvloop.run(run(url, args.reads, args.rounds, args.only))
        else:
            result = asyncio.run(run(url, args.reads, args.rounds, args.only))
    finally:
        drop_pg_database(DATABASE)
    print(f"{args.reads} sequential reads x {args.rounds} rounds, {args.loop}; median us per read")
    print(f"{'way':<52} {'median':>8} {'min':>8} {'max':>8}")
    for name, values in result.items():
        print(f"{name:<52} {statistics.median(values):8.1f} {min(values):8.1f} {max(values):8.1f}")


if __name__ == "__main__":
    main()
