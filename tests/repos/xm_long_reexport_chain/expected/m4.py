from m3 import model  # noqa: F401
