"""A minimal AWS Lambda Runtime API (2018-06-01) on loopback, for a custom runtime's bootstrap.

The same four routes as test-fixtures' RuntimeApiServer (Java, for the tests); this one serves the
benchmark and the fast-start build's training run, which are Python already (moto_server, boto3).

    api = RuntimeApi()                       # AWS_LAMBDA_RUNTIME_API=api.address
    request_id = api.enqueue({"Step": ...})  # handed to the next GET .../invocation/next
    kind, body, at = api.await_result(request_id, timeout=60)   # kind: "response" or "error"

Routes (https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html):
GET /2018-06-01/runtime/invocation/next (blocks until an event is queued; Lambda-Runtime-* headers),
POST .../invocation/{id}/response, POST .../invocation/{id}/error, POST /2018-06-01/runtime/init/error.
"""
import json
import queue
import re
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PREFIX = "/2018-06-01/runtime"
RESULT = re.compile(PREFIX + r"/invocation/([^/]+)/(response|error)$")
FUNCTION_ARN = "arn:aws:lambda:us-east-1:123456789012:function:secret-rotator"


class RuntimeApi:
    def __init__(self, deadline_seconds=120):
        self.events = queue.Queue()
        self.results = {}
        self.init_errors = []
        self.cond = threading.Condition()
        self.deadline_seconds = deadline_seconds
        api = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_GET(self):
                if self.path != PREFIX + "/invocation/next":
                    return self._reply(404, {"errorMessage": "no route " + self.path})
                request_id, body = api.events.get()
                deadline = int((time.time() + api.deadline_seconds) * 1000)
                self._reply(200, body, {"Lambda-Runtime-Aws-Request-Id": request_id,
                                        "Lambda-Runtime-Deadline-Ms": str(deadline),
                                        "Lambda-Runtime-Invoked-Function-Arn": FUNCTION_ARN,
                                        "Lambda-Runtime-Trace-Id": "Root=1-" + uuid.uuid4().hex[:8] + "-" + uuid.uuid4().hex[:24]})

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                now = time.perf_counter()
                match = RESULT.match(self.path)
                if match:
                    with api.cond:
                        api.results[match.group(1)] = (match.group(2), body, now)
                        api.cond.notify_all()
                elif self.path == PREFIX + "/init/error":
                    with api.cond:
                        api.init_errors.append(body)
                        api.cond.notify_all()
                else:
                    return self._reply(404, {"errorMessage": "no route " + self.path})
                self._reply(202, {"status": "OK"})

            def _reply(self, status, body, headers=None):
                data = body if isinstance(body, bytes) else json.dumps(body).encode()
                self.send_response(status)
                for key, value in (headers or {}).items():
                    self.send_header(key, value)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.address = f"127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def enqueue(self, event):
        request_id = str(uuid.uuid4())
        self.events.put((request_id, json.dumps(event).encode()))
        return request_id

    def await_result(self, request_id, timeout, alive=lambda: True):
        """(kind, body bytes, perf_counter time it arrived); raises TimeoutError, or RuntimeError on an
        init error or when alive() turns false (the runtime process died)."""
        end = time.monotonic() + timeout
        with self.cond:
            while request_id not in self.results:
                if self.init_errors:
                    raise RuntimeError("init error: " + self.init_errors[0].decode(errors="replace"))
                if time.monotonic() > end:
                    raise TimeoutError(f"no result for invocation {request_id} within {timeout} s")
                if not alive():
                    raise RuntimeError("the runtime exited before posting a result")
                self.cond.wait(0.05)
            return self.results.pop(request_id)

    def close(self):
        self.server.shutdown()
        self.server.server_close()
