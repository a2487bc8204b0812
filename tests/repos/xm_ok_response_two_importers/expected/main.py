import other
from llm import ask

# TODO(genai2openai): `ask` comes from llm.py, which keeps it on genai: `ask` is used by other.py, where genai2openai cannot change with it: prompt_feedback has no OpenAI equivalent: check choices[0].finish_reason == "content_filter"
print(ask("x").text)
print(other.feedback() is not None)
