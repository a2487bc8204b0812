from m2 import model  # noqa: F401
