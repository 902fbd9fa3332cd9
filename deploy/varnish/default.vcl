# Varnish in front of the app servers (Debian's varnish 7.1; `varnishd -f deploy/varnish/default.vcl`).
#
# It keeps exactly what the app's page cache keeps (core/page_cache.py): responses marked `Surrogate-Control:
# max-age=N` (anonymous readers' pages: no session, no cookie set, no CSRF token, no CSP nonce), plus static files by
# their own Cache-Control. Everything else passes through. The app purges with HTTP PURGE
# (wagtail.contrib.frontend_cache, WAGTAILFRONTENDCACHE in settings) the path of each page a change shows; here a
# PURGE bans every cached variant of that path (query strings: filters, pagination), and a PURGE of "/*" bans all.
vcl 4.1;

import std;

# The app server(s); several go behind a director (vmod directors) or a load balancer.
backend default {
    .host = "127.0.0.1";
    .port = "8000";
}

# Who may purge: the app servers and the task workers (a purge is a background task on the "default" queue).
acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(405, "Not allowed"));
        }
        if (req.url == "/*") {
            ban("obj.status != 0");
        } else {
            ban("obj.http.x-page-path == " + regsub(req.url, "\?.*$", ""));
        }
        return (synth(200, "Purged"));
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    if (req.url ~ "^/admin/" || req.http.Authorization || req.http.Cookie ~ "(^|;\s*)(sessionid|messages)=") {
        return (pass);
    }
    # A session or a message waiting to be shown (after a form) makes the page the reader's own, passed above;
    # an anonymous reader's other cookies (CSRF, analytics) do not change a kept page: one copy serves everyone.
    unset req.http.Cookie;
    return (hash);
}

sub vcl_backend_response {
    if (beresp.http.Surrogate-Control ~ "max-age=[0-9]+") {
        set beresp.ttl = std.duration(regsub(beresp.http.Surrogate-Control, "^.*max-age=([0-9]+).*$", "\1s"), 0s);
        set beresp.grace = 10s;
        # What a PURGE of the path matches (lurker-friendly: bans test the object, not the request).
        set beresp.http.x-page-path = regsub(bereq.url, "\?.*$", "");
        unset beresp.http.Surrogate-Control;
        return (deliver);
    }
    if (bereq.url ~ "^/static/") {
        return (deliver);
    }
    # Not marked by the app: never shared (a form, a signed-in user's page, search results, a 404).
    set beresp.uncacheable = true;
    set beresp.ttl = 120s;
    return (deliver);
}

sub vcl_deliver {
    unset resp.http.x-page-path;
    if (obj.hits > 0) {
        set resp.http.X-Cache = "hit";
    } else {
        set resp.http.X-Cache = "miss";
    }
}
