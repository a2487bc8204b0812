from llm import model

# TODO(genai2openai): `model` comes from llm.py, which keeps it on genai: count_tokens has no OpenAI equivalent: read response.usage after the call
print(model.count_tokens("How long is this?").total_tokens)
print(model.generate_content("Hello?").text)
