"""An authoritative DNS server on 127.0.0.1 for the `wait dns` tests (dnslib).

Usage: dns_server.py ZONE_FILE. Binds UDP and TCP on one ephemeral port of
127.0.0.1, prints that port on a line, then answers from ZONE_FILE, read
anew whenever it changes, so a test rewrites the file to make a name
appear, change or fail. The file holds zone lines (`db.test. 5 IN A
10.0.0.5`) and directives: `; servfail NAME` answers SERVFAIL for NAME.
A name with no records is NXDOMAIN; a name with records of other types
answers NOERROR with no answer. Exits when its standard input closes (the
test holding the pipe ended, however it ended).
"""

import os
import sys
import threading

from dnslib import QTYPE, RCODE, RR, DNSLabel
from dnslib.server import BaseResolver, DNSServer


class ZoneResolver(BaseResolver):
    def __init__(self, path):
        self.path = path
        self.stamp = None
        self.records = []
        self.servfail = set()
        self.lock = threading.Lock()

    def load(self):
        info = os.stat(self.path)
        stamp = info.st_ino, info.st_mtime_ns, info.st_size
        if stamp == self.stamp:
            return
        with open(self.path) as zone:
            text = zone.read()
        self.servfail = {
            DNSLabel(line.split()[2])
            for line in text.splitlines()
            if line.startswith("; servfail ")
        }
        self.records = list(RR.fromZone(text)) if text.strip() else []
        self.stamp = stamp

    def resolve(self, request, handler):
        reply = request.reply()
        name, qtype = request.q.qname, request.q.qtype
        with self.lock:
            try:
                self.load()
            except (OSError, ValueError) as error:
                # A zone that cannot be read now is answered from the last one.
                print(f"dns_server.py: zone not read: {error}", file=sys.stderr)
            if name in self.servfail:
                reply.header.rcode = RCODE.SERVFAIL
                return reply
            here = [rr for rr in self.records if rr.rname == name]
            if not here:
                reply.header.rcode = RCODE.NXDOMAIN
                return reply
            for rr in here:
                if rr.rtype == qtype or (rr.rtype == QTYPE.CNAME and qtype != QTYPE.CNAME):
                    reply.add_answer(rr)
                    if rr.rtype == QTYPE.CNAME:
                        target = [r for r in self.records if r.rname == rr.rdata.label]
                        for r in target:
                            if r.rtype == qtype:
                                reply.add_answer(r)
        return reply


class Quiet:
    """dnslib's logger, silenced: the tests read only the port line."""

    def __getattr__(self, name):
        return lambda *args, **kwargs: None


def main():
    resolver = ZoneResolver(sys.argv[1])
    # The UDP port the kernel picks may be held for TCP by someone else:
    # then another port is tried (a bounded number of times).
    for attempt in range(50):
        udp = DNSServer(resolver, port=0, address="127.0.0.1", logger=Quiet())
        port = udp.server.server_address[1]
        try:
            tcp = DNSServer(resolver, port=port, address="127.0.0.1", tcp=True, logger=Quiet())
            break
        except OSError:
            udp.server.server_close()
    else:
        sys.exit("dns_server.py: no port free for both UDP and TCP")
    udp.start_thread()
    tcp.start_thread()
    print(port, flush=True)
    sys.stdin.read()
    os._exit(0)


if __name__ == "__main__":
    main()
