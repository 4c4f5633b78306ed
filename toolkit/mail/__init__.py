"""Sending the results as e-mail attachments."""
