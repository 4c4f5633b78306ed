"""The rating engine: pure functions from cell returns and a rule-set to results.

``rate_cell`` rates one cell's return; ``rate_district`` rates every cell and decides the quotas
of the parent committee. Both read nothing, print nothing and never look at the clock: the same
inputs give the same results, whatever the order of members or cells.
"""

from toolkit.engine.cells import rate_cell
from toolkit.engine.district import rate_district
from toolkit.engine.meeting import check_meeting

__all__ = ["check_meeting", "rate_cell", "rate_district"]
