from m7 import model  # noqa: F401
