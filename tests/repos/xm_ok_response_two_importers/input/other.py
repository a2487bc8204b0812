from llm import ask


def feedback():
    return ask("f").prompt_feedback
