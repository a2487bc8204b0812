from m6 import model  # noqa: F401
