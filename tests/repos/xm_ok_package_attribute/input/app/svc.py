from . import llm


def ask(q):
    return llm.model.generate_content(q).text
