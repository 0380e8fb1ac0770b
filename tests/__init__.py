import importlib.util

from . import test_install
from . import test_tracking_rule
from . import test_ui
from . import test_delivery_only
from . import test_delivery_only_queries
from . import test_recall
from . import test_batch_produce
from . import test_odoo_batch
from . import test_guards
from . import test_odoo_copies
from . import test_multi_company
from . import test_tracking_change
from . import test_checklist
from . import test_lot_status
from . import test_recall_case
from . import test_recall_export
from . import test_shelf_life

# property-based tests: hypothesis is a development tool (make test installs it); a plain Odoo without it
# skips them instead of failing to import
if importlib.util.find_spec("hypothesis"):
    from . import test_hostile_input
from . import test_batch_job
from . import test_batch_components
from . import test_batch_shortcuts
