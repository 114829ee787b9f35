#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# A registry that lies, for tests/system/110-registry.bats: serves on
# 127.0.0.1:PORT (argv[1]) one repository a way to be wrong, tag 1 each:
#   bad/json   a manifest that is not JSON
#   bad/v1     Docker's v1 schema
#   bad/list   a manifest list whose entry's digest is a path, not hex
#   bad/big    a manifest of 5 MiB
#   bad/count  a manifest of two layers whose config lists one diff_id
# bad/token, whose token service answers a token with a line break in it,
# and bad/realm, whose challenge names a file:// realm;
# a catalog in two pages, the second naming itself as the next, and page/a's
# tags in one page naming a next page on another host (neither followed);
# and, for push, leak/*: wants basic auth, then names an upload URL on
# another host name (localhost) whose requests are logged to argv[2] with
# whether they carried credentials.
import hashlib, http.server, json, sys

V2 = "application/vnd.docker.distribution.manifest.v2+json"
LIST = "application/vnd.docker.distribution.manifest.list.v2+json"
config = json.dumps({"architecture": "amd64", "os": "linux",
                     "rootfs": {"type": "layers", "diff_ids": ["sha256:" + "0" * 64]}}).encode()
config_digest = "sha256:" + hashlib.sha256(config).hexdigest()
blobs = {config_digest: config}

def manifest(layers):
    return json.dumps({"schemaVersion": 2, "mediaType": V2,
                       "config": {"mediaType": "application/vnd.docker.container.image.v1+json",
                                  "digest": config_digest, "size": len(config)},
                       "layers": [{"mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip",
                                   "digest": "sha256:" + ("%064x" % i), "size": 10} for i in range(layers)]}).encode()

manifests = {
    "bad/json": (V2, b"{not json"),
    "bad/v1": ("application/vnd.docker.distribution.manifest.v1+prettyjws",
               json.dumps({"schemaVersion": 1, "name": "bad/v1", "tag": "1", "fsLayers": []}).encode()),
    "bad/list": (LIST, json.dumps({"schemaVersion": 2, "mediaType": LIST, "manifests": [
        {"mediaType": V2, "digest": "sha256:" + "../" * 21 + "x", "size": 10,
         "platform": {"architecture": "amd64", "os": "linux"}}]}).encode()),
    "bad/big": (V2, b" " * (5 << 20)),
    "bad/count": (V2, manifest(2)),
}

class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def send(self, code, ctype, body):
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        if self.path.startswith("/v2/leak/"):
            return self.leak()
        path = self.path[len("/v2/"):] if self.path.startswith("/v2/") else None
        if path == "":
            return self.send(200, "application/json", b"{}")
        pages = {"_catalog?n=1000": ({"repositories": ["bad/json", "page/a"]},
                                     "/v2/_catalog?last=page%2Fa&n=1000"),
                 "_catalog?last=page%2Fa&n=1000": ({"repositories": ["page/b"]},
                                                   "/v2/_catalog?last=page%2Fa&n=1000"),
                 "page/a/tags/list": ({"name": "page/a", "tags": ["1"]},
                                      "http://elsewhere.invalid/v2/page/a/tags/list?last=1")}
        if path == "bad/token/manifests/1" or path == "bad/realm/manifests/1":
            realm = ("http://127.0.0.1:%s/token" % sys.argv[1] if "token" in path
                     else "file:///etc/passwd")
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Bearer realm="%s",service="x"' % realm)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if self.path.startswith("/token"):
            return self.send(200, "application/json",
                             json.dumps({"token": "abc\r\nX-Injected: 1"}).encode())
        if path in pages:
            body, nxt = pages[path]
            data = json.dumps(body).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Link", '<%s>; rel="next"' % nxt)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            return self.wfile.write(data)
        for repo, (ctype, body) in manifests.items():
            if path == repo + "/manifests/1":
                return self.send(200, ctype, body)
            if path and path.startswith(repo + "/blobs/") and path[len(repo) + 7:] in blobs:
                return self.send(200, "application/octet-stream", blobs[path[len(repo) + 7:]])
        self.send(404, "application/json", b'{"errors":[{"code":"MANIFEST_UNKNOWN"}]}')

    def leak(self):
        auth = "auth" if self.headers.get("Authorization") else "none"
        n = int(self.headers.get("Content-Length") or 0)
        if n:
            self.rfile.read(n)
        with open(sys.argv[2] if len(sys.argv) > 2 else "/dev/null", "a") as f:
            f.write("%s %s %s %s\n" % (self.command, self.headers.get("Host"), self.path, auth))
        if self.headers.get("Host", "").startswith("localhost"):
            self.send_response(201)
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif auth == "none":
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Basic realm="leak"')
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif self.command == "HEAD":
            self.send(404, "application/json", b"")
        elif self.command == "POST":
            self.send_response(202)
            self.send_header("Location", "http://localhost:%s/upload/x" % sys.argv[1])
            self.send_header("Content-Length", "0")
            self.end_headers()
        else:
            self.send(201, "application/json", b"")

    def do_HEAD(self):
        self.leak()

    def do_POST(self):
        self.leak()

    def do_PUT(self):
        self.leak()

http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
