"""The six steps of the migrated payout workflow (process_payout), written with the Flowline step SDK.

Each takes ``{"payout_id"}`` (the workflow maps it from the run's input) and works on the demo store; the step names
are the legacy states' names, the error codes and data the ones the legacy definition declares. PUSH writes to the
fake Xero ledger once per line: a retried or replayed attempt pushes nothing twice.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any, Dict, List, Tuple

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "sdk" / "python" / "src"))

from flowline_sdk import Step, StepContext, StepError, step  # noqa: E402

from payout_data import HOST_SHARE, PayoutData, rows  # noqa: E402

PAYOUT_INPUT = {"type": "object", "properties": {"payout_id": {"type": "string", "minLength": 1}},
                "required": ["payout_id"]}


def build(data: PayoutData) -> Dict[str, Step]:
    """The steps over one store, by the name their step definitions bind to (``/steps/<name>``)."""

    def payout(db, payout_id: str) -> dict:
        found = db.execute("SELECT * FROM payouts WHERE payout_id = ?", (payout_id,)).fetchone()
        if found is None:
            # Not a declared error: the command named a payout that does not exist; the run fails as a system error.
            raise LookupError(f"no payout {payout_id}")
        return dict(found)

    @step(input_schema=PAYOUT_INPUT)
    def match_bookings(input: Any, ctx: StepContext) -> dict:
        with data.connect() as db:
            payout(db, input["payout_id"])
            unmatched: List[str] = []
            for tx in rows(db.execute("SELECT t.transaction_id, b.booking_ref FROM transactions t LEFT JOIN "
                                      "bookings b ON b.booking_ref = t.booking_ref WHERE t.payout_id = ? "
                                      "ORDER BY t.transaction_id", (input["payout_id"],))):
                matched = tx["booking_ref"] is not None
                db.execute("UPDATE transactions SET booking_matched = ? WHERE transaction_id = ?",
                           (1 if matched else 0, tx["transaction_id"]))
                if not matched:
                    unmatched.append(tx["transaction_id"])
        if unmatched:
            raise StepError("UNMATCHED_BOOKING", "Transaction could not be matched to a booking",
                            {"transaction_id": unmatched[0]})
        return {"success": True, "unmatched_transaction_ids": [], "unmatched_transaction_count": 0}

    @step(input_schema=PAYOUT_INPUT)
    def validate_settings(input: Any, ctx: StepContext) -> dict:
        with data.connect() as db:
            amount = payout(db, input["payout_id"])["amount"]
            lines = list(rows(db.execute(
                "SELECT t.amount, r.rental_id, r.name AS rental_name, r.xero_name, h.host_id, h.name AS host_name, "
                "h.xero_account FROM transactions t JOIN bookings b ON b.booking_ref = t.booking_ref "
                "JOIN rentals r ON r.rental_id = b.rental_id LEFT JOIN hosts h ON h.host_id = r.host_id "
                "WHERE t.payout_id = ? ORDER BY r.name", (input["payout_id"],))))
        for line in lines:
            if not line["xero_name"]:
                raise StepError("MISSING_XERO_NAME", f"Missing Xero name for {line['rental_name']}",
                                {"rental_id": line["rental_id"], "rental_name": line["rental_name"]})
            if line["host_id"] is None:
                raise StepError("MISSING_HOST", f"Missing host for {line['rental_name']}",
                                {"rental_id": line["rental_id"], "rental_name": line["rental_name"]})
            if not line["xero_account"]:
                raise StepError("MISSING_HOST_XERO_ACCOUNT", f"Missing Xero account for {line['host_name']}",
                                {"host_id": line["host_id"], "host_name": line["host_name"]})
        total = round(sum(line["amount"] for line in lines), 2)
        if abs(total - amount) > 0.005:
            raise StepError("TOTAL_MISMATCH", "Payout total does not match sum of transactions",
                            {"payout_amount": amount, "transactions_total": total})
        return {"success": True, "payout_amount": amount, "transactions_total": total, "totals_mismatch": False}

    @step(input_schema=PAYOUT_INPUT)
    def apportion_transactions(input: Any, ctx: StepContext) -> dict:
        payout_id = input["payout_id"]
        with data.connect() as db:
            transactions = list(rows(db.execute("SELECT transaction_id, amount FROM transactions WHERE payout_id = ?",
                                                (payout_id,))))
            db.execute("DELETE FROM apportioned WHERE payout_id = ?", (payout_id,))
            for tx in transactions:
                host = round(tx["amount"] * HOST_SHARE, 2)
                for party, amount in (("host", host), ("commission", round(tx["amount"] - host, 2))):
                    db.execute("INSERT INTO apportioned VALUES (?, ?, ?, ?, ?)",
                               (f"{tx['transaction_id']}:{party}", payout_id, tx["transaction_id"], party, amount))
        return {"success": True, "original_transaction_count": len(transactions),
                "apportioned_transaction_count": 2 * len(transactions)}

    @step(input_schema=PAYOUT_INPUT)
    def prepare_xero_transactions(input: Any, ctx: StepContext) -> dict:
        payout_id = input["payout_id"]
        with data.connect() as db:
            lines = list(rows(db.execute(
                "SELECT a.line_id, a.party, a.amount, r.xero_name, h.xero_account FROM apportioned a "
                "JOIN transactions t ON t.transaction_id = a.transaction_id "
                "JOIN bookings b ON b.booking_ref = t.booking_ref JOIN rentals r ON r.rental_id = b.rental_id "
                "JOIN hosts h ON h.host_id = r.host_id WHERE a.payout_id = ? ORDER BY a.line_id", (payout_id,))))
            db.execute("DELETE FROM prepared WHERE payout_id = ?", (payout_id,))
            for line in lines:
                contact, account = (line["xero_account"], "HOST-PAYABLE") if line["party"] == "host" \
                    else ("FLOWLINE-MGMT", "COMMISSION")
                db.execute("INSERT INTO prepared VALUES (?, ?, ?, ?, ?, ?)",
                           (line["line_id"], payout_id, contact, account, line["amount"],
                            f"{payout_id} {line['xero_name']}"))
        return {"success": True, "xero_transactions_count": len(lines)}

    @step(input_schema=PAYOUT_INPUT)
    def push_to_xero(input: Any, ctx: StepContext) -> dict:
        payout_id = input["payout_id"]
        with data.connect() as db:
            prepared = list(rows(db.execute("SELECT * FROM prepared WHERE payout_id = ?", (payout_id,))))
            for line in prepared:
                # Keyed by line: the attempt's idempotency key is kept to show which attempt pushed it.
                db.execute("INSERT OR IGNORE INTO xero_ledger VALUES (?, ?, ?, ?, ?, ?, ?)",
                           (line["line_id"], payout_id, line["contact"], line["account"], line["amount"],
                            line["reference"], ctx.idempotency_key))
        return {"success": True, "xero_transactions_count": len(prepared)}

    @step(input_schema=PAYOUT_INPUT)
    def complete(input: Any, ctx: StepContext) -> dict:
        with data.connect() as db:
            payout(db, input["payout_id"])
            db.execute("UPDATE payouts SET status = 'completed' WHERE payout_id = ?", (input["payout_id"],))
        return {"success": True}

    @step(input_schema={"type": "object", "properties": {
        "rental_id": {"type": "string", "format": "uuid"},
        "xero_name": {"type": "string", "minLength": 1, "maxLength": 100},
        "host_id": {"type": "string", "format": "uuid"}}, "required": ["rental_id"]})
    def update_rental_settings(input: Any, ctx: StepContext) -> dict:
        """The resolution step of MISSING_XERO_NAME and MISSING_HOST: fixes the rental, so a retry goes through."""
        with data.connect() as db:
            rental = db.execute("SELECT * FROM rentals WHERE rental_id = ?", (input["rental_id"],)).fetchone()
            if rental is None:
                raise StepError("UNKNOWN_RENTAL", "No such rental", {"rental_id": input["rental_id"]})
            xero_name = input.get("xero_name", rental["xero_name"])
            host_id = input.get("host_id", rental["host_id"])
            db.execute("UPDATE rentals SET xero_name = ?, host_id = ? WHERE rental_id = ?",
                       (xero_name, host_id, input["rental_id"]))
        return {"rental_id": input["rental_id"], "xero_name": xero_name, "host_id": host_id}

    return {s.name: s for s in (match_bookings, validate_settings, apportion_transactions,
                                prepare_xero_transactions, push_to_xero, complete, update_rental_settings)}


def rental_lookup(data: PayoutData):
    """``GET /lookups/rentals?name=&page=&size=``: rentals whose name contains ``name``, for a task screen's picker."""

    def lookup(query: Dict[str, List[str]]) -> Tuple[int, Any]:
        name = (query.get("name") or [""])[0]
        try:
            page = int((query.get("page") or ["0"])[0])
            size = int((query.get("size") or ["20"])[0])
        except ValueError:
            return 400, {"type": "https://flowline.dev/problems/step-server/invalid-query", "status": 400,
                         "detail": "page and size must be integers"}
        if page < 0 or not 1 <= size <= 100:
            return 400, {"type": "https://flowline.dev/problems/step-server/invalid-query", "status": 400,
                         "detail": "page must be >= 0 and size between 1 and 100"}
        pattern = f"%{name}%"
        with data.connect() as db:
            total = db.execute("SELECT count(*) FROM rentals WHERE name LIKE ?", (pattern,)).fetchone()[0]
            items = list(rows(db.execute("SELECT rental_id, name, xero_name, host_id FROM rentals WHERE name LIKE ? "
                                         "ORDER BY name LIMIT ? OFFSET ?", (pattern, size, page * size))))
        return 200, {"items": items, "page": page, "size": size, "total": total}

    return lookup


def default_store() -> Path:
    home = Path(os.environ.get("FLOWLINE_HOME", Path(__file__).resolve().parents[3] / ".flowline"))
    return home / "demo" / "payouts.sqlite"
