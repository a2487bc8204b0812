import llm


def ask(q):
    # TODO(genai2openai): `model` comes from llm.py, which keeps it on genai: `model` is used by main.py, where genai2openai cannot change with it: a GenerativeModel is used in a way genai2openai does not follow
    return llm.model.generate_content(q).text
