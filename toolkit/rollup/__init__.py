"""The roll-up across levels: a higher committee verifies and combines the packages (output
folders of ``aggregate`` or ``rollup``, or .zip files of them) of the committees below it.

``source`` opens a package safely, ``verify`` checks it against its manifest, ``extract`` takes
what travels up, ``combine`` admits and adds up (pure), ``summary`` is the upward summary as
data, ``json_out``, ``xlsx``, ``html`` and ``write`` write the outputs, ``run`` ties them up.
"""
