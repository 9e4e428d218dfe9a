"""Class 3, reading what is not theirs: a conv2d whose probe() tries to reach the network.

- TCP to the grader's loopback service (attack_params.TCP_PORT on 127.0.0.1 and localhost), and
  a datagram to its UDP service (UDP_PORT), each carrying the marker (the test's servers say
  whether anything arrived);
- an abstract-namespace Unix socket the test listens on (no file needed to find it);
- TCP and UDP to outside addresses (public DNS resolvers) and a DNS lookup;
- the network interfaces it can see (only "lo" may exist).

probe() returns what worked; every list must be empty.
"""

import socket

import numpy as np

import attack_params as P


def _tcp(host, port):
    try:
        with socket.create_connection((host, port), timeout=1.0) as connection:
            connection.sendall(P.MARKER.encode())
        return True
    except OSError:
        return False


def _udp(host, port):
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
            sock.sendto(P.MARKER.encode(), (host, port))
        return True
    except OSError:
        return False


def probe():
    reached = []
    for host in ("127.0.0.1", "localhost"):
        if _tcp(host, P.TCP_PORT):
            reached.append(f"tcp {host}:{P.TCP_PORT}")
    _udp("127.0.0.1", P.UDP_PORT)  # sending works on any loopback: the test says whether it arrived
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.settimeout(1.0)
            sock.connect("\0" + P.ABSTRACT)
            sock.sendall(P.MARKER.encode())
        reached.append(f"abstract unix socket @{P.ABSTRACT}")
    except OSError:
        pass
    for host in P.OUTSIDE:
        for port in (53, 80, 443):
            if _tcp(host, port):
                reached.append(f"tcp {host}:{port}")
    try:
        reached.append(f"dns: example.com is {socket.gethostbyname('example.com')}")
    except OSError:
        pass
    interfaces = [name for _, name in socket.if_nameindex()]
    if set(interfaces) - {"lo"}:
        reached.append(f"interfaces {interfaces}")
    return reached


def conv2d(x, w, b=None, stride=1, padding=0):
    return np.zeros(1)
