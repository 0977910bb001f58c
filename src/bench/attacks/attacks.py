#!/usr/bin/env python3
"""Runs hostile clients against one Bantin instance while a polite client measures (see run.sh).

Usage: attacks.py BASE_URL SERVER_PID ADMIN_TOKEN SERVER_LOG [ATTACK ...]
Every attack is bounded by ATTACK_SECONDS; everything targets the given loopback address only.
"""
import asyncio
import http.client
import json
import multiprocessing
import os
import queue
import re
import socket
import subprocess
import sys
import time
import urllib.parse

BASE, PID, TOKEN, LOG = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
URL = urllib.parse.urlparse(BASE)
HOST, PORT = URL.hostname, URL.port
assert HOST in ("127.0.0.1", "localhost"), "attacks only ever target loopback"
SECONDS = float(os.environ.get("ATTACK_SECONDS", "30"))
SSE_CLIENTS = int(os.environ.get("SSE_CLIENTS", "3000"))
SLOWLORIS = int(os.environ.get("SLOWLORIS", "500"))
IDLE_FLOOD = int(os.environ.get("IDLE_FLOOD", "12000"))
EXPORTS = int(os.environ.get("EXPORTS", "100"))


def request(method, path, body=None, headers=None, timeout=5.0):
    conn = http.client.HTTPConnection(HOST, PORT, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        resp = conn.getresponse()
        data = resp.read()
        return resp.status, data
    finally:
        conn.close()


def publish(title, body_bytes=300):
    doc = {"title": title, "body": "<p>" + ("Tin dài. " * (body_bytes // 9)) + "</p>"}
    status, data = request("POST", "/api/v1/bulletins", json.dumps(doc).encode(),
                           {"Authorization": "Bearer " + TOKEN, "Content-Type": "application/json"}, timeout=30)
    return status, data


class Prober:
    """The polite client, in a process of its own (not behind the attackers' interpreter lock): a fresh
    connection per request, alternating a bulletin and the RSS feed. Samples are (monotonic time, path,
    seconds, ok); the monotonic clock is the machine's, so they line up with the attacks' times."""

    def __init__(self, slug):
        self.paths = ["/api/v1/bulletins/" + slug, "/feeds/rss.xml"]
        self._samples = []
        self._queue = multiprocessing.Queue()
        self._stop = multiprocessing.Event()
        self._process = multiprocessing.Process(target=self._run, daemon=True)

    def start(self):
        self._process.start()

    def stop(self):
        self._stop.set()
        self._process.join(10)

    def _run(self):
        i = 0
        while not self._stop.is_set():
            path = self.paths[i % 2]
            i += 1
            t0 = time.monotonic()
            try:
                status, _ = request("GET", path, timeout=5)
                ok = status == 200
            except Exception:
                ok = False
            self._queue.put((t0, path, time.monotonic() - t0, ok))
            time.sleep(0.1)

    @property
    def samples(self):
        while True:
            try:
                self._samples.append(self._queue.get_nowait())
            except queue.Empty:
                return self._samples

    def window(self, start, end):
        return [s for s in self.samples if start <= s[0] < end]


def p99(values):
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * 0.99))]


def prometheus():
    try:
        _, data = request("GET", "/actuator/prometheus", timeout=10)
    except Exception:
        return {}
    metrics = {}
    for line in data.decode().splitlines():
        if line and not line.startswith("#"):
            name, _, value = line.rpartition(" ")
            try:
                metrics[name] = float(value)
            except ValueError:
                pass
    return metrics


def metric(metrics, prefix, **labels):
    total = 0.0
    for name, value in metrics.items():
        if name.split("{")[0] == prefix and all('%s="%s"' % kv in name for kv in labels.items()):
            total += value
    return total


def snapshot():
    """Heap and direct memory after a full GC, open files, and the budget meters."""
    subprocess.run(["jcmd", str(PID), "GC.run"], capture_output=True, timeout=60)
    m = prometheus()
    return {
        "heap": metric(m, "jvm_memory_used_bytes", area="heap") / 2**20,
        "direct": metric(m, "jvm_buffer_memory_used_bytes", id="direct") / 2**20,
        "fds": len(os.listdir("/proc/%d/fd" % PID)),
        "m": m,
    }


def ooms():
    with open(LOG, errors="replace") as f:
        return f.read().count("OutOfMemoryError")


async def raw_connect(rcvbuf=None):
    loop = asyncio.get_running_loop()
    s = socket.socket()
    if rcvbuf:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
    s.setblocking(False)
    await loop.sock_connect(s, (HOST, PORT))
    return s


async def open_many(n, make, concurrency=200):
    sem = asyncio.Semaphore(concurrency)
    socks, failed = [], 0

    async def one():
        nonlocal failed
        async with sem:
            try:
                socks.append(await make())
            except OSError:
                failed += 1

    await asyncio.gather(*(one() for _ in range(n)))
    return socks, failed


def close_all(socks):
    for s in socks:
        try:
            s.close()
        except OSError:
            pass


# ---- the attacks: each returns (sockets to close after the snapshot, a one-line result) ----

async def attack_sse(stop, patient=False):
    loop = asyncio.get_running_loop()
    stream = b"GET /api/v1/stream HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n"

    async def never_reader():
        s = await raw_connect(rcvbuf=4096)
        await loop.sock_sendall(s, stream)
        return s

    async def patient_reader():
        """Reads only the answer's status line: on 503 waits its Retry-After and asks again, on 200 reads no more."""
        while time.monotonic() < stop:
            s = await raw_connect(rcvbuf=4096)
            await loop.sock_sendall(s, stream)
            head = b""
            while b"\r\n\r\n" not in head and len(head) < 4096:
                try:
                    part = await asyncio.wait_for(loop.sock_recv(s, 4096 - len(head)), max(1.0, stop - time.monotonic()))
                except asyncio.TimeoutError:
                    s.close()
                    raise OSError("no answer before the attack ended")
                if not part:
                    break
                head += part
            if head.startswith(b"HTTP/1.1 200"):
                return s
            s.close()
            after = re.search(rb"(?i)retry-after: *(\d+)", head)
            await asyncio.sleep(int(after.group(1)) if after else 1)
        raise OSError("not admitted before the attack ended")

    throttled = metric(prometheus(), "bantin_stream_throttled_total")  # the warm-up's are not the attack's
    if patient:
        # Opening all of them takes most of the attack: publishing starts at once, beside it.
        opening = asyncio.ensure_future(open_many(SSE_CLIENTS, patient_reader, concurrency=SSE_CLIENTS))
        socks, failed = [], 0
    else:
        socks, failed = await open_many(SSE_CLIENTS, never_reader)
    published, failures, took = 0, 0, []
    while time.monotonic() < stop:
        t0 = time.monotonic()
        try:
            status, _ = await loop.run_in_executor(None, publish, "Tin 20 KB số %d" % published, 20_000)
        except Exception:
            status = None
        took.append(time.monotonic() - t0)
        published += status == 201
        failures += status != 201
        await asyncio.sleep(0.3)
    if patient:
        socks, failed = await opening
    m = prometheus()
    drops = {r: int(metric(m, "bantin_stream_dropped_total", reason=r)) for r in ("events", "bytes", "total")}
    return socks, ("%d never-reading streams asked for (%d not connected or, patient, not admitted in time; %d streams open, %d refused as opening "
                   "too fast), %d bulletins of 20 KB published (%d failed, slowest %.1f s); dropped %s") % (
        len(socks), failed, metric(m, "bantin_stream_open"), metric(m, "bantin_stream_throttled_total") - throttled,
        published, failures, max(took), drops)


async def attack_slowloris(stop):
    loop = asyncio.get_running_loop()
    head = b"GET /api/v1/bulletins HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 10_000
    opened = closed = 0
    alive = {}

    async def reopen():
        nonlocal opened
        s = await raw_connect()
        opened += 1
        alive[s] = 0

    await asyncio.gather(*(reopen() for _ in range(SLOWLORIS)))
    longest = 0.0
    started = {s: time.monotonic() for s in alive}
    while time.monotonic() < stop:
        for s in list(alive):
            try:
                s.send(head[alive[s]:alive[s] + 1])
                alive[s] += 1
            except OSError:
                closed += 1
                longest = max(longest, time.monotonic() - started.pop(s, time.monotonic()))
                del alive[s]
                s.close()
                try:
                    await reopen()
                    started[list(alive)[-1]] = time.monotonic()
                except OSError:
                    pass
        await asyncio.sleep(5)  # one header byte every 5 s on each connection
    return list(alive), "%d connections sending a header byte every 5 s: %d cut off by the server (%d opened in all)" % (
        SLOWLORIS, closed, opened)


async def attack_idle(stop):
    socks, failed = await open_many(IDLE_FLOOD, raw_connect, concurrency=500)
    m = prometheus()
    while time.monotonic() < stop:
        await asyncio.sleep(1)
        m = prometheus()
    return socks, "%d idle connections opened (%d failed); server: %d open, closed %s" % (
        len(socks), failed, metric(m, "bantin_connections_open"),
        {r: int(metric(m, "bantin_connections_closed_total", reason=r)) for r in ("idle", "head", "evicted", "refused")})


async def attack_exports(stop):
    loop = asyncio.get_running_loop()
    statuses = {}
    stalled = []
    req = b"GET /api/v1/bulletins HTTP/1.1\r\nHost: x\r\nAccept: application/x-ndjson\r\n\r\n"

    async def reader():
        while time.monotonic() < stop:
            try:
                r, w = await asyncio.open_connection(HOST, PORT)
                w.write(req.replace(b"\r\n\r\n", b"\r\nConnection: close\r\n\r\n"))
                line = await r.readline()
                status = line.split()[1].decode() if line else "closed"
                while await r.read(65536):
                    pass
                w.close()
            except OSError:
                status = "error"
            statuses[status] = statuses.get(status, 0) + 1
            if status != "200":
                await asyncio.sleep(1)

    async def non_reader():
        while time.monotonic() < stop:
            try:
                s = await raw_connect(rcvbuf=4096)
                await loop.sock_sendall(s, req)
                stalled.append(s)
            except OSError:
                pass
            await asyncio.sleep(10)

    await asyncio.gather(*([reader() for _ in range(EXPORTS // 2)] + [non_reader() for _ in range(EXPORTS - EXPORTS // 2)]))
    m = prometheus()
    return stalled, "%d reading exports (answers %s) and %d never reading; refused %d, cut off %d" % (
        EXPORTS // 2, statuses, EXPORTS - EXPORTS // 2, metric(m, "bantin_exports_refused_total"),
        metric(m, "bantin_exports_cut_off_total"))


async def attack_tokens(stop):
    loop = asyncio.get_running_loop()
    counts = {}

    def wrong(i):
        try:
            status, _ = request("POST", "/api/v1/bulletins", b"{}",
                                {"Authorization": "Bearer wrong-%d" % i, "Content-Type": "application/json"})
        except Exception:
            status = "error"
        return status

    i = 0
    while time.monotonic() < stop:
        batch = await asyncio.gather(*(loop.run_in_executor(None, wrong, i + k) for k in range(20)))
        for status in batch:
            counts[status] = counts.get(status, 0) + 1
        i += 20
    return [], "%d wrong bearer tokens: %s" % (i, counts)


async def attack_body(stop):
    loop = asyncio.get_running_loop()
    sent_per_try = []
    chunk = b"10000\r\n" + b"x" * 65536 + b"\r\n"
    head = ("POST /api/v1/bulletins HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            "Authorization: Bearer %s\r\nTransfer-Encoding: chunked\r\n\r\n" % TOKEN).encode()

    async def pusher():
        while time.monotonic() < stop:
            sent = 0
            try:
                s = await raw_connect()
                await loop.sock_sendall(s, head)
                while sent < 50 * 2**20 and time.monotonic() < stop:
                    await asyncio.wait_for(loop.sock_sendall(s, chunk), 10)
                    sent += 65536
            except (OSError, asyncio.TimeoutError):
                pass
            s.close()
            sent_per_try.append(sent)

    await asyncio.gather(*(pusher() for _ in range(10)))
    return [], "%d chunked bodies of up to 50 MiB: the server took at most %.1f MiB of one (median %.1f), socket buffers included" % (
        len(sent_per_try), max(sent_per_try) / 2**20, sorted(sent_per_try)[len(sent_per_try) // 2] / 2**20)


async def attack_pipelining(stop):
    get = "GET /api/v1/bulletins?limit=1 HTTP/1.1\r\nHost: x\r\n"
    payload = (get + "\r\n" + get + "\r\n" + get + "Connection: close\r\n\r\n").encode()
    answered = {}
    while time.monotonic() < stop:
        try:
            r, w = await asyncio.open_connection(HOST, PORT)
            w.write(payload)
            data = await asyncio.wait_for(r.read(), 10)
            w.close()
            n = len(re.findall(rb"HTTP/1\.1 \d{3} ", data))
        except (OSError, asyncio.TimeoutError):
            n = -1
        answered[n] = answered.get(n, 0) + 1
    return [], "3 pipelined GETs, the last with Connection: close: answers per connection %s" % answered


async def warm_up():
    """A server in service is warm: opens and closes 1,500 streams in batches first, so the JIT has compiled
    the stream path before the first attack (cold, 3,000 stream openings took 24 s of a loaded machine)."""
    loop = asyncio.get_running_loop()
    for _ in range(5):
        async def reader():
            s = await raw_connect()
            await loop.sock_sendall(s, b"GET /api/v1/stream HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n")
            return s
        socks, _ = await open_many(300, reader)
        await asyncio.sleep(3)
        close_all(socks)
    await asyncio.sleep(3)


ATTACKS = {"sse": attack_sse, "sse-retry": lambda stop: attack_sse(stop, patient=True), "slowloris": attack_slowloris, "idle": attack_idle, "exports": attack_exports,
           "tokens": attack_tokens, "body": attack_body, "pipelining": attack_pipelining}


def recovery(prober, since):
    """Seconds from `since` until five polite answers in a row came back 200 within a second."""
    deadline = since + 60
    while time.monotonic() < deadline:
        good = 0
        for s in prober.window(since, time.monotonic()):
            good = good + 1 if s[3] and s[2] < 1 else 0
            if good == 5:
                return s[0] + s[2] - since
        time.sleep(0.2)
    return float("inf")


def main():
    names = sys.argv[5:] or list(ATTACKS)
    for i in range(20):
        publish("Tin lịch sự số %d" % i)
    _, data = request("GET", "/api/v1/bulletins?limit=1")
    slug = json.loads(data)["items"][0]["slug"]
    asyncio.run(warm_up())
    prober = Prober(slug)
    prober.start()
    time.sleep(3)
    idle = snapshot()
    print("| attack | what the attackers got | polite probes (errors) | p99 bulletin | p99 rss.xml "
          "| heap after GC | direct memory | open files | OutOfMemoryError | back to normal after |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    print("| none (idle) | | %d (%d) | %.3f s | %.3f s | %.1f MiB | %.1f MiB | %d | %d | |" % (
        len(prober.samples), sum(1 for s in prober.samples if not s[3]),
        p99([s[2] for s in prober.samples if s[1] != "/feeds/rss.xml"]),
        p99([s[2] for s in prober.samples if s[1] == "/feeds/rss.xml"]), idle["heap"], idle["direct"], idle["fds"], ooms()))
    sys.stdout.flush()
    for name in names:
        start = time.monotonic()
        socks, result = asyncio.run(ATTACKS[name](start + SECONDS))
        during = snapshot()  # with the attackers' connections still open
        end = time.monotonic()
        close_all(socks)
        back = recovery(prober, end)
        probes = prober.window(start, end)
        errors = sum(1 for s in probes if not s[3])
        slow = ["%.0f s" % (s[0] - start) for s in probes if not s[3] or s[2] >= 1]
        if slow:
            print("<!-- %s: polite probes failed or over 1 s at %s into the attack -->" % (name, ", ".join(slow)))
        print("| %s | %s | %d (%d) | %.3f s | %.3f s | %.1f MiB | %.1f MiB | %d | %d | %.1f s |" % (
            name, result, len(probes), errors,
            p99([s[2] for s in probes if s[1] != "/feeds/rss.xml"]),
            p99([s[2] for s in probes if s[1] == "/feeds/rss.xml"]),
            during["heap"], during["direct"], during["fds"], ooms(), back))
        sys.stdout.flush()
        time.sleep(3)
    prober.stop()
    after = snapshot()
    print("\nAfter all attacks: heap after GC %.1f MiB, direct %.1f MiB, open files %d, OutOfMemoryError %d." % (
        after["heap"], after["direct"], after["fds"], ooms()))


if __name__ == "__main__":
    main()
