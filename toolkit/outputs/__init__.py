"""Writers of the aggregate outputs: summary workbook, per-cell workbooks, HTML, JSON."""
