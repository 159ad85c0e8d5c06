"""A real gRPC server (grpcio) with the standard health service, for the
`wait grpc` tests and benchmark. It binds 127.0.0.1 on an ephemeral port
and prints `PORT <n>`; then each line on stdin sets a status and is
answered `OK`:

    <SERVICE|-> SERVING|NOT_SERVING|UNKNOWN      (`-` is the server as a whole)

It exits when stdin closes, so it never outlives the test that started it.
Usage: grpc_health_server.py [--cert PEM --key PEM] -- [SERVICE=STATUS ...]
"""

import argparse
import sys
from concurrent import futures

import grpc
from grpc_health.v1 import health, health_pb2, health_pb2_grpc

STATUSES = {
    "SERVING": health_pb2.HealthCheckResponse.SERVING,
    "NOT_SERVING": health_pb2.HealthCheckResponse.NOT_SERVING,
    "UNKNOWN": health_pb2.HealthCheckResponse.UNKNOWN,
}


def service_name(word):
    return "" if word == "-" else word


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cert")
    parser.add_argument("--key")
    parser.add_argument("statuses", nargs="*", help="SERVICE=STATUS, `-` for the server")
    args = parser.parse_args()

    servicer = health.HealthServicer()
    for pair in args.statuses:
        name, status = pair.split("=", 1)
        servicer.set(service_name(name), STATUSES[status])

    server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
    health_pb2_grpc.add_HealthServicer_to_server(servicer, server)
    if args.cert:
        with open(args.key, "rb") as key, open(args.cert, "rb") as cert:
            credentials = grpc.ssl_server_credentials([(key.read(), cert.read())])
        port = server.add_secure_port("127.0.0.1:0", credentials)
    else:
        port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    print(f"PORT {port}", flush=True)

    for line in sys.stdin:
        words = line.split()
        if len(words) == 2 and words[1] in STATUSES:
            servicer.set(service_name(words[0]), STATUSES[words[1]])
            print("OK", flush=True)
        else:
            print(f"ERROR unknown command {line.strip()!r}", flush=True)
    server.stop(grace=None)


if __name__ == "__main__":
    main()
