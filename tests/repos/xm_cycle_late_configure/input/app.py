from llm import model


def ask(q):
    return model.generate_content(q).text
