"""The demo's sample data and fake Xero ledger, in one SQLite file (standard library only).

One payout (P-1001) of three transactions, for three bookings of three rentals of two hosts. The rental "Old Mill
Cottage" has no Xero name: VALIDATE fails on it with MISSING_XERO_NAME until update_rental_settings sets one.
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path
from typing import Iterator

HOSTS = [
    ("5b0d7c1e-2f43-4a8e-9c61-0a1b2c3d4e01", "Harbour Homes Ltd", "HARBOUR-HOMES"),
    ("5b0d7c1e-2f43-4a8e-9c61-0a1b2c3d4e02", "Dune Stays", "DUNE-STAYS"),
]
RENTALS = [
    ("8f1e2d3c-4b5a-4968-8776-a1b2c3d4e501", "Seaside Villa", HOSTS[0][0], "SEASIDE-VILLA"),
    ("8f1e2d3c-4b5a-4968-8776-a1b2c3d4e502", "Old Mill Cottage", HOSTS[1][0], None),
    ("8f1e2d3c-4b5a-4968-8776-a1b2c3d4e503", "Harbour Loft", HOSTS[0][0], "HARBOUR-LOFT"),
]
BOOKINGS = [
    ("BK-2001", RENTALS[0][0], "A. Jansen"),
    ("BK-2002", RENTALS[1][0], "M. Okafor"),
    ("BK-2003", RENTALS[2][0], "L. Moreau"),
]
PAYOUT = ("P-1001", 1234.50, "EUR")
TRANSACTIONS = [
    ("c2a1b0d9-8e7f-4a6b-9c5d-4e3f2a1b0c01", PAYOUT[0], "BK-2001", 500.00),
    ("c2a1b0d9-8e7f-4a6b-9c5d-4e3f2a1b0c02", PAYOUT[0], "BK-2002", 434.50),
    ("c2a1b0d9-8e7f-4a6b-9c5d-4e3f2a1b0c03", PAYOUT[0], "BK-2003", 300.00),
]
#: The host's share of a transaction; the rest is the management commission.
HOST_SHARE = 0.8

_SCHEMA = """
CREATE TABLE IF NOT EXISTS hosts (host_id TEXT PRIMARY KEY, name TEXT NOT NULL, xero_account TEXT);
CREATE TABLE IF NOT EXISTS rentals (rental_id TEXT PRIMARY KEY, name TEXT NOT NULL, host_id TEXT, xero_name TEXT);
CREATE TABLE IF NOT EXISTS bookings (booking_ref TEXT PRIMARY KEY, rental_id TEXT NOT NULL, guest TEXT);
CREATE TABLE IF NOT EXISTS payouts (payout_id TEXT PRIMARY KEY, amount REAL NOT NULL, currency TEXT NOT NULL,
                                    status TEXT NOT NULL DEFAULT 'received');
CREATE TABLE IF NOT EXISTS transactions (transaction_id TEXT PRIMARY KEY, payout_id TEXT NOT NULL,
                                         booking_ref TEXT NOT NULL, amount REAL NOT NULL, booking_matched INTEGER);
CREATE TABLE IF NOT EXISTS apportioned (line_id TEXT PRIMARY KEY, payout_id TEXT NOT NULL,
                                        transaction_id TEXT NOT NULL, party TEXT NOT NULL, amount REAL NOT NULL);
CREATE TABLE IF NOT EXISTS prepared (line_id TEXT PRIMARY KEY, payout_id TEXT NOT NULL, contact TEXT NOT NULL,
                                     account TEXT NOT NULL, amount REAL NOT NULL, reference TEXT NOT NULL);
-- The fake Xero: what PUSH sent, once per line whatever the retries.
CREATE TABLE IF NOT EXISTS xero_ledger (line_id TEXT PRIMARY KEY, payout_id TEXT NOT NULL, contact TEXT NOT NULL,
                                        account TEXT NOT NULL, amount REAL NOT NULL, reference TEXT NOT NULL,
                                        pushed_with_key TEXT NOT NULL);
"""


class PayoutData:
    """The store; safe to share between the HTTP server's threads (one connection per call, serialised writes)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        with self.connect() as db:
            db.executescript(_SCHEMA)
            # INSERT OR IGNORE: seeding twice changes nothing, and a fix made in the demo (a Xero name) is kept.
            db.executemany("INSERT OR IGNORE INTO hosts VALUES (?, ?, ?)", HOSTS)
            db.executemany("INSERT OR IGNORE INTO rentals VALUES (?, ?, ?, ?)", RENTALS)
            db.executemany("INSERT OR IGNORE INTO bookings VALUES (?, ?, ?)", BOOKINGS)
            db.execute("INSERT OR IGNORE INTO payouts (payout_id, amount, currency) VALUES (?, ?, ?)", PAYOUT)
            db.executemany("INSERT OR IGNORE INTO transactions (transaction_id, payout_id, booking_ref, amount) "
                           "VALUES (?, ?, ?, ?)", TRANSACTIONS)

    def connect(self) -> "_Connection":
        return _Connection(self.path, self._lock)


class _Connection:
    """``with data.connect() as db``: one transaction, committed on success, under the store's write lock."""

    def __init__(self, path: Path, lock: threading.Lock) -> None:
        self._path = path
        self._lock = lock

    def __enter__(self) -> sqlite3.Connection:
        self._lock.acquire()
        self._db = sqlite3.connect(self._path, timeout=10)
        self._db.row_factory = sqlite3.Row
        return self._db

    def __exit__(self, kind, value, traceback) -> None:
        try:
            if kind is None:
                self._db.commit()
            else:
                self._db.rollback()
            self._db.close()
        finally:
            self._lock.release()


def rows(cursor: sqlite3.Cursor) -> Iterator[dict]:
    for row in cursor:
        yield dict(row)
