from . import llm


def summarise(text):
    return llm.model.generate_content(["Summarise:", text]).text
