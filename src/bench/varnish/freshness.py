#!/usr/bin/env python3
"""Varnish freshness through the public door: after each publish, how long until the feed and the JSON list
served through Varnish show it (and whether the very first read after the 201 already did); how long the 201
took (the writer now waits for its purge); whether another category's feed stays a HIT; whether streams and
writes pass. Usage: freshness.py <door url> <token> <publishes>"""
import json, sys, threading, time, urllib.request, uuid

door, token, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
run = uuid.uuid4().hex[:6]


def get(path, headers=None):
    req = urllib.request.Request(door + path, headers=headers or {})
    with urllib.request.urlopen(req, timeout=10) as resp:
        return resp.status, resp.headers, resp.read().decode()


def publish(title, category):
    body = json.dumps({"title": title, "summary": "Bench.", "category": category, "author": "Ban biên tập"}).encode()
    req = urllib.request.Request(door + "/api/v1/bulletins", data=body, method="POST", headers={
        "Authorization": "Bearer " + token, "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=10) as resp:
        return resp.status, resp.headers


def until_fresh(path, title, limit=5.0):
    """(milliseconds from now until `path` through the door contains `title`, polling every 2 ms; None past
    `limit`, whether the first read already did)."""
    t0 = time.monotonic()
    first = True
    while time.monotonic() - t0 < limit:
        if title in get(path)[2]:
            return (time.monotonic() - t0) * 1000, first
        first = False
        time.sleep(0.002)
    return None, False


def pct(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


cat_a, cat_b = "Varnish A " + run, "Varnish B " + run
slug_a, slug_b = "varnish-a-" + run, "varnish-b-" + run
publish("B warm " + run, cat_b)
publish("A warm " + run, cat_a)
feed_a, feed_b = f"/feeds/categories/{slug_a}/rss.xml", f"/feeds/categories/{slug_b}/rss.xml"
list_a = f"/api/v1/bulletins?category={slug_a}&limit=5"
for path in (feed_a, feed_b, list_a):
    get(path), get(path)
print(f"before: {feed_b} X-Cache={get(feed_b)[1].get('X-Cache')}, Surrogate-Key={get(feed_b)[1].get('Surrogate-Key')}")

feed_ms, list_ms, write_ms, b_states, write_cache, stale = [], [], [], [], set(), 0
first_stale = 0
for i in range(count):
    title = f"Varnish bench {run} {i}"
    t0 = time.monotonic()
    status, headers = publish(title, cat_a)
    write_ms.append((time.monotonic() - t0) * 1000)
    assert status == 201, status
    write_cache.add(headers.get("X-Cache"))
    f, f_first = until_fresh(feed_a, title)
    l, l_first = until_fresh(list_a, title)
    first_stale += (not f_first) + (not l_first)
    if f is None or l is None:
        stale += 1
    else:
        feed_ms.append(f)
        list_ms.append(l)
    b_states.append(get(feed_b)[1].get("X-Cache"))
    time.sleep(0.1)

# A stream through the door sees a publish made after it opened: it passed straight through.
seen = threading.Event()
def listen():
    req = urllib.request.Request(door + "/api/v1/stream", headers={"Accept": "text/event-stream"})
    with urllib.request.urlopen(req, timeout=15) as resp:
        for line in resp:
            if ("stream " + run).encode() in line:
                seen.set()
                return
threading.Thread(target=listen, daemon=True).start()
time.sleep(1.0)
publish("Varnish stream " + run, cat_a)
streamed = seen.wait(10)

print(f"publishes: {count}, not fresh within 5 s: {stale}, first read after the 201 stale: {first_stale} of {2 * count}")
print(f"201 after the POST was sent (ms): p50 {pct(write_ms, 50):.1f}  p99 {pct(write_ms, 99):.1f}  max {max(write_ms):.1f}")
if feed_ms:
    print(f"feed fresh after 201 (ms): p50 {pct(feed_ms, 50):.1f}  p99 {pct(feed_ms, 99):.1f}  max {max(feed_ms):.1f}")
    print(f"list fresh after feed (ms): p50 {pct(list_ms, 50):.1f}  p99 {pct(list_ms, 99):.1f}  max {max(list_ms):.1f}")
hits = sum(1 for s in b_states if s == "HIT")
print(f"category B feed while A changed: {hits}/{len(b_states)} HIT")
print(f"writes through the door: X-Cache {sorted(str(w) for w in write_cache)} (Varnish passes them)")
print(f"stream through the door got an event published after it opened: {streamed}")
