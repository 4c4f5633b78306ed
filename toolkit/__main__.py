"""``python -m toolkit`` runs the ``xeploai`` command."""

from toolkit.cli import main

# the guard matters: worker processes started by a fork server or by spawn import this module
if __name__ == "__main__":
    main()
