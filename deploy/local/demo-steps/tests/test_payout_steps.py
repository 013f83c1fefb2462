import tempfile
import unittest
from pathlib import Path

from payout_data import PayoutData
from payout_steps import build, rental_lookup

OLD_MILL = "8f1e2d3c-4b5a-4968-8776-a1b2c3d4e502"


def call(step, input, attempt=0):
    return step.handle({"input": input, "context": {"runId": "run-1", "stepId": step.name.upper(),
                                                    "attempt": attempt, "execution": 1}})


class PayoutStepsTest(unittest.TestCase):

    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.data = PayoutData(Path(self.dir.name) / "payouts.sqlite")
        self.steps = build(self.data)

    def tearDown(self):
        self.dir.cleanup()

    def ledger(self):
        with self.data.connect() as db:
            return [dict(r) for r in db.execute("SELECT * FROM xero_ledger ORDER BY line_id")]

    def test_the_payout_fails_validation_on_the_rental_without_a_xero_name_until_it_is_set(self):
        payout = {"payout_id": "P-1001"}
        self.assertEqual(call(self.steps["match_bookings"], payout)["output"]["unmatched_transaction_count"], 0)
        failed = call(self.steps["validate_settings"], payout)
        self.assertEqual(failed["error"]["code"], "MISSING_XERO_NAME")
        self.assertEqual(failed["error"]["data"], {"rental_id": OLD_MILL, "rental_name": "Old Mill Cottage"})

        fixed = call(self.steps["update_rental_settings"], {"rental_id": OLD_MILL, "xero_name": "OLD-MILL"})
        self.assertEqual(fixed["output"]["xero_name"], "OLD-MILL")
        validated = call(self.steps["validate_settings"], payout)["output"]
        self.assertEqual(validated, {"success": True, "payout_amount": 1234.5, "transactions_total": 1234.5,
                                     "totals_mismatch": False})
        self.assertEqual(call(self.steps["apportion_transactions"], payout)["output"]["apportioned_transaction_count"],
                         6)
        self.assertEqual(call(self.steps["prepare_xero_transactions"], payout)["output"]["xero_transactions_count"], 6)
        self.assertEqual(call(self.steps["push_to_xero"], payout)["output"]["xero_transactions_count"], 6)
        # A second attempt (a retry, a replay) pushes nothing twice.
        call(self.steps["push_to_xero"], payout, attempt=1)
        ledger = self.ledger()
        self.assertEqual(len(ledger), 6)
        self.assertAlmostEqual(sum(line["amount"] for line in ledger), 1234.5)
        self.assertTrue(all(line["pushed_with_key"] == "run-1:PUSH_TO_XERO:1:0" for line in ledger))
        self.assertIn("P-1001 OLD-MILL", {line["reference"] for line in ledger})
        self.assertEqual(call(self.steps["complete"], payout), {"output": {"success": True}})

    def test_an_unknown_payout_is_a_system_error_and_an_unknown_rental_a_declared_one(self):
        self.assertEqual(call(self.steps["match_bookings"], {"payout_id": "P-404"})["error"]["code"],
                         "flowline.step-exception")
        self.assertEqual(call(self.steps["update_rental_settings"], {
            "rental_id": "00000000-0000-4000-8000-000000000000", "xero_name": "X"})["error"]["code"], "UNKNOWN_RENTAL")
        self.assertEqual(call(self.steps["match_bookings"], {})["error"]["code"], "flowline.invalid-input")

    def test_seeding_twice_keeps_a_fix(self):
        call(self.steps["update_rental_settings"], {"rental_id": OLD_MILL, "xero_name": "OLD-MILL"})
        PayoutData(self.data.path)
        with self.data.connect() as db:
            self.assertEqual(db.execute("SELECT xero_name FROM rentals WHERE rental_id = ?", (OLD_MILL,))
                             .fetchone()[0], "OLD-MILL")
            self.assertEqual(db.execute("SELECT count(*) FROM transactions").fetchone()[0], 3)

    def test_the_rental_lookup_filters_by_name_and_pages(self):
        lookup = rental_lookup(self.data)
        status, body = lookup({"name": ["o"], "size": ["1"], "page": ["1"]})
        self.assertEqual(status, 200)
        # "Harbour Loft" and "Old Mill Cottage" (case-insensitive), by name.
        self.assertEqual((body["total"], body["page"], body["size"]), (2, 1, 1))
        self.assertEqual([r["name"] for r in body["items"]], ["Old Mill Cottage"])
        self.assertEqual(lookup({"name": ["Mill"]})[1]["items"][0]["xero_name"], None)
        self.assertEqual(lookup({"size": ["0"]})[0], 400)
        self.assertEqual(lookup({"page": ["x"]})[0], 400)


if __name__ == "__main__":
    unittest.main()
