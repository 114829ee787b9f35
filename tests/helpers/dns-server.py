#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
# A resolver on ADDR:53 (UDP) that answers A queries for the names of a
# hosts(5) file, as a host's own resolver (systemd-resolved, dnsmasq) does
# from /etc/hosts; NXDOMAIN otherwise. Writes READY-FILE once bound.
#   dns-server.py ADDR HOSTS-FILE READY-FILE
import socket
import sys

from dnslib import A, QTYPE, RCODE, RR, DNSRecord

addr, hosts_file, ready = sys.argv[1:4]
names = {}
with open(hosts_file) as f:
    for line in f:
        words = line.split("#", 1)[0].split()
        for name in words[1:]:
            names.setdefault(name.lower().rstrip(".") + ".", words[0])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind((addr, 53))
open(ready, "w").close()
while True:
    data, peer = s.recvfrom(4096)
    try:
        q = DNSRecord.parse(data)
    except Exception:
        continue
    reply = q.reply()
    qname = str(q.q.qname).lower()
    if q.q.qtype == QTYPE.A and qname in names and ":" not in names[qname]:
        reply.add_answer(RR(q.q.qname, QTYPE.A, rdata=A(names[qname]), ttl=60))
    elif qname not in names:
        reply.header.rcode = RCODE.NXDOMAIN
    s.sendto(reply.pack(), peer)
