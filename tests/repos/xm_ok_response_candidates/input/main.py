from llm import ask

r = ask("a")
try:
    print(r.text)
except ValueError as e:
    print("several")
print(r.candidates[1].content.parts[0].text)
