from fast import model as fast
from smart import model as smart

print(fast.generate_content("one").text)
print(smart.generate_content("two").text)
