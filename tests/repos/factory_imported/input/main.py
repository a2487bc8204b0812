from llm import get_model

model = get_model()
print(model.generate_content("Hi").text)
print(get_model().generate_content("Bye").text)
