"""``python -m toolkit`` runs the ``xeploai`` command."""

from toolkit.cli import main

main()
