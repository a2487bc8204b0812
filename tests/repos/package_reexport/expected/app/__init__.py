from .llm import model

__all__ = ["model"]
