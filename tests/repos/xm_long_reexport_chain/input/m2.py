from m1 import model  # noqa: F401
