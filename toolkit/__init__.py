"""xeploai: kiểm điểm, đánh giá, xếp loại chất lượng hằng năm tổ chức đảng và đảng viên."""

import os

__version__ = "0.1.0"

# openpyxl parses with lxml whenever lxml is installed (python-docx brings it), and then neither
# defusedxml nor any refusal of entities applies: it must keep to defusedxml, which refuses them.
# Set before anything imports openpyxl (it reads this once, at import).
os.environ["OPENPYXL_LXML"] = "False"
