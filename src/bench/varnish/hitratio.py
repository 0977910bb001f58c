#!/usr/bin/env python3
"""Varnish hit ratio under a polling load through the public door: warms a realistic set of URLs (site feeds,
per-category feeds, JSON lists, pages, single bulletins), then has `threads` pollers GET them (weighted to the
front of the list, as readers poll the main feeds most) while a bulletin is published every `every` GETs, and
reads Varnish's MAIN.cache_hit / MAIN.cache_miss (varnishstat -n <dir>) before and after.
Usage: hitratio.py <door url> <token> <varnish dir> [gets=20000] [every=2500] [threads=8]"""
import json, os, random, subprocess, sys, threading, time, urllib.request, uuid

door, token, vdir = sys.argv[1], sys.argv[2], os.path.abspath(sys.argv[3])  # varnishstat wants -n absolute
gets = int(sys.argv[4]) if len(sys.argv) > 4 else 20000
every = int(sys.argv[5]) if len(sys.argv) > 5 else 2500
threads = int(sys.argv[6]) if len(sys.argv) > 6 else 8
run = uuid.uuid4().hex[:6]


def get(path):
    with urllib.request.urlopen(door + path, timeout=10) as resp:
        resp.read()
        return resp.status


def publish(title, category):
    body = json.dumps({"title": title, "summary": "Bench.", "category": category, "author": "Ban biên tập"}).encode()
    req = urllib.request.Request(door + "/api/v1/bulletins", data=body, method="POST", headers={
        "Authorization": "Bearer " + token, "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=10) as resp:
        return json.loads(resp.read())


def stat():
    out = subprocess.run(["varnishstat", "-n", vdir, "-1", "-f", "MAIN.cache_hit", "-f", "MAIN.cache_miss"],
                         check=True, capture_output=True, text=True).stdout
    return {line.split()[0]: int(line.split()[1]) for line in out.splitlines() if line.startswith("MAIN.")}


categories = [f"Hit {c} {run}" for c in range(6)]
paths = ["/feeds/rss.xml", "/feeds/atom.xml", "/feeds/feed.json", "/", "/api/v1/bulletins?limit=20", "/api/v1/categories"]
for category in categories:
    b = publish(f"Hit first {category}", category)
    slug = b["category"]["slug"]
    paths += [f"/feeds/categories/{slug}/rss.xml", f"/feeds/categories/{slug}/feed.json",
              f"/api/v1/bulletins?category={slug}&limit=10", f"/categories/{slug}", f"/bulletins/{b['slug']}",
              f"/api/v1/bulletins/{b['id']}"]
for path in paths:
    get(path)

before = stat()
done, errors, lock = [0], [0], threading.Lock()


def poll(seed):
    rnd = random.Random(seed)
    while True:
        with lock:
            if done[0] >= gets:
                return
            done[0] += 1
        path = paths[min(len(paths) - 1, int(abs(rnd.gauss(0, len(paths) / 3))))]
        try:
            if get(path) != 200:
                errors[0] += 1
        except Exception:
            errors[0] += 1


t0 = time.monotonic()
pollers = [threading.Thread(target=poll, args=(t,)) for t in range(threads)]
for p in pollers:
    p.start()
published = 0
while any(p.is_alive() for p in pollers):
    if done[0] >= (published + 1) * every:
        publish(f"Hit {published} {run}", categories[published % len(categories)])
        published += 1
    time.sleep(0.005)
elapsed = time.monotonic() - t0
after = stat()
hits = after["MAIN.cache_hit"] - before["MAIN.cache_hit"]
misses = after["MAIN.cache_miss"] - before["MAIN.cache_miss"]
print(f"polling load: {gets} GETs over {len(paths)} URLs by {threads} pollers in {elapsed:.1f} s "
      f"({gets / elapsed:.0f}/s), {published} publishes (one every {every} GETs), errors {errors[0]}")
print(f"varnish: {hits} hits, {misses} misses: hit ratio {100.0 * hits / max(1, hits + misses):.2f} %")
