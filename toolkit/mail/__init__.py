"""Sending the results as e-mail attachments (``xeploai mail``).

Start at ``toolkit.mail.run.send_results``; ``config`` reads ``mail.toml`` (and writes the
sample), ``folder`` reads ``ket-qua.json``, ``plan`` decides who gets what, ``compose`` builds
the messages from the ``reports/mail_*.j2`` templates, ``send`` talks SMTP (the only module
that imports ``smtplib``), ``sentlog`` remembers what went out. Nothing is imported here, so
that loading the issue codes (``toolkit.mail.codes``) stays cheap.
"""
