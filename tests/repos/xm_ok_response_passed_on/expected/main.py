from llm import ask


def show(r):
    print(r.choices[0].message.content)


show(ask("a"))
rs = [ask("b")]
print(rs[0].choices[0].message.content)
d = {"k": ask("c")}
print(d["k"].choices[0].message.content)
