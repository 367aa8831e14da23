"""collab-eval: evaluating the collaboration of partnerships of public organisations."""

__version__ = "0.1.0"
