"""The hostile and malformed inputs corpus, and the clean cell every case starts from.

``clean`` builds a small roster and a correctly filled pair of workbooks for one cell; ``corpus``
builds, by code, every bad input with the issue code it must produce.
"""
