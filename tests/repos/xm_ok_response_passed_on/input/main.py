from llm import ask


def show(r):
    print(r.text)


show(ask("a"))
rs = [ask("b")]
print(rs[0].text)
d = {"k": ask("c")}
print(d["k"].text)
