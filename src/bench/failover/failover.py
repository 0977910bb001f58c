#!/usr/bin/env python3
"""Failover under load through the public door: SSE clients resuming with Last-Event-ID, a writer posting every
~100 ms; after a while one instance is killed with SIGKILL (or, with FAILOVER_SIGNAL=TERM, stopped
gracefully: it should drain with no failed request at all). Then: every acknowledged (201) write must be in the
database and in every stream, every stream's event ids must run without a gap or a repeat, and the failed
requests are listed with their time relative to the kill.
Usage: failover.py <door url> <token> <pid file to kill> <database> <streams> <seconds before kill> <seconds after>"""
import json, os, signal, subprocess, sys, threading, time, urllib.error, urllib.request

door, token, pid_file, db = sys.argv[1:5]
streams, before, after = int(sys.argv[5]), float(sys.argv[6]), float(sys.argv[7])
stop = threading.Event()
t_start = time.monotonic()
killed_at = [None]


def now():
    return time.monotonic() - t_start


class Stream(threading.Thread):
    def __init__(self, n):
        super().__init__(daemon=True)
        self.n, self.ids, self.bulletins, self.reconnects, self.last = n, [], set(), 0, None

    def run(self):
        while not stop.is_set():
            headers = {"Accept": "text/event-stream"}
            if self.last is not None:
                headers["Last-Event-ID"] = self.last
            try:
                req = urllib.request.Request(door + "/api/v1/stream", headers=headers)
                with urllib.request.urlopen(req, timeout=20) as resp:
                    event_id = None
                    for raw in resp:
                        line = raw.decode().rstrip("\n")
                        if line.startswith("id:"):
                            event_id = line[3:].strip()
                        elif line.startswith("data:") and event_id is not None:
                            try:
                                data = json.loads(line[5:])
                            except ValueError:
                                data = {}
                            self.ids.append(int(event_id))
                            self.last = event_id
                            if isinstance(data, dict) and "id" in data:
                                self.bulletins.add(data["id"])
                            event_id = None
                        if stop.is_set():
                            return
            except Exception:
                pass
            if not stop.is_set():
                self.reconnects += 1
                time.sleep(0.2)


acked, failures = [], []
writing = threading.Event()
writing.set()
def writer():
    i = 0
    while writing.is_set():
        i += 1
        body = json.dumps({"title": f"Failover {i}", "summary": "Bench.", "category": "Failover",
                           "author": "Ban biên tập"}).encode()
        req = urllib.request.Request(door + "/api/v1/bulletins", data=body, method="POST", headers={
            "Authorization": "Bearer " + token, "Content-Type": "application/json"})
        t = now()
        try:
            with urllib.request.urlopen(req, timeout=10) as resp:
                acked.append(json.loads(resp.read())["id"])
        except urllib.error.HTTPError as e:
            failures.append((t, e.code))
        except Exception as e:
            failures.append((t, type(e).__name__))
        time.sleep(0.1)


clients = [Stream(n) for n in range(streams)]
for c in clients:
    c.start()
time.sleep(2)
w = threading.Thread(target=writer, daemon=True)
w.start()
time.sleep(before)
pid = int(open(pid_file).read())
sig = getattr(signal, "SIG" + os.environ.get("FAILOVER_SIGNAL", "KILL"))
os.kill(pid, sig)
killed_at[0] = now()
print(f"sent {sig.name} to instance pid {pid} at t={killed_at[0]:.1f}s with {len(acked)} writes acknowledged so far")
time.sleep(after)
stop_writes = now()
writing.clear()
w.join()
# Streams go on until they hold every acknowledged write (at most 15 s more).
deadline = time.monotonic() + 15
while time.monotonic() < deadline and not all(set(acked) <= c.bulletins for c in clients):
    time.sleep(0.1)
print(f"streams held every acknowledged write {now() - stop_writes:.1f}s after the last write (or gave up at 15 s)")
stop.set()

ids_in_db = set(subprocess.run(["psql", "-X", "-At", "-h", "127.0.0.1", "-U", "postgres", "-d", db, "-c",
                                "SELECT id FROM bulletins"], capture_output=True, text=True).stdout.split())
lost = [a for a in acked if a not in ids_in_db]
print(f"writes: {len(acked)} acknowledged (201), {len(failures)} failed; acknowledged but not in the database: {len(lost)}")
for t, what in failures:
    print(f"  failed write at t={t:.2f}s ({t - killed_at[0]:+.2f}s from the kill): {what}")
ok = not lost
for c in clients:
    missing = [i for i, a in enumerate(acked) if a not in c.bulletins]
    repeats = len(c.ids) - len(set(c.ids))
    gaps = [(a, b) for a, b in zip(c.ids, c.ids[1:]) if b != a + 1]
    print(f"stream {c.n}: {len(c.ids)} events, {c.reconnects} reconnects, acknowledged writes missing: {len(missing)} {missing[:5]},"
          f" repeats: {repeats}, gaps in ids: {len(gaps)}")
    ok = ok and not missing and not repeats and not gaps
print("RESULT:", "no acknowledged write lost, streams whole" if ok else "FAILED")
sys.exit(0 if ok else 1)
