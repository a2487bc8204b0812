from m4 import model  # noqa: F401
