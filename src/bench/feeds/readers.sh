#!/usr/bin/env bash
# What a real feed reader finds in Bantin's feeds: python3-feedparser (Debian package) reads RSS, Atom and
# JSON Feed from a running server, prints each first entry's photo as a reader takes it (media:thumbnail,
# media:content, enclosure; JSON Feed image/attachments), then walks "next" links back to the oldest entry.
# Then sfeed (its enclosure column, the only photo it reads) and newsboat (what `-x reload` stores as each
# item's enclosure, and the content's first <img>), when installed (Debian packages sfeed, newsboat).
# Usage: src/bench/feeds/readers.sh [BASE_URL]   (default http://127.0.0.1:8080)
set -euo pipefail
BASE="${1:-http://127.0.0.1:8080}"
command -v /usr/bin/python3 >/dev/null && /usr/bin/python3 -c 'import feedparser' 2>/dev/null || {
  echo "needs Debian's python3-feedparser (apt-get install python3-feedparser)" >&2; exit 1; }

/usr/bin/python3 - "$BASE" <<'PY'
import json, sys, urllib.request
import feedparser

base = sys.argv[1]

def get(url):
    with urllib.request.urlopen(url, timeout=30) as r:
        return r.read()

for fmt in ("rss.xml", "atom.xml"):
    url = f"{base}/feeds/{fmt}?limit=2"
    feed = feedparser.parse(get(url))
    e = feed.entries[0]
    photo = (e.get("media_thumbnail") or [{}])[0].get("url")
    content = (e.get("media_content") or [{}])[0]
    enclosures = [(x.get("href"), x.get("type"), x.get("length")) for x in e.get("enclosures", [])]
    print(f"{fmt}: {feed.version}; first entry {e.title!r}")
    print(f"  media_thumbnail {photo}")
    print(f"  media_content   {content.get('url')} ({content.get('type')}, {content.get('medium')})")
    print(f"  enclosures      {enclosures}")
    seen, pages = 0, 0
    while url:
        feed = feedparser.parse(get(url))
        seen += len(feed.entries)
        pages += 1
        url = next((l.href for l in feed.feed.get("links", []) if l.get("rel") == "next"), None)
    print(f"  walked {pages} pages of 2 through next links: {seen} entries")

doc = json.loads(get(f"{base}/feeds/feed.json?limit=2"))
item = doc["items"][0]
print(f"feed.json: first item {item['title']!r}")
print(f"  image        {item.get('image')}")
print(f"  attachments  {[(a['url'], a['mime_type'], a.get('title')) for a in item.get('attachments', [])]}")
seen, pages, url = 0, 0, f"{base}/feeds/feed.json?limit=2"
while url:
    doc = json.loads(get(url))
    seen += len(doc["items"])
    pages += 1
    url = doc.get("next_url")
print(f"  walked {pages} pages of 2 through next_url: {seen} items")
PY

# sfeed: reads RSS/Atom on stdin, one TSV line per item; column 8 is the enclosure.
if command -v sfeed >/dev/null; then
  for fmt in rss.xml atom.xml; do
    echo "sfeed $fmt: title | enclosure"
    /usr/bin/python3 -c 'import sys,urllib.request; sys.stdout.buffer.write(urllib.request.urlopen(sys.argv[1], timeout=30).read())' \
        "$BASE/feeds/$fmt" | sfeed | awk -F'\t' '{ printf "  %s | %s\n", $2, ($8 == "" ? "(none)" : $8) }'
  done
else
  echo "sfeed not installed (apt-get install sfeed): skipped"
fi

# newsboat: reloads the feeds into its cache without a terminal, then the cache says what it took as each photo.
if command -v newsboat >/dev/null; then
  dir=$(mktemp -d)
  trap 'rm -rf "$dir"' EXIT
  printf '%s\n' "$BASE/feeds/rss.xml" "$BASE/feeds/atom.xml" > "$dir/urls"
  : > "$dir/config"
  newsboat -u "$dir/urls" -c "$dir/cache.db" -C "$dir/config" -x reload >/dev/null 2>&1
  /usr/bin/python3 - "$dir/cache.db" <<'PY'
import re, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
# Newsboat keeps an enclosure only of a podcast type (audio/video) up to 2.2x; the photo it shows is then the
# <img> of the content, listed as "[image N (link #M)]" under the article.
for feed, title, url, kind, content in db.execute(
        "SELECT feedurl, title, enclosure_url, enclosure_type, content FROM rss_item ORDER BY feedurl, pubDate DESC"):
    img = re.search(r'<img[^>]*src="([^"]+)"', content or "")
    print(f"newsboat {feed.rsplit('/', 1)[-1]}: {title} | enclosure {url or '(none)'} {kind or ''}"
          f"| content img {img.group(1) if img else '(none)'}")
PY
else
  echo "newsboat not installed (apt-get install newsboat): skipped"
fi
