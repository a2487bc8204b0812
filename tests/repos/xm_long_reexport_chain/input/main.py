from m8 import model

print(model.generate_content("hi").text)
