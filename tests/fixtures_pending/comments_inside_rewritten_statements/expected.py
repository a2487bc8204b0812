#!/usr/bin/env python3
# -*- coding: utf-8 -*-
"""Ask Gemini for a recipe idea."""

import os  # environment access

from openai import OpenAI  # the Gemini SDK

# --- setup -------------------------------------------------------------
client = OpenAI(
    api_key=os.environ["GEMINI_API_KEY"],
    base_url="https://generativelanguage.googleapis.com/v1beta/openai/",
)  # key from the environment

# The model; flash is cheap enough for this
# model id
# keep answers short
model = "gemini-1.5-flash"  # end of model

# --- ask ---------------------------------------------------------------
# the only request
# prompt
response = client.chat.completions.create(
    model=model,
    messages=[{"role": "user", "content": "Suggest a dinner with chickpeas."}],
    max_tokens=120,
)
print(response.choices[0].message.content)  # show it
# done
