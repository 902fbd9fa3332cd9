"""Operations: probes for load balancers and monitoring (liveness and readiness), and the background tasks' retries
and their report in the admin."""
