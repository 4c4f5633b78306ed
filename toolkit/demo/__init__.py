"""The demo district: realistic data, filled workbooks and a full run of the pipeline."""
