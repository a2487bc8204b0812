from app import model
from app.summary import summarise

print(model.generate_content("Name a colour.").text)
print(summarise("A long text about colours."))
