from . import stock_tracking_rule
from . import product_category
from . import product_template
from . import product_product
from . import stock_lot
from . import mrp_production
from . import procurement_group
