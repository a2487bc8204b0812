from app import *

print(model.generate_content("one").text)
