def first():
    import llm as a

    return a.model.generate_content("one").text


def second():
    import llm as b

    return b.model.generate_content("two").text


print(first())
print(second())
