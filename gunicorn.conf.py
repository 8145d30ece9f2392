"""How gunicorn serves Readiness: read from the working folder by ``make run``, the end-to-end tests and the
benchmark alike (flags on the command line still win).

Sync workers, one per core plus one. Every request here is short and CPU-bound (PDFs render in a separate,
niced process and never block a request), so threads inside a worker would only queue for the GIL; and a
threaded worker accepts every connection that arrives while it is awake, so twenty keep-alive browsers can
all land on one worker while the other core idles. A sync worker takes a connection only when it is free:
the kernel's queue spreads the load, and the slowest save stays close to the typical one (see
docs/BENCHMARKS.md). Behind a public address, put a buffering reverse proxy (nginx) in front, as gunicorn
advises for sync workers. ``WEB_CONCURRENCY`` sets the number of workers.
"""

import os

worker_class = "sync"
workers = int(os.environ.get("WEB_CONCURRENCY") or (os.cpu_count() or 1) + 1)
timeout = 60
