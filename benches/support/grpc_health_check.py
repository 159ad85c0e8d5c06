"""What a user without zinit writes today to wait for a gRPC server, as a
loop's one check (grpc_health_probe is a Go binary that no registry here
packages): exit 0 when the standard health check answers SERVING.
Usage: grpc_health_check.py HOST:PORT [SERVICE]"""

import sys

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc

service = sys.argv[2] if len(sys.argv) > 2 else ""
with grpc.insecure_channel(sys.argv[1]) as channel:
    try:
        answer = health_pb2_grpc.HealthStub(channel).Check(
            health_pb2.HealthCheckRequest(service=service), timeout=1
        )
    except grpc.RpcError:
        sys.exit(1)
sys.exit(0 if answer.status == health_pb2.HealthCheckResponse.SERVING else 1)
