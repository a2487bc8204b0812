from llm import ask


def feedback():
    # TODO(genai2openai): `ask` comes from llm.py, which keeps it on genai: prompt_feedback has no OpenAI equivalent: check choices[0].finish_reason == "content_filter"
    return ask("f").prompt_feedback
