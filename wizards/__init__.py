from . import mrp_batch_produce
