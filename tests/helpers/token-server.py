#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# A registry token service (the Docker token protocol distribution's
# `auth: token:` speaks) for the tests: GET /token?service=S&scope=... with
# basic auth USER:PASS answers {"token": JWT}, the JWT signed RS256 with
# KEY (by openssl) and carrying CERT in x5c, granting the scopes asked.
# Wrong or no credentials: 401. Every request is logged to LOG.
# usage: token-server.py PORT KEY CERT ISSUER USER:PASS LOG
import base64, http.server, json, subprocess, sys, time, urllib.parse, uuid

port, key, cert, issuer, creds, logpath = sys.argv[1:7]


def b64(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def der_of(pem_path):
    out = subprocess.run(["openssl", "x509", "-in", pem_path, "-outform", "DER"],
                         check=True, capture_output=True).stdout
    return base64.b64encode(out).decode()


X5C = der_of(cert)


def sign(payload):
    return subprocess.run(["openssl", "dgst", "-sha256", "-sign", key], input=payload,
                          check=True, capture_output=True).stdout


def token(service, scopes, user):
    access = []
    for sc in scopes:
        parts = sc.split(":")
        if len(parts) == 3:
            access.append({"type": parts[0], "name": parts[1], "actions": parts[2].split(",")})
    now = int(time.time())
    header = {"typ": "JWT", "alg": "RS256", "x5c": [X5C]}
    claims = {"iss": issuer, "sub": user, "aud": service, "exp": now + 600, "nbf": now - 10,
              "iat": now, "jti": uuid.uuid4().hex, "access": access}
    head = b64(json.dumps(header).encode()) + "." + b64(json.dumps(claims).encode())
    return head + "." + b64(sign(head.encode()))


class H(http.server.BaseHTTPRequestHandler):
    def log_message(self, *a):
        pass

    def do_GET(self):
        u = urllib.parse.urlparse(self.path)
        q = urllib.parse.parse_qs(u.query)
        auth = self.headers.get("Authorization", "")
        ok = auth == "Basic " + base64.b64encode(creds.encode()).decode()
        with open(logpath, "a") as f:
            f.write("%s %s auth=%s\n" % (u.path, ",".join(q.get("scope", [])), "ok" if ok else "none"))
        if u.path != "/token" or not ok:
            self.send_response(401)
            self.end_headers()
            return
        body = json.dumps({"token": token(q.get("service", [""])[0], q.get("scope", []),
                                          creds.split(":")[0])}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


http.server.HTTPServer(("127.0.0.1", int(port)), H).serve_forever()
