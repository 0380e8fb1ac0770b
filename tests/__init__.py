from . import test_install
from . import test_tracking_rule
from . import test_ui
from . import test_batch_produce
