#!/usr/bin/env python3
"""The demo's step server: ``python3 server.py [--port 8090] [--store PATH]``.

Serves the payout steps at ``POST /steps/<name>``, the rental lookup at ``GET /lookups/rentals`` and the fake Xero
ledger at ``GET /ledger?payout_id=``; the store defaults to ``$FLOWLINE_HOME/demo/payouts.sqlite``.
"""

from __future__ import annotations

import argparse
import logging
from pathlib import Path

from payout_data import PayoutData, rows
from payout_steps import build, default_store, rental_lookup

from flowline_sdk.http import serve


def ledger(data: PayoutData):
    def read(query):
        payout_id = (query.get("payout_id") or [None])[0]
        with data.connect() as db:
            sql = "SELECT * FROM xero_ledger" + (" WHERE payout_id = ?" if payout_id else "") + " ORDER BY line_id"
            lines = list(rows(db.execute(sql, (payout_id,) if payout_id else ())))
        return 200, {"lines": lines, "total": round(sum(line["amount"] for line in lines), 2)}
    return read


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8090)
    parser.add_argument("--store", type=Path, default=None)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    data = PayoutData(args.store or default_store())
    server = serve(build(data), host=args.host, port=args.port,
                   routes={"/lookups/rentals": rental_lookup(data), "/ledger": ledger(data)})
    logging.getLogger("demo-steps").info("payout demo steps on http://%s:%d (store %s)", args.host, server.port,
                                         data.path)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
