from m5 import model  # noqa: F401
