from . import stock_tracking_change
from . import stock_tracking_change_line
from . import mrp_batch_produce
from . import stock_traceability_checklist
from . import stock_lot_status_wizard
from . import mrp_batch_produce_component
