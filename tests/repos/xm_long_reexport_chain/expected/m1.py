from m0 import model  # noqa: F401
