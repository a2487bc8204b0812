from .llm import ask

__all__ = ["ask"]
