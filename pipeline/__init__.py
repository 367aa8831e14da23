"""collab-eval: evaluating the collaboration of partnerships of public organisations."""

import sys

__version__ = "0.1.0"


def console() -> int:
    """The ``collab-eval`` command: :func:`pipeline.cli.console`, its libraries loaded here.

    Loading them takes most of a second, before the command can catch anything: Ctrl-C in that
    second ends it with one line, as later, not with Python's traceback.
    """
    try:
        from pipeline import cli
    except KeyboardInterrupt:
        sys.stderr.write("interrupted while starting; nothing was written\n")
        return 1
    return cli.console()
