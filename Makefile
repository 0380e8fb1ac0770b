# lot_serial_tracking: developer entry points. See README.md.
PYTHON ?= python3
DEVENV := $(PYTHON) tools/devenv.py

.PHONY: run test lint bench test-odoo bootstrap stop
run:        ## serve the web UI with the module and demo data at http://localhost:8069 (admin/admin)
	@$(DEVENV) run
test:       ## everything CI checks: ruff, pylint-odoo, then the module's tests (pytest-odoo)
	@$(DEVENV) test $(ARGS)
lint:
	@$(DEVENV) lint
bench:      ## benchmarks, side by side with standard Odoo
	@$(DEVENV) bench $(ARGS)
test-odoo:  ## Odoo's own tests of stock, mrp and 14 apps beside them, run with and without this module loaded
	@$(DEVENV) test-odoo $(ARGS)
bootstrap:
	@$(DEVENV) bootstrap
stop:       ## stop the private PostgreSQL cluster
	@$(DEVENV) stop
