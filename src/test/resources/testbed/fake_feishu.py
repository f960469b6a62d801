"""Plays Feishu inside a testbed container, on loopback: a token for the right secret, then the list
read from the JSON file named on the command line (re-read on every request, so a test can change it). While
/opt/delay exists, each listing answer waits that many seconds first."""
import json
import os
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PORT, LIST_FILE, SECRET = int(sys.argv[1]), sys.argv[2], sys.argv[3]


class Feishu(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def answer(self, status, obj):
        body = json.dumps(obj).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("X-Tt-Logid", "20261124testbed0001")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        request = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        if request.get("app_secret") != SECRET:
            return self.answer(400, {"code": 10014, "msg": "app secret invalid"})
        self.answer(200, {"code": 0, "msg": "ok", "tenant_access_token": "t-testbed", "expire": 7200})

    def do_GET(self):
        if self.headers.get("Authorization") != "Bearer t-testbed":
            return self.answer(400, {"code": 99991663, "msg": "invalid token"})
        if os.path.exists("/opt/delay"):
            with open("/opt/delay") as f:
                time.sleep(float(f.read()))
        with open(LIST_FILE) as f:
            entries = json.load(f)
        self.answer(200, {"code": 0, "msg": "success", "data": {"ip_list": entries, "has_more": False}})


ThreadingHTTPServer(("127.0.0.1", PORT), Feishu).serve_forever()
