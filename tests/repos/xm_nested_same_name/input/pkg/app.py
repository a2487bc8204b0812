from llm import model  # run as `python -m pkg.app` or from main.py: the top-level llm.py


def ask(q):
    return model.generate_content(q).text
