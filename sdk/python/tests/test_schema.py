import unittest

from flowline_sdk import Schema

# (schema, instance, pointers of the violations; empty: it matches). Mirrors the list in the README.
CASES = [
    ({"type": "string"}, "x", []),
    ({"type": "string"}, 1, ["/"]),
    ({"type": "integer"}, 3, []),
    ({"type": "integer"}, 3.0, []),
    ({"type": "integer"}, 3.5, ["/"]),
    ({"type": "integer"}, True, ["/"]),
    ({"type": "number"}, False, ["/"]),
    ({"type": ["string", "null"]}, None, []),
    ({"type": "object", "required": ["a", "b"]}, {"a": 1}, ["/b"]),
    ({"type": "object", "properties": {"a": {"type": "string"}}}, {"a": 1}, ["/a"]),
    ({"type": "object", "additionalProperties": False, "properties": {"a": {}}}, {"a": 1, "b": 2}, ["/b"]),
    ({"additionalProperties": {"type": "number"}}, {"x": "no"}, ["/x"]),
    ({"type": "object", "properties": {"a/b": {"type": "string"}}}, {"a/b": 1}, ["/a~1b"]),
    ({"type": "array", "items": {"type": "string", "format": "uuid"}},
     ["9b2f8f0e-4b7a-4c1e-9a63-2f1f3c1d2e4a", "nope"], ["/1"]),
    ({"minItems": 2, "maxItems": 3}, [1], ["/"]),
    ({"uniqueItems": True}, [1, 2, 1], ["/2"]),
    ({"uniqueItems": True}, [1, True], []),
    ({"minLength": 2, "maxLength": 3, "pattern": "^[A-Z]+$"}, "abcd", ["/", "/"]),
    ({"minimum": 0, "exclusiveMaximum": 10}, 10, ["/"]),
    ({"multipleOf": 0.01}, 12.34, []),
    ({"multipleOf": 0.01}, 12.345, ["/"]),
    ({"enum": ["EUR", "GBP"]}, "USD", ["/"]),
    ({"const": 1}, True, ["/"]),
    ({"format": "date-time"}, "2026-12-02T10:00:00.123Z", []),
    ({"format": "date-time"}, "2026-12-02T10:00:00", ["/"]),
    ({"format": "date"}, "2026-02-30", ["/"]),
    ({"format": "email"}, "ops@example.com", []),
    ({"format": "hostname"}, "anything", []),
    ({"anyOf": [{"type": "string"}, {"type": "number"}]}, None, ["/"]),
    ({"oneOf": [{"minimum": 0}, {"maximum": 10}]}, 5, ["/"]),
    ({"allOf": [{"minimum": 0}, {"maximum": 10}]}, 11, ["/"]),
    ({"not": {"type": "null"}}, None, ["/"]),
    (False, 1, ["/"]),
    (True, 1, []),
]


class SchemaTest(unittest.TestCase):

    def test_each_case_of_the_table_finds_exactly_its_violations(self):
        for schema, instance, pointers in CASES:
            with self.subTest(schema=schema, instance=instance):
                found = Schema(schema).violations(instance) if isinstance(schema, dict) else \
                    Schema({"allOf": [schema]}).violations(instance)
                self.assertEqual([v.pointer for v in found], pointers, [v.message for v in found])

    def test_a_violation_says_what_was_expected(self):
        (violation,) = Schema({"type": "object", "properties": {"n": {"type": "integer"}}}).violations({"n": "x"})
        self.assertEqual(violation.to_json(), {"pointer": "/n", "message": "expected integer, got string"})

    def test_annotations_are_accepted_and_ignored(self):
        schema = Schema({"$schema": "https://json-schema.org/draft/2020-12/schema", "title": "t", "description": "d",
                         "default": {}, "examples": [{}], "type": "object"})
        self.assertEqual(schema.violations({}), [])


if __name__ == "__main__":
    unittest.main()
