# Copyright 2026 lot_serial_tracking contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
# Tests that are not Odoo test cases, run by pytest (`make test`) beside tests/: XML-RPC against a live
# multi-worker server cloned from the test database (live_server.py), concurrency, the development tools,
# the wheel and the in-place upgrade. Odoo's own test runner does not look here.
