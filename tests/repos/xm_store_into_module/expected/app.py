import llm


def ask(q):
    # TODO(genai2openai): `model` comes from llm.py, which keeps it on genai: `model` is used by main.py, where genai2openai cannot change with it: it stores another object into `llm.model`
    return llm.model.generate_content(q).text
