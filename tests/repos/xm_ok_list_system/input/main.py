from llm import model, other

print(model.generate_content("one").text)
print(other.generate_content("two").text)
