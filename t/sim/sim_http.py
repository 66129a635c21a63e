# Single-threaded selectors HTTP/1.1 server for the simulator: keep-alive,
# Content-Length framing, pipelining, delayed replies via a timer heap, and
# HTTPS listeners (non-blocking TLS handshakes) opened at run time.
import heapq
import selectors
import socket
import ssl
import time

# a TLS socket that cannot go on until the peer sends or takes more
TLS_WAIT = (ssl.SSLWantReadError, ssl.SSLWantWriteError)

REASONS = {100: "Continue", 200: "OK", 400: "Bad Request",
           401: "Unauthorized", 404: "Not Found", 406: "Not Acceptable",
           411: "Length Required", 413: "Payload Too Large",
           500: "Internal Server Error", 501: "Not Implemented"}
MAX_HEAD = 65536
MAX_BODY = 4 * 1024 * 1024


class Request:
    def __init__(self, method, target, headers, body, keep_alive):
        self.method = method
        self.target = target
        self.headers = headers
        self.body = body
        self.keep_alive = keep_alive
        path, _, query = target.partition("?")
        self.path = path
        self.query = query


class Conn:
    def __init__(self, sock, site, peer, tls=False):
        self.sock = sock
        self.site = site
        self.peer = peer
        self.tls = tls
        self.handshaking = tls     # TLS handshake not finished yet
        self.inbuf = bytearray()
        self.out = bytearray()
        self.waiting = False       # a delayed reply is pending
        self.close_after = False
        self.closed = False
        self.sent_continue = False
        self.state = {}            # per-connection data for the handler


def render(status, body, keep_alive, head_only=False, extra=""):
    """Serialise a reply; 'body' is bytes (may be empty)."""
    head = ("HTTP/1.1 %d %s\r\nContent-Type: application/json\r\n"
            "Content-Length: %d\r\n%s%s\r\n" %
            (status, REASONS.get(status, "Status"), len(body), extra,
             "" if keep_alive else "Connection: close\r\n"))
    return head.encode("latin-1") + (b"" if head_only else body)


class Server:
    """sites: list of (ip, port, site_object).  handler(conn, request) returns
    ('reply', bytes, delay_seconds[, sent]) or ('drop',); sent() is called
    when the reply leaves the handler's hands (after the delay).
    tls_event(site, ok) is told the outcome of every TLS handshake."""

    def __init__(self, sites, handler, tls_event=None):
        self.sel = selectors.DefaultSelector()
        self.handler = handler
        self.tls_event = tls_event
        self.timers = []
        self.seq = 0
        self.running = True
        self.listeners = []
        for ip, port, site in sites:
            self.listen(ip, port, site)

    def listen(self, ip, port, site, tls=None):
        """Serves site on ip:port, over TLS when tls (a server-side
        ssl.SSLContext) is given; returns the listening socket."""
        ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            ls.bind((ip, port))
            ls.listen(256)
            ls.setblocking(False)
        except OSError:
            ls.close()
            raise
        self.sel.register(ls, selectors.EVENT_READ, ("listen", (site, tls)))
        self.listeners.append(ls)
        return ls

    def unlisten(self, ls):
        """Closes a listening socket (its open connections stay)."""
        self.sel.unregister(ls)
        self.listeners.remove(ls)
        ls.close()

    def later(self, delay, fn):
        self.seq += 1
        heapq.heappush(self.timers, (time.monotonic() + delay, self.seq, fn))

    def serve(self, idle=None):
        while self.running:
            timeout = 0.5
            if self.timers:
                timeout = max(0.0, min(timeout, self.timers[0][0] - time.monotonic()))
            for key, mask in self.sel.select(timeout):
                kind, obj = key.data
                if kind == "listen":
                    self._accept(key.fileobj, obj)
                else:
                    if mask & selectors.EVENT_READ:
                        self._read(obj)
                    if mask & selectors.EVENT_WRITE and not obj.closed:
                        if obj.handshaking:
                            self._read(obj)
                        else:
                            self._flush(obj)
            now = time.monotonic()
            while self.timers and self.timers[0][0] <= now:
                _, _, fn = heapq.heappop(self.timers)
                fn()
            if idle:
                idle()
        for ls in self.listeners:
            self.sel.unregister(ls)
            ls.close()

    def _accept(self, ls, data):
        site, tls = data
        for _ in range(64):
            try:
                sock, peer = ls.accept()
            except (BlockingIOError, InterruptedError):
                return
            sock.setblocking(False)
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            if tls is not None:
                sock = tls.wrap_socket(sock, server_side=True,
                                       do_handshake_on_connect=False)
            conn = Conn(sock, site, peer, tls is not None)
            self.sel.register(sock, selectors.EVENT_READ, ("conn", conn))

    def _handshake(self, conn):
        """Advances a TLS handshake; True once it is done."""
        try:
            conn.sock.do_handshake()
        except ssl.SSLWantReadError:
            return False
        except ssl.SSLWantWriteError:
            self.sel.modify(conn.sock, selectors.EVENT_READ |
                            selectors.EVENT_WRITE, ("conn", conn))
            return False
        except OSError:
            # the client refused the certificate, or went away
            if self.tls_event:
                self.tls_event(conn.site, False)
            self.close(conn)
            return False
        conn.handshaking = False
        self.sel.modify(conn.sock, selectors.EVENT_READ, ("conn", conn))
        if self.tls_event:
            self.tls_event(conn.site, True)
        return True

    def close(self, conn):
        if conn.closed:
            return
        conn.closed = True
        try:
            self.sel.unregister(conn.sock)
        except (KeyError, ValueError):
            pass
        conn.sock.close()

    def _read(self, conn):
        if conn.handshaking and not self._handshake(conn):
            return
        try:
            data = conn.sock.recv(262144)
            # TLS may hold decrypted bytes the selector will not report
            while data and conn.tls and conn.sock.pending():
                data += conn.sock.recv(conn.sock.pending())
        except TLS_WAIT + (BlockingIOError, InterruptedError):
            return
        except OSError:
            self.close(conn)
            return
        if not data:
            self.close(conn)
            return
        conn.inbuf += data
        self._process(conn)

    def _process(self, conn):
        while not conn.waiting and not conn.closed and not conn.close_after:
            req = self._parse(conn)
            if req is None:
                break
            result = self.handler(conn, req)
            if result[0] == "drop":
                self.close(conn)
                return
            payload, delay = result[1], result[2]
            sent = result[3] if len(result) > 3 else None
            if not req.keep_alive:
                conn.close_after = True
            if delay > 0:
                conn.waiting = True
                self.later(delay, lambda c=conn, p=payload, d=sent:
                           self._deliver(c, p, d))
                return
            conn.out += payload
            if sent:
                sent()
        self._flush(conn)

    def _deliver(self, conn, payload, sent=None):
        if sent:
            sent()
        if conn.closed:
            return
        conn.waiting = False
        conn.out += payload
        self._flush(conn)
        if not conn.closed and not conn.close_after:
            self._process(conn)

    def _flush(self, conn):
        if conn.out:
            try:
                n = conn.sock.send(conn.out)
                del conn.out[:n]
            except TLS_WAIT + (BlockingIOError, InterruptedError):
                pass
            except OSError:
                self.close(conn)
                return
        if conn.out:
            self.sel.modify(conn.sock, selectors.EVENT_READ | selectors.EVENT_WRITE,
                            ("conn", conn))
            return
        if conn.close_after and not conn.waiting:
            self.close(conn)
            return
        self.sel.modify(conn.sock, selectors.EVENT_READ, ("conn", conn))

    def _error(self, conn, status):
        conn.out += render(status, b'{"error":%d,"message":"%s"}' %
                           (status, REASONS[status].encode()), False)
        conn.close_after = True
        conn.inbuf.clear()

    def _parse(self, conn):
        buf = conn.inbuf
        end = buf.find(b"\r\n\r\n")
        if end < 0:
            if len(buf) > MAX_HEAD:
                self._error(conn, 413)
            return None
        lines = bytes(buf[:end]).decode("latin-1").split("\r\n")
        parts = lines[0].split(" ")
        if len(parts) != 3 or not parts[2].startswith("HTTP/1."):
            self._error(conn, 400)
            return None
        method, target, version = parts
        headers = {}
        for line in lines[1:]:
            name, sep, value = line.partition(":")
            if sep:
                headers[name.strip().lower()] = value.strip()
        start = end + 4
        if "chunked" in headers.get("transfer-encoding", "").lower():
            body, used = self._dechunk(buf, start)
            if body is None:
                return None
            consumed = used
        else:
            try:
                length = int(headers.get("content-length", "0"))
            except ValueError:
                self._error(conn, 400)
                return None
            if length > MAX_BODY:
                self._error(conn, 413)
                return None
            if len(buf) - start < length:
                if headers.get("expect", "").lower() == "100-continue" and \
                        not conn.sent_continue:
                    conn.sent_continue = True
                    conn.out += b"HTTP/1.1 100 Continue\r\n\r\n"
                    self._flush(conn)
                return None
            body = bytes(buf[start:start + length])
            consumed = start + length
        del buf[:consumed]
        conn.sent_continue = False
        connection = headers.get("connection", "").lower()
        keep = connection != "close" if version == "HTTP/1.1" \
            else connection == "keep-alive"
        return Request(method, target, headers, body, keep)

    @staticmethod
    def _dechunk(buf, pos):
        body = bytearray()
        while True:
            eol = buf.find(b"\r\n", pos)
            if eol < 0:
                return None, 0
            try:
                size = int(bytes(buf[pos:eol]).split(b";")[0], 16)
            except ValueError:
                return None, 0
            pos = eol + 2
            if size == 0:
                end = buf.find(b"\r\n", pos)
                if end < 0:
                    return None, 0
                return bytes(body), end + 2
            if len(buf) < pos + size + 2:
                return None, 0
            body += buf[pos:pos + size]
            pos += size + 2
