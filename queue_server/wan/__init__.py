"""The hall's side of the outside world (issue 14): the outbox's deliverer, a thread of
the server process that sends the records over HTTPS to the city's central.

    http.py       the HTTPS client (standard library): keep-alive, the site's CA, errors
                  as stable codes
    deliverer.py  Deliverer: batches in order per stream, retries with back-off and
                  jitter, state in the database; its status for /health, /metrics, the
                  dashboard and `mpp status`
"""
