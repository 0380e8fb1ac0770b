from . import test_install
from . import test_tracking_rule
from . import test_ui
from . import test_delivery_only
from . import test_tracking_change
from . import test_recall
from . import test_batch_produce
from . import test_odoo_batch
