#!/usr/bin/python3
"""A minimal token issuer for docker-registry's token authentication, for gantry's tests.

Usage: token_issuer.py PORT KEY_PEM CERT_PEM USER PASSWORD LIFETIME_SECONDS LOG_FILE [REJECT_FIRST]

Answers GET /token?service=S&scope=repository:NAME:ACTIONS with a JWT signed RS256, whose
x5c header carries CERT_PEM (the registry trusts it through its rootcertbundle). Only
USER:PASSWORD over Basic auth gets a token; so does a POST of docker's OAuth2 form
(grant_type=refresh_token) whose refresh_token is PASSWORD, as an identity token. Every
request is appended to LOG_FILE. With
REJECT_FIRST=1 the first token names another audience, so the registry refuses it, as it
refuses an expired or revoked token.
"""
import base64
import http.server
import json
import sys
import time
import uuid
from urllib.parse import parse_qs, urlparse

import jwt
from cryptography import x509
from cryptography.hazmat.primitives import serialization

port, key_file, cert_file, user, password, lifetime, log_file = sys.argv[1:8]
reject_first = len(sys.argv) > 8 and sys.argv[8] == "1"
issued = 0
lifetime = int(lifetime)
with open(key_file, "rb") as f:
    key = f.read()
with open(cert_file, "rb") as f:
    certificate = x509.load_pem_x509_certificate(f.read())
x5c = base64.b64encode(certificate.public_bytes(serialization.Encoding.DER)).decode()
expected = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


class Issuer(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        form = parse_qs(self.rfile.read(length).decode())
        authorized = (form.get("grant_type") == ["refresh_token"]
                      and form.get("refresh_token") == [password])
        self.answer(form, authorized, "POST")

    def do_GET(self):
        query = parse_qs(urlparse(self.path).query)
        self.answer(query, self.headers.get("Authorization", "") == expected, "GET")

    def answer(self, query, authorized, method):
        global issued
        scopes = query.get("scope", [])
        with open(log_file, "a") as log:
            log.write(json.dumps({"scopes": scopes, "authorized": authorized, "method": method,
                                  "authorization_header": "Authorization" in self.headers})
                      + "\n")
        if not authorized:
            self.send_response(401)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(b'{"details":"incorrect username or password"}')
            return
        access = []
        for scope in scopes:
            kind, name, actions = scope.split(":")
            access.append({"type": kind, "name": name, "actions": actions.split(",")})
        now = int(time.time())
        audience = "someone-else" if reject_first and issued == 0 else query["service"][0]
        issued += 1
        claims = {"iss": "gantry-test-issuer", "sub": user, "aud": audience,
                  "exp": now + lifetime, "nbf": now - 5, "iat": now, "jti": str(uuid.uuid4()),
                  "access": access}
        token = jwt.encode(claims, key, algorithm="RS256", headers={"x5c": [x5c]})
        body = json.dumps({"token": token, "access_token": token,
                           "expires_in": lifetime}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


http.server.ThreadingHTTPServer(("127.0.0.1", int(port)), Issuer).serve_forever()
