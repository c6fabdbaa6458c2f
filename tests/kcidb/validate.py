#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""Check KCIDB I/O documents against the vendored v5.3 JSON schema.

usage: validate.py DOC.json...   (exit 0 valid, 1 invalid, 2 unreadable)

The schema is Draft-07 (kcidb-io validates with Draft7Validator and its
format checker). Debian's python3-jsonschema checks "uri" and "date-time"
only with packages Debian 12 does not ship together with it (rfc3987,
rfc3339-validator), so those two formats are checked here: a URI has a
scheme (RFC 3986 section 3, a relative reference is not one), a date-time is
RFC 3339 section 5.6. Without that, a log_url without a scheme would pass.
"""
import json
import os
import re
import sys

import jsonschema

SCHEMA = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                      "kcidb-io.schema.v5.3.json")
URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s]*$")
DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?"
                       r"([Zz]|[+-]\d{2}:\d{2})$")

checker = jsonschema.FormatChecker()


@checker.checks("uri")
def is_uri(value):
    return not isinstance(value, str) or bool(URI.match(value))


@checker.checks("date-time")
def is_date_time(value):
    return not isinstance(value, str) or bool(DATE_TIME.match(value))


def main(paths):
    with open(SCHEMA, encoding="utf-8") as f:
        schema = json.load(f)
    validator = jsonschema.Draft7Validator(schema, format_checker=checker)
    bad = 0
    for path in paths:
        try:
            with open(path, encoding="utf-8") as f:
                doc = json.load(f)
        except (OSError, ValueError) as e:
            print(f"{path}: {e}", file=sys.stderr)
            return 2
        errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))
        for e in errors:
            where = "$" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}"
                                  for p in e.absolute_path)
            print(f"{path}: {where}: {e.message}", file=sys.stderr)
        bad += bool(errors)
        if not errors:
            print(f"{path}: valid KCIDB v5.3")
    return 1 if bad else 0


if __name__ == "__main__":
    if len(sys.argv) < 2:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        sys.exit(2)
    sys.exit(main(sys.argv[1:]))
