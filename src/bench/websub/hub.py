"""A stand-in WebSub hub for src/bench/websub/run.sh: logs each publish ping when it arrives and when it is
answered (204). While the file named by argv[3] exists it waits 5 s before answering, as a slow hub would."""
import http.server
import os
import sys
import time
import urllib.parse

PORT, LOG, SLOW = int(sys.argv[1]), sys.argv[2], sys.argv[3]


def record(what, topic):
    with open(LOG, "a") as f:
        f.write(f"{time.time():.3f} {what} {topic}\n")


class Hub(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
        topic = urllib.parse.parse_qs(body).get("hub.url", [""])[0]
        record("received", topic)
        if os.path.exists(SLOW):
            time.sleep(5)
        self.send_response(204)
        self.end_headers()
        record("answered", topic)

    def log_message(self, *args):
        pass


http.server.ThreadingHTTPServer(("127.0.0.1", PORT), Hub).serve_forever()
