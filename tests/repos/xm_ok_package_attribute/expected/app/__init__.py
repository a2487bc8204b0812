from .llm import model
