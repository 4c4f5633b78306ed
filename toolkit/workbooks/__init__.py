"""Workbooks: declarations, template generation, reading and checking returned files."""
