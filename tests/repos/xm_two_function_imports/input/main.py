def first():
    from llm import model

    return model.generate_content("one").text


def second():
    from llm import model

    return model.generate_content("two").text


print(first())
print(second())
