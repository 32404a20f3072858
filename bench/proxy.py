"""A counting HTTP proxy in front of the emulator: counts AWS API calls per service and action."""
import collections
import http.client
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

SCOPE = re.compile(r"Credential=[^/]+/\d+/[^/]+/([^/]+)/aws4_request")


class CountingProxy:
    def __init__(self, upstream):
        self.upstream = urlparse(upstream)
        self.counts = collections.Counter()
        self.lock = threading.Lock()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def _forward(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                proxy._count(self.headers, body)
                conn = http.client.HTTPConnection(proxy.upstream.hostname, proxy.upstream.port, timeout=30)
                headers = {k: v for k, v in self.headers.items() if k.lower() not in ("connection", "transfer-encoding")}
                conn.request(self.command, self.path, body=body, headers=headers)
                resp = conn.getresponse()
                data = resp.read()
                self.send_response(resp.status)
                for k, v in resp.getheaders():
                    if k.lower() not in ("transfer-encoding", "connection", "content-length"):
                        self.send_header(k, v)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
                conn.close()

            do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _forward

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.endpoint = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def _count(self, headers, body):
        target = headers.get("X-Amz-Target")
        if target:
            name = target.replace("secretsmanager.", "secretsmanager:").replace("AWSEvents.", "events:")
        else:
            scope = SCOPE.search(headers.get("Authorization", ""))
            action = parse_qs(body.decode("utf-8", "replace")).get("Action", ["?"])[0]
            name = f"{scope.group(1) if scope else '?'}:{action}"
        with self.lock:
            self.counts[name] += 1

    def take(self):
        with self.lock:
            counts = dict(self.counts)
            self.counts.clear()
        return counts

    def close(self):
        self.server.shutdown()
