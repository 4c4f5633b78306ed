"""The roll-up across levels: a higher committee verifies and combines the packages (output
folders of ``aggregate`` or ``rollup``, or .zip files of them) of the committees below it.

``source`` opens a package safely, ``verify`` checks it against its manifest, ``extract`` takes
what travels up, ``tally`` adds counts, ``combine`` admits packages and adds them up (pure),
``summary`` is the upward summary (Mẫu 15A/15B) as data, ``json_out``, ``xlsx``, ``html`` and
``write`` write the outputs, ``run`` ties them together and ``report`` says it in a few lines;
``codes`` holds the issue codes.
"""
