from . import stock_tracking_change
from . import stock_tracking_change_line
