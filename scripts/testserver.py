#!/usr/bin/env python3
"""Loopback HTTP server for newsmon's tests and benchmarks (127.0.0.1 only).

Usage: testserver.py [--root DIR] [--routes FILE.json] [--port N] [--gzip] [--no-conditional]

Prints "PORT <n>" on stdout once it listens (port 0, the default, lets the OS choose), then serves
until killed or until stdin closes (so a crashed test runner never leaves it behind).

Static files: GET /some/path serves ROOT/some/path with an ETag ("<size>-<mtime_ns>") and a
Last-Modified header, and answers 304 to a matching If-None-Match, or (without If-None-Match) to an
If-Modified-Since at or after the file's mtime. With --gzip, a client whose Accept-Encoding names gzip
gets the file gzip-compressed (Content-Encoding: gzip, Vary: Accept-Encoding, ETag "<size>-<mtime_ns>-gz";
either ETag matches If-None-Match); compressed bodies are cached by path, size and mtime. With
--no-conditional, static files never answer 304 (the validators are sent but ignored, as many feeds do).

Programmed routes take precedence over files. A route is a list of responses, served in order; the
last one repeats. Program them with --routes FILE (a JSON object {path: [response, ...]}) or at run
time with POST /_control/routes (same JSON). A response is a JSON object, every key optional:

  status         HTTP status (default 200)
  headers        {name: value} added to the response
  body           text body (UTF-8)             body_base64   raw bytes, base64
  body_file      a file under ROOT             body_size     N filler bytes ("x" * N)
  gzip / deflate compress the body and send Content-Encoding
  etag           send ETag; answer 304 when If-None-Match matches
  last_modified  send Last-Modified; answer 304 when If-Modified-Since equals it (no If-None-Match)
  location       send Location (redirects)
  delay          seconds to wait before the status line ("hang": use a large delay)
  drip           {"bytes": n, "interval": s}: write the body n bytes at a time, sleeping s between
  chunked        use Transfer-Encoding: chunked instead of Content-Length

Control endpoints (JSON):
  POST /_control/routes     merge routes           POST /_control/reset   forget requests and counters
  GET  /_control/requests   [{method, path, headers}] of every non-control request, in arrival order
  GET  /_control/stats      {"count", "in_flight", "max_in_flight"} over non-control requests, and "files":
                            {"200" | "200 gzip" | "304" | "404": {"count", "bytes"}} of static-file responses
"""

import argparse
import base64
import email.utils
import gzip
import json
import os
import socket
import socketserver
import sys
import threading
import time
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class State:
    def __init__(self, root, routes, gzip_files=False, conditional=True):
        self.lock = threading.Lock()
        self.gzip_files = gzip_files
        self.conditional = conditional
        self.gzip_cache = {}  # path -> (size, mtime_ns, compressed bytes)
        self.file_counts = {}  # "200", "200 gzip", "304", "404" -> static-file responses, with bytes sent
        self.root = os.path.realpath(root) if root else None
        self.routes = dict(routes)  # path -> list of responses
        self.served = {}  # path -> number of responses served
        self.requests = []
        self.in_flight = 0
        self.max_in_flight = 0

    def next_response(self, path):
        with self.lock:
            responses = self.routes.get(path)
            if not responses:
                return None
            index = self.served.get(path, 0)
            self.served[path] = index + 1
            return responses[min(index, len(responses) - 1)]

    def begin(self, record):
        with self.lock:
            self.requests.append(record)
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)

    def end(self):
        with self.lock:
            self.in_flight -= 1

    def reset(self):
        with self.lock:
            self.requests = []
            self.served = {}
            self.file_counts = {}
            self.max_in_flight = self.in_flight


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # avoids Nagle + delayed-ACK stalls on keep-alive connections
    server_version = "newsmon-testserver"

    def log_message(self, format, *args):  # quiet: tests read stdout
        pass

    def do_GET(self):
        self.handle_request(send_body=True)

    def do_HEAD(self):
        self.handle_request(send_body=False)

    def do_POST(self):
        path = self.path.split("?", 1)[0]
        length = int(self.headers.get("Content-Length") or 0)
        payload = self.rfile.read(length) if length else b""
        state = self.server.state
        if path == "/_control/routes":
            routes = json.loads(payload or b"{}")
            with state.lock:
                for key, value in routes.items():
                    state.routes[key] = value if isinstance(value, list) else [value]
                    state.served[key] = 0
            return self.send_json({"ok": True})
        if path == "/_control/reset":
            state.reset()
            return self.send_json({"ok": True})
        self.send_plain(404, b"unknown control path\n")

    def handle_request(self, send_body):
        path = self.path.split("?", 1)[0]
        state = self.server.state
        if path == "/_control/requests":
            with state.lock:
                return self.send_json(list(state.requests))
        if path == "/_control/stats":
            with state.lock:
                stats = {"count": len(state.requests), "in_flight": state.in_flight,
                         "max_in_flight": state.max_in_flight, "files": dict(state.file_counts)}
            return self.send_json(stats)
        record = {"method": self.command, "path": self.path, "headers": {k: v for k, v in self.headers.items()}}
        state.begin(record)
        self._counted = True
        try:
            response = state.next_response(path)
            if response is not None:
                self.send_programmed(response, send_body)
            else:
                self.send_file(path, send_body)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
        finally:
            self.stop_counting()

    def stop_counting(self):
        # A request stops counting as in flight before its last bytes go out: a client that has read them may
        # send its next request before this thread runs again, and must not be counted twice.
        if getattr(self, "_counted", False):
            self._counted = False
            self.server.state.end()

    # -- programmed responses -------------------------------------------------------------------

    def send_programmed(self, r, send_body):
        if r.get("delay"):
            if not self.wait_or_disconnect(float(r["delay"])):
                return
        status = int(r.get("status", 200))
        headers = dict(r.get("headers", {}))
        etag, last_modified = r.get("etag"), r.get("last_modified")
        if etag:
            headers["ETag"] = etag
        if last_modified:
            headers["Last-Modified"] = last_modified
        if r.get("location"):
            headers["Location"] = r["location"]
        inm, ims = self.headers.get("If-None-Match"), self.headers.get("If-Modified-Since")
        if status == 200 and ((etag and inm and etag in [t.strip() for t in inm.split(",")])
                              or (last_modified and not inm and ims == last_modified)):
            return self.send_head_only(304, headers)
        body = self.programmed_body(r)
        if r.get("gzip"):
            body = gzip.compress(body)
            headers["Content-Encoding"] = "gzip"
        elif r.get("deflate"):
            body = zlib.compress(body)
            headers["Content-Encoding"] = "deflate"
        headers.setdefault("Content-Type", "application/rss+xml; charset=utf-8")
        self.send_body(status, headers, body if send_body else b"", r.get("drip"), bool(r.get("chunked")),
                       len(body))

    def programmed_body(self, r):
        if "body" in r:
            return r["body"].encode("utf-8")
        if "body_base64" in r:
            return base64.b64decode(r["body_base64"])
        if "body_size" in r:
            return b"x" * int(r["body_size"])
        if "body_file" in r and self.server.state.root:
            with open(os.path.join(self.server.state.root, r["body_file"]), "rb") as f:
                return f.read()
        return b""

    def wait_or_disconnect(self, seconds):
        """Sleeps up to `seconds`; returns False early when the client hung up."""
        deadline = time.monotonic() + seconds
        self.connection.settimeout(0.05)
        try:
            while time.monotonic() < deadline:
                try:
                    if self.connection.recv(1, socket.MSG_PEEK) == b"":
                        self.close_connection = True
                        return False
                    time.sleep(0.05)  # the client sent more (pipelining): just wait
                except socket.timeout:
                    pass
                except BlockingIOError:
                    time.sleep(0.05)
        finally:
            self.connection.settimeout(None)
        return True

    # -- static files ---------------------------------------------------------------------------

    def accepts_gzip(self):
        accepted = self.headers.get("Accept-Encoding") or ""
        for part in accepted.split(","):
            name, _, params = part.strip().partition(";")
            if name.strip().lower() in ("gzip", "x-gzip", "*") and params.replace(" ", "") not in ("q=0", "q=0.0"):
                return True
        return False

    def count_file(self, key, sent):
        state = self.server.state
        with state.lock:
            entry = state.file_counts.setdefault(key, {"count": 0, "bytes": 0})
            entry["count"] += 1
            entry["bytes"] += sent

    def gzip_body(self, full, st):
        state = self.server.state
        with state.lock:
            cached = state.gzip_cache.get(full)
        if cached and cached[0] == st.st_size and cached[1] == st.st_mtime_ns:
            return cached[2]
        with open(full, "rb") as f:
            body = gzip.compress(f.read(), compresslevel=6, mtime=0)
        with state.lock:
            state.gzip_cache[full] = (st.st_size, st.st_mtime_ns, body)
        return body

    def send_file(self, path, send_body):
        root = self.server.state.root
        full = os.path.realpath(os.path.join(root, path.lstrip("/"))) if root else None
        if not full or not full.startswith(root + os.sep) or not os.path.isfile(full):
            self.count_file("404", 0)
            return self.send_plain(404, b"not found\n")
        st = os.stat(full)
        etag = '"%x-%x"' % (st.st_size, st.st_mtime_ns)
        compress = self.server.state.gzip_files and self.accepts_gzip()
        variants = [etag, etag[:-1] + '-gz"']
        if compress:
            etag = variants[1]
        last_modified = email.utils.formatdate(st.st_mtime, usegmt=True)
        headers = {"ETag": etag, "Last-Modified": last_modified,
                   "Content-Type": "application/rss+xml; charset=utf-8"}
        if self.server.state.gzip_files:
            headers["Vary"] = "Accept-Encoding"
        inm, ims = self.headers.get("If-None-Match"), self.headers.get("If-Modified-Since")
        if not self.server.state.conditional:
            inm = ims = None
        if inm is not None:
            tags = [t.strip() for t in inm.split(",")]
            if any(v in tags for v in variants) or inm.strip() == "*":
                self.count_file("304", 0)
                return self.send_head_only(304, headers)
        elif ims is not None:
            try:
                since = email.utils.parsedate_to_datetime(ims).timestamp()
                if int(st.st_mtime) <= since:
                    self.count_file("304", 0)
                    return self.send_head_only(304, headers)
            except (TypeError, ValueError):
                pass
        if compress:
            body = self.gzip_body(full, st)
            headers["Content-Encoding"] = "gzip"
        else:
            with open(full, "rb") as f:
                body = f.read()
        self.count_file("200 gzip" if compress else "200", len(body))
        self.send_body(200, headers, body if send_body else b"", None, False, len(body))

    # -- writing --------------------------------------------------------------------------------

    def send_head_only(self, status, headers):
        self.send_response(status)
        for k, v in headers.items():
            if k.lower() not in ("content-type", "content-encoding"):
                self.send_header(k, v)
        self.end_headers()

    def send_body(self, status, headers, body, drip, chunked, length):
        self.send_response(status)
        for k, v in headers.items():
            self.send_header(k, v)
        if chunked:
            self.send_header("Transfer-Encoding", "chunked")
        else:
            self.send_header("Content-Length", str(length))
        self.end_headers()
        step = int(drip["bytes"]) if drip else max(len(body), 1)
        interval = float(drip["interval"]) if drip else 0.0
        for start in range(0, len(body), step):
            piece = body[start:start + step]
            if start + step >= len(body) and not chunked:
                self.stop_counting()
            if chunked:
                self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
            else:
                self.wfile.write(piece)
            self.wfile.flush()
            if interval and start + step < len(body):
                time.sleep(interval)
        if chunked:
            self.stop_counting()
            self.wfile.write(b"0\r\n\r\n")
            self.wfile.flush()

    def send_plain(self, status, body):
        self.send_body(status, {"Content-Type": "text/plain"}, body, None, False, len(body))

    def send_json(self, value):
        body = json.dumps(value).encode("utf-8")
        self.send_body(200, {"Content-Type": "application/json"}, body, None, False, len(body))


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128

    def server_bind(self):
        # HTTPServer.server_bind calls socket.getfqdn(), a reverse DNS lookup that can take seconds.
        socketserver.TCPServer.server_bind(self)
        host, port = self.server_address[:2]
        self.server_name, self.server_port = host, port


def main():
    parser = argparse.ArgumentParser(description="newsmon loopback test server")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--root", default=None, help="directory served for unprogrammed paths")
    parser.add_argument("--routes", default=None, help="JSON file {path: [response, ...]}")
    parser.add_argument("--gzip", action="store_true", help="gzip static files for clients that accept it")
    parser.add_argument("--no-conditional", action="store_true",
                        help="static files: send ETag and Last-Modified but never answer 304 (as many feeds do)")
    args = parser.parse_args()
    routes = {}
    if args.routes:
        with open(args.routes) as f:
            routes = {k: v if isinstance(v, list) else [v] for k, v in json.load(f).items()}
    server = Server(("127.0.0.1", args.port), Handler)
    server.state = State(args.root, routes, gzip_files=args.gzip, conditional=not args.no_conditional)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print("PORT %d" % server.server_address[1], flush=True)
    try:
        sys.stdin.read()  # returns when the parent closes our stdin or exits
    except KeyboardInterrupt:
        pass
    server.server_close()


if __name__ == "__main__":
    main()
