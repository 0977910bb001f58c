vcl 4.1;
# Varnish in front of Bantin: caches what Bantin marks cacheable (Cache-Control: public), tags each object
# with its Surrogate-Key scopes (xkey), and lets Bantin soft-purge by scope after every change. Streams and
# writes pass straight through. The backend address is filled in by topology.sh.

import std;
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
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(403, "Forbidden"));
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
    # after a change; when the backend is down, stale-if-error keeps serving the last copy.
    if (std.healthy(req.backend_hint)) {
        set req.grace = 0s;
    }
    unset req.http.Cookie;
    return (hash);
}

sub vcl_backend_response {
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

sub vcl_deliver {
    unset resp.http.xkey;
    if (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
}
