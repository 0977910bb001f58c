vcl 4.1;
# Varnish in front of Bantin: caches what Bantin marks cacheable (Cache-Control: public), tags each object
# with its Surrogate-Key scopes (xkey), and lets Bantin soft-purge by scope after every change. Streams and
# writes pass straight through. The backend address is filled in by topology.sh.
#
# Freshness: each purge carries the newest change it covers (Bantin-Seq). Every fetch tells the backend the
# newest one purged so far (Bantin-Purged-Seq); the instance waits until it has delivered it, and its answer
# says which change it includes (Bantin-Seq). An answer older than the newest purge (from an instance still
# behind, or a fetch that began before the purge) is passed on but never stored.

import std;
import var;
import xkey;

backend bantin {
    .host = "127.0.0.1";
    .port = "@BACKEND_PORT@";
    .connect_timeout = 2s;
    .first_byte_timeout = 30s;
    .probe = {
        .url = "/actuator/health/readiness";
        .interval = 2s;
        .timeout = 1s;
        .window = 3;
        .threshold = 2;
    }
}

# Who may purge: Bantin's instances (loopback here).
acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    unset req.http.Bantin-Purged-Seq; # only this VCL sets it, on fetches
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(403, "Forbidden"));
        }
        # Kept before the purge, so a fetch the purge makes necessary already asks for this change. Purges of a
        # node come one at a time, in log order (Bantin holds the node's log position while it purges).
        if (std.integer(s = req.http.Bantin-Seq, fallback = 0) > std.integer(s = var.global_get("purged-seq"), fallback = 0)) {
            var.global_set("purged-seq", "" + std.integer(s = req.http.Bantin-Seq, fallback = 0));
        }
        # Soft purge: objects expire but stay for grace and revalidation (their ETag makes that a 304).
        set req.http.n-gone = xkey.softpurge(req.http.xkey-softpurge);
        return (synth(200, "Soft-purged " + req.http.n-gone));
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # Live streams are held by Bantin or Pushpin, never cached or buffered; credentials see drafts.
    if (req.url ~ "^/api/v1/stream" || req.http.Authorization || req.url ~ "^/actuator/") {
        return (pass);
    }
    # With a healthy backend a purged object is revalidated at once, so readers never see a stale answer
    # after a change; when the backend is down, or failed this request (restarted from
    # vcl_synth), stale-if-error keeps serving the last copy.
    if (req.restarts > 0) {
        set req.grace = 1d; # a restart keeps what the first pass set
    } elsif (std.healthy(req.backend_hint)) {
        set req.grace = 0s;
    }
    unset req.http.Cookie;
    return (hash);
}

sub vcl_backend_fetch {
    if (bereq.method == "GET" || bereq.method == "HEAD") {
        set bereq.http.Bantin-Purged-Seq = std.integer(s = var.global_get("purged-seq"), fallback = 0);
    }
}

sub vcl_backend_response {
    # A failed fetch stores nothing. One that revalidates a stale copy (Varnish sends the conditional headers
    # only then, on a cacheable fetch) is abandoned, which keeps that copy: vcl_synth then serves it.
    if (beresp.status >= 500) {
        if (bereq.is_bgfetch || (!bereq.uncacheable && (bereq.http.If-None-Match || bereq.http.If-Modified-Since))) {
            return (abandon);
        }
        set beresp.ttl = 0s;
        set beresp.uncacheable = true;
        return (deliver);
    }
    # Read now, not when the fetch began: a purge that landed meanwhile counts.
    if (beresp.http.Bantin-Seq &&
            std.integer(s = beresp.http.Bantin-Seq, fallback = 0) < std.integer(s = var.global_get("purged-seq"), fallback = 0)) {
        set beresp.ttl = 0s;
        set beresp.uncacheable = true;
        return (deliver);
    }
    if (beresp.http.Surrogate-Key) {
        set beresp.http.xkey = beresp.http.Surrogate-Key;
    }
    # Keep objects long: purges, not TTLs, decide freshness; max-age still bounds what browsers hold.
    if (beresp.http.Cache-Control ~ "public" && beresp.status == 200) {
        set beresp.ttl = 1h;
        set beresp.grace = 1d;
        set beresp.keep = 1d;
    }
    if (bereq.url ~ "^/api/v1/stream") {
        set beresp.do_stream = true;
        set beresp.uncacheable = true;
    }
    return (deliver);
}

sub vcl_backend_error {
    # No answer at all while revalidating a stale copy: keep that copy (see vcl_synth).
    if (bereq.is_bgfetch || (!bereq.uncacheable && (bereq.http.If-None-Match || bereq.http.If-Modified-Since))) {
        return (abandon);
    }
}

sub vcl_deliver {
    unset resp.http.xkey;
    unset resp.http.Bantin-Seq;
    if (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
}

sub vcl_synth {
    # stale-if-error: the fetch that revalidated a stale copy failed; once more with grace serves that copy.
    if (resp.status >= 500 && req.restarts == 0 && (req.method == "GET" || req.method == "HEAD")) {
        return (restart);
    }
}
